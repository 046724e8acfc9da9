"""A server process loads the PDF engine and fonts when it starts, in the background, so its first brief does not
pay for them; an app made without the setting (tests, scripts) loads nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.papers import pdf
from investdesk.web.app import create_app


@pytest.mark.parametrize("warm", [True, False])
def test_the_server_loads_the_pdf_engine_at_start_only_when_asked(engine: Engine, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch, warm: bool) -> None:
    monkeypatch.setattr(pdf, "_cache", {})
    app = create_app(Settings(data_dir=tmp_path, secret_key="test-secret-key", scheduler=False, warm_papers=warm),
                     engine=engine)
    with TestClient(app):
        started = time.monotonic()
        while warm and not pdf._cache and time.monotonic() - started < 120:
            time.sleep(0.05)
        for thread in threading.enumerate():
            if thread.name == "papers warm-up":
                thread.join(120)
        assert bool(pdf._cache) is warm
        if warm:
            assert {"fetcher", "fonts", "css"} <= set(pdf._cache)
