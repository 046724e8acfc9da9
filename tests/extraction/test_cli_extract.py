"""``investdesk extract`` and ``investdesk evaluate`` as a user runs them: the installed console script and
``python -m investdesk`` in a subprocess, and the Typer app in-process."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from investdesk.cli import app

from .documents import docx_bytes, encrypted_pdf_bytes, news_page, pdf_bytes

CORPUS = Path(__file__).parent / "corpus" / "tune"
FIRST = ("gujarat-uae-roadshow", "odisha-korea-investors-meet", "ohio-germany-mission")
OHIO = CORPUS / "ohio-germany-mission.txt"
GUJARAT = CORPUS / "gujarat-uae-roadshow.txt"
ODISHA = CORPUS / "odisha-korea-investors-meet.txt"
SCHEMA = json.loads((Path(__file__).parent / "contract" / "extraction.schema.json").read_text(encoding="utf-8"))
SCRIPT = Path(sys.executable).parent / "investdesk"


def run(*args: str, stdin: bytes | None = None, script: bool = False) -> subprocess.CompletedProcess[bytes]:
    command = [str(SCRIPT)] if script else [sys.executable, "-m", "investdesk"]
    return subprocess.run([*command, *args], capture_output=True, input=stdin, timeout=180,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C", "COLUMNS": "200"})


def error_lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode("utf-8").splitlines() if line.strip()]


# --- in a subprocess, as installed -----------------------------------------------------------------------------


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is installed with the package")
def test_console_script_prints_one_contract_object_in_utf8() -> None:
    proc = run("extract", str(OHIO), script=True)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")  # UTF-8 even under the C locale
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert text.startswith('{\n "schema": "investdesk.extraction/1"')  # pretty-printed
    assert data["source"] == {"path": str(OHIO), "sha256": hashlib.sha256(OHIO.read_bytes()).hexdigest(),
                              "title": None, "published": None}
    assert data["home"]["jurisdiction"] == "Ohio" and proc.stderr == b""


def test_several_files_print_json_lines_and_every_bad_one_is_named(tmp_path: Path) -> None:
    bad: dict[str, bytes] = {
        "junk.bin": bytes(range(20)) * 100,
        "locked.pdf": encrypted_pdf_bytes(),
        "damaged.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 20,
        "damaged.docx": b"PK\x03\x04word/" + b"\x00" * 100,
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(110_000_000)
    (tmp_path / "folder").mkdir()
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 talks: the Ohio delegation met Siemens AG in Munich.".encode("cp1252"))
    page = tmp_path / "broken.html"
    page.write_text("<html><body><p>Unclosed <div>The Gujarat delegation met DP World in Dubai.<<<>")
    files = [str(OHIO), str(tmp_path / "junk.bin"), str(latin), str(tmp_path / "locked.pdf"), str(big),
             str(tmp_path / "missing.txt"), str(tmp_path / "folder"), str(tmp_path / "damaged.pdf"),
             str(tmp_path / "damaged.docx"), str(page), str(GUJARAT)]
    proc = run("extract", *files)
    assert proc.returncode == 2
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    for record in records:
        jsonschema.validate(record, SCHEMA)
    assert [r["source"]["path"] for r in records] == [str(OHIO), str(latin), str(page), str(GUJARAT)]
    assert [r["home"]["jurisdiction"] for r in records] == ["Ohio", "Ohio", "Gujarat", "Gujarat"]
    # The cp1252 file is decoded: its evidence quotes the sentence with the accent intact.
    assert any(o["evidence"].startswith("Caf\u00e9 talks") for o in records[1]["organizations"])
    assert error_lines(proc.stderr) == [
        f"error: {tmp_path}/junk.bin: not a supported document type (binary data)",
        f"error: {tmp_path}/locked.pdf: the PDF is encrypted",
        f"error: {big}: 104.9 MB is over the 50 MB limit",
        f"error: {tmp_path}/missing.txt: no such file",
        f"error: {tmp_path}/folder: is a folder, not a document",
        f"error: {tmp_path}/damaged.pdf: the PDF is damaged (PdfStreamError)",
        f"error: {tmp_path}/damaged.docx: the Word file is damaged (BadZipFile)",
    ]


def test_stdin_is_read_with_a_dash() -> None:
    proc = run("extract", "-", stdin=ODISHA.read_bytes())
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["home"]["jurisdiction"] == "Odisha" and data["source"]["path"] == "-"
    assert data["source"]["sha256"] == hashlib.sha256(ODISHA.read_bytes()).hexdigest()


def test_binary_stdin_is_named_stdin() -> None:
    proc = run("extract", "-", stdin=bytes(range(32)) * 100)
    assert proc.returncode == 2 and proc.stdout == b""
    assert error_lines(proc.stderr) == ["error: <stdin>: not a supported document type (binary data)"]


def test_schema_is_printed_without_files() -> None:
    proc = run("extract", "--schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    # The printed schema describes every field the contract requires (its vocabularies: test_contract.py).
    assert set(SCHEMA["required"]) <= set(schema["properties"])


def _first_corpus(folder: Path) -> Path:
    """The corpus's first three documents with their gold files, in a folder of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in FIRST:
        for suffix in (".txt", ".gold.json"):
            shutil.copy(CORPUS / f"{name}{suffix}", folder)
    return folder


def test_evaluate_prints_the_report_as_json(tmp_path: Path) -> None:
    proc = run("evaluate", str(_first_corpus(tmp_path / "first")), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["docs"] == 3 and report["missing_or_invalid"] == [] and report["macro_f1"] >= 0.85
    assert set(report["fields"]) >= {"delegates", "engagements_org_city", "opportunities", "home_acc"}


def test_the_command_line_loads_spacy_only_for_extraction() -> None:
    """Other commands must not pay for the language model: nothing heavy is imported with the command line."""
    code = ("import sys, investdesk.cli; "
            "print(sorted(m for m in ('spacy', 'trafilatura', 'pypdf', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- in-process, with Typer's runner ---------------------------------------------------------------------------

runner = CliRunner()


def invoke(*args: str, stdin: bytes | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_documents_of_every_kind(tmp_path: Path) -> None:
    sentence = "The Ohio delegation led by Governor Mike DeWine met Siemens AG in Munich on Monday."
    files = {"trip.pdf": pdf_bytes([[sentence]], title="Ohio in Munich"), "trip.docx": docx_bytes([sentence]),
             "trip.html": news_page([sentence * 2], title="Ohio in Munich").encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = invoke("extract", *(str(tmp_path / n) for n in files))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]["path"]).name for r in records] == list(files)
    for record in records:
        jsonschema.validate(record, SCHEMA)
        assert record["home"]["jurisdiction"] == "Ohio"
        assert any(o["name"].startswith("Siemens") for o in record["organizations"])
    assert records[0]["source"]["title"] == "Ohio in Munich"
    assert records[2]["source"]["published"] == "2024-03-05"


def test_empty_file_prints_an_empty_record_and_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke("extract", str(empty))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["organizations"] == [] and data["home"] == {"jurisdiction": None, "country": None}
    assert result.stderr.strip() == f"error: {empty}: the document is empty (no text to extract)"


def test_table_format() -> None:
    result = invoke("extract", str(ODISHA), "--format", "table")
    assert result.exit_code == 0
    assert "Hanseong Steel Corporation" in result.stdout and "organizations (" in result.stdout
    assert "home: Odisha (IN)" in result.stdout and not result.stdout.lstrip().startswith("{")


def test_no_files_is_an_error() -> None:
    result = invoke("extract")
    assert result.exit_code == 2 and "give at least one file" in result.stderr


def test_evaluate_table_and_docs_folder(tmp_path: Path) -> None:
    gold_dir, docs_dir = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs_dir.mkdir()
    for name in FIRST:
        shutil.copy(CORPUS / f"{name}.gold.json", gold_dir)
        if name != "odisha-korea-investors-meet":
            shutil.copy(CORPUS / f"{name}.txt", docs_dir)
    result = invoke("evaluate", str(gold_dir), "--docs", str(docs_dir))
    assert result.exit_code == 0
    assert "3 documents, macro F1" in result.stdout and "engagements_org_city" in result.stdout
    assert f"{docs_dir}/odisha-korea-investors-meet.txt: no such file; scored as an empty extraction" in \
        result.stderr


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no NAME.gold.json files"),
    (lambda d: (d / "x.gold.json").write_text("{not json"), "x.gold.json: not valid JSON"),
    (lambda d: (d / "x.gold.json").write_text("[1, 2]"), "x.gold.json: a gold file holds one JSON object"),
])
def test_evaluate_bad_gold(tmp_path: Path, setup: Any, message: str) -> None:
    setup(tmp_path)
    result = invoke("evaluate", str(tmp_path))
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    missing = invoke("evaluate", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and missing.stderr.strip() == f"error: {tmp_path / 'nowhere'}: not a folder"


def _split_corpus(root: Path) -> Path:
    """A corpus folder: two documents in tune/, one in blind/ (a blind one that misses everything)."""
    tune, blind = root / "tune", root / "blind"
    for name in FIRST[:2]:
        for suffix in (".txt", ".gold.json"):
            (tune).mkdir(parents=True, exist_ok=True)
            shutil.copy(CORPUS / f"{name}{suffix}", tune)
    blind.mkdir(parents=True)
    shutil.copy(CORPUS / "ohio-germany-mission.gold.json", blind / "secret-doc.gold.json")
    (blind / "secret-doc.txt").write_text("Nothing here names anyone.", encoding="utf-8")
    return root


def test_evaluate_corpus_prints_tune_and_blind_side_by_side_with_the_gap(tmp_path: Path) -> None:
    root = _split_corpus(tmp_path / "corpus")
    result = invoke("evaluate", str(root))
    assert result.exit_code == 0, result.stderr
    assert "tune: 2 documents, blind: 1 documents" in result.stdout
    assert "gap" in result.stdout and "macro_f1" in result.stdout and "engagements_org_city" in result.stdout
    data = json.loads(invoke("evaluate", str(root), "--format", "json").stdout)
    assert set(data) == {"tune", "blind", "gap"}
    assert data["gap"] == round(data["tune"]["macro_f1"] - data["blind"]["macro_f1"], 3) and data["gap"] > 0


def test_evaluate_tune_split_prints_errors_and_blind_never_does(tmp_path: Path) -> None:
    root = _split_corpus(tmp_path / "corpus")
    tune = invoke("evaluate", str(root), "--split", "tune")
    assert tune.exit_code == 0 and "gujarat-uae-roadshow" in tune.stdout + tune.stderr
    blind = invoke("evaluate", str(root), "--split", "blind")
    both = invoke("evaluate", str(root))
    gold_names = [o["name"] for o in json.loads((root / "blind" / "secret-doc.gold.json").read_text())
                  ["organizations"]]
    for out in (blind.stdout + blind.stderr, both.stdout + both.stderr):
        assert "secret-doc" not in out
        assert not any(n in out for n in gold_names)
    assert blind.exit_code == 0 and "blind: 1 documents" in blind.stdout


def test_blind_errors_are_refused_by_the_library(tmp_path: Path) -> None:
    from investdesk.extraction import Extractor
    from investdesk.extraction.corpus import CorpusError, evaluate_folder

    root = _split_corpus(tmp_path / "corpus")
    with pytest.raises(CorpusError, match="scored only"):
        evaluate_folder(Extractor.default(), root / "blind", with_errors=True)


def test_evaluate_reads_documents_of_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = ODISHA.read_text(encoding="utf-8")
    (folder / "odisha.docx").write_bytes(docx_bytes(text.split("\n")))
    shutil.copy(CORPUS / "odisha-korea-investors-meet.gold.json", folder / "odisha.gold.json")
    data = json.loads(invoke("evaluate", str(folder), "--format", "json").stdout)
    assert data["docs"] == 1 and data["missing_or_invalid"] == [] and data["macro_f1"] >= 0.5
