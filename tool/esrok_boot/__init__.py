"""Esrok boot helpers: the Python the checker's worker runs while it starts.

Shipped in the same wheel as the engine (``esrok_recovery``) and called by
``overrides/assets/javascripts/checklist-worker.js``, by the build-time memory snapshot
(``hooks/node/snapshot.mjs``) and by the Node tests; JavaScript only calls these functions.
Standard library only; it never imports the engine except in :func:`warm`.

* :func:`install_stdlib_fallback` - a last ``sys.meta_path`` finder for the trimmed stdlib: on
  the first import of a standard-library module the trimmed zip lacks, it fetches the full
  precompiled stdlib once (``fetch`` is a JS function returning its bytes), writes it next to
  the trimmed one and imports from it, submodules of already-imported packages included.
* :func:`snapshot_ok` - after a memory snapshot was restored: is the engine in it, and was it
  made with the stdlib zip this page booted from? (A snapshot paired with another zip fails
  only later, on a lazy import, with "bad local file header".)
* :func:`fingerprint` - a digest of the engine's sources as installed, so the page can check
  that the engine it talks to is the one its build shipped (never a mix of two deploys).
* :func:`warm` - imports the engine and calls each boundary once (what the snapshot holds).
"""
from __future__ import annotations

import importlib
import importlib.machinery
import sys

try:  # builtin in Pyodide: the boot imports no hashlib (not in the trimmed stdlib)
    from _sha2 import sha256 as _sha256
except ImportError:  # CPython 3.11 (the build machine)
    from hashlib import sha256 as _sha256

ENGINE = "esrok_recovery"
__all__ = ["install_stdlib_fallback", "snapshot_ok", "precompiled_stdlib", "site_packages",
           "fingerprint", "source_fingerprint", "reseed", "warm", "ENGINE"]


class FullStdlibFinder:
    """Imports standard-library modules missing from the trimmed zip from the full one."""

    def __init__(self, fetch, full: str | None = None):
        self.fetch = fetch  # callable returning the full zip's bytes (a JS Uint8Array in the worker)
        self.full = full or "/lib/python%d%d-full.zip" % sys.version_info[:2]
        self.state = "unused"  # -> "loaded" | "failed: <reason>"

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in sys.stdlib_module_names or self.state.startswith("failed"):
            return None
        if self.state == "unused":
            try:
                data = self.fetch()
                with open(self.full, "wb") as f:
                    f.write(data.to_bytes() if hasattr(data, "to_bytes") else bytes(data))
            except Exception as e:  # noqa: BLE001 - any failure: leave the import to fail as usual
                self.state = "failed: " + (str(e).strip().splitlines() or [type(e).__name__])[-1]
                return None
            self.state = "loaded"
            sys.path.append(self.full)
            importlib.invalidate_caches()
        parent = name.rpartition(".")[0]
        where = self.full + ("/" + parent.replace(".", "/") if parent else "")
        return importlib.machinery.PathFinder.find_spec(name, [where])


def install_stdlib_fallback(fetch) -> FullStdlibFinder:
    """Append the fallback finder to ``sys.meta_path`` (once) and return it."""
    for finder in sys.meta_path:
        if isinstance(finder, FullStdlibFinder):
            return finder
    finder = FullStdlibFinder(fetch)
    sys.meta_path.append(finder)
    return finder


def stdlib_zip() -> str:
    return next(p for p in sys.path if p.endswith(".zip"))


def precompiled_stdlib() -> bool:
    """Whether Python started from a precompiled (.pyc) standard library."""
    import json

    return json.__file__.endswith(".pyc")


def site_packages() -> str:
    return next(p for p in sys.path if p.endswith("site-packages"))


def snapshot_ok() -> bool:
    """After a snapshot restore: the engine is imported and the stdlib zip on disk is the one
    the snapshot's zipimport directory describes."""
    import zipimport

    z = stdlib_zip()
    return ENGINE in sys.modules and zipimport._read_directory(z) == zipimport._zip_directory_cache.get(z)


def fingerprint(package: str = ENGINE) -> str:
    """sha256 over the package's installed sources (path and bytes, sorted); 16 hex digits.
    The build computes the same value from the sources it puts into the wheel."""
    import os

    base = site_packages()
    files = []
    for dirpath, _dirs, names in os.walk(os.path.join(base, package)):
        if "__pycache__" not in dirpath:
            files += [os.path.join(dirpath, n) for n in names if n.endswith(".py")]
    sources = {}
    for full in files:
        with open(full, "rb") as f:
            sources[os.path.relpath(full, base).replace(os.sep, "/")] = f.read()
    return source_fingerprint(sources)


def source_fingerprint(sources: dict) -> str:
    """The digest :func:`fingerprint` computes, from {"pkg/mod.py": bytes} (used by the build)."""
    h = _sha256()
    for rel in sorted(sources):
        h.update(rel.encode() + b"\0" + _sha256(sources[rel]).digest())
    return h.hexdigest()[:16]


def reseed() -> None:
    """A restored snapshot holds the build machine's random state: reseed it."""
    import random

    random.seed()


def warm() -> int:
    """Import the engine and run each boundary call once; returns len(sys.modules)."""
    engine = importlib.import_module(ENGINE)
    engine.questions_json()
    engine.quick_json('{"version": 1, "as_of": "2026-11-29", "answers": {}}')
    engine.evaluate_json("{not json")
    return len(sys.modules)
