"""The extractor's output checked against the contract as written (``contract/extraction.schema.json``, drawn from
the contract's text), not against a schema generated from the same Pydantic model, which would agree with any
change to the model."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from investdesk.extraction import Extractor, json_schema

CONTRACT = json.loads((Path(__file__).parent / "contract" / "extraction.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(CONTRACT)
CORPUS = Path(__file__).parent / "corpus" / "tune"


def contract_errors(data: dict[str, Any]) -> list[str]:
    """What in ``data`` breaks the contract, each with its path."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_the_contract_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(CONTRACT)


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.txt"))[:6])
def test_corpus_extractions_meet_the_contract(extractor: Extractor, name: str) -> None:
    data = extractor.extract((CORPUS / f"{name}.txt").read_text(encoding="utf-8")).to_json_dict()
    assert contract_errors(data) == []


def _sample(extractor: Extractor) -> dict[str, Any]:
    data = extractor.extract((CORPUS / "gujarat-uae-roadshow.txt").read_text(encoding="utf-8")).to_json_dict()
    assert data["organizations"] and data["opportunities"], "the sample needs organizations and opportunities"
    return data


@pytest.mark.parametrize("breakage, where", [
    (lambda d: d.pop("engagements"), ""),
    (lambda d: d.__setitem__("schema", "investdesk.extraction/2"), "schema"),
    (lambda d: d["organizations"][0].__setitem__("kind", "conglomerate"), "organizations/0/kind"),
    (lambda d: d["organizations"][0].pop("role"), "organizations/0"),
    (lambda d: d["opportunities"][0].__setitem__("stage", "signed"), "opportunities/0/stage"),
    (lambda d: d["home"].__setitem__("country", "India"), "home/country"),
    (lambda d: d["opportunities"][0].__setitem__("amount", {"value": 5, "currency": "INR", "unit": "lakhs"}),
     "opportunities/0/amount"),
])
def test_the_contract_check_refuses_what_the_contract_forbids(extractor: Extractor, breakage: Any,
                                                              where: str) -> None:
    """The check can fail: each breakage of a real extraction is reported at its place."""
    data = copy.deepcopy(_sample(extractor))
    breakage(data)
    errors = contract_errors(data)
    assert errors and any(e.startswith(f"{where}:") for e in errors), errors


def test_an_added_optional_field_still_meets_the_contract(extractor: Extractor) -> None:
    """The contract grows only by optional fields; an output carrying one (home_is_agency) stays valid."""
    data = _sample(extractor)
    data["home_is_agency"] = True
    data["organizations"][0]["website"] = None
    assert contract_errors(data) == []


def _enums(schema: Any, out: set[str]) -> set[str]:
    """Every enumerated or constant string anywhere in a JSON Schema."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "enum":
                out.update(v for v in value if isinstance(v, str))
            elif key == "const" and isinstance(value, str):
                out.add(value)
            else:
                _enums(value, out)
    elif isinstance(schema, list):
        for value in schema:
            _enums(value, out)
    return out


def test_the_model_offers_the_contract_vocabularies_exactly() -> None:
    """The schema ``investdesk extract --schema`` prints names the same kinds, sides, stages and units as the
    contract: a value added to (or dropped from) the model alone fails here."""
    assert _enums(json_schema(), set()) == _enums(CONTRACT, set())


def _extract_in_a_new_process(path: Path, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run([sys.executable, "-m", "investdesk", "extract", str(path), "--format", "json"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_extraction_is_the_same_in_processes_with_different_hash_seeds() -> None:
    """Set and dict orders change with the hash seed from one process to the next; the output must not."""
    path = CORPUS / "odisha-korea-investors-meet.txt"
    assert _extract_in_a_new_process(path, "1") == _extract_in_a_new_process(path, "2024")
