"""Extraction throughput beside bare spaCy on the same documents, in the same run.

    .venv/bin/python benchmarks/extraction.py [--docs 500] [--processes N]

The corpus is built from the project's own texts (the extraction test corpus and
the demo trip report), each document varied by rotating its paragraphs so no two
are identical. Prints documents per second for ``nlp.pipe`` alone and for
``Extractor.pipe`` with the same number of processes, and the time ratio
(goal: at most 1.3).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from investdesk.extraction import Extractor

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[str]:
    sources = sorted((ROOT / "tests" / "extraction" / "corpus").glob("*.txt"))
    sources.append(ROOT / "src" / "investdesk" / "demo" / "trip-report.txt")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    docs = []
    i = 0
    while len(docs) < n:
        paras = [p for p in texts[i % len(texts)].split("\n") if p.strip()]
        k = (i // len(texts)) % len(paras)
        docs.append("\n".join(paras[k:] + paras[:k]))
        i += 1
    return docs


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    docs = corpus(args.docs)
    extractor = Extractor()
    n = args.processes
    # Warm up both paths (model loading, worker start) outside the timings.
    list(extractor.nlp.pipe(docs[:20]))
    list(extractor.pipe(docs[:20]))
    bare = timed(lambda: sum(1 for _ in extractor.nlp.pipe(docs, n_process=n, batch_size=32)))
    full = timed(lambda: sum(1 for _ in extractor.pipe(docs, n_process=n, batch_size=32)))
    chars = sum(len(d) for d in docs)
    print(f"{len(docs)} documents ({chars / len(docs):.0f} characters on average), {n} processes")
    print(f"bare spaCy nlp.pipe : {len(docs) / bare:8.1f} docs/s  ({bare:.2f} s)")
    print(f"Extractor.pipe      : {len(docs) / full:8.1f} docs/s  ({full:.2f} s)")
    print(f"ratio extract/bare  : {full / bare:.2f}  (goal <= 1.3)")


if __name__ == "__main__":
    main()
