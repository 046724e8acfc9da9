from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from investdesk.i18n import _
from investdesk.models.enums import Role


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(min_length=3, max_length=254, description="Sign-in name.")
    name: str = Field(default="", max_length=200)
    role: Role = Field(description="admin, manager, officer, nodal_officer or viewer.")
    districts: list[str] = Field(default_factory=list, description="For nodal officers: their districts.")
    departments: list[str] = Field(default_factory=list, description="For nodal officers: their departments.")
    password: str | None = Field(default=None, min_length=10, max_length=200, description="Generated when absent.")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        v = v.lower()
        if "@" not in v or v.startswith("@") or v.endswith("@") or " " in v:
            raise ValueError(_("is not an e-mail address"))
        return v


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    districts: list[str]
    departments: list[str]
    is_active: bool


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120, description="What the token is for.")
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, description="Ends by itself after this; "
                                        "never when absent.")


class TokenCreated(BaseModel):
    id: int
    name: str
    token: str = Field(description="Shown once; only its hash is kept.")
    expires_at: datetime | None = None


class TokenRead(BaseModel):
    id: int
    user_id: int
    user_email: str
    name: str
    prefix: str = Field(description="The first characters of the token, to tell it apart.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    live: bool


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current: str = Field(max_length=200)
    new: str = Field(max_length=200)
    confirm: str = Field(max_length=200)
