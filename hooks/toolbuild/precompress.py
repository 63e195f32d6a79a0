"""Step 7, precompressed siblings: ``.br`` and ``.gz`` next to the big assets of the built site.

Consumes the built site (after step 6). Produces ``<file>.br`` / ``<file>.gz``.

A host that serves them (nginx ``brotli_static``/``gzip_static``, Caddy ``precompressed``,
see README "Deploy") sends e.g. ``pyodide.asm.wasm.br`` with ``Content-Encoding: br`` when
the request's ``Accept-Encoding`` allows it: 9.6 MB of wasm becomes about 2.8-3.1 MB on the
wire, without compressing on every request. Which files: everything under ``assets/`` of at
least ``MIN_BYTES`` with a compressible type (wasm, JS, CSS, the stdlib zip, the wheel, a memory
snapshot, JSON). A sibling is kept only if it saves at least ``MIN_SAVING`` of the file.

Brotli runs in Node (hooks/node/precompress.mjs, built-in zlib); Python's stdlib has no brotli.
Quality 11 costs about 1 s per MB (70 s for the wasm), so files up to ``Q11_MAX_BYTES`` get 11
and bigger ones 9 (wasm: 3.13 MB in 2 s instead of 2.77 MB in 30-70 s); set
``ESROK_BROTLI_QUALITY=11`` for a release build to get 11 everywhere. Gzip is level 9.
Results are cached in ``.cache/esrok/precompress/`` by the sha256 of the file's bytes (and
the quality), so an unchanged tree only hashes and links; old entries are evicted (the newest
``KEEP_FILES`` are kept). `mkdocs serve` skips the step: the dev server never serves the siblings.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .cache import file_digest

SCRIPT = Path(__file__).resolve().parent.parent / "node" / "precompress.mjs"
KEEP_FILES = 400  # cached siblings kept (a build has about 60)
SUFFIXES = (".wasm", ".mjs", ".js", ".css", ".zip", ".whl", ".bin", ".json")
MIN_BYTES = 10 * 1024
MIN_SAVING = 0.05
Q11_MAX_BYTES = 2 * 1024 * 1024
GZIP_LEVEL = 9


class PrecompressError(Exception):
    """Node is missing or failed while compressing."""


@dataclass(frozen=True)
class Job:
    src: Path
    out: Path
    kind: str  # "br" or "gz"
    quality: int


# --- pure helpers -------------------------------------------------------------

def wanted(rel_path: str, size: int) -> bool:
    """Whether the built file at ``rel_path`` (site-relative, '/'-separated) gets siblings."""
    return rel_path.startswith("assets/") and rel_path.endswith(SUFFIXES) and size >= MIN_BYTES


def brotli_quality(size: int, override: str | None = None) -> int:
    """11 for files up to Q11_MAX_BYTES, else 9; ``override`` (ESROK_BROTLI_QUALITY) wins."""
    if override:
        q = int(override) if override.isdigit() else -1
        if not 0 <= q <= 11:
            raise PrecompressError(f"ESROK_BROTLI_QUALITY={override!r} is not a brotli quality; use 0-11")
        return q
    return 11 if size <= Q11_MAX_BYTES else 9


def cache_names(digest: str, br_quality: int) -> dict[str, str]:
    """Cache file names for one content digest: {"br": ..., "gz": ...}."""
    return {"br": f"{digest}.q{br_quality}.br", "gz": f"{digest}.{GZIP_LEVEL}.gz"}


def worth_keeping(raw: int, compressed: int) -> bool:
    return compressed <= raw * (1 - MIN_SAVING)


# --- thin I/O -----------------------------------------------------------------

def run_node(jobs: list[Job]) -> None:
    if not jobs:
        return
    node = shutil.which("node")
    if node is None:
        raise PrecompressError("node is not on PATH; install Node 20 (the engine tests need it too)")
    payload = json.dumps([{"src": str(j.src), "out": str(j.out), "kind": j.kind, "quality": j.quality}
                          for j in jobs])
    proc = subprocess.run([node, str(SCRIPT)], input=payload, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PrecompressError(f"hooks/node/precompress.mjs failed: {proc.stderr.strip()[-2000:]}")


def place(cached: Path, dest: Path) -> None:
    """Hard-link the cached sibling into the site (copy across file systems)."""
    dest.unlink(missing_ok=True)
    try:
        os.link(cached, dest)
    except OSError:
        shutil.copyfile(cached, dest)


def precompress_site(site_dir: Path, cache_dir: Path, override: str | None = None) -> dict[str, list[str]]:
    """Write siblings for every wanted file under ``site_dir``; returns {"compressed": [...],
    "cached": [...], "skipped": [...]} of site-relative paths (for the log and the tests)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    todo: list[tuple[Path, dict[str, Path]]] = []
    jobs: list[Job] = []
    report: dict[str, list[str]] = {"compressed": [], "cached": [], "skipped": []}
    for path in sorted((site_dir / "assets").rglob("*")):
        if not path.is_file() or path.suffix in (".br", ".gz"):
            continue
        rel = path.relative_to(site_dir).as_posix()
        size = path.stat().st_size
        if not wanted(rel, size):
            continue
        names = cache_names(file_digest(path), brotli_quality(size, override))
        cached = {kind: cache_dir / name for kind, name in names.items()}
        missing = [Job(path, cached[k], k, brotli_quality(size, override) if k == "br" else GZIP_LEVEL)
                   for k in ("br", "gz") if not cached[k].is_file()]
        jobs += missing
        report["compressed" if missing else "cached"].append(rel)
        todo.append((path, cached))
    run_node(jobs)
    used = {c for _, cached in todo for c in cached.values()}
    for path, cached in todo:
        raw = path.stat().st_size
        for kind, c in cached.items():
            sibling = path.with_name(f"{path.name}.{kind}")
            if worth_keeping(raw, c.stat().st_size):
                place(c, sibling)
            else:
                sibling.unlink(missing_ok=True)
                report["skipped"].append(sibling.relative_to(site_dir).as_posix())
    for c in used:
        os.utime(c)
    evict(cache_dir, used)
    return report


def evict(cache_dir: Path, used: set[Path], keep: int = KEEP_FILES) -> None:
    """Keep the siblings this build used and the newest others, up to ``keep`` files."""
    files = sorted((p for p in cache_dir.iterdir() if p.is_file() and p not in used),
                   key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for p in files[max(0, keep - len(used)):]:
        p.unlink(missing_ok=True)
