"""The extraction components, each a registered spaCy factory writing its own ``Doc._`` extensions.

Importing this package registers every factory; :mod:`investdesk.extraction.pipeline` adds them in order.
See :mod:`investdesk.extraction.components.state` for who writes and reads what.
"""

from investdesk.extraction.components import (  # noqa: F401  (imported to register the factories)
    engagements,
    genre,
    named,
    opportunities,
    organizations,
    outcomes,
    people,
    places,
    sectors,
    segments,
    sides,
    tables,
)
from investdesk.extraction.components.state import register_extensions

COMPONENTS = ("investdesk_segments", "investdesk_tables", "investdesk_genre", "investdesk_people",
              "investdesk_organizations", "investdesk_places", "investdesk_sides", "investdesk_sectors",
              "investdesk_engagements", "investdesk_opportunities", "investdesk_named", "investdesk_outcomes")

__all__ = ["COMPONENTS", "register_extensions"]
