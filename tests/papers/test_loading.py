"""What a process pays once for papers: WeasyPrint finds its libraries from one reading of the dynamic linker's
cache (not a compiler run per name it does not find), the font subsetter loads when used, and what is made to last
the process is made with the garbage collector paused, then frozen."""

from __future__ import annotations

import ctypes.util
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

import investdesk
from investdesk.papers import weasy
from investdesk.startup import long_lived

# Lines as glibc's ldconfig -p prints them, for two machines' libraries.
CACHE = """1234 libs found in cache `/etc/ld.so.cache'
\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpangoft2-1.0.so.0
\tlibpango-1.0.so.0 (libc6) => /lib/i386-linux-gnu/libpango-1.0.so.0
\tlibpango-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpango-1.0.so.0
\tlibharfbuzz.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libharfbuzz.so.0
"""


def test_a_library_is_found_in_the_cache_by_the_name_ctypes_would_use() -> None:
    find = weasy.cache_lookup(CACHE, "libc6,x86-64", None)
    assert find("pango-1.0") == "libpango-1.0.so.0"
    assert find("harfbuzz") == "libharfbuzz.so.0"
    assert find("pangoft2-1.0") == "libpangoft2-1.0.so.0"
    # Windows' and macOS' names, and a name that is only the start of another library's, are not found.
    assert find("libpango-1.0-0") is None and find("pango") is None and find("harfbuzz-subset") is None
    # Another machine's libraries are not this one's.
    assert weasy.cache_lookup(CACHE, "libc6,64bit", None)("pango-1.0") is None


def test_a_name_the_cache_lacks_goes_to_the_fallback() -> None:
    asked: list[str] = []

    def fallback(name: str) -> str:
        asked.append(name)
        return f"/opt/lib/lib{name}.so"

    find = weasy.cache_lookup(CACHE, "libc6,x86-64", fallback)
    assert find("harfbuzz") == "libharfbuzz.so.0" and asked == []
    assert find("fontconfig") == "/opt/lib/libfontconfig.so" and asked == ["fontconfig"]


def test_the_linker_cache_answers_like_ctypes_for_the_libraries_papers_use() -> None:
    cache = weasy.linker_cache()
    if cache is None:
        pytest.skip("no glibc dynamic linker cache on this machine")
    find = weasy.cache_lookup(cache, weasy.abi_type(), None)
    for name in ("gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0"):
        assert find(name) == ctypes.util.find_library(name), name


def test_weasyprint_loads_with_one_process_started_and_the_subsetter_left_for_later() -> None:
    """In a fresh process: loading WeasyPrint runs ldconfig once (it ran it, the C compiler and ld for each of some
    twenty names), leaves ctypes' own find_library in place and does not run fontTools' subsetter yet."""
    code = """
import ctypes.util, subprocess, sys
started = []
popen = subprocess.Popen.__init__
def counting(self, args, *a, **k):
    started.append(args[0] if isinstance(args, list) else args)
    popen(self, args, *a, **k)
subprocess.Popen.__init__ = counting
find_library = ctypes.util.find_library
from investdesk.papers import weasy
weasyprint = weasy.load()
assert weasy.load() is weasyprint
print(started, ctypes.util.find_library is find_library, "fontTools.subset.cff" in sys.modules)
import fontTools.subset
fontTools.subset.Subsetter
print("fontTools.subset.cff" in sys.modules)
"""
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    env["PYTHONPATH"] = str(Path(investdesk.__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    first, used = out.stdout.strip().splitlines()
    expected = "['/sbin/ldconfig']" if weasy.linker_cache() is not None else None
    started, restored, subsetter = first.rsplit(" ", 2)
    if expected is not None:
        assert started == expected
    assert (restored, subsetter, used) == ("True", "False", "True")


def test_long_lived_pauses_the_collector_and_freezes_what_was_made() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    try:
        with long_lived():
            assert not gc.isenabled()
            kept = [{"n": i} for i in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= before + len(kept)
        # Paused by the caller: left paused, nothing frozen.
        gc.disable()
        frozen = gc.get_freeze_count()
        with long_lived():
            pass
        assert not gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.enable()
        gc.unfreeze()
