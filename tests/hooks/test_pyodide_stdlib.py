"""hooks/pyodide_stdlib.py: the stdlib and engine wheel precompiled inside Pyodide."""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from hooks.engine_wheel import wheel_for_tree
from hooks.pyodide_stdlib import (
    KEEP_LIST, NODE_MISSING, PrecompileError, cache_key, compiled_wheel_filename, find_node, on_config,
    parse_keep_list, parse_result, parse_snapshot_result, precompile, snapshot_filename, stdlib_filename,
    trim_stdlib,
)

ROOT = Path(__file__).resolve().parents[2]
STOCK = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
MAGIC_314 = bytes.fromhex("2b0e0d0a")  # CPython 3.14's .pyc magic (Pyodide 314.0.7)
GOOD = {"magic": "2b0e0d0a", "cache_tag": "cpython-314",
        "stdlib": {"compiled": 559, "kept_as_source": []}, "wheel": {"compiled": 9}}


# --- pure helpers -------------------------------------------------------------

def test_cache_key_depends_on_every_input():
    digests = {"pyodide.asm.wasm": "a" * 64, "python_stdlib.zip": "b" * 64}
    base = cache_key(digests, b"script", b"wheel")
    assert base == cache_key(dict(reversed(list(digests.items()))), b"script", b"wheel")
    assert len({base,
                cache_key({**digests, "python_stdlib.zip": "c" * 64}, b"script", b"wheel"),
                cache_key(digests, b"script 2", b"wheel"),
                cache_key(digests, b"script", b"wheel 2")}) == 4


def test_stdlib_file_name_carries_a_content_hash():
    assert stdlib_filename(b"zip") == f"python_stdlib.{hashlib.sha256(b'zip').hexdigest()[:12]}.zip"


def test_compiled_wheel_name_replaces_the_build_tag_with_a_content_hash():
    digest = hashlib.sha256(b"whl").hexdigest()[:12]
    assert (compiled_wheel_filename("esrok_recovery-1.0.0-0abcdef012345-py3-none-any.whl", b"whl")
            == f"esrok_recovery-1.0.0-0{digest}-py3-none-any.whl")
    with pytest.raises(PrecompileError) as e:
        compiled_wheel_filename("engine.zip", b"whl")
    assert str(e.value) == ("unexpected engine wheel name 'engine.zip'; "
                            "expected <name>-<version>-<build tag>-py3-none-any.whl")


def test_parse_result_accepts_the_script_output():
    assert parse_result("noise\n" + json.dumps(GOOD) + "\n") == GOOD


@pytest.mark.parametrize("stdout, message", [
    ("", "hooks/node/precompile.mjs printed no JSON result (got '')"),
    (json.dumps({**GOOD, "stdlib": {"compiled": 0, "kept_as_source": []}}),
     "hooks/node/precompile.mjs compiled no stdlib module; check "
     "node_modules/pyodide/python_stdlib.zip (run `npm ci`)"),
    (json.dumps({**GOOD, "stdlib": {"compiled": 3, "kept_as_source": ["a.py: invalid syntax"]}}),
     "stdlib modules failed to compile inside Pyodide: a.py: invalid syntax"),
    (json.dumps({**GOOD, "wheel": {"compiled": 0}}),
     "hooks/node/precompile.mjs compiled no module of the engine wheel"),
])
def test_parse_result_rejects_bad_output(stdout, message):
    with pytest.raises(PrecompileError) as e:
        parse_result(stdout)
    assert str(e.value) == message


# --- Node missing -------------------------------------------------------------

def test_missing_node_fails_the_build_with_the_fix(monkeypatch, tmp_path):
    from mkdocs.exceptions import PluginError

    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `node` anywhere
    with pytest.raises(PrecompileError) as e:
        find_node()
    assert str(e.value) == NODE_MISSING
    assert "`node` was not found on PATH; install Node.js 20" in NODE_MISSING
    with pytest.raises(PluginError) as e:
        on_config(object())
    assert str(e.value) == NODE_MISSING


# --- real Node + Pyodide ------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One real precompile into an empty cache (node + node_modules/pyodide, offline)."""
    cache = tmp_path_factory.mktemp("precompiled")
    wheel = wheel_for_tree(ROOT)
    return wheel, cache, precompile(ROOT, wheel.filename, wheel.data, cache)


@pytest.mark.node
def test_full_stdlib_is_precompiled_with_pyodides_magic_number(built):
    _wheel, _cache, out = built
    assert out.full_name == stdlib_filename(out.full)
    with zipfile.ZipFile(STOCK) as stock, zipfile.ZipFile(io.BytesIO(out.full)) as new:
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
    _wheel, _cache, out = built
    assert out.stdlib_name == stdlib_filename(out.stdlib) != out.full_name
    assert out.stdlib == trim_stdlib(out.full, parse_keep_list(KEEP_LIST.read_text(encoding="utf-8")))
    assert len(out.stdlib) < len(out.full) // 3


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
    assert str(e.value) == ("hooks/pyodide_stdlib_keep.txt: 'nosuch/mod.py' is not in Pyodide's python_stdlib.zip; "
                            "remove that line (or re-record the list as its header says)")


def test_snapshot_name_and_script_result():
    assert snapshot_filename(b"heap") == f"snapshot.{hashlib.sha256(b'heap').hexdigest()[:12]}.bin"
    assert parse_snapshot_result('{"bytes": 31457424, "modules": 208}\n') == {"bytes": 31457424, "modules": 208}
    with pytest.raises(PrecompileError) as e:
        parse_snapshot_result("boom")
    assert str(e.value) == "hooks/node/snapshot.mjs printed no JSON result (got 'boom')"
    with pytest.raises(PrecompileError) as e:
        parse_snapshot_result('{"bytes": 0}')
    assert str(e.value) == "hooks/node/snapshot.mjs made no snapshot (got '{\"bytes\": 0}')"


@pytest.mark.node
def test_snapshot_is_a_pyodide_heap_image_named_by_content(built):
    _wheel, _cache, out = built
    assert out.snapshot_name == snapshot_filename(out.snapshot)
    assert int.from_bytes(out.snapshot[:4], "little") == 0x706E7300  # Pyodide's snapshot magic
    assert len(out.snapshot) >= 16 << 20  # the whole wasm heap


def test_keep_list_parsing_and_errors():
    assert parse_keep_list("# comment\n\njson/__init__.py\n  abc.py  \n") == ("json/__init__.py", "abc.py")
    with pytest.raises(PrecompileError) as e:
        parse_keep_list("# head\njson/__init__.py\njson.decoder\n")
    assert str(e.value) == ("hooks/pyodide_stdlib_keep.txt line 3: 'json.decoder' is not a stdlib module path; "
                            "write one zip entry a line, like 'json/decoder.py'")
    with pytest.raises(PrecompileError) as e:
        parse_keep_list("# only comments\n")
    assert str(e.value) == "hooks/pyodide_stdlib_keep.txt lists no module; restore it from git"


def test_committed_keep_list_is_valid_and_small():
    keep = parse_keep_list(KEEP_LIST.read_text(encoding="utf-8"))
    assert "json/__init__.py" in keep and "esrok_recovery" not in " ".join(keep)
    assert len(keep) == len(set(keep)) and len(keep) < 200


@pytest.mark.node
def test_wheel_gains_pyc_next_to_its_kept_sources(built):
    wheel, _cache, out = built
    with zipfile.ZipFile(io.BytesIO(wheel.data)) as src, zipfile.ZipFile(io.BytesIO(out.wheel)) as new:
        sources = [n for n in src.namelist() if n.endswith(".py")]
        names = set(new.namelist())
        assert set(src.namelist()) <= names
        for name in sources:
            pkg, _, mod = name.rpartition("/")
            cached = f"{pkg}/__pycache__/{mod[:-3]}.cpython-314.pyc"
            assert cached in names, cached
            assert new.read(cached)[:8] == MAGIC_314 + b"\x01\0\0\0"
            assert new.read(name) == src.read(name)
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        assert f"{sources[0].rpartition('/')[0]}/__pycache__/" in new.read(record).decode()
    assert out.wheel_name == compiled_wheel_filename(wheel.filename, out.wheel)


@pytest.mark.node
def test_unchanged_inputs_come_from_the_cache_without_node(built, monkeypatch, tmp_path):
    wheel, cache, out = built
    monkeypatch.setenv("PATH", str(tmp_path))  # would fail if Node were run again
    assert precompile(ROOT, wheel.filename, wheel.data, cache) == out
    assert len([p for p in cache.iterdir()]) == 1  # one entry, no temporary directory left
    # a changed engine is a new entry, which needs Node
    with pytest.raises(PrecompileError) as e:
        precompile(ROOT, wheel.filename, wheel.data + b"\0", cache)
    assert str(e.value) == NODE_MISSING


@pytest.mark.node
def test_output_is_deterministic(built, tmp_path):
    """Same inputs, same stdlib and wheel bytes. (A memory snapshot is not byte-reproducible: the
    heap holds Python's random state and clock readings. It is made once per input and cached.)"""
    wheel, _cache, out = built
    again = precompile(ROOT, wheel.filename, wheel.data, tmp_path / "again")
    assert dataclasses.replace(again, snapshot=b"", snapshot_name="") == dataclasses.replace(
        out, snapshot=b"", snapshot_name="")
    assert len(again.snapshot) == len(out.snapshot)


def test_built_site_ships_the_precompiled_stdlib_and_wheel(built_site):
    import re

    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    stdlib = re.search(r'data-stdlib="(assets/pyodide/python_stdlib\.[0-9a-f]{12}\.zip)"', page).group(1)
    assert f'"stdlib": "{stdlib}"' in page  # the early boot script passes it too
    assert stdlib_filename((built_site.dir / stdlib).read_bytes()) == stdlib.rsplit("/", 1)[1]
    # The full precompiled stdlib is shipped for the worker's missed-import hook, also hashed.
    full = re.search(r'data-stdlib-full="(assets/pyodide/python_stdlib\.[0-9a-f]{12}\.zip)"', page).group(1)
    assert full != stdlib and f'"stdlib_full": "{full}"' in page
    assert stdlib_filename((built_site.dir / full).read_bytes()) == full.rsplit("/", 1)[1]
    assert (built_site.dir / full).stat().st_size > 3 * (built_site.dir / stdlib).stat().st_size
    # The memory snapshot: hashed, under assets/pyodide/ (the service worker prefetches it there).
    snap = re.search(r'data-snapshot="(assets/pyodide/snapshot\.[0-9a-f]{12}\.bin)"', page).group(1)
    assert f'"snapshot": "{snap}"' in page
    assert snapshot_filename((built_site.dir / snap).read_bytes()) == snap.rsplit("/", 1)[1]
    # The stock zip is still shipped: the worker's fallback (and a bare loadPyodide()) use it.
    assert (built_site.dir / "assets" / "pyodide" / "python_stdlib.zip").read_bytes() == STOCK.read_bytes()
    wheel_url = re.search(r'data-wheel="([^"]+)"', page).group(1)
    data = (built_site.dir / wheel_url).read_bytes()
    assert re.search(r'data-wheel-sha256="([0-9a-f]{64})"', page).group(1) == hashlib.sha256(data).hexdigest()
    assert wheel_url.rsplit("/", 1)[1] == compiled_wheel_filename(wheel_url.rsplit("/", 1)[1], data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "esrok_recovery/__pycache__/__init__.cpython-314.pyc" in z.namelist()
    assert [p.name for p in (built_site.dir / "assets" / "engine").glob("*.whl")] == [wheel_url.rsplit("/", 1)[1]]
