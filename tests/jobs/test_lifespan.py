"""The server's start-up sets aside what it has loaded for the garbage collector, and gives it back at the end."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.web.app import create_app


def test_a_running_server_keeps_its_start_up_objects_out_of_full_collections(engine: Engine,
                                                                             tmp_path: Path) -> None:
    frozen_by_others = gc.get_freeze_count()  # the test process may have loaded the command line, which freezes
    gc.unfreeze()
    try:
        app = create_app(Settings(data_dir=tmp_path, scheduler=False), engine=engine)
        assert gc.get_freeze_count() == 0
        with TestClient(app) as client:
            # The modules, catalogues and the app itself: far more than any one request makes.
            assert gc.get_freeze_count() > 50_000
            assert client.get("/health").status_code == 200
        assert gc.get_freeze_count() == 0
    finally:
        if frozen_by_others:
            gc.freeze()


def test_what_was_frozen_before_the_start_stays_frozen_after_it(engine: Engine, tmp_path: Path) -> None:
    gc.freeze()  # as the command line does while it loads
    app = create_app(Settings(data_dir=tmp_path, scheduler=False), engine=engine)
    before = gc.get_freeze_count()
    assert before > 0
    with TestClient(app) as client:
        assert gc.get_freeze_count() > before  # the app made since is set aside too
        assert client.get("/health").status_code == 200
    assert gc.get_freeze_count() >= before
