"""Step 2 of the tool build, hooks/toolbuild/wheel.py: the engine wheel from the pinned standard
backend, reproducible byte for byte, cached by content hash."""
from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hooks.toolbuild.cache import StepCache
from hooks.toolbuild.wheel import WheelError, build_wheel, engine_wheel, staged_files

ROOT = Path(__file__).resolve().parents[2]


def test_two_builds_from_scratch_are_identical_byte_for_byte(tmp_path):
    staged = staged_files(ROOT)
    a = build_wheel(staged, tmp_path / "a").read_bytes()
    b = build_wheel(staged, tmp_path / "b").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 11, 29, 0, 0, 0)}  # SOURCE_DATE_EPOCH


def test_wheel_holds_the_engine_and_the_boot_helpers_with_a_valid_record(tmp_path):
    w = engine_wheel(ROOT, StepCache(tmp_path))
    assert w.filename == "esrok_recovery-1.0.0-py3-none-any.whl"  # the backend's own name
    assert w.url == f"assets/engine/{w.sha256[:12]}/{w.filename}" and w.sha256 == hashlib.sha256(w.data).hexdigest()
    with zipfile.ZipFile(io.BytesIO(w.data)) as z:
        names = set(z.namelist())
        assert {"esrok_recovery/__init__.py", "esrok_recovery/example_plan.json", "esrok_boot/__init__.py"} <= names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        for line in z.read(record).decode().splitlines():
            path, digest, size = line.rsplit(",", 2)
            if path == record:
                continue
            data = z.read(path)
            want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={want}", len(data)), path


def test_fingerprint_is_what_esrok_boot_computes_from_the_installed_package(tmp_path):
    w = engine_wheel(ROOT, StepCache(tmp_path))
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(io.BytesIO(w.data)) as z:
        z.extractall(site)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import esrok_boot as b; "
            "b.site_packages = lambda: sys.argv[1]; print(b.fingerprint())")
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(site)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == w.fingerprint and len(w.fingerprint) == 16


def test_cached_by_content_and_rebuilt_when_a_source_changes(tmp_path):
    tree = tmp_path / "tree"
    for rel in ("pyproject.toml", "README.md"):
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tree / rel)
    shutil.copytree(ROOT / "tool", tree / "tool", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    cache = StepCache(tmp_path / "cache")
    first = engine_wheel(tree, cache)
    entry = next((tmp_path / "cache" / "wheel").iterdir())
    stamp = (entry / first.filename).stat().st_mtime_ns
    assert engine_wheel(tree, cache) == first and (entry / first.filename).stat().st_mtime_ns == stamp
    init = tree / "tool" / "esrok_recovery" / "__init__.py"
    init.write_text(init.read_text() + "\n# changed\n")
    second = engine_wheel(tree, cache)
    assert second.sha256 != first.sha256 and second.fingerprint != first.fingerprint
    assert second.url != first.url  # a new engine is a new URL: never served from an old cache
    assert len(list((tmp_path / "cache" / "wheel").iterdir())) == 2


def test_missing_sources_are_a_clear_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "README.md").write_text("x")
    with pytest.raises(WheelError) as e:
        staged_files(tmp_path)
    assert str(e.value) == "no sources found under tool/esrok_recovery/; restore them from git"


def test_real_wheel_imports_and_answers(tmp_path):
    """The wheel is importable on its own and answers the boundary calls."""
    w = engine_wheel(ROOT, StepCache(tmp_path / "c"))
    path = tmp_path / w.filename
    path.write_bytes(w.data)
    code = ("import sys, json; sys.path.insert(0, sys.argv[1]); import esrok_recovery as e; "
            "assert e.__file__.startswith(sys.argv[1]); "
            "print(json.loads(e.questions_json())['version'], json.loads(e.evaluate_json('{}'))['ok'])")
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "False"]
