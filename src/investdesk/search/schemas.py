from __future__ import annotations

from pydantic import BaseModel


class Hit(BaseModel):
    kind: str
    id: int
    title: str
    subtitle: str = ""
    url: str
    rank: float = 0.0
    snippet: str = ""


class Group(BaseModel):
    kind: str
    label: str
    noun: str = ""  # the label inside a sentence: "organizations", "MoUs"
    hits: list[Hit]
    more: bool = False
    total: int = 0  # matches found, counted up to the ranking cap
    capped: bool = False  # more matched than are ranked: the newest are listed
    all_url: str = ""
