"""Content-hash caching for the tool build's steps, and the one file-hash helper.

Every expensive step keeps its outputs in ``.cache/esrok/<step>/<key>/``, where ``key`` is a
sha256 over everything the outputs depend on (:func:`key`). An entry is written to a temporary
directory and renamed into place, so an interrupted build never leaves half an entry; using an
entry touches it, and after each new entry only the newest ``keep`` entries of that step are
kept (:meth:`StepCache.evict`).

The only module-level state of the pipeline is here: file digests memoised by (path, size,
mtime), so previews do not re-hash 15 MB of Pyodide on every rebuild.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

KEEP = 3  # entries kept per step: the current one and a couple to switch branches back to cheaply
DONE = ".done"

_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """sha256 hex digest of a file (``hashlib.file_digest``), memoised by (path, size, mtime)."""
    st = path.stat()
    memo = (str(path), st.st_size, st.st_mtime_ns)
    if memo not in _digests:
        with path.open("rb") as f:
            _digests[memo] = hashlib.file_digest(f, "sha256").hexdigest()
    return _digests[memo]


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key(*parts: str | bytes) -> str:
    """sha256 over the parts, each length-prefixed (so ("ab", "c") != ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        b = part.encode() if isinstance(part, str) else part
        h.update(len(b).to_bytes(8, "big") + b)
    return h.hexdigest()


class StepCache:
    """``.cache/esrok/``: one directory per step, one entry per input key."""

    def __init__(self, root: Path, keep: int = KEEP):
        self.root = root
        self.keep = keep

    def entry(self, step: str, digest: str, make: Callable[[Path], None]) -> Path:
        """The entry of ``step`` for ``digest``; ``make(tmp_dir)`` writes it when it is missing."""
        where = self.root / step / digest[:32]
        if (where / DONE).is_file():
            os.utime(where)  # most recently used
            return where
        where.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}.", dir=where.parent))
        try:
            make(tmp)
            (tmp / DONE).write_text(digest, encoding="utf-8")
            if where.exists():  # a concurrent build got there first
                shutil.rmtree(tmp)
            else:
                tmp.rename(where)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.evict(step, protect=where)
        return where

    def evict(self, step: str, protect: Path | None = None) -> list[str]:
        """Remove all but the newest ``keep`` finished entries of ``step`` (and stale temporary
        directories); returns the removed entry names."""
        base = self.root / step
        if not base.is_dir():
            return []
        entries = sorted((p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime_ns, reverse=True)
        removed = []
        for p in entries[self.keep:]:
            if p != protect:
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p.name)
        return removed
