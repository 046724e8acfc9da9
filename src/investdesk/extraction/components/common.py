"""What the components after ``sides`` share: counterpart kinds and where an organization is named."""

from __future__ import annotations

from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.state import Analysis

COUNTERPART_KINDS = {"company", "industry_association", "research_institute", "university", "platform_network",
                     "financial_institution", "other", "government_agency"}


def first_position(org: Org, sent: int) -> int:
    """Where an organization is first named in a sentence."""
    return min(p for p, s in zip(org.positions, org.sents, strict=True) if s == sent)


def sentence_orgs(an: Analysis, i: int) -> list[Org]:
    return sorted((o for o in an.orgs if i in o.sents), key=lambda o: first_position(o, i))


__all__ = ["COUNTERPART_KINDS", "first_position", "sentence_orgs"]
