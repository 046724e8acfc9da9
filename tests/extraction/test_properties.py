"""Whatever text or bytes come in, the output validates against the contract, or a DocumentError names the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investdesk.extraction import DocumentError, Extractor, read_document
from investdesk.extraction.readers.cleaning import clean_text

from .documents import docx_bytes, news_page, pdf_bytes

SCHEMA = json.loads((Path(__file__).parent / "contract" / "extraction.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
WORDS = st.sampled_from(["Rs", "1,200", "crore", "MoU", "signed", "with", "Tokyo", "Japan", "delegation", "Minister",
                         "Dr.", "Corporation", "Ltd.", "(KPIA)", "Association", "met", "In", "Osaka,", "the", "and",
                         "$", "2.5", "billion", "Policy", "Park", "Governor", "'s", ".", "\n", "Invest", "UP",
                         "Comments", "Share this", "\u00e9", "\u200d", "\x00", "\r\n", "\t", "Page 2 of 9"])
NAMES = st.sampled_from(["x.txt", "x.pdf", "x.docx", "x.html", "x", "report.PDF", "-weird name [1].htm"])
SAMPLE = ("The Kerala delegation led by Industries Minister P. Rajeeve met Alpha Marine Ltd in Oslo on Monday. "
          "Alpha Marine plans an investment of Rs 400 crore in Kochi, and an MoU is expected at the Global Summit.")
VALID = {"x.pdf": pdf_bytes([[SAMPLE[:90], SAMPLE[90:]], ["Page 2", SAMPLE]]), "x.docx": docx_bytes([SAMPLE]),
         "x.html": news_page([SAMPLE]).encode(), "x.txt": SAMPLE.encode("utf-16")}
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _valid(extractor: Extractor, text: str) -> None:
    data = extractor.extract(text).to_json_dict()
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    assert errors == [], errors


def _read_or_fail_cleanly(data: bytes, name: str) -> str | None:
    """The text of a document, or None after checking that the only failure is a one-line DocumentError."""
    try:
        return read_document(data=data, filename=name).text
    except DocumentError as exc:
        message = str(exc)
        assert message.startswith(name + ": ") and "\n" not in message and len(message) > len(name) + 2
        return None


@EXAMPLES
@given(st.text(max_size=400))
def test_random_text_validates(extractor: Extractor, text: str) -> None:
    _valid(extractor, text)


@EXAMPLES
@given(st.lists(WORDS, max_size=80))
def test_domain_word_salad_validates_through_the_reader(extractor: Extractor, words: list[str]) -> None:
    text = _read_or_fail_cleanly(" ".join(words).encode("utf-8"), "salad.txt")
    if text is not None:
        _valid(extractor, text)


@EXAMPLES
@given(st.binary(max_size=3000), NAMES)
def test_random_bytes_read_or_fail_cleanly(extractor: Extractor, data: bytes, name: str) -> None:
    text = _read_or_fail_cleanly(data, name)
    if text is not None:
        _valid(extractor, text)


@EXAMPLES
@given(st.sampled_from(sorted(VALID)), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=12),
       st.integers(0, 10**6) | st.none())
def test_damaged_documents_read_or_fail_cleanly(extractor: Extractor, name: str, flips: list[tuple[int, int]],
                                                cut: int | None) -> None:
    data = bytearray(VALID[name])
    for at, value in flips:
        data[at % len(data)] = value
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    text = _read_or_fail_cleanly(bytes(data), name)
    if text is not None:
        _valid(extractor, text)


@EXAMPLES
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_text_in_any_encoding_reads_back_clean(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", errors="replace")
    read = _read_or_fail_cleanly(data, "x.txt")
    if read is not None:
        assert clean_text(read) == read  # cleaning is idempotent
        assert "\x00" not in read and "\r" not in read and "\n\n\n" not in read


def test_library_imports_nothing_else_from_the_package() -> None:
    code = ("import sys, investdesk.extraction; from investdesk.extraction import extract; "
            "print([m for m in sys.modules if m.startswith('investdesk') and m != 'investdesk' "
            "and not m.startswith('investdesk.extraction')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
    src = Path(__file__).resolve().parents[2] / "src" / "investdesk" / "extraction"
    for py in src.rglob("*.py"):
        for line in py.read_text().splitlines():
            if line.startswith(("from investdesk", "import investdesk")):
                assert line.startswith(("from investdesk.extraction", "import investdesk.extraction")), (py, line)
