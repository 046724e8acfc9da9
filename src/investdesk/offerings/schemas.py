from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import OfferingKind


class OfferingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=300, description="e.g. Pharma and Medical Device Park.")
    kind: OfferingKind = Field(default=OfferingKind.other, description="Park, cluster, corridor, incubator, fund...")
    district: str | None = Field(default=None, max_length=120)
    description: str = Field(default="", max_length=20000)
    document_id: int | None = None


class PolicyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=300, description="e.g. FDI & FCI Policy 2023.")
    year: int | None = Field(default=None, ge=1900, le=2200)
    description: str = Field(default="", max_length=20000)
    document_id: int | None = None


class OfferingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OfferingKind
    district: str | None
    description: str
    document_id: int | None


class PolicyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    year: int | None
    description: str
    document_id: int | None
