"""The genre component on spacy.blank("en"), and the meetings it steers."""

from __future__ import annotations

from investdesk.extraction.components.genre import detect_genre
from tests.extraction.components.conftest import Run
from tests.extraction.components.test_tables import MOU_LIST

MINUTES = """Minutes of the review of the Japan roadshow

3.1 Tanaka Electric, Osaka (12 May). The company is reviewing sites for a magnet plant.
3.2 Mori Tools, Tokyo (13 May). Interest in a tooling unit near Noida.
"""


def test_genres_by_their_first_lines() -> None:
    assert detect_genre("From: a@b.org\nTo: c@d.org\nSubject: visit\n\nDear all,", []) == "email"
    assert detect_genre("PRESS RELEASE\nFor immediate release\nThe state ...", []) == "press_release"
    assert detect_genre("Itinerary of the delegation\nDay 1 Tokyo", []) == "itinerary"
    assert detect_genre("Tour report: visit of the delegation to Korea", []) == "tour_report"
    assert detect_genre(MINUTES, []) == "minutes"
    assert detect_genre("The minister met investors in Dubai on Monday.", []) == "news"


def test_an_mou_table_makes_an_mou_list(run: Run) -> None:
    assert run(MOU_LIST, "genre")._.genre == "mou_list"


def test_numbered_minutes_items_are_meetings(run: Run) -> None:
    doc = run(MINUTES, "genre")
    assert doc._.genre == "minutes"
    meetings = [doc._.sents[i].text for i in sorted(doc._.meeting_sents)]
    assert any(s.startswith("3.1 Tanaka Electric, Osaka") for s in meetings)
    assert any(s.startswith("3.2 Mori Tools, Tokyo") for s in meetings)


def test_news_numbered_lines_are_not_meetings(run: Run) -> None:
    doc = run("The state has 3 ports.\n1.5 million people live in Lucknow, Kanpur (the capital) and more.", "genre")
    assert doc._.genre == "news" and not doc._.meeting_sents
