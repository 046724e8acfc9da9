"""The files an ingest command names: files, folders (recursively) and glob patterns."""

from __future__ import annotations

import glob
from pathlib import Path


def _folder(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def expand(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to read, in a stable order without repeats, and the arguments that name nothing."""
    files: list[Path] = []
    errors: list[tuple[str, str]] = []
    for raw in paths:
        if any(ch in raw for ch in "*?["):
            matches = [Path(m) for m in sorted(glob.glob(raw, recursive=True))]
            found = [f for m in matches for f in (_folder(m) if m.is_dir() else [m] if m.is_file() else [])]
            if not found:
                errors.append((raw, "no file matches this pattern"))
            files.extend(found)
            continue
        path = Path(raw)
        if path.is_dir():
            found = _folder(path)
            if not found:
                errors.append((raw, "the folder holds no files"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append((raw, "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors
