"""Extraction quality stays above a floor on the project's own corpus and, when present, the public dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from investdesk.extraction import Extractor, read_document
from investdesk.extraction.evaluate import score

CORPUS = Path(__file__).parent / "corpus" / "tune"
FIRST = ("gujarat-uae-roadshow", "odisha-korea-investors-meet", "ohio-germany-mission")
DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval-dev"


def _report(folder: Path, extractor: Extractor, names: tuple[str, ...] | None = None) -> dict[str, object]:
    pairs = []
    for gold_file in sorted(folder.glob("*.gold.json")):
        if names is not None and gold_file.name.replace(".gold.json", "") not in names:
            continue
        text = read_document(folder / gold_file.name.replace(".gold.json", ".txt")).text
        pairs.append((json.loads(gold_file.read_text()), extractor.extract(text).to_json_dict()))
    assert pairs, f"no gold files in {folder}"
    return score(pairs).as_dict()


def test_own_corpus_floor(extractor: Extractor) -> None:
    report = _report(CORPUS, extractor, FIRST)  # the corpus's first three documents
    assert report["macro_f1"] >= 0.85, report


@pytest.mark.skipif(not DEV_SET.is_dir(), reason="the public dev set sits beside the repository only in a workspace")
def test_dev_set_floor(extractor: Extractor) -> None:
    report = _report(DEV_SET, extractor)
    assert report["macro_f1"] >= 0.85, report


def test_every_item_carries_its_sentence(extractor: Extractor) -> None:
    text = (CORPUS / "gujarat-uae-roadshow.txt").read_text()
    data = extractor.extract(text).to_json_dict()
    for field in ("delegates", "people", "organizations", "engagements", "policies", "opportunities", "outcomes"):
        for item in data[field]:
            assert item["evidence"] and item["evidence"] in text, (field, item)
