"""Step 3, precompiled stdlib and engine bytecode (both compiled inside Pyodide under Node).

Consumes the :class:`~.runtime.Runtime` (the stock ``python_stdlib.zip`` and the interpreter),
the keep list ``stdlib_keep.txt`` beside this file, and the :class:`~.wheel.Wheel`'s sources.
Produces :class:`Stdlib`:

* ``full``: every stdlib module as an unchecked hash-based ``.pyc`` (fetched by the worker only
  if a module outside the keep list is ever imported; see ``esrok_boot.install_stdlib_fallback``);
* ``trimmed``: only the entries the keep list names (what start-up and the engine import; a Node
  test fails, naming the lines to add, when the list is stale): the zip the worker boots from;
* ``bytecode``: a zip of checked ``__pycache__/*.pyc`` for the wheel's packages, unpacked over
  the wheel (the wheel itself stays exactly what the build backend made).

The stdlib (about 8 s of Node) is cached by the runtime's and the scripts' hashes, the bytecode
by those and the wheel sources' hash, in ``.cache/esrok/stdlib/`` and ``.cache/esrok/bytecode/``.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import StepCache, bytes_digest, key
from .runtime import Runtime
from .wheel import Wheel

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
PRECOMPILE_MJS = NODE_DIR / "precompile.mjs"
PRECOMPILE_PY = Path(__file__).with_name("precompile.py")
KEEP_LIST = Path(__file__).with_name("stdlib_keep.txt")
KEEP_LIST_NAME = "hooks/toolbuild/stdlib_keep.txt"
NODE_TIMEOUT_S = 600
NODE_MISSING = ("the recovery checklist's precompiled Python standard library is built with Node.js, "
                "but `node` was not found on PATH; install Node.js 20 or later (the engine tests "
                "need it too) and run the build again")


class PrecompileError(Exception):
    """The precompiled stdlib or bytecode cannot be produced."""


@dataclass(frozen=True)
class Blob:
    """A built file: its site path and bytes."""
    url: str
    data: bytes

    @property
    def sha256(self) -> str:
        return bytes_digest(self.data)


@dataclass(frozen=True)
class Stdlib:
    trimmed: Blob
    full: Blob
    bytecode: Blob


# --- pure helpers -------------------------------------------------------------

def parse_keep_list(text: str) -> tuple[str, ...]:
    """The stdlib zip entries listed in the keep list: one ``<path>.py`` a line;
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


def stdlib_filename(data: bytes) -> str:
    return f"python_stdlib.{bytes_digest(data)[:12]}.zip"


def bytecode_filename(data: bytes) -> str:
    return f"bytecode.{bytes_digest(data)[:12]}.zip"


def parse_result(stdout: str, part: str) -> dict:
    """Validate the JSON line precompile.py prints for ``part`` ("stdlib" or "engine")."""
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        raise PrecompileError(f"hooks/node/precompile.mjs printed no JSON result (got {stdout[-300:]!r})") from None
    got = result.get(part) if isinstance(result, dict) else None
    if part == "stdlib":
        if not isinstance(got, dict) or not got.get("compiled"):
            raise PrecompileError("hooks/node/precompile.mjs compiled no stdlib module; "
                                  "check node_modules/pyodide/python_stdlib.zip (run `npm ci`)")
        if got.get("kept_as_source"):
            raise PrecompileError("stdlib modules failed to compile inside Pyodide: " + "; ".join(got["kept_as_source"]))
    elif not isinstance(got, dict) or not got.get("compiled"):
        raise PrecompileError("hooks/node/precompile.mjs compiled no module of the engine wheel")
    return result


# --- thin I/O -----------------------------------------------------------------

def find_node() -> str:
    node = shutil.which("node")
    if node is None:
        raise PrecompileError(NODE_MISSING)
    return node


def run_node(args: list[str], what: str) -> str:
    try:
        proc = subprocess.run([find_node(), *args], capture_output=True, text=True, timeout=NODE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise PrecompileError(f"{what} did not finish within {NODE_TIMEOUT_S} s") from None
    if proc.returncode != 0:
        lines = [line[:300] for line in proc.stderr.splitlines() if line.strip()][-25:]
        raise PrecompileError(f"{what} failed (exit {proc.returncode}):\n" + "\n".join(lines))
    return proc.stdout


def _precompile(runtime: Runtime, job: dict, tmp: Path, part: str) -> dict:
    (tmp / "job.json").write_text(json.dumps(job), encoding="utf-8")
    out = run_node([str(PRECOMPILE_MJS), str(runtime.path("pyodide.mjs").parent), str(tmp / "job.json")],
                   "hooks/node/precompile.mjs")
    (tmp / "job.json").unlink()
    return parse_result(out, part)


def scripts_digest() -> str:
    return key(PRECOMPILE_MJS.read_bytes(), PRECOMPILE_PY.read_bytes())


def precompiled_stdlib(runtime: Runtime, wheel: Wheel, cache: StepCache) -> Stdlib:
    def make_stdlib(tmp: Path) -> None:
        _precompile(runtime, {"stdlib": {"in": str(runtime.path("python_stdlib.zip")), "out": str(tmp / "full.zip")}},
                    tmp, "stdlib")

    entry = cache.entry("stdlib", key("stdlib", runtime.digest, scripts_digest()), make_stdlib)
    full = (entry / "full.zip").read_bytes()
    trimmed = trim_stdlib(full, parse_keep_list(KEEP_LIST.read_text(encoding="utf-8")))

    def make_bytecode(tmp: Path) -> None:
        src = tmp / "src"
        for rel, data in wheel.sources:
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_bytes(data)
        _precompile(runtime, {"engine": {"sources": str(src), "out": str(tmp / "bytecode.zip")}}, tmp, "engine")
        shutil.rmtree(src)

    sources = key(*(f"{p}={bytes_digest(d)}" for p, d in wheel.sources))
    entry = cache.entry("bytecode", key("bytecode", runtime.digest, scripts_digest(), sources), make_bytecode)
    bytecode = (entry / "bytecode.zip").read_bytes()
    return Stdlib(trimmed=Blob(runtime.dir + stdlib_filename(trimmed), trimmed),
                  full=Blob(runtime.dir + stdlib_filename(full), full),
                  bytecode=Blob(wheel.url.rsplit("/", 1)[0] + "/" + bytecode_filename(bytecode), bytecode))
