"""Every API operation fed generated requests from its own OpenAPI schema: no request may cause a server error.

The whole schema is covered, so routes added later are fuzzed without a hand-kept list. Each test gets a fresh
database (SQLite, and PostgreSQL when configured), with the demo data loaded so ids point at real records.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from investdesk.config import Settings
from investdesk.demo import service as demo
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor
from tests.factories import SYSTEM

EXAMPLES = 12  # per operation; each one a real request on a real database


@pytest.fixture
def api_schema(engine: Engine, tmp_path: Path) -> Iterator[Any]:
    with Session(engine) as s, s.begin():
        demo.load(s, actor=SYSTEM)
    app = create_app(Settings(data_dir=tmp_path), engine=engine)
    app.dependency_overrides[get_actor] = lambda: Actor(id=1, label="admin@test", role=Role.admin)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_request_causes_a_server_error(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        run()
