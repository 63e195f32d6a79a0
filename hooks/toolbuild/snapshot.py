"""Step 4, memory snapshot: a Pyodide heap image with the engine already imported.

Consumes the :class:`~.runtime.Runtime`, the trimmed stdlib and engine bytecode
(:class:`~.stdlib.Stdlib`) and the :class:`~.wheel.Wheel`. Produces a :class:`~.stdlib.Blob`
``snapshot.<hash>.bin`` next to the wheel, made by ``hooks/node/snapshot.mjs`` (experimental
Pyodide 314 API) from exactly that stdlib zip and wheel. About 31 MB raw: the service worker
keeps it gzip-compressed in Cache Storage (about 5 MB), and the worker restores it only when it
is already cached (a warm upgrade, never on a first visit's critical path). Not byte-reproducible
(the heap holds clock readings), so it is made once per input hash and cached in
``.cache/esrok/snapshot/``.
"""
from __future__ import annotations

import json
from pathlib import Path

from .cache import StepCache, bytes_digest, key
from .runtime import Runtime
from .stdlib import NODE_DIR, Blob, PrecompileError, Stdlib, run_node
from .wheel import Wheel

SNAPSHOT_MJS = NODE_DIR / "snapshot.mjs"
MAGIC = 0x706E7300  # Pyodide's snapshot header


def snapshot_filename(data: bytes) -> str:
    return f"snapshot.{bytes_digest(data)[:12]}.bin"


def parse_snapshot_result(stdout: str) -> dict:
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        raise PrecompileError(f"hooks/node/snapshot.mjs printed no JSON result (got {stdout[-300:]!r})") from None
    if not isinstance(result, dict) or not isinstance(result.get("bytes"), int) or result["bytes"] <= 0:
        raise PrecompileError(f"hooks/node/snapshot.mjs made no snapshot (got {stdout[-300:]!r})")
    return result


def memory_snapshot(runtime: Runtime, stdlib: Stdlib, wheel: Wheel, cache: StepCache) -> Blob:
    def make(tmp: Path) -> None:
        for name, blob in (("stdlib.zip", stdlib.trimmed.data), (wheel.filename, wheel.data),
                           ("bytecode.zip", stdlib.bytecode.data)):
            (tmp / name).write_bytes(blob)
        out = run_node([str(SNAPSHOT_MJS), str(runtime.path("pyodide.mjs").parent), str(tmp / "stdlib.zip"),
                        str(tmp / wheel.filename), str(tmp / "bytecode.zip"), str(tmp / "snapshot.bin")],
                       "hooks/node/snapshot.mjs")
        parse_snapshot_result(out)
        for name in ("stdlib.zip", wheel.filename, "bytecode.zip"):
            (tmp / name).unlink()

    digest = key("snapshot", runtime.digest, SNAPSHOT_MJS.read_bytes(), stdlib.trimmed.sha256, wheel.sha256,
                 stdlib.bytecode.sha256)
    data = (cache.entry("snapshot", digest, make) / "snapshot.bin").read_bytes()
    return Blob(wheel.url.rsplit("/", 1)[0] + "/" + snapshot_filename(data), data)
