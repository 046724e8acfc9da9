"""A plain ``pip install .`` into a clean virtual environment reads every format: the runtime dependencies of
the readers are declared, not merely present in the development environment."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .documents import docx_bytes, news_page, pdf_bytes
from .layouts import text_image

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"
SENTENCE = ("The Kerala delegation led by Industries Minister P. Rajeeve met Alpha Marine Ltd in Oslo on Monday "
            "to discuss an investment of Rs 400 crore in Kochi.")
MODULES = "import trafilatura, lxml_html_clean, lxml.html.clean, pdfplumber, pypdfium2, pytesseract, PIL, docx, pypdf"


def corpus_files() -> list[Path]:
    """Every document of the tuning and blind corpora, when they are there."""
    return sorted(p for folder in ("tune", "blind") if (CORPUS / folder).is_dir()
                  for p in (CORPUS / folder).rglob("*")
                  if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".json"))


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("clean-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    out = subprocess.run([str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", str(ROOT)],
                         capture_output=True, text=True, timeout=1800, cwd=where.parent)
    assert out.returncode == 0, out.stderr[-3000:]
    return where


def extract(venv: Path, files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "investdesk"), "extract", *map(str, files)], capture_output=True,
                          text=True, timeout=1800, cwd=cwd, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


@pytest.mark.slow
def test_plain_install_reads_every_format(venv: Path, tmp_path: Path) -> None:
    imports = subprocess.run([str(venv / "bin" / "python"), "-c", MODULES], capture_output=True, text=True,
                             cwd=tmp_path, timeout=300)
    assert imports.returncode == 0, imports.stderr
    files = {"report.txt": SENTENCE.encode(), "page.html": news_page([SENTENCE]).encode(),
             "report.pdf": pdf_bytes([[SENTENCE[:90], SENTENCE[90:]]]), "trip.docx": docx_bytes([SENTENCE]),
             "clipping.png": text_image([SENTENCE[:60], SENTENCE[60:120], SENTENCE[120:]])}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    ocr = shutil.which("tesseract") is not None
    out = extract(venv, paths if ocr else paths[:-1], tmp_path)
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(r["source"]["path"]).name for r in records] == list(files)[:len(records)]
    for record in records:
        assert record["schema"] == "investdesk.extraction/1"
        assert any(o["name"].startswith("Alpha Marine") for o in record["organizations"]), record["source"]
    if not ocr:  # the package is there; only the program is missing, and that is said in one line
        out = extract(venv, paths[-1:], tmp_path)
        assert out.returncode == 2 and "Tesseract is not installed" in out.stderr


@pytest.mark.slow
@pytest.mark.skipif(not corpus_files(), reason="no tune or blind corpus in this checkout")
def test_plain_install_reads_every_corpus_file(venv: Path, tmp_path: Path) -> None:
    files = corpus_files()
    out = extract(venv, files, tmp_path)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    # Every corpus file is read (one record each); the only complaint allowed is a document with no text.
    assert [e for e in errors if not e.endswith("the document is empty (no text to extract)")] == []
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["source"]["path"] for r in records] == [str(f) for f in files]
