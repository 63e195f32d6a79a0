"""MkDocs hook: a precompiled standard library and engine wheel for the tool's worker.

A bare ``loadPyodide()`` spends most of its start-up compiling the source of the ~200
stdlib modules Python imports while it boots. At build time this hook runs
``hooks/node/precompile.mjs`` with the machine's ``node`` against the pinned
``node_modules/pyodide`` (offline), which compiles, inside Pyodide's own CPython (so the
.pyc magic number is Pyodide's):

* every module of the stock ``python_stdlib.zip`` to an unchecked hash-based ``.pyc``
  (deflated, because hosts rarely compress ``application/zip``). From that full precompiled
  stdlib, only the entries listed in ``hooks/pyodide_stdlib_keep.txt`` (what start-up and the
  engine import, recorded under Node and checked by tests/pyodide/test_node_engine.py) go into
  the trimmed ``assets/pyodide/python_stdlib.<hash>.zip``, which the worker passes as
  ``stdLibURL``. The full precompiled zip is shipped too, as another
  ``python_stdlib.<hash>.zip``; the worker's last-resort import hook fetches it only if a
  module outside the list is ever imported. If the trimmed zip fails to boot, the worker
  starts again from the stock zip, which is still shipped;
* the engine wheel from hooks/engine_wheel.py, adding ``__pycache__/*.cpython-314.pyc``
  next to its sources (kept, so tracebacks have lines). It replaces that wheel in the
  site, under a name with the hash of its new content.

Results are cached in ``.cache/esrok/precompiled/<key>/``, keyed by the sha256 of every
input (the pinned Pyodide files, the script, the wheel), so an unchanged engine is never
recompiled. No network; never writes into docs/.
"""
from __future__ import annotations

import hashlib
import io
import os
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SITE_PREFIX = "assets/pyodide/"
BUILDER = "esrok-precompile 1"  # part of the cache key: change it when the outputs' format changes
COMPRESSION = "deflated"
RUNTIME_INPUTS = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
SCRIPT = Path(__file__).parent / "node" / "precompile.mjs"
SNAPSHOT_SCRIPT = Path(__file__).parent / "node" / "snapshot.mjs"
SNAPSHOT = True  # ship assets/pyodide/snapshot.<hash>.bin (used by the worker only once cached)
NODE_TIMEOUT_S = 600
NODE_MISSING = ("the recovery checklist's precompiled Python standard library is built with Node.js, "
                "but `node` was not found on PATH; install Node.js 20 or later (the engine tests "
                "need it too) and run the build again")
_WHEEL_RE = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)-(?P<tag>\d[^-]*)-py3-none-any\.whl$")


KEEP_LIST = Path(__file__).parent / "pyodide_stdlib_keep.txt"
KEEP_LIST_NAME = "hooks/pyodide_stdlib_keep.txt"


class PrecompileError(Exception):
    """The precompiled stdlib or wheel cannot be produced."""


@dataclass(frozen=True)
class Precompiled:
    stdlib_name: str      # the trimmed stdlib (what the worker boots from)
    stdlib: bytes
    wheel_name: str
    wheel: bytes
    full_name: str = ""   # the full precompiled stdlib (fetched only on a missed import)
    full: bytes = b""
    snapshot_name: str = ""  # memory snapshot made from exactly ``stdlib`` + ``wheel`` ("" = none)
    snapshot: bytes = b""


# --- pure helpers -------------------------------------------------------------

def cache_key(runtime_digests: dict[str, str], script: bytes, wheel: bytes) -> str:
    """sha256 over everything the outputs depend on."""
    h = hashlib.sha256()
    h.update(f"{BUILDER}\0{COMPRESSION}\0".encode())
    for name in sorted(runtime_digests):
        h.update(f"{name}\0{runtime_digests[name]}\0".encode())
    h.update(hashlib.sha256(script).digest())
    h.update(hashlib.sha256(wheel).digest())
    return h.hexdigest()


def parse_keep_list(text: str) -> tuple[str, ...]:
    """The stdlib zip entries listed in hooks/pyodide_stdlib_keep.txt: one ``<path>.py`` a line;
    blank lines and lines starting with # are ignored."""
    out: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not line.endswith(".py") or line.startswith("/") or ".." in line.split("/") or " " in line:
            raise PrecompileError(f"{KEEP_LIST_NAME} line {n}: {line!r} is not a stdlib module path; "
                                  "write one zip entry a line, like 'json/decoder.py'")
        out.append(line)
    if not out:
        raise PrecompileError(f"{KEEP_LIST_NAME} lists no module; restore it from git")
    return tuple(out)


def trim_stdlib(full: bytes, keep: tuple[str, ...]) -> bytes:
    """A zip with only the kept modules (``x.pyc`` for a listed ``x.py``, or the source if it was
    kept as source) and their parent directory entries, in the full zip's order, same bytes."""
    with zipfile.ZipFile(io.BytesIO(full)) as zin:
        names = set(zin.namelist())
        want: set[str] = set()
        for entry in keep:
            found = entry + "c" if entry + "c" in names else entry if entry in names else None
            if found is None:
                raise PrecompileError(f"{KEEP_LIST_NAME}: {entry!r} is not in Pyodide's python_stdlib.zip; "
                                      "remove that line (or re-record the list as its header says)")
            want.add(found)
            parent = PurePosixPath(entry).parent
            while str(parent) != ".":
                want.add(f"{parent}/")
                parent = parent.parent
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zout:
            for info in zin.infolist():
                if info.filename in want:
                    zout.writestr(info, zin.read(info),
                                  compresslevel=9 if info.compress_type == zipfile.ZIP_DEFLATED else None)
    return buf.getvalue()


def snapshot_filename(data: bytes) -> str:
    return f"snapshot.{hashlib.sha256(data).hexdigest()[:12]}.bin"


def parse_snapshot_result(stdout: str) -> dict:
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        raise PrecompileError(f"hooks/node/snapshot.mjs printed no JSON result (got {stdout[-300:]!r})") from None
    if not isinstance(result, dict) or not isinstance(result.get("bytes"), int) or result["bytes"] <= 0:
        raise PrecompileError(f"hooks/node/snapshot.mjs made no snapshot (got {stdout[-300:]!r})")
    return result


def stdlib_filename(data: bytes) -> str:
    return f"python_stdlib.{hashlib.sha256(data).hexdigest()[:12]}.zip"


def compiled_wheel_filename(wheel_name: str, data: bytes) -> str:
    """The wheel's name with its build tag replaced by a hash of the compiled wheel's bytes."""
    m = _WHEEL_RE.match(wheel_name)
    if not m:
        raise PrecompileError(f"unexpected engine wheel name {wheel_name!r}; "
                              "expected <name>-<version>-<build tag>-py3-none-any.whl")
    return f"{m['name']}-{m['version']}-0{hashlib.sha256(data).hexdigest()[:12]}-py3-none-any.whl"


def parse_result(stdout: str) -> dict:
    """Validate the JSON line precompile.mjs prints; errors say what went wrong."""
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        raise PrecompileError(f"hooks/node/precompile.mjs printed no JSON result (got {stdout[-300:]!r})") from None
    stdlib = result.get("stdlib") if isinstance(result, dict) else None
    wheel = result.get("wheel") if isinstance(result, dict) else None
    if not isinstance(stdlib, dict) or not stdlib.get("compiled"):
        raise PrecompileError("hooks/node/precompile.mjs compiled no stdlib module; "
                              "check node_modules/pyodide/python_stdlib.zip (run `npm ci`)")
    if stdlib.get("kept_as_source"):
        raise PrecompileError("stdlib modules failed to compile inside Pyodide: "
                              + "; ".join(stdlib["kept_as_source"]))
    if not isinstance(wheel, dict) or not wheel.get("compiled"):
        raise PrecompileError("hooks/node/precompile.mjs compiled no module of the engine wheel")
    return result


# --- thin I/O -----------------------------------------------------------------

_digest_cache: dict[tuple[str, int, int], str] = {}


def _sha256_file(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _digest_cache:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _digest_cache[key] = h.hexdigest()
    return _digest_cache[key]


def find_node() -> str:
    node = shutil.which("node")
    if node is None:
        raise PrecompileError(NODE_MISSING)
    return node


def run_precompile(node: str, pyodide_dir: Path, stdlib_in: Path, wheel_in: Path, out_dir: Path) -> dict:
    """Run precompile.mjs; writes out_dir/stdlib.zip and out_dir/engine.whl."""
    job = {"stdlib": {"in": str(stdlib_in), "out": str(out_dir / "stdlib.zip"), "compression": COMPRESSION},
           "wheel": {"in": str(wheel_in), "out": str(out_dir / "engine.whl")}}
    (out_dir / "job.json").write_text(json.dumps(job), encoding="utf-8")
    try:
        proc = subprocess.run([node, str(SCRIPT), str(pyodide_dir), str(out_dir / "job.json")],
                              capture_output=True, text=True, timeout=NODE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise PrecompileError(f"hooks/node/precompile.mjs did not finish within {NODE_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        raise PrecompileError(f"hooks/node/precompile.mjs failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return parse_result(proc.stdout)


def make_snapshot(node: str, pyodide_dir: Path, stdlib: Path, wheel: Path, out: Path) -> dict:
    try:
        proc = subprocess.run([node, str(SNAPSHOT_SCRIPT), str(pyodide_dir), str(stdlib), str(wheel), str(out)],
                              capture_output=True, text=True, timeout=NODE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise PrecompileError(f"hooks/node/snapshot.mjs did not finish within {NODE_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        raise PrecompileError(f"hooks/node/snapshot.mjs failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return parse_snapshot_result(proc.stdout)


def precompile(root: Path, wheel_name: str, wheel: bytes, cache_dir: Path) -> Precompiled:
    """The precompiled stdlib and wheel for the runtime under ``root``, from ``cache_dir`` if
    they were built before from the same inputs."""
    pyodide_dir = root / "node_modules" / "pyodide"
    try:
        digests = {name: _sha256_file(pyodide_dir / name) for name in RUNTIME_INPUTS}
    except FileNotFoundError as e:
        raise PrecompileError(f"{e.filename} is missing; run `npm ci` in the project root") from None
    key = cache_key(digests, SCRIPT.read_bytes(), wheel)
    entry = cache_dir / key
    if not (entry / "result.json").is_file():
        node = find_node()
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=key[:12] + ".", dir=cache_dir))
        try:
            (tmp / "engine.in.whl").write_bytes(wheel)
            result = run_precompile(node, pyodide_dir, pyodide_dir / "python_stdlib.zip",
                                    tmp / "engine.in.whl", tmp)
            (tmp / "engine.in.whl").unlink()
            (tmp / "job.json").unlink()
            (tmp / "result.json").write_text(json.dumps(result), encoding="utf-8")
            if entry.exists():  # a concurrent build got there first
                shutil.rmtree(tmp)
            else:
                tmp.rename(entry)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    full = (entry / "stdlib.zip").read_bytes()
    compiled = (entry / "engine.whl").read_bytes()
    keep_text = KEEP_LIST.read_text(encoding="utf-8")
    trimmed_path = entry / f"trimmed.{hashlib.sha256(keep_text.encode()).hexdigest()[:16]}.zip"
    if trimmed_path.is_file():
        trimmed = trimmed_path.read_bytes()
    else:
        trimmed = trim_stdlib(full, parse_keep_list(keep_text))
        tmp = trimmed_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(trimmed)
        tmp.replace(trimmed_path)
    snap = b""
    if SNAPSHOT:
        h = hashlib.sha256(SNAPSHOT_SCRIPT.read_bytes() + b"\0" + trimmed).hexdigest()[:16]
        snap_path = entry / f"snapshot.{h}.bin"
        if not snap_path.is_file():
            tmp = entry / f"snapshot.{h}.{os.getpid()}"
            tmp.mkdir(exist_ok=True)
            try:
                (tmp / "stdlib.zip").write_bytes(trimmed)
                make_snapshot(find_node(), pyodide_dir, tmp / "stdlib.zip", entry / "engine.whl", tmp / "snapshot.bin")
                (tmp / "snapshot.bin").replace(snap_path)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        snap = snap_path.read_bytes()
    return Precompiled(stdlib_filename(trimmed), trimmed, compiled_wheel_filename(wheel_name, compiled), compiled,
                       stdlib_filename(full), full, snapshot_filename(snap) if snap else "", snap)


# --- MkDocs events ------------------------------------------------------------

def on_config(config):
    from mkdocs.exceptions import PluginError

    try:
        find_node()  # fail before the build starts, with the fix
    except PrecompileError as e:
        raise PluginError(str(e)) from None
    return config


def on_files(files, config):
    """Runs after hooks/engine_wheel.py (registered before this hook in mkdocs.yml)."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    root = Path(config.config_file_path).resolve().parent
    engine = config.extra.get("esrok_engine", {})
    wheel_file = files.get_file_from_path(engine.get("path", ""))
    if wheel_file is None or "esrok_pyodide" not in config.extra:
        raise PluginError("pyodide_stdlib: register hooks/pyodide_runtime.py and hooks/engine_wheel.py "
                          "before hooks/pyodide_stdlib.py in mkdocs.yml")
    try:
        out = precompile(root, engine["path"].rsplit("/", 1)[-1], wheel_file.content_bytes,
                         root / ".cache" / "esrok" / "precompiled")
    except PrecompileError as e:
        raise PluginError(f"precompiled stdlib: {e}") from None
    files.remove(wheel_file)
    wheel_path = engine["path"].rsplit("/", 1)[0] + "/" + out.wheel_name
    files.append(File.generated(config, wheel_path, content=out.wheel))
    files.append(File.generated(config, SITE_PREFIX + out.stdlib_name, content=out.stdlib))
    files.append(File.generated(config, SITE_PREFIX + out.full_name, content=out.full))
    if out.snapshot:
        files.append(File.generated(config, SITE_PREFIX + out.snapshot_name, content=out.snapshot))
    config.extra["esrok_engine"] = {"path": wheel_path, "sha256": hashlib.sha256(out.wheel).hexdigest(),
                                    "size": len(out.wheel)}
    config.extra["esrok_pyodide"]["stdlib"] = SITE_PREFIX + out.stdlib_name
    config.extra["esrok_pyodide"]["stdlib_full"] = SITE_PREFIX + out.full_name
    config.extra["esrok_pyodide"]["snapshot"] = SITE_PREFIX + out.snapshot_name if out.snapshot else ""
    return files
