"""Steps 3 and 4 of the tool build: the stdlib and engine bytecode precompiled inside Pyodide
(hooks/toolbuild/stdlib.py, precompile.py) and the memory snapshot (snapshot.py)."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from hooks.toolbuild.cache import StepCache
from hooks.toolbuild.runtime import runtime_files
from hooks.toolbuild.snapshot import MAGIC, memory_snapshot, parse_snapshot_result, snapshot_filename
from hooks.toolbuild.stdlib import (
    KEEP_LIST, NODE_MISSING, PrecompileError, bytecode_filename, find_node, parse_keep_list, parse_result,
    precompiled_stdlib, stdlib_filename, trim_stdlib,
)
from hooks.toolbuild.wheel import engine_wheel

ROOT = Path(__file__).resolve().parents[2]
STOCK = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
MAGIC_314 = bytes.fromhex("2b0e0d0a")  # CPython 3.14's .pyc magic (Pyodide 314.0.7)
GOOD = {"magic": "2b0e0d0a", "cache_tag": "cpython-314", "stdlib": {"compiled": 559, "kept_as_source": []},
        "engine": {"compiled": 14}}


# --- pure helpers -------------------------------------------------------------

def test_file_names_carry_a_content_hash():
    assert stdlib_filename(b"zip") == f"python_stdlib.{hashlib.sha256(b'zip').hexdigest()[:12]}.zip"
    assert bytecode_filename(b"zip") == f"bytecode.{hashlib.sha256(b'zip').hexdigest()[:12]}.zip"
    assert snapshot_filename(b"heap") == f"snapshot.{hashlib.sha256(b'heap').hexdigest()[:12]}.bin"


def test_parse_result_accepts_the_script_output():
    assert parse_result("noise\n" + json.dumps(GOOD) + "\n", "stdlib") == GOOD
    assert parse_result(json.dumps(GOOD), "engine") == GOOD


@pytest.mark.parametrize("stdout, part, message", [
    ("", "stdlib", "hooks/node/precompile.mjs printed no JSON result (got '')"),
    (json.dumps({**GOOD, "stdlib": {"compiled": 0, "kept_as_source": []}}), "stdlib",
     "hooks/node/precompile.mjs compiled no stdlib module; check "
     "node_modules/pyodide/python_stdlib.zip (run `npm ci`)"),
    (json.dumps({**GOOD, "stdlib": {"compiled": 3, "kept_as_source": ["a.py: invalid syntax"]}}), "stdlib",
     "stdlib modules failed to compile inside Pyodide: a.py: invalid syntax"),
    (json.dumps({**GOOD, "engine": {"compiled": 0}}), "engine",
     "hooks/node/precompile.mjs compiled no module of the engine wheel"),
])
def test_parse_result_rejects_bad_output(stdout, part, message):
    with pytest.raises(PrecompileError) as e:
        parse_result(stdout, part)
    assert str(e.value) == message


def test_snapshot_script_result():
    assert parse_snapshot_result('{"bytes": 31457424, "modules": 208}\n') == {"bytes": 31457424, "modules": 208}
    with pytest.raises(PrecompileError) as e:
        parse_snapshot_result("boom")
    assert str(e.value) == "hooks/node/snapshot.mjs printed no JSON result (got 'boom')"
    with pytest.raises(PrecompileError) as e:
        parse_snapshot_result('{"bytes": 0}')
    assert str(e.value) == "hooks/node/snapshot.mjs made no snapshot (got '{\"bytes\": 0}')"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def test_trim_keeps_listed_modules_their_package_dirs_and_order():
    full = _zip({"json/": b"", "json/__init__.pyc": b"j", "json/tool.pyc": b"t", "abc.pyc": b"a",
                 "kept_source.py": b"s", "statistics.pyc": b"x", "site-packages/README.txt": b"r"})
    out = trim_stdlib(full, ("kept_source.py", "json/__init__.py", "abc.py"))
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.namelist() == ["json/", "json/__init__.pyc", "abc.pyc", "kept_source.py"]
        assert z.read("json/__init__.pyc") == b"j"
    assert trim_stdlib(full, ("abc.py", "json/__init__.py", "kept_source.py")) == out  # deterministic
    with pytest.raises(PrecompileError) as e:
        trim_stdlib(full, ("abc.py", "nosuch/mod.py"))
    assert str(e.value) == ("hooks/toolbuild/stdlib_keep.txt: 'nosuch/mod.py' is not in Pyodide's python_stdlib.zip; "
                            "remove that line (or re-record the list as its header says)")


def test_keep_list_parsing_and_errors():
    assert parse_keep_list("# comment\n\njson/__init__.py\n  abc.py  \n") == ("json/__init__.py", "abc.py")
    with pytest.raises(PrecompileError) as e:
        parse_keep_list("# head\njson/__init__.py\njson.decoder\n")
    assert str(e.value) == ("hooks/toolbuild/stdlib_keep.txt line 3: 'json.decoder' is not a stdlib module path; "
                            "write one zip entry a line, like 'json/decoder.py'")
    with pytest.raises(PrecompileError) as e:
        parse_keep_list("# only comments\n")
    assert str(e.value) == "hooks/toolbuild/stdlib_keep.txt lists no module; restore it from git"


def test_committed_keep_list_is_valid_and_small():
    keep = parse_keep_list(KEEP_LIST.read_text(encoding="utf-8"))
    assert "json/__init__.py" in keep and "esrok_recovery" not in " ".join(keep)
    assert len(keep) == len(set(keep)) and len(keep) < 200


def test_missing_node_fails_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `node` anywhere
    with pytest.raises(PrecompileError) as e:
        find_node()
    assert str(e.value) == NODE_MISSING
    assert "`node` was not found on PATH; install Node.js 20" in NODE_MISSING


# --- real Node + Pyodide ------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real run of steps 2-4 into an empty cache (node + node_modules/pyodide, offline)."""
    cache = StepCache(tmp_path_factory.mktemp("cache"))
    runtime = runtime_files(ROOT)
    wheel = engine_wheel(ROOT, cache)
    stdlib = precompiled_stdlib(runtime, wheel, cache)
    return runtime, wheel, cache, stdlib, memory_snapshot(runtime, stdlib, wheel, cache)


@pytest.mark.node
def test_full_stdlib_is_precompiled_with_pyodides_magic_number(built):
    runtime, _wheel, _cache, stdlib, _snap = built
    assert stdlib.full.url == runtime.dir + stdlib_filename(stdlib.full.data)
    with zipfile.ZipFile(STOCK) as stock, zipfile.ZipFile(io.BytesIO(stdlib.full.data)) as new:
        want = [n + "c" if n.endswith(".py") else n for n in stock.namelist()]
        assert new.namelist() == want  # every module, none missing, in the stock order
        for info in new.infolist():
            data = new.read(info)
            if info.filename.endswith(".pyc"):
                assert info.compress_type == zipfile.ZIP_DEFLATED
                # magic, then flags 0b01: hash-based, unchecked (never looks for a source)
                assert data[:4] == MAGIC_314 and data[4:8] == b"\x01\0\0\0", info.filename
            elif not info.is_dir():
                assert data == stock.read(info.filename)


@pytest.mark.node
def test_shipped_stdlib_is_the_full_one_trimmed_to_the_keep_list(built):
    runtime, _wheel, _cache, stdlib, _snap = built
    assert stdlib.trimmed.url == runtime.dir + stdlib_filename(stdlib.trimmed.data) != stdlib.full.url
    assert stdlib.trimmed.data == trim_stdlib(stdlib.full.data, parse_keep_list(KEEP_LIST.read_text(encoding="utf-8")))
    assert len(stdlib.trimmed.data) < len(stdlib.full.data) // 3


@pytest.mark.node
def test_engine_bytecode_is_checked_pyc_for_every_wheel_module(built):
    _runtime, wheel, _cache, stdlib, _snap = built
    with zipfile.ZipFile(io.BytesIO(stdlib.bytecode.data)) as z:
        names = z.namelist()
        for rel, _data in wheel.sources:
            pkg, _, mod = rel.rpartition("/")
            cached = f"{pkg}/__pycache__/{mod[:-3]}.cpython-314.pyc"
            assert cached in names, cached
            # magic, then flags 0b11: hash-based and checked against the source next to it
            assert z.read(cached)[:8] == MAGIC_314 + b"\x03\0\0\0"
    assert len(names) == len(wheel.sources)
    assert stdlib.bytecode.url == wheel.url.rsplit("/", 1)[0] + "/" + bytecode_filename(stdlib.bytecode.data)


@pytest.mark.node
def test_snapshot_is_a_pyodide_heap_image_named_by_content(built):
    _runtime, wheel, _cache, _stdlib, snap = built
    assert snap.url == wheel.url.rsplit("/", 1)[0] + "/" + snapshot_filename(snap.data)
    assert int.from_bytes(snap.data[:4], "little") == MAGIC
    assert len(snap.data) >= 16 << 20  # the whole wasm heap


@pytest.mark.node
def test_unchanged_inputs_come_from_the_cache_without_node(built, monkeypatch, tmp_path):
    runtime, wheel, cache, stdlib, snap = built
    monkeypatch.setenv("PATH", str(tmp_path))  # would fail if Node were run again
    assert precompiled_stdlib(runtime, wheel, cache) == stdlib
    assert memory_snapshot(runtime, stdlib, wheel, cache) == snap
    for step in ("stdlib", "bytecode", "snapshot"):
        assert len(list((cache.root / step).iterdir())) == 1, step  # one entry, no temporary directory left


@pytest.mark.node
def test_output_is_deterministic(built, tmp_path):
    """Same inputs, same stdlib and bytecode bytes. (A memory snapshot is not byte-reproducible:
    the heap holds clock readings. It is made once per input and cached.)"""
    runtime, wheel, _cache, stdlib, _snap = built
    assert precompiled_stdlib(runtime, wheel, StepCache(tmp_path)) == stdlib
