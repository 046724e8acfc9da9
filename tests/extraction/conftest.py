from __future__ import annotations

import pytest

from investdesk.extraction import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """One loaded pipeline for the whole run (loading the model takes about a second)."""
    return Extractor.default()
