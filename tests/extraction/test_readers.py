"""Documents of every supported kind, and every kind of bad one."""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import pytest

from investdesk.extraction import DocumentError, read_document
from investdesk.extraction.readers import DOCX, HTML, PDF, TEXT
from investdesk.extraction.readers.cleaning import clean_text

from .documents import docx_bytes, encrypted_pdf_bytes, news_page, pdf_bytes

SENTENCE = "The Kerala delegation met Alpha Marine Ltd in Oslo on Monday."
LONG = ("The Kerala delegation met Alpha Marine Ltd in Oslo on Monday to discuss a shipyard cluster in Kochi, "
        "and the company said it would study the state's maritime cluster before the Global Summit.")


# --- plain text ----------------------------------------------------------------------------------------------


def test_plain_text_keeps_sentences_and_drops_trailing_furniture(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    raw = (f"Kerala in Oslo\r\n\r\n\r\n\r\n{SENTENCE}\r\nComments are closed on weekends, the minister said.\n\n"
           "Also read: Kerala signs MoU with Norway\nShare this:\n\nComments (3)\n\n")
    f.write_bytes(raw.encode("utf-8"))
    doc = read_document(f)
    assert doc.text == f"Kerala in Oslo\n\n{SENTENCE}\nComments are closed on weekends, the minister said."
    assert doc.media_type == TEXT and doc.path == str(f) and doc.title is None and doc.published is None
    assert doc.sha256 == hashlib.sha256(raw.encode("utf-8")).hexdigest()  # of the bytes, not the cleaned text


def test_a_long_last_sentence_is_never_taken_for_furniture() -> None:
    text = "Also read the full text of the MoU, which commits Alpha Marine to Rs 400 crore over five years in Kochi."
    assert clean_text(f"{SENTENCE}\n{text}") == f"{SENTENCE}\n{text}"


def test_unicode_is_normalised_and_controls_dropped_but_joiners_kept() -> None:
    assert clean_text("Cafe\u0301 in Zu\u0308rich") == "Café in Zürich"
    assert clean_text("Rs 5 crore\x00 for\x07 Alpha\ufeff Marine\x0cPage 2") == "Rs 5 crore for Alpha Marine\nPage 2"
    hindi = "\u0915\u094d\u200d\u0937"  # a conjunct written with a zero-width joiner
    assert clean_text(hindi) == hindi


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("cp1252", b""), ("latin-1", b""),
])
def test_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "Café meeting in Zürich — Rs 5 crore for Müller GmbH" if encoding != "latin-1" else "Café in Zürich, ½ day"
    f = tmp_path / "x.txt"
    f.write_bytes(prefix + text.encode(encoding))
    assert read_document(f).text == text


def test_bytes_undefined_in_cp1252_still_decode(tmp_path: Path) -> None:
    f = tmp_path / "odd.txt"
    f.write_bytes(b"Caf\xe9 \x81 meeting")
    assert read_document(f).text == "Café \x81 meeting".replace("\x81", "")  # a C1 control, dropped


def test_stray_nul_bytes_in_long_text_are_dropped(tmp_path: Path) -> None:
    f = tmp_path / "nul.txt"
    f.write_bytes(LONG.encode() + b"\x00" + b" Rs 5 crore\x00 for Alpha Marine.")
    assert read_document(f).text == LONG + " Rs 5 crore for Alpha Marine."


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(SENTENCE.encode("utf-16")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    doc = read_document("-")
    assert doc.text == SENTENCE and doc.path == "-"


def test_standard_input_over_the_limit_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a" * 2000)))
    with pytest.raises(DocumentError, match=r"^<stdin>: 0\.0 MB is over the 0\.0 MB limit$"):
        read_document("-", max_bytes=1000)


# --- HTML ----------------------------------------------------------------------------------------------------


def test_html_article_without_navigation_share_buttons_comments_or_footer(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(news_page([LONG, "Alpha Marine plans an investment of Rs 400 crore in the Kochi facility, "
                                  "officials of the Kerala State Industrial Development Corporation said."]))
    doc = read_document(f)
    assert doc.media_type == HTML
    assert LONG in doc.text and "Rs 400 crore" in doc.text
    for junk in ("Home", "Business", "Share this", "Facebook", "Comments", "Great news", "Copyright"):
        assert junk not in doc.text, junk
    assert (doc.title or "").startswith("Kerala delegation in Oslo")
    assert doc.published == "2024-03-05"


def test_html_is_told_by_content_whatever_the_name(tmp_path: Path) -> None:
    f = tmp_path / "saved-page.txt"
    f.write_text("\n  <!DOCTYPE html>\n" + news_page([LONG])[len("<!DOCTYPE html>"):])
    doc = read_document(f)
    assert doc.media_type == HTML and LONG in doc.text and "<p>" not in doc.text


def test_html_in_the_charset_it_declares(tmp_path: Path) -> None:
    f = tmp_path / "jp.html"
    page = news_page(["\u5927\u962a\u5e9c\u3068\u6295\u8cc7\u306b\u3064\u3044\u3066\u5354\u8b70\u3057\u305f\u3002" * 4])
    f.write_bytes(page.replace("charset='utf-8'", "charset='shift_jis'").encode("shift_jis"))
    assert "\u5927\u962a\u5e9c" in read_document(f).text


@pytest.mark.parametrize("markup", [
    "<html><body><p>Unclosed <b>tags <div>{s}<<<>>></p",
    "<html><head><title>Broken</title><body><table><tr><td>{s}</td><p>stray</table></body>",
    "</html>{s}<html>",
    "<html><body><script>var x = '<p>';</script><p>{s}</p></body></html>",
    "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body><p>{s}</p></body></html>",
])
def test_malformed_html_still_gives_its_text(tmp_path: Path, markup: str) -> None:
    f = tmp_path / "broken.html"
    f.write_text(markup.format(s=SENTENCE))
    doc = read_document(f)
    assert "Alpha Marine" in doc.text and "var x" not in doc.text


def test_html_with_no_text_is_empty(tmp_path: Path) -> None:
    f = tmp_path / "blank.html"
    f.write_text("<html><head><style>p {color: red}</style><script>var x = 1;</script></head><body></body></html>")
    assert read_document(f).text == ""


# --- PDF -----------------------------------------------------------------------------------------------------


def test_pdf_without_page_furniture_and_with_whole_paragraphs(tmp_path: Path) -> None:
    pages = [
        ["State Investment News", "Kerala in Oslo",
         "The Kerala delegation met Alpha Marine Ltd in Oslo on Monday to discuss the devel-",
         "opment of a shipyard cluster in Kochi.", "Page 1 of 3"],
        ["State Investment News", "Alpha Marine plans an investment of Rs 400 crore in the",
         "Kochi facility with an Indo-", "Norwegian training centre, officials said.", "Page 2 of 3"],
        ["State Investment News", "An MoU is expected at the Kerala Global Summit.", "3"],
    ]
    f = tmp_path / "report.pdf"
    f.write_bytes(pdf_bytes(pages, title="Kerala in Oslo"))
    doc = read_document(f)
    assert doc.media_type == PDF and doc.title == "Kerala in Oslo"
    assert doc.text.splitlines() == [
        "Kerala in Oslo",
        "The Kerala delegation met Alpha Marine Ltd in Oslo on Monday to discuss the development of a shipyard "
        "cluster in Kochi.",
        "Alpha Marine plans an investment of Rs 400 crore in the Kochi facility with an Indo-Norwegian training "
        "centre, officials said.",
        "An MoU is expected at the Kerala Global Summit.",
    ]


def test_pdf_named_otherwise_is_still_a_pdf(tmp_path: Path) -> None:
    f = tmp_path / "download"
    f.write_bytes(pdf_bytes([[SENTENCE]]))
    doc = read_document(f)
    assert doc.media_type == PDF and doc.text == SENTENCE


def test_encrypted_pdf(tmp_path: Path) -> None:
    f = tmp_path / "locked.pdf"
    f.write_bytes(encrypted_pdf_bytes())
    with pytest.raises(DocumentError, match=r"^.*locked\.pdf: the PDF is encrypted$"):
        read_document(f)


def test_pdf_encrypted_without_a_user_password_is_read() -> None:
    doc = read_document(data=encrypted_pdf_bytes(user_password=""), filename="open.pdf")
    assert doc.text == "Confidential MoU draft."


@pytest.mark.parametrize("data, problem", [
    (b"%PDF-1.7\n" + bytes(range(256)) * 20, "the PDF is damaged"),
    (pdf_bytes([[SENTENCE]])[:300], "the PDF is damaged"),
    (b"%PDF-1.4\n1 0 obj << >> endobj trailer << /Root 1 0 R >>\n%%EOF", "the PDF is damaged"),
    (b"this is not a PDF at all, whatever its name says", "the PDF is damaged (no PDF header)"),
])
def test_damaged_pdf(tmp_path: Path, data: bytes, problem: str) -> None:
    f = tmp_path / "bad.pdf"
    f.write_bytes(data)
    with pytest.raises(DocumentError) as info:
        read_document(f)
    assert str(info.value).startswith(f"{f}: {problem}") and "\n" not in str(info.value)


# --- Word ----------------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path: Path) -> None:
    f = tmp_path / "trip.docx"
    f.write_bytes(docx_bytes([SENTENCE], [["Investor", "Alpha Marine Ltd"], ["Amount", "Rs 400 crore"]],
                             after=["Next step: site visit in Kochi."], title="Trip report"))
    doc = read_document(f)
    assert doc.media_type == DOCX and doc.title == "Trip report"
    assert doc.text.splitlines() == [SENTENCE, "", "Investor | Alpha Marine Ltd", "Amount | Rs 400 crore", "",
                                     "Next step: site visit in Kochi."]
    (table,) = doc.tables
    assert table.header == ("Investor", "Alpha Marine Ltd") and table.rows == (("Amount", "Rs 400 crore"),)
    assert [doc.text[a:b] for a, b in table.row_spans] == ["Amount | Rs 400 crore"]


def test_docx_is_told_by_content_whatever_the_name(tmp_path: Path) -> None:
    f = tmp_path / "trip.bin"
    f.write_bytes(docx_bytes([SENTENCE]))
    assert read_document(f).text == SENTENCE


@pytest.mark.parametrize("data", [b"PK\x03\x04" + b"word/" + b"\x00" * 200, docx_bytes([SENTENCE])[:500],
                                  b"not a zip at all"])
def test_damaged_docx(tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "bad.docx"
    f.write_bytes(data)
    with pytest.raises(DocumentError, match=r"bad\.docx: the Word file is damaged"):
        read_document(f)


# --- everything else -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, what", [
    (bytes(range(32)) * 200, "binary data"),
    (b"GIF89a" + b"\x00" * 50, "a GIF image; save it as PNG"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "an old Office file (.doc/.xls); save it as .docx"),
    (b"PK\x03\x04" + b"\x00" * 100, "a zip archive"),
])
def test_unsupported_types(tmp_path: Path, data: bytes, what: str) -> None:
    f = tmp_path / "x.bin"
    f.write_bytes(data)
    with pytest.raises(DocumentError) as info:
        read_document(f)
    assert str(info.value) == f"{f}: not a supported document type ({what})"


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.html"])
def test_empty_files_are_empty_text(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(b"")
    doc = read_document(f)
    assert doc.text == "" and doc.sha256 == hashlib.sha256(b"").hexdigest()


def test_missing_folder_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"missing\.txt: no such file$"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match=r": is a folder, not a document$"):
        read_document(tmp_path)
    with pytest.raises(DocumentError, match=r"^<document>: no file or data given$"):
        read_document()


def test_too_big(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: the size is checked before anything is read
        fh.truncate(110_000_000)
    with pytest.raises(DocumentError) as info:
        read_document(big)
    assert str(info.value) == f"{big}: 104.9 MB is over the 50 MB limit"
    with pytest.raises(DocumentError, match=r"^small\.txt: 0\.0 MB is over the 0\.0 MB limit$"):
        read_document(data=b"abc", filename="small.txt", max_bytes=2)


def test_data_with_a_filename() -> None:
    doc = read_document(data=SENTENCE.encode(), filename="pasted.txt")
    assert doc.text == SENTENCE and doc.path is None
    with pytest.raises(DocumentError, match=r"^upload\.pdf: the PDF is damaged"):
        read_document(data=b"%PDF-1.4 garbage", filename="upload.pdf")
