"""The data migration that recomputes the stored name keys with the one normaliser (b4d2e8f1a6c3)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.db import make_engine
from investdesk.extraction.normalize import normalize, normalize_org, normalize_person
from investdesk.migrate import alembic_config, current_revision, head_revision, upgrade
from investdesk.models import Organization, OrganizationAlias, Person

BEFORE = "c4f1a9e07b35"


def _old_keys(engine: Engine) -> None:
    """Records keyed as the earlier word lists keyed them: honorific phrases kept, typographic dashes dropped."""
    with Session(engine) as s, s.begin():
        org = Organization(name="Kansai\u2013Link Co., Ltd.", normalized_name="kansailink")
        org.aliases.append(OrganizationAlias(alias="Kansai\u2013Link", normalized="kansailink"))
        s.add_all([org, Organization(name="Siemens AG", normalized_name="siemens"),
                   Person(name="His Excellency Datuk Seri Ahmad Zahid", normalized_name="his excellency ahmad zahid"),
                   Person(name="Dr. Asha Verma", normalized_name="asha verma")])


def _check_recomputed(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with Session(engine) as s:
        orgs = {o.name: o.normalized_name for o in s.scalars(select(Organization))}
        aliases = {a.alias: a.normalized for a in s.scalars(select(OrganizationAlias))}
        people = {p.name: p.normalized_name for p in s.scalars(select(Person))}
    assert orgs == {name: normalize_org(name) for name in orgs}
    assert aliases == {name: normalize(name) for name in aliases}
    assert people == {name: normalize_person(name) for name in people}
    assert orgs["Kansai\u2013Link Co., Ltd."] == "kansai-link"
    assert orgs["Siemens AG"] == "siemens"
    assert people["His Excellency Datuk Seri Ahmad Zahid"] == "ahmad zahid"
    assert people["Dr. Asha Verma"] == "asha verma"


def test_a_database_migrated_from_empty_to_the_old_head_gets_the_new_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, BEFORE)
    assert current_revision(engine) == BEFORE
    _old_keys(engine)
    upgrade(engine)
    _check_recomputed(engine)
    engine.dispose()


def test_the_old_head_gets_the_new_keys_on_each_backend(engine: Engine) -> None:
    """On SQLite and, when configured, PostgreSQL: back to the old head, old keys written, upgraded again."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    assert current_revision(engine) == BEFORE
    _old_keys(engine)
    upgrade(engine)
    _check_recomputed(engine)
