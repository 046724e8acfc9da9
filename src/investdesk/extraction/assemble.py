"""``Doc._`` -> the contract's :class:`Extraction`; and whether a document is the agency's own engagement."""

from __future__ import annotations

from spacy.tokens import Doc

from investdesk.extraction.components.state import Analysis
from investdesk.extraction.contract import (
    Delegate,
    Destination,
    Engagement,
    Event,
    Extraction,
    Home,
    Offering,
    Opportunity,
    Organization,
    Outcome,
    Person,
    Policy,
    Source,
)
from investdesk.extraction.normalize import norm


def assemble(doc: Doc, source: Source) -> Extraction:
    """The contract record of a document the components have read."""
    an = Analysis(doc)
    places = an.places
    evidence = {o.name: an.sents[o.sents[0]].text.strip() if o.sents else None for o in an.orgs}
    return Extraction(
        source=source,
        home=Home(jurisdiction=places.home_name, country=places.home_country) if places.home else Home(),
        destinations=[Destination(country=c, cities=cities) for c, cities in places.destinations.items()],
        delegates=[Delegate(name=p.name, honorific=p.honorific, titles=p.titles, organization=p.organization,
                            evidence=p.evidence) for p in an.people if p.delegate],
        people=[Person(name=p.name, honorific=p.honorific, titles=p.titles, organization=p.organization,
                       side=p.side, evidence=p.evidence) for p in an.people],
        organizations=[Organization(name=o.name, acronym=o.acronym, kind=o.kind, country=o.country,
                                    role=o.role, evidence=evidence[o.name]) for o in an.orgs],
        engagements=[Engagement(**e) for e in doc._.engagements or []],
        sectors=list(doc._.sectors or []),
        policies=[Policy(**p) for p in doc._.policies or []],
        offerings=[Offering(**o) for o in doc._.offerings or []],
        opportunities=[Opportunity(**o) for o in doc._.opportunities or []],
        outcomes=[Outcome(**o) for o in doc._.outcomes or []],
        events=[Event(**e) for e in doc._.events or []],
    )


def is_own_engagement(extraction: Extraction, home_jurisdiction: str | None) -> bool:
    """Whether the document's promoting side (its ``home``) is the agency's own jurisdiction.

    The contract's ``home`` is whoever promotes in the document; a document about another state's
    engagement is competitor intelligence, not the agency's own pipeline."""
    home = extraction.home.jurisdiction
    return bool(home and home_jurisdiction) and norm(home) == norm(home_jurisdiction)


__all__ = ["assemble", "is_own_engagement"]
