"""Names the knowledge base already knows, handed to the extractor as an argument."""

from __future__ import annotations

from pydantic import BaseModel, Field


class KnownOrganization(BaseModel):
    name: str
    acronym: str | None = None
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = None
    country: str | None = None


class KnownPerson(BaseModel):
    name: str
    organization: str | None = None


class KnownNames(BaseModel):
    """Names the knowledge base already knows; they are found in the text even where the model misses them."""

    organizations: list[KnownOrganization] = Field(default_factory=list)
    people: list[KnownPerson] = Field(default_factory=list)
