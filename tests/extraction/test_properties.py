"""Whatever text or bytes come in, the output validates against the contract or a DocumentError names the file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investdesk.extraction import DocumentError, Extractor, json_schema, read_document

SCHEMA = json.loads(json.dumps(json_schema()))
WORDS = st.sampled_from(["Rs", "1,200", "crore", "MoU", "signed", "with", "Tokyo", "Japan", "delegation", "Minister",
                         "Dr.", "Corporation", "Ltd.", "(KPIA)", "Association", "met", "In", "Osaka,", "the", "and",
                         "$", "2.5", "billion", "Policy", "Park", "Governor", "'s", ".", "\n", "Invest", "UP"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_random_text_validates(extractor: Extractor, text: str) -> None:
    jsonschema.validate(extractor.extract(text).to_json_dict(), SCHEMA)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, max_size=80))
def test_domain_word_salad_validates(extractor: Extractor, words: list[str]) -> None:
    jsonschema.validate(extractor.extract(" ".join(words)).to_json_dict(), SCHEMA)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from(["x.txt", "x.pdf", "x.docx", "x.html", "x"]))
def test_random_bytes_read_or_fail_cleanly(extractor: Extractor, tmp_path_factory: object, data: bytes,
                                           name: str) -> None:
    try:
        doc = read_document(data=data, filename=name)
    except DocumentError as exc:
        assert str(exc).startswith(name + ":")
        return
    jsonschema.validate(extractor.extract(doc.text).to_json_dict(), SCHEMA)


def test_library_imports_nothing_else_from_the_package() -> None:
    import subprocess
    import sys

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
