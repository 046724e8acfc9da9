"""Rows of an imported spreadsheet as validated records, the import report and the export formats."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from investdesk.models.enums import MouStatus, OpportunityKind, OpportunityStage
from investdesk.pipeline.schemas import AmountIn

MAX_INT = 2**31 - 1  # an INTEGER column on PostgreSQL
MAX_AMOUNT = 10**16  # NUMERIC(20, 4)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Entity = Literal["mou", "opportunity"]


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


class Problem(BaseModel):
    """One thing wrong with the file: the spreadsheet row as the user sees it (header = its own row number)
    and the column's header as written in the file."""

    row: int
    column: str
    problem: str


class ImportReport(BaseModel):
    file: str
    entity: Entity
    rows: int = Field(description="Data rows read (blank rows are skipped).")
    created: int = Field(description="Records written; 0 on a dry run.")
    updated: int = Field(default=0, description="Records of the sheet's ID column changed (or, dry, to change).")
    unchanged: int = Field(default=0, description="Rows of the ID column equal to their record: left as they are.")
    new: int = Field(default=0, description="Records to create (on a dry run) or created.")
    dry_run: bool
    new_organizations: int = Field(description="Organizations created (or, on a dry run, to be created).")
    warnings: list[str]
    ids: list[int] = Field(default_factory=list, description="First and last id written.")

    @property
    def summary(self) -> str:
        """What the import does (or, dry, would do): "3 new, 1 updated, 40 unchanged"."""
        return f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged"


class ImportResult(BaseModel):
    """The API's answer to an import that passed."""

    created: int
    updated: int = 0
    unchanged: int = 0
    summary: str = ""
    rows: int
    dry_run: bool
    new_organizations: int
    warnings: list[str]


# The rows below carry the same limits as MouCreate and OpportunityCreate; names of organizations, sectors and
# users are checked against the database after every row has been read.

class MouRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: int | None = Field(default=None, ge=1, le=MAX_INT)
    version: int | None = Field(default=None, ge=1, le=MAX_INT)

    title: str = Field(min_length=1, max_length=300)
    parties: list[Name] = Field(default_factory=list)
    signed_date: dt.date | None = None
    amount: AmountIn | None = None
    jobs: int | None = Field(default=None, ge=0, le=MAX_INT)
    sector: str | None = None
    district: str | None = None
    department: str | None = Field(default=None, max_length=200)
    status: MouStatus = MouStatus.signed
    status_updated: dt.datetime | None = None
    nodal_officer: str | None = Field(default=None, max_length=254)
    account_manager: str | None = Field(default=None, max_length=254)
    reference: str | None = Field(default=None, max_length=80)
    notes: str = Field(default="", max_length=20000)


class OpportunityRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: int | None = Field(default=None, ge=1, le=MAX_INT)
    version: int | None = Field(default=None, ge=1, le=MAX_INT)

    title: str = Field(min_length=1, max_length=300)
    counterpart: Name | None = None
    kind: OpportunityKind = OpportunityKind.investment
    stage: OpportunityStage = OpportunityStage.identified
    stage_reason: str | None = Field(default=None, max_length=2000)
    sectors: list[str] = Field(default_factory=list)
    amount: AmountIn | None = None
    jobs: int | None = Field(default=None, ge=0, le=MAX_INT)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    district: str | None = None
    owner: str | None = Field(default=None, max_length=254)
    next_action: str | None = Field(default=None, max_length=2000)
    next_action_due: dt.date | None = None
    notes: str = Field(default="", max_length=20000)
