"""Batch ingest: folders and globs, per-file errors, re-runs that change nothing, processes and Dask."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.db import Base
from investdesk.ingest.runner import FileResult, Ingest
from investdesk.ingest.sources import expand
from investdesk.models import Document, Evidence, ExtractedItem, Organization
from investdesk.models.enums import ItemState, ReviewState
from investdesk.permissions import Actor
from tests.ingest.corpus import make_folder


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def run(engine: Engine, tmp_path: Path, paths: list[str], **kw: object) -> tuple[Ingest, list[FileResult]]:
    seen: list[FileResult] = []
    runner = Ingest(engine, documents_dir=tmp_path / "documents", actor=Actor.system("test"),
                    on_result=seen.append, **kw)  # type: ignore[arg-type]
    runner.run(paths)
    return runner, seen


def test_sources_expand_files_folders_and_globs(tmp_path: Path) -> None:
    files = make_folder(tmp_path / "a", 3)
    (tmp_path / "a" / ".hidden").write_text("x")
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "a" / "sub" / "b.html").write_text("<html><body><p>x</p></body></html>")
    found, missing = expand([str(tmp_path / "a"), str(files[0]), str(tmp_path / "a" / "*.txt"),
                             str(tmp_path / "nope"), str(tmp_path / "*.pdf")])
    assert found == [*files, tmp_path / "a" / "sub" / "b.html"]
    assert missing == [(str(tmp_path / "nope"), "no such file or folder"),
                       (str(tmp_path / "*.pdf"), "no file matches this pattern")]


def test_folder_ingest_with_errors_then_a_rerun_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    files = make_folder(tmp_path / "in", 6)
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a PDF")
    (tmp_path / "in" / "copy.txt").write_bytes(files[0].read_bytes())
    runner, seen = run(engine, tmp_path, [str(tmp_path / "in"), str(tmp_path / "missing.txt")], workers=0,
                       batch_size=4, auto_accept=True)
    report = runner.report
    assert (report.total, report.stored, report.known) == (9, 6, 1)
    assert sorted(Path(p).name for p, _ in report.errors) == ["broken.pdf", "missing.txt"]
    same = [r for r in seen if r.message.startswith("same bytes as")]
    assert len(same) == 1 and {Path(same[0].path).name, same[0].message.rsplit("/", 1)[-1].split(":")[0]} == {
        "copy.txt", "report-0000.txt"}
    with Session(engine) as s:
        docs = list(s.scalars(select(Document)))
        assert len(docs) == 6 and {d.review_state for d in docs} == {ReviewState.accepted}
        assert all((tmp_path / "documents" / d.stored_path).is_file() for d in docs)  # type: ignore[operator]
        items = s.scalar(select(func.count()).select_from(ExtractedItem)) or 0
        assert items > 30
        assert s.scalar(select(func.count()).select_from(Evidence)) == items
        assert s.scalar(select(func.count()).select_from(ExtractedItem).where(
            ExtractedItem.state != ItemState.accepted)) == 0
        dupes = s.execute(select(Organization.normalized_name, Organization.country, func.count())
                          .group_by(Organization.normalized_name, Organization.country)
                          .having(func.count() > 1)).all()
        assert dupes == []
    before = counts(engine)

    runner, seen = run(engine, tmp_path, [str(tmp_path / "in" / "*.txt")], workers=0)
    assert (runner.report.stored, runner.report.known, runner.report.errors) == (0, 7, [])
    assert all("nothing changed" in r.message or "same bytes" in r.message for r in seen)
    assert runner.report.backend == ""  # nothing new: no extraction started
    assert counts(engine) == before


def test_pending_without_auto_accept(engine: Engine, tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 2)
    runner, _ = run(engine, tmp_path, [str(tmp_path / "in")], workers=0)
    assert runner.report.stored == 2
    with Session(engine) as s:
        assert set(s.scalars(select(Document.review_state))) == {ReviewState.pending}
        assert s.scalar(select(func.count()).select_from(Organization)) == 0


@pytest.mark.slow
def test_worker_processes_give_the_same_knowledge_base(engine: Engine, tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 8)
    runner, _ = run(engine, tmp_path, [str(tmp_path / "in")], workers=2, batch_size=2, auto_accept=True)
    assert runner.report.stored == 8 and runner.report.errors == [] and "2 worker processes" in runner.report.backend
    with Session(engine) as s:
        names = set(s.scalars(select(Organization.name)))
    assert {"Keller Robotics AG", "Korea Trade-Investment Promotion Agency"} <= names


@pytest.mark.slow
def test_dask_local_cluster_and_scheduler_address(engine: Engine, tmp_path: Path) -> None:
    from distributed import LocalCluster

    files = make_folder(tmp_path / "in", 6)
    runner, _ = run(engine, tmp_path, [str(f) for f in files[:3]], workers=1, dask="local", batch_size=2,
                    auto_accept=True)
    assert runner.report.stored == 3 and runner.report.errors == [] and runner.report.backend.startswith("Dask")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        runner, _ = run(engine, tmp_path, [str(tmp_path / "in")], dask=cluster.scheduler_address, batch_size=2)
    assert (runner.report.stored, runner.report.known) == (3, 3)
    assert cluster.scheduler_address in runner.report.backend
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 6


def test_dask_address_must_be_one(engine: Engine, tmp_path: Path) -> None:
    make_folder(tmp_path / "in", 1)
    from investdesk.errors import InvestDeskError

    with pytest.raises(InvestDeskError, match="neither 'local' nor a scheduler address"):
        run(engine, tmp_path, [str(tmp_path / "in")], dask="somewhere:8786")


def test_a_dead_extraction_backend_is_reported_per_file(engine: Engine, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from investdesk.ingest import runner as runner_module
    from investdesk.ingest.backends import Backend, InProcess

    class DiesAfterOneBatch(Backend):
        name = "a backend that dies"

        def results(self, batches):  # type: ignore[no-untyped-def]
            it = iter(batches)
            yield from InProcess(None).results([next(it)])
            raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(runner_module, "make_backend", lambda *a, **k: DiesAfterOneBatch())
    make_folder(tmp_path / "in", 7)
    ingest, _ = run(engine, tmp_path, [str(tmp_path / "in")], batch_size=2, auto_accept=True)
    report = ingest.report
    assert report.stored == 2 and len(report.errors) == 5
    assert all("the extraction stopped (BrokenProcessPool" in message for _, message in report.errors)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 2


def test_a_document_that_fails_to_accept_is_kept_for_review_and_its_batch_goes_in(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.documents import accept as accept_module
    from investdesk.documents.accept import Acceptance
    from investdesk.errors import ValidationFailed

    original = Acceptance.organization

    def organization(self: Acceptance, p: dict[str, object]) -> int:
        if self.document.filename == "report-0001.txt":
            raise ValidationFailed("country: 'Atlantis' is not an ISO 3166-1 alpha-2 code", field="country")
        return original(self, p)

    monkeypatch.setitem(accept_module._HANDLERS, "organizations", (organization, "organization"))
    make_folder(tmp_path / "in", 4)
    ingest, seen = run(engine, tmp_path, [str(tmp_path / "in")], workers=0, batch_size=4, auto_accept=True)
    assert (ingest.report.stored, ingest.report.left_for_review, ingest.report.errors) == (4, 1, [])
    failed = next(r for r in seen if r.path.endswith("report-0001.txt"))
    assert "left for review: country: 'Atlantis'" in failed.message
    with Session(engine) as s:
        states = dict(s.execute(select(Document.filename, Document.review_state)).all())
    assert states == {"report-0000.txt": ReviewState.accepted, "report-0001.txt": ReviewState.pending,
                      "report-0002.txt": ReviewState.accepted, "report-0003.txt": ReviewState.accepted}


def test_html_and_word_documents_are_read_by_content(engine: Engine, tmp_path: Path) -> None:
    import docx

    from tests.ingest.corpus import ROOT

    ohio = (ROOT / "tests" / "extraction" / "corpus" / "tune" / "ohio-germany-mission.txt").read_text(encoding="utf-8")
    korea = (ROOT / "tests" / "extraction" / "corpus" / "tune" / "odisha-korea-investors-meet.txt").read_text(
        encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    word = docx.Document()
    for paragraph in ohio.split("\n\n"):
        word.add_paragraph(paragraph)
    word.save(str(folder / "mission-report.bin"))  # the name says nothing: the content is a Word file
    body = "".join(f"<p>{p}</p>" for p in korea.split("\n\n"))
    (folder / "news.html").write_text(f"<!doctype html><html><head><title>Odisha in Seoul</title></head>"
                                      f"<body><article>{body}</article></body></html>", encoding="utf-8")
    ingest, _ = run(engine, tmp_path, [str(folder)], workers=0, auto_accept=True)
    assert ingest.report.stored == 2 and ingest.report.errors == []
    with Session(engine) as s:
        docs = {d.filename: d for d in s.scalars(select(Document))}
        names = set(s.scalars(select(Organization.name)))
    word_doc, html_doc = docs["mission-report.bin"], docs["news.html"]
    assert word_doc.media_type.endswith("wordprocessingml.document") and word_doc.stored_path.endswith(".docx")
    assert html_doc.media_type == "text/html" and html_doc.stored_path.endswith(".html")  # type: ignore[union-attr]
    assert "<p>" not in html_doc.text and "Keller Robotics AG" in word_doc.text
    assert {"Keller Robotics AG", "Korea Trade-Investment Promotion Agency"} <= names


def test_a_folder_with_scans_and_word_files_ingests_them_all(engine: Engine, tmp_path: Path) -> None:
    import shutil

    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed")
    from tests.extraction.documents import docx_bytes
    from tests.extraction.layouts import text_image

    folder = tmp_path / "in"
    folder.mkdir()
    text_image(["The Kerala delegation met Alpha Marine Ltd in Oslo on Monday",
                "to discuss a shipyard cluster in Kochi worth Rs 400 crore."], path=folder / "clipping.png")
    (folder / "trip.docx").write_bytes(docx_bytes(["The Kerala delegation met Beta Shipping AS in Bergen."],
                                                  [["Company", "City"], ["Beta Shipping AS", "Bergen"]]))
    runner, _ = run(engine, tmp_path, [str(folder)], workers=0)
    assert (runner.report.stored, runner.report.errors) == (2, [])
    with Session(engine) as s:
        docs = {d.filename: d for d in s.scalars(select(Document))}
        assert docs["clipping.png"].ocr and docs["clipping.png"].media_type == "image/png"
        assert (docs["clipping.png"].stored_path or "").endswith(".png") and "Kochi" in docs["clipping.png"].text
        assert not docs["trip.docx"].ocr and "\n\nCompany | City\nBeta Shipping AS | Bergen" in docs["trip.docx"].text
