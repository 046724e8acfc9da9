"""WeasyPrint loaded for what papers use of it. A brief made at the command line loads it in every process, so its
import time is part of what an officer waits for.

Two costs of its import that papers need not pay:

- It opens Pango, HarfBuzz and fontconfig by trying several names for each, Windows' and macOS' among them, with
  ``ctypes.util.find_library``. On Linux that runs ``ldconfig -p`` for every name, and the C compiler and ``ld``
  for every name it does not find: 54 processes, 0.2 s of CPU and more of waiting on a busy machine. While
  WeasyPrint loads, names are answered from one reading of the dynamic linker's cache instead; a name the cache
  lacks is not found (unless ``LD_LIBRARY_PATH`` is set, when the usual search runs), and WeasyPrint goes on to its
  next name, among them the library's own file (``libpango-1.0.so.0``), which the loader opens directly.
- It imports fontTools' subsetter, used only when HarfBuzz cannot subset a font: it is loaded on first use.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType

# Imported by WeasyPrint, used by it only on a path our papers do not take (see above).
ON_FIRST_USE = ("fontTools.subset",)
# The ABI tag ldconfig prints for this machine's libraries, as ctypes.util reads it (others are "libc6").
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def abi_type() -> str:
    machine = f"{os.uname().machine}-{8 * struct.calcsize('l')}"
    return _ABI.get(machine, "libc6")


def linker_cache() -> str | None:
    """The dynamic linker's cache as ``ldconfig -p`` lists it; None where there is none (not Linux, no glibc)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        out = subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env={"LC_ALL": "C", "LANG": "C"}, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    text = os.fsdecode(out.stdout)
    return text if out.returncode == 0 and text.strip() else None


def cache_lookup(cache: str, abi: str, fallback: Callable[[str], str | None] | None) -> Callable[[str], str | None]:
    """``find_library`` answered from ``cache`` (``gobject-2.0`` -> ``libgobject-2.0.so.0``) as ctypes.util reads
    it; a name the cache lacks goes to ``fallback``, or is not found."""

    def find_library(name: str) -> str | None:
        found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", cache)
        if found:
            return found.group(1)
        return fallback(name) if fallback is not None else None

    return find_library


@contextmanager
def _libraries_from_linker_cache() -> Iterator[None]:
    cache = linker_cache()
    if cache is None:
        yield
        return
    original = ctypes.util.find_library
    lookup = cache_lookup(cache, abi_type(), original if os.environ.get("LD_LIBRARY_PATH") else None)
    ctypes.util.find_library = lookup  # type: ignore[assignment]  # a module function, replaced for a while
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _on_first_use(name: str) -> None:
    """Put ``name`` in sys.modules as a module that runs its code when first used (importlib's LazyLoader)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def load() -> ModuleType:
    """WeasyPrint, imported once per process."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    for name in ON_FIRST_USE:
        _on_first_use(name)
    with _libraries_from_linker_cache():
        import weasyprint
    return weasyprint
