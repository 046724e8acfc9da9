"""The scorer: the contract's matching rules, and the same numbers as the reference ``score.py``."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from investdesk.extraction import Extractor, read_document
from investdesk.extraction.corpus import documents
from investdesk.extraction.evaluate import (
    MAIN_FIELDS,
    FieldScore,
    match_sets,
    norm,
    norm_org,
    norm_person,
    org_keys,
    org_match,
    person_match,
    score,
)
from investdesk.extraction.normalize import acronym_key

CORPUS = Path(__file__).parent / "corpus" / "tune"
DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval-dev"
REFERENCE = DEV_SET / "score.py"


def _gold(folder: Path) -> dict[str, dict[str, Any]]:
    return {f.name[: -len(".gold.json")]: json.loads(f.read_text(encoding="utf-8"))
            for f in sorted(folder.glob("*.gold.json"))}


# --- the rules -----------------------------------------------------------------------------------------------


def test_names_are_normalised() -> None:
    assert norm("The Kansai Pharmaceutical Industries Association's") == "kansai pharmaceutical industries association"
    assert norm("FDI & FCI Policy\u20142023") == "fdi & fci policy-2023"
    assert norm_person("Dr. Hayashi Yoshikazu") == "hayashi yoshikazu"
    assert norm_person("His Excellency Shri Yogi Adityanath") == "yogi adityanath"
    assert norm_org("Tanaka Electric Co., Ltd.") == "tanaka electric"
    assert norm_org("Siemens GmbH") == "siemens"
    assert acronym_key("Kansai Pharmaceutical Industries Association") == "kpia"
    assert org_keys("Japan External Trade Organization (JETRO)") == {
        "japan external trade organization jetro", "japan external trade organization", "jetro"}


def test_organizations_match_by_name_acronym_or_close_spelling() -> None:
    keys = org_keys("Kansai Pharmaceutical Industries Association", "KPIA")
    name = "Kansai Pharmaceutical Industries Association"
    assert org_match("KPIA", keys, name)
    assert org_match("the Kansai Pharmaceutical Industries Association", keys, name)
    assert org_match("Kansai Pharmaceutical Industry Association", keys, name)  # edit similarity >= 88
    assert not org_match("Kansai Electric Power", keys, name)
    # A predicted long name whose initials are the gold acronym.
    assert org_match("Kansai Pharmaceutical Industries Association", {"kpia"}, "KPIA")
    assert not org_match("Japan External Trade Organization", {"jetro"}, "JETRO")  # initials are "jeto"
    assert not org_match("", keys, name)


def test_people_match_without_honorifics_and_in_any_order() -> None:
    assert person_match("Dr. Hayashi Yoshikazu", "Yoshikazu Hayashi")
    assert person_match("Shri Vijay Kiran Anand", "Vijay Kiran Anand")
    assert not person_match("Vijay Kiran Anand", "Vijay Kumar")
    assert not person_match("Dr.", "Dr.")  # nothing left after the honorific


def test_matching_is_one_to_one_and_optional_items_are_neutral() -> None:
    golds = [{"id": "a"}, {"id": "b"}, {"id": "c", "optional": True}]
    result, pairs = match_sets(golds, ["a", "a", "c", "x"], lambda g, p: g["id"] == p)
    # "a" matches once (the second "a" is a false positive), "b" is missed, "c" is optional: not counted either way.
    assert (result.tp, result.fp, result.fn) == (1, 2, 1)
    assert pairs == [({"id": "a"}, "a")]


def test_field_score_edge_cases() -> None:
    assert (FieldScore().precision, FieldScore().recall, FieldScore().f1) == (1.0, 1.0, 1.0)
    assert FieldScore(fn=2).precision == 0.0 and FieldScore(fn=2).f1 == 0.0
    s = FieldScore(tp=3, fp=1, fn=2)
    assert s.as_dict() == {"p": 0.75, "r": 0.6, "f1": 0.667, "tp": 3, "fp": 1, "fn": 2}


def test_a_perfect_prediction_scores_one_and_an_empty_one_zero() -> None:
    gold = _gold(CORPUS)
    perfect = score((g, copy.deepcopy(g)) for g in gold.values())
    assert perfect.docs == len(gold) and perfect.macro_f1 == 1.0 and perfect.invalid == []
    assert perfect.accuracies["org_kind_acc"] == 1.0 and perfect.accuracies["home_acc"] == 1.0
    empty = score((g, {}) for g in gold.values())
    assert all(empty.fields[f].tp == 0 for f in MAIN_FIELDS)
    required = sum(1 for g in gold.values() for o in g["organizations"] if not o.get("optional"))
    assert empty.fields["organizations"].fn == required


def test_engagements_are_flattened_and_the_city_must_match() -> None:
    gold = {"organizations": [{"name": "Tanaka Electric Co. Ltd.", "acronym": "TEC"}],
            "engagements": [{"counterparts": ["Tanaka Electric Co. Ltd."], "city": "Tokyo"}]}
    pred = {"engagements": [{"counterparts": ["TEC"], "city": "Osaka"}]}
    report = score([(gold, pred)])
    assert report.fields["engagements_org"].tp == 1
    city = report.fields["engagements_org_city"]
    assert (city.tp, city.fp, city.fn) == (0, 1, 1)


def test_amount_accuracy_and_home() -> None:
    amount = {"value": 1200, "currency": "INR", "unit": "crore"}
    gold = {"home": {"jurisdiction": "Uttar Pradesh"},
            "opportunities": [{"counterpart": "A Corp", "amount": amount}, {"counterpart": "B Ltd", "amount": amount}]}
    pred = {"home": {"jurisdiction": "uttar pradesh"},
            "opportunities": [{"counterpart": "A", "amount": dict(amount, currency="inr")},
                              {"counterpart": "B", "amount": dict(amount, unit="lakh")}]}
    report = score([(gold, pred)])
    assert report.fields["opportunities"].tp == 2
    assert report.accuracies == {"org_kind_acc": 1.0, "org_role_acc": 1.0, "opp_amount_acc": 0.5, "home_acc": 1.0}


def test_malformed_predictions_score_as_empty_and_are_named() -> None:
    gold = {"people": [{"name": "Vijay Kiran Anand"}], "sectors": ["pharmaceuticals"]}
    preds: list[Any] = [["not", "an", "object"], {"people": "Vijay"}, {"sectors": ["pharmaceuticals"]}]
    report = score([(gold, p) for p in preds], names=["list", "string", "good"])
    assert report.invalid == ["list", "string (AttributeError)"]
    assert (report.fields["people"].tp, report.fields["people"].fn) == (0, 3)
    assert report.fields["sectors"].tp == 1 and report.docs == 3


# --- the same numbers as the reference scorer ----------------------------------------------------------------


def _vary_name(rng: random.Random, name: str) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        return "the " + name + "'s"
    if choice == 1:
        return name.upper()
    if choice == 2 and len(name) > 6:  # a typo
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    if choice == 3:
        return "Dr. " + name
    if choice == 4:
        return name + " Ltd."
    return name


def _perturb(gold: dict[str, Any], rng: random.Random) -> Any:
    """A plausible imperfect prediction made from a gold file: items dropped, renamed, duplicated, invented."""
    if rng.random() < 0.05:
        return ["not an object"]
    pred = copy.deepcopy(gold)
    for key, items in list(pred.items()):
        if not isinstance(items, list):
            continue
        kept = [it for it in items if rng.random() > 0.25]
        for it in kept:
            if isinstance(it, dict):
                it.pop("optional", None)
                for f in ("name", "counterpart"):
                    if isinstance(it.get(f), str):
                        it[f] = _vary_name(rng, it[f])
                if "city" in it and rng.random() < 0.3:
                    it["city"] = rng.choice([None, "Tokyo", "Paris"])
                if "kind" in it and rng.random() < 0.2:
                    it["kind"] = "other"
                if it.get("amount") and rng.random() < 0.3:
                    it["amount"] = dict(it["amount"], unit=None)
        if kept and rng.random() < 0.3:
            kept.append(copy.deepcopy(kept[0]))
        if rng.random() < 0.3:
            kept.append({"name": "Invented Body", "counterpart": "Invented Body", "kind": "other",
                         "counterparts": ["Invented Body"], "city": None, "country": "ZZ", "id": "invented"})
        pred[key] = kept
    if rng.random() < 0.1:
        pred["people"] = "a string where a list belongs"
    if rng.random() < 0.2:
        pred["home"] = {"jurisdiction": rng.choice([None, "Maharashtra"])}
    return pred


def _reference(gold_dir: Path, preds: dict[str, Any], tmp: Path) -> dict[str, Any]:
    tmp.mkdir(parents=True, exist_ok=True)
    for name, pred in preds.items():
        (tmp / f"{name}.json").write_text(json.dumps(pred), encoding="utf-8")
    out = subprocess.run([sys.executable, str(REFERENCE), str(gold_dir), str(tmp), "--json"], capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def _ours(gold: dict[str, Any], preds: dict[str, Any]) -> dict[str, Any]:
    names = list(gold)
    return score(((gold[n], preds[n]) for n in names), names=names).as_dict()


needs_reference = pytest.mark.skipif(not REFERENCE.is_file(), reason="the reference scorer sits beside the "
                                     "repository only in a workspace")


@needs_reference
@pytest.mark.parametrize("folder", [CORPUS, DEV_SET], ids=["own-corpus", "dev-set"])
def test_same_numbers_as_the_reference_on_real_extractions(folder: Path, extractor: Extractor,
                                                           tmp_path: Path) -> None:
    gold = _gold(folder)
    paths = {d.name: d.path for d in documents(folder)}  # documents of every format (txt, html, pdf, docx)
    preds = {n: extractor.extract_document(read_document(paths[n])).to_json_dict() for n in gold}
    assert _ours(gold, preds) == _reference(folder, preds, tmp_path)


@needs_reference
@pytest.mark.parametrize("seed", range(8))
def test_same_numbers_as_the_reference_on_perturbed_predictions(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    for folder in (CORPUS, DEV_SET):
        gold = _gold(folder)
        preds = {n: _perturb(g, rng) for n, g in gold.items()}
        ours, theirs = _ours(gold, preds), _reference(folder, preds, tmp_path / folder.name)
        assert ours == theirs
