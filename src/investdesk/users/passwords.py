"""Rules for a new password: long enough, not a common one, not the user's own name or e-mail address."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from investdesk.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
MIN_DISTINCT_CHARACTERS = 5
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache
def common_passwords() -> frozenset[str]:
    """The shipped list (source and licence in the file's header), lower-cased."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _own_words(email: str, name: str) -> set[str]:
    """The parts of the user's e-mail address and name that a guesser tries first ('asha', 'verma', 'ipa')."""
    local, _, domain = email.lower().partition("@")
    words = {local, email.lower(), *re.split(r"[^a-z0-9]+", local), *re.split(r"[^a-z0-9]+", domain.split(".")[0]),
             *re.split(r"[^\w]+", name.lower())}
    return {w for w in words if len(w) >= 4}


def problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused (without the field's name), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return f"use at least {MIN_DISTINCT_CHARACTERS} different characters"
    lowered = password.lower()
    if lowered in common_passwords() or lowered.rstrip("0123456789!@#$.") in common_passwords():
        return "this is one of the most common passwords; choose another"
    if any(word in lowered for word in _own_words(email, name)):
        return "must not contain your name or e-mail address"
    return None


def check(password: str, *, email: str = "", name: str = "", field: str = "password") -> None:
    """Raise ValidationFailed naming ``field`` when the password breaks a rule."""
    reason = problem(password, email=email, name=name)
    if reason is not None:
        raise ValidationFailed(f"{field}: {reason}", field=field)
