"""What an import or export can refuse: a file that is not a spreadsheet, and rows that do not pass."""

from __future__ import annotations

from investdesk.errors import InvestDeskError, ValidationFailed
from investdesk.exchange.schemas import Problem

API_PROBLEMS = 1000  # problems listed in an API response; the total is always given


class UnreadableFile(InvestDeskError):
    """Not an .xlsx or CSV file we can read (corrupt, binary, empty, no header row)."""

    status_code = 400
    code = "unreadable_file"


class FileTooLarge(UnreadableFile):
    """More rows than an import may hold, or a workbook that would unpack to too much."""

    status_code = 413
    code = "too_large"


class ImportRejected(ValidationFailed):
    """At least one row (or the header) has a problem, so nothing was imported."""

    def __init__(self, file: str, problems: list[Problem], warnings: list[str]) -> None:
        rows = len({p.row for p in problems})
        super().__init__(f"{file}: {len(problems)} problem(s) in {rows} row(s); nothing was imported")
        self.file = file
        self.problems = problems
        self.warnings = warnings

    def to_dict(self) -> dict[str, object]:
        body = super().to_dict()
        body["problems"] = [p.model_dump() for p in self.problems[:API_PROBLEMS]]
        body["problems_total"] = len(self.problems)
        body["warnings"] = self.warnings
        return body
