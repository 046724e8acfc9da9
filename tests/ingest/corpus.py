"""A folder of distinct documents made from the project's own texts (paragraphs rotated, a line added)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The extraction corpus's first three documents (in its tune split).
FIRST_CORPUS = ("gujarat-uae-roadshow", "odisha-korea-investors-meet", "ohio-germany-mission")


def sources() -> list[str]:
    tune = ROOT / "tests" / "extraction" / "corpus" / "tune"
    files = [tune / f"{n}.txt" for n in FIRST_CORPUS]
    files.append(ROOT / "src" / "investdesk" / "demo" / "trip-report.txt")
    return [f.read_text(encoding="utf-8") for f in files]


def make_folder(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = sources()
    out = []
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n") if p.strip()]
        k = (i // len(texts)) % len(paras)
        body = "\n\n".join(paras[k:] + paras[:k]) + f"\n\nReport number {i + 1}."
        path = folder / f"report-{i:04d}.txt"
        path.write_text(body, encoding="utf-8")
        out.append(path)
    return out
