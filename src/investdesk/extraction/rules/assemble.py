"""From one document's analysis to the contract's Extraction."""

from __future__ import annotations

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
from investdesk.extraction.rules import deals
from investdesk.extraction.rules.analysis import Analysis
from investdesk.extraction.rules.deals import SectorMatcher


def assemble(an: Analysis, sectors: SectorMatcher, source: Source) -> Extraction:
    text_sectors = sectors.in_doc(an.doc)
    engs = deals.engagements(an, sectors.in_text)
    opps = deals.opportunities(an, engs, sectors.in_text)
    policies, offerings, events = deals.named_things(an)
    org_names = {o.name.lower() for o in an.orgs}
    offerings = [o for o in offerings if o["name"].lower() not in org_names]
    home = an.places.home
    evidence = {o.name: an.sents[o.sents[0]].text.strip() if o.sents else None for o in an.orgs}
    return Extraction(
        source=source,
        home=Home(jurisdiction=an.places.home_name, country=an.places.home_country) if home else Home(),
        destinations=[Destination(country=c, cities=cities) for c, cities in an.places.destinations.items()],
        delegates=[Delegate(name=p.name, honorific=p.honorific, titles=p.titles, organization=p.organization,
                            evidence=p.evidence) for p in an.people if p.delegate],
        people=[Person(name=p.name, honorific=p.honorific, titles=p.titles, organization=p.organization,
                       side=p.side, evidence=p.evidence) for p in an.people],
        organizations=[Organization(name=o.name, acronym=o.acronym, kind=o.kind, country=o.country,
                                    role=o.role, evidence=evidence[o.name]) for o in an.orgs],
        engagements=[Engagement(**e) for e in engs],
        sectors=text_sectors,
        policies=[Policy(**p) for p in policies],
        offerings=[Offering(**o) for o in offerings],
        opportunities=[Opportunity(**o) for o in opps],
        outcomes=[Outcome(**o) for o in deals.outcomes(an)],
        events=[Event(**e) for e in events],
    )
