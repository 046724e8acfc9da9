"""Ingest throughput beside extraction alone on the same documents, in the same run.

    .venv/bin/python benchmarks/ingest.py [--docs 2000] [--workers 1] [--batch-size 16] [--pg URL]

Writes ``--docs`` distinct text files made from the project's own texts (the extraction test corpus and
the demo trip report; sentences shuffled within paragraphs, paragraphs rotated and a numbered closing line,
so every file has its own sha256). Then, with the same extraction processes (``--workers``):

1. extraction alone: every file read and extracted, results thrown away;
2. ``investdesk ingest --auto-accept`` into a fresh SQLite file (and, with ``--pg URL``, into a fresh
   PostgreSQL database created beside the one the URL names and dropped afterwards): documents stored,
   items, records, resolution, evidence and audit rows written, one commit per document.

Prints documents per second for each and the ratio ingest / extraction (goal: at least 0.8, meaning the
database costs little next to extraction).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from investdesk.db import make_engine
from investdesk.extraction import read_document
from investdesk.ingest.backends import make_backend
from investdesk.ingest.runner import Ingest
from investdesk.migrate import upgrade
from investdesk.models import Document, Engagement, Evidence, Organization
from investdesk.permissions import Actor

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.8
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")


def make_corpus(folder: Path, n: int) -> list[Path]:
    tune = ROOT / "tests" / "extraction" / "corpus" / "tune"
    paths = [tune / f"{n}.txt" for n in ("gujarat-uae-roadshow", "odisha-korea-investors-meet", "ohio-germany-mission")]
    paths.append(ROOT / "src" / "investdesk" / "demo" / "trip-report.txt")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    out = []
    for i in range(n):
        rng = random.Random(i)
        paragraphs = [p for p in texts[i % len(texts)].split("\n") if p.strip()]
        varied = []
        for p in paragraphs:
            sentences = _SENTENCE.split(p.strip())
            rng.shuffle(sentences)
            varied.append(" ".join(sentences))
        k = (i // len(texts)) % len(varied)
        body = "\n\n".join(varied[k:] + varied[:k]) + f"\n\nReport {i + 1} of {n}."
        path = folder / f"doc-{i:05d}.txt"
        path.write_text(body, encoding="utf-8")
        out.append(path)
    return out


def extraction_alone(files: list[Path], workers: int, batch_size: int) -> float:
    """Seconds to read and extract every file with the ingest's own backend, writing nothing."""
    start = time.perf_counter()

    def batches() -> Iterator[list[tuple[int, str]]]:
        for i in range(0, len(files), batch_size):
            yield [(j, read_document(files[j]).text) for j in range(i, min(i + batch_size, len(files)))]

    backend = make_backend(None, workers=workers, dask=None)
    try:
        done = sum(len(r) for r in backend.results(batches()))
    finally:
        backend.close()
    assert done == len(files)
    return time.perf_counter() - start


def ingest(url: str, files: list[Path], folder: Path, workers: int, batch_size: int) -> tuple[float, str]:
    engine = make_engine(url)
    upgrade(engine)
    runner = Ingest(engine, documents_dir=folder / "stored", actor=Actor.system("bench"), auto_accept=True,
                    workers=workers, batch_size=batch_size)
    start = time.perf_counter()
    report = runner.run([str(folder / "in")])
    seconds = time.perf_counter() - start
    if report.errors or report.stored != len(files):
        raise SystemExit(f"ingest stored {report.stored} of {len(files)}: {report.errors[:3]}")
    with engine.connect() as conn:
        sizes = {m.__name__: conn.scalar(select(func.count()).select_from(m))
                 for m in (Document, Organization, Engagement, Evidence)}
    engine.dispose()
    return seconds, ", ".join(f"{v} {k.lower()}s" for k, v in sizes.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="extraction processes (0: in the writer process)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server URL; a scratch database is made beside it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="investdesk-bench-") as tmp:
        base = Path(tmp)
        (base / "in").mkdir()
        files = make_corpus(base / "in", args.docs)
        print(f"{len(files)} documents, {args.workers} extraction process(es), batches of {args.batch_size}")
        alone = extraction_alone(files, args.workers, args.batch_size)
        rate = len(files) / alone
        print(f"extraction alone     : {rate:8.1f} docs/s  ({alone:.1f} s)")
        targets: list[tuple[str, str, tuple[Engine, str] | None]] = [
            ("SQLite", f"sqlite:///{base / 'bench.db'}", None)]
        if args.pg:
            admin = make_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = f"investdesk_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            scratch_url = make_url(args.pg.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
            targets.append(("PostgreSQL", scratch_url.render_as_string(hide_password=False), (admin, name)))
        for label, url, scratch in targets:
            try:
                seconds, sizes = ingest(url, files, base, args.workers, args.batch_size)
            finally:
                if scratch:
                    admin, name = scratch
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    admin.dispose()
            ingest_rate = len(files) / seconds
            ratio = ingest_rate / rate
            print(f"ingest ({label:10s}): {ingest_rate:8.1f} docs/s  ({seconds:.1f} s; {sizes})")
            print(f"ratio ingest/extract : {ratio:.2f}  (goal >= {GOAL})")


if __name__ == "__main__":
    main()
