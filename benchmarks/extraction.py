"""Extraction throughput beside bare spaCy on the same documents, in the same run.

    .venv/bin/python benchmarks/extraction.py [--docs 500] [--processes N] [--batch-size 32] [--repeat 3]

The corpus is built from the project's own texts (every ``*.txt`` under ``tests/``, which holds the
extraction test corpus, and the demo trip report). To reach ``--docs`` documents each text is
repeated with its sentences shuffled within paragraphs and its paragraphs rotated, so no two
documents are the same and the rules cannot be helped by repetition. Prints documents per second
for ``nlp.pipe`` alone and for ``Extractor.pipe`` with the same number of processes (default: all
cores) and batch size, and the time ratio; the goal is at most 1.3. Each figure is the best of
``--repeat`` interleaved runs, worker start-up included in both. Bare spaCy is the model alone
(``pipeline.load_model``), without the extraction components. Last, the share of the time each
pipeline component takes, measured document by document in one process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from investdesk.extraction import Extractor
from investdesk.extraction.pipeline import load_model

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.3
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")


def source_texts() -> list[str]:
    # The blind split of the extraction corpus is left out: its documents are scored, never used otherwise.
    paths = sorted(p for p in (ROOT / "tests").rglob("*.txt") if "blind" not in p.parts)
    paths.append(ROOT / "src" / "investdesk" / "demo" / "trip-report.txt")
    texts = [p.read_text(encoding="utf-8") for p in paths if p.is_file()]
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise SystemExit("no texts found under tests/ to build the corpus from")
    return texts


def vary(text: str, seed: int) -> str:
    """The same story told in another order: sentences shuffled in each paragraph, paragraphs rotated."""
    rng = random.Random(seed)
    paragraphs = [p for p in text.split("\n") if p.strip()]
    varied = []
    for p in paragraphs:
        sentences = _SENTENCE.split(p.strip())
        rng.shuffle(sentences)
        varied.append(" ".join(sentences))
    k = seed % len(varied)
    return "\n".join(varied[k:] + varied[:k])


def corpus(n: int) -> list[str]:
    texts = source_texts()
    return [texts[i % len(texts)] if i < len(texts) else vary(texts[i % len(texts)], i) for i in range(n)]


def timed(run: Callable[[], int], expected: int) -> float:
    start = time.perf_counter()
    done = run()
    elapsed = time.perf_counter() - start
    assert done == expected, f"{done} results for {expected} documents"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=500, help="documents in the corpus (default 500)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    args = parser.parse_args()
    docs = corpus(args.docs)
    n, batch = max(1, args.processes), args.batch_size
    extractor = Extractor.default()
    nlp = load_model()  # the model alone, without the extraction components
    # Load everything once (model, gazetteers, patterns) outside the timings.
    sum(1 for _ in nlp.pipe(docs[:16]))
    sum(1 for _ in extractor.pipe(docs[:16]))

    def bare_run() -> int:
        return sum(1 for _ in nlp.pipe(docs, n_process=n, batch_size=batch))

    def full_run() -> int:
        return sum(1 for _ in extractor.pipe(docs, n_process=n, batch_size=batch))

    # Interleaved, so a change in the machine's load during the run weighs on both figures alike.
    bare = full = float("inf")
    for _ in range(max(1, args.repeat)):
        bare = min(bare, timed(bare_run, len(docs)))
        full = min(full, timed(full_run, len(docs)))

    chars = sum(len(d) for d in docs)
    ratio = full / bare
    print(f"corpus          : {len(docs)} documents from {len(source_texts())} texts, "
          f"{chars / len(docs):.0f} characters on average")
    print(f"settings        : {n} processes, batch size {batch}, best of {args.repeat}, "
          f"pipeline {', '.join(extractor.nlp.pipe_names)}")
    print(f"bare nlp.pipe   : {len(docs) / bare:8.1f} docs/s  ({bare:.2f} s)")
    print(f"Extractor.pipe  : {len(docs) / full:8.1f} docs/s  ({full:.2f} s)")
    print(f"ratio           : {ratio:.2f} x bare spaCy time (goal <= {GOAL}: {'met' if ratio <= GOAL else 'NOT met'})")
    shares = component_shares(extractor, docs[: min(len(docs), 100)])
    total = sum(shares.values())
    print("time share of each component (one process, document by document):")
    for name, seconds in shares.items():
        print(f"  {name:26} {100 * seconds / total:5.1f} %")


def component_shares(extractor: Extractor, docs: list[str]) -> dict[str, float]:
    """Seconds each component of the extractor's pipeline spends on ``docs``, plus the assembly."""
    shares: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in extractor.nlp.pipe_names},
                                "assemble": 0.0}
    for text in docs:
        start = time.perf_counter()
        doc = extractor.make_doc(text)
        shares["tokenizer"] += time.perf_counter() - start
        for name, proc in extractor.nlp.pipeline:
            start = time.perf_counter()
            doc = proc(doc)
            shares[name] += time.perf_counter() - start
        start = time.perf_counter()
        extractor.from_doc(doc)
        shares["assemble"] += time.perf_counter() - start
    return shares


if __name__ == "__main__":
    main()
