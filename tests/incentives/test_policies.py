"""Policy data files: validated whole at load; a bad file is refused with its name, line and field."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from investdesk import places
from investdesk.incentives import loader
from investdesk.incentives.loader import PolicyFileError
from investdesk.incentives.rules import PolicyDoc

SHIPPED = Path(str(resources.files("investdesk").joinpath("incentives/data")))


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(SHIPPED, target)
    return target


def test_shipped_files_load_with_every_source_of_the_reference() -> None:
    data = loader.load_dir(None)
    assert set(data.policies) == {"fdi_fci_2023", "semiconductor_2024", "gcc_2024", "iiepp_2022", "electronics_2020",
                                  "ev_2022", "data_centre_2021", "pharma_2023", "msme_2022"}
    assert data.sources.sources["S11"].title.startswith("livemedia.press")
    # Every district of the configured list is in exactly one region.
    assert set(data.district_region["up"]) == set(places.districts())
    assert data.district_region["up"]["Gautam Buddh Nagar"] == "gbn_ghaziabad"
    assert data.district_region["up"]["Jhansi"] == "bundelkhand"


def test_a_missing_field_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "fdi_fci_2023.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "kind: capital_subsidy")
    del lines[at]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PolicyFileError) as err:
        loader.load_dir(folder)
    assert err.value.message.startswith(f"fdi_fci_2023.yaml line {at}: incentives.0.kind: Field required")


def test_a_bad_value_is_named(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "gcc_2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    rate: 25\n    cap: 10\n", "    rate: 250\n    cap: 10\n"), encoding="utf-8")
    line = text.splitlines().index("    rate: 25") + 1
    with pytest.raises(PolicyFileError, match=rf"gcc_2024.yaml line {line}: incentives.0.rate: a percentage above 100"):
        loader.load_dir(folder)


def test_overlapping_validity_in_a_family_is_refused(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    doc = yaml.safe_load((folder / "electronics_2020.yaml").read_text(encoding="utf-8"))
    doc["id"] = "electronics_2025"
    doc["validity"]["valid_from"] = "2025-06-01"
    doc["validity"]["valid_to"] = None
    (folder / "electronics_2025.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"electronics_2025.yaml: validity.valid_from: 2025-06-01 to open "
                                              r"overlaps electronics_2020"):
        loader.load_dir(folder)
    doc["validity"]["valid_from"] = "2025-08-01"  # the day after: accepted
    (folder / "electronics_2025.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert "electronics_2025" in loader.load_dir(folder).policies


def test_overlapping_versions_of_a_rule_and_other_mistakes() -> None:
    text = (SHIPPED / "electronics_2020.yaml").read_text(encoding="utf-8")
    with pytest.raises(PolicyFileError, match="interest_subsidy: two versions of this incentive overlap"):
        loader.validate(PolicyDoc, text.replace("effective_to: 2022-11-17", "effective_to: 2022-11-18"), "e.yaml")
    with pytest.raises(PolicyFileError, match=r"e.yaml line \d+: not valid YAML"):
        loader.validate(PolicyDoc, text + "\n  - : [", "e.yaml")
    with pytest.raises(PolicyFileError, match="source: a rule that is not 'unknown' names at least one source id"):
        loader.validate(PolicyDoc, text.replace("    source: [S45]\n    quote: \"100%\"", "    quote: \"100%\""),
                        "e.yaml")
    with pytest.raises(PolicyFileError, match="e.yaml: expected a mapping"):
        loader.validate(PolicyDoc, "- a list", "e.yaml")


def test_cross_checks_name_the_file(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "msme_2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("source: [S37b]", "source: [S99]"), encoding="utf-8")
    with pytest.raises(PolicyFileError, match="msme_2022.yaml: source 'S99' is not in sources.yaml"):
        loader.load_dir(folder)
    folder = copy_data(tmp_path / "b")
    regions = folder / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("Lalitpur, ", ""), encoding="utf-8")
    with pytest.raises(PolicyFileError, match="regions.yaml: maps.up: district 'Lalitpur' is in no region"):
        loader.load_dir(folder)
    folder = copy_data(tmp_path / "c")
    path = folder / "pharma_2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("medical_devices, biotechnology", "medical_gadgets"),
                    encoding="utf-8")
    with pytest.raises(PolicyFileError, match="pharma_2023.yaml: eligibility.sectors.ids: unknown sector "
                                              "'medical_gadgets'"):
        loader.load_dir(folder)
