"""Unit tests for hooks/engine_wheel.py: deterministic, content-hashed, valid, cached."""
from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from hooks.engine_wheel import (
    FIXED_TIME, Project, WheelError, build_tag, make_wheel, parse_project, read_sources,
    source_digest, wheel_filename, wheel_for_tree,
)

ROOT = Path(__file__).resolve().parents[2]
PROJECT = Project(name="esrok-recovery", version="1.0.0", summary="Engine", requires_python=">=3.11",
                  scripts=(("esrok-recovery", "esrok_recovery.cli:main"),))
SOURCES = {
    "esrok_recovery/__init__.py": b"def questions_json():\n    return '{\"version\": 1}'\n",
    "esrok_recovery/data.json": b"{}\n",
}


def test_parse_project_reads_the_real_pyproject():
    p = parse_project((ROOT / "pyproject.toml").read_text())
    assert (p.name, p.version) == ("esrok-recovery", "1.0.0")
    assert p.scripts == (("esrok-recovery", "esrok_recovery.cli:main"),)


@pytest.mark.parametrize("text, message", [
    ("[project\n", "pyproject.toml is not valid TOML"),
    ("[tool.x]\n", "pyproject.toml has no [project] table; restore it from git"),
    ("[project]\nname = 'x'\n", "pyproject.toml: project.version must be a string"),
])
def test_parse_project_errors(text, message):
    with pytest.raises(WheelError) as e:
        parse_project(text)
    assert str(e.value).startswith(message)


def test_same_sources_give_identical_bytes_and_name():
    a, b = make_wheel(PROJECT, SOURCES), make_wheel(PROJECT, dict(reversed(list(SOURCES.items()))))
    assert a == b
    assert a.filename == f"esrok_recovery-1.0.0-{build_tag(source_digest(PROJECT, SOURCES))}-py3-none-any.whl"
    assert a.sha256 == hashlib.sha256(a.data).hexdigest()


def test_changed_source_changes_the_hashed_name():
    a = make_wheel(PROJECT, SOURCES)
    b = make_wheel(PROJECT, dict(SOURCES, **{"esrok_recovery/data.json": b"{\"x\": 1}\n"}))
    assert a.filename != b.filename and a.sha256 != b.sha256


def test_build_tag_starts_with_a_digit_as_pep427_requires():
    assert build_tag("ab" * 32) == "0abababababab"
    assert wheel_filename(PROJECT, "0abc") == "esrok_recovery-1.0.0-0abc-py3-none-any.whl"


def test_wheel_is_valid_record_matches_and_timestamps_fixed():
    w = make_wheel(PROJECT, SOURCES)
    with zipfile.ZipFile(BytesIO(w.data)) as zf:
        names = zf.namelist()
        assert names[:2] == sorted(SOURCES)
        di = "esrok_recovery-1.0.0.dist-info"
        assert {f"{di}/METADATA", f"{di}/WHEEL", f"{di}/RECORD", f"{di}/entry_points.txt"} <= set(names)
        assert all(i.date_time == FIXED_TIME for i in zf.infolist())
        record = zf.read(f"{di}/RECORD").decode().splitlines()
        for line in record:
            path, digest, size = line.rsplit(",", 2)
            if path.endswith("RECORD"):
                assert digest == size == ""
                continue
            data = zf.read(path)
            want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={want}", len(data))
        assert "Root-Is-Purelib: true" in zf.read(f"{di}/WHEEL").decode()
        assert "Version: 1.0.0" in zf.read(f"{di}/METADATA").decode()


def test_no_sources_is_a_clear_error():
    with pytest.raises(WheelError) as e:
        make_wheel(PROJECT, {})
    assert str(e.value) == "no engine sources found under tool/esrok_recovery/; restore them from git"


def test_read_sources_skips_pycache_and_other_files(tmp_path):
    pkg = tmp_path / "tool" / "esrok_recovery"
    (pkg / "__pycache__").mkdir(parents=True)
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\0")
    (pkg / "notes.txt").write_text("no")
    (pkg / "py.typed").write_text("")
    assert sorted(read_sources(tmp_path)) == ["esrok_recovery/__init__.py", "esrok_recovery/py.typed"]


def test_wheel_for_tree_caches_by_content_hash(tmp_path):
    cache = tmp_path / "cache"
    first = wheel_for_tree(ROOT, cache)
    cached = cache / first.filename
    assert cached.read_bytes() == first.data
    stamp = cached.stat().st_mtime_ns
    again = wheel_for_tree(ROOT, cache)
    assert again == first and cached.stat().st_mtime_ns == stamp  # served from cache, not rebuilt


def test_real_wheel_imports_and_answers(tmp_path):
    """The wheel built from tool/ is importable on its own and answers the boundary calls."""
    w = wheel_for_tree(ROOT)
    path = tmp_path / w.filename
    path.write_bytes(w.data)
    code = ("import sys, json; sys.path.insert(0, sys.argv[1]); import esrok_recovery as e; "
            "assert e.__file__.startswith(sys.argv[1]); "
            "print(json.loads(e.questions_json())['version'], json.loads(e.evaluate_json('{}'))['ok'])")
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "False"]
