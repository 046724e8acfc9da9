"""Messages in the Python code that a person reads, found by their place: the message of an error a user can
cause (every ``InvestDeskError``, and the ``ValueError`` a form's validator raises), and the flash message of a
redirect. Such a message must be a ``_()`` / ``ngettext()`` call (or come from one through a variable)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ERRORS = {"InvestDeskError", "NotFound", "Conflict", "ValidationFailed", "InvalidTransition", "PermissionDenied",
          "NotAuthenticated", "DatabaseUnavailable", "PasswordChangeRequired", "TooManyAttempts", "PolicyFileError",
          "UnreadableFile", "ImportRejected", "CellError", "UploadTooLarge", "StoredMeanwhile", "TooLarge",
          "UnsupportedType", "ValueError"}
# Parts of the package that speak to no one in the interface: the extraction library (its own contract), the
# migrations, the command line's operator messages.
SKIP = ("extraction/", "migrations/", "cli/")


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and re.search(r"[A-Za-z]{2}", str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _is_literal(node.left) or _is_literal(node.right)
    return False


def unmarked(root: Path) -> list[tuple[str, int, str]]:
    """(file, line, message) of every literal message in a user-facing place that is not marked."""
    out: list[tuple[str, int, str]] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(SKIP):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            target = node.args[0] if name in ERRORS else node.args[1] if name == "redirect" and len(node.args) > 1 \
                else None
            if target is not None and _is_literal(target):
                out.append((rel, node.lineno, ast.unparse(target)[:120]))
    return out
