"""English and Hindi: the sign-in page follows the browser's Accept-Language (a malformed one is ignored); a
signed-in user's choice, made in the top bar, is kept in their profile and every page, message and form error
follows it; money and dates read the Indian way in both."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from investdesk.config import Settings
from investdesk.db import transaction
from investdesk.models import User
from investdesk.models.enums import Role
from investdesk.users import service as users
from investdesk.users.schemas import UserCreate
from investdesk.web.app import create_app
from tests.factories import SYSTEM

PASSWORD = "Quiet-Harbour-Lantern-7"


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> Iterator[object]:
    with transaction(engine) as s:
        users.create_user(s, actor=SYSTEM, data=UserCreate(email="nodal@x.gov", name="Sunita Yadav",
                                                          role=Role.manager, password=PASSWORD))
    yield create_app(Settings(data_dir=tmp_path, secret_key="test-secret-key"), engine=engine)


def _client(app: object, accept_language: str | None = None) -> TestClient:
    headers = {"Accept-Language": accept_language} if accept_language is not None else {}
    return TestClient(app, follow_redirects=False, headers=headers)  # type: ignore[arg-type]


def _sign_in(client: TestClient) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert client.post("/login", data={"email": "nodal@x.gov", "password": PASSWORD, "csrf_token": token,
                                       "next": "/"}).status_code == 303


def _token(html: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', html).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize(("header", "lang", "text"), [
    ("hi-IN,hi;q=0.9,en;q=0.8", "hi", "InvestDesk में साइन इन करें"),
    ("en-IN,en;q=0.9", "en", "Sign in to InvestDesk"),
    ("hi;q=banana,,;;=", "en", "Sign in to InvestDesk"),  # malformed: ignored, never an error
    (None, "en", "Sign in to InvestDesk"),
])
def test_the_sign_in_page_follows_the_browser(app: object, header: str | None, lang: str, text: str) -> None:
    page = _client(app, header).get("/login")
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text and text in page.text


def test_a_wrong_password_is_told_in_the_browsers_language(app: object) -> None:
    client = _client(app, "hi")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    wrong = client.post("/login", data={"email": "nodal@x.gov", "password": "not-it-at-all", "csrf_token": token})
    assert wrong.status_code == 401 and "गलत ई-मेल या पासवर्ड" in wrong.text


def test_the_chosen_language_is_kept_in_the_profile_and_every_page_follows(app: object, engine: Engine) -> None:
    client = _client(app, "en")  # the browser says English; the profile wins once chosen
    _sign_in(client)
    home = client.get("/")
    assert '<html lang="en">' in home.text and "Sign out" in home.text
    assert 'value="hi"' in home.text and "हिन्दी" in home.text  # the switch in the top bar
    switched = client.post("/account/language", data={"language": "hi", "next": "/mous?district=Agra",
                                                      "csrf_token": _token(home.text)})
    assert switched.status_code == 303 and switched.headers["location"] == "/mous?district=Agra"
    with transaction(engine) as s:
        assert s.scalar(select(User.language).where(User.email == "nodal@x.gov")) == "hi"
    page = client.get("/mous")
    assert '<html lang="hi">' in page.text
    for hindi in ("साइन आउट", "एमओयू", "ज़िला", "अनुवर्ती कार्रवाइयाँ", "लंबित एमओयू"):
        assert hindi in page.text, hindi
    assert ">Sign out<" not in page.text and ">Follow-ups<" not in page.text
    # A form error and a flash message, in Hindi.
    bad = client.post("/mous/new", data={"title": "", "csrf_token": _token(page.text)})
    assert bad.status_code == 422 and "कम से कम 1 वर्ण" in bad.text  # pydantic's own message, translated
    made = client.post("/mous/new", data={"title": "Magnet plant", "parties": "", "amount_value": "4666",
                                          "amount_currency": "INR", "amount_unit": "crore", "district": "Lucknow",
                                          "sector_id": "", "csrf_token": _token(page.text)})
    assert made.status_code == 303, made.text[:2000]
    detail = client.get(made.headers["location"])
    assert "एमओयू “Magnet plant” पंजीकृत किया गया।" in detail.text
    assert "₹4,666 करोड़" in detail.text
    # Back to English, for this user only.
    client.post("/account/language", data={"language": "en", "next": "/", "csrf_token": _token(detail.text)})
    assert "Sign out" in client.get("/").text


def test_an_unknown_language_is_refused_naming_the_field(app: object, engine: Engine) -> None:
    client = _client(app)
    _sign_in(client)
    refused = client.post("/account/language", data={"language": "xx", "csrf_token": _token(client.get("/").text)})
    assert refused.status_code == 422 and "language" in refused.text
    with transaction(engine) as s:
        assert s.scalar(select(User.language).where(User.email == "nodal@x.gov")) == "en"


def test_api_tokens_get_english_whatever_the_profile_says(app: object, engine: Engine) -> None:
    from investdesk.users import tokens

    with transaction(engine) as s:
        user = s.scalar(select(User).where(User.email == "nodal@x.gov"))
        assert user is not None
        user.language = "hi"
        raw = tokens.create_token(s, actor=users.actor_for(user), user_id=user.id, name="script")[1]
    api = TestClient(app, headers={"Authorization": f"Bearer {raw}"})  # type: ignore[arg-type]
    missing = api.get("/api/mous/999999")
    assert missing.status_code == 404 and "not found" in missing.json()["detail"]


def test_hindi_sentences_around_a_name_are_whole(app: object, engine: Engine) -> None:
    """A sentence that holds a name or a figure is translated whole, so Hindi puts the name where Hindi puts
    it ("Tanaka Electric के साथ लीड", not "लीड सहित Tanaka Electric"), and the pages' search sentences too."""
    from tests.factories import create_organization

    with transaction(engine) as s:
        org = create_organization(s, name="Tanaka Electric", acronym=None, kind="company", country="JP").id
    client = _client(app, "en")
    _sign_in(client)
    home = client.get("/")
    client.post("/account/language", data={"language": "hi", "next": "/", "csrf_token": _token(home.text)})
    leads = client.get(f"/opportunities?counterpart_id={org}").text
    assert re.search(rf'<a href="/organizations/{org}">Tanaka Electric</a> के साथ लीड', leads), leads[:3000]
    people = client.get(f"/people?organization_id={org}").text
    assert re.search(rf'<a href="/organizations/{org}">Tanaka Electric</a> के व्यक्ति', people)
    found = client.get("/search?q=Tanaka").text
    assert "“Tanaka” के लिए 1 परिणाम, सबसे अच्छे मेल पहले" in found
    assert "कंपनी · जापान" in found  # the hit's subtitle
    suggest = client.get("/search/suggest?q=Tanaka").text
    assert "“Tanaka” के सभी परिणाम" in suggest
    listing = client.get("/organizations").text
    assert re.search(r"कुल <strong>\d+</strong> संगठन में से 1–\d+", listing), listing[:3000]
