"""Unit tests for hooks/pyodide_runtime.py (pure helpers + one tiny real build)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.pyodide_runtime import (
    FIX, MANIFEST_NAME, RUNTIME_FILES, RuntimeCheckError, locked_version, runtime_problems,
    verify_runtime,
)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "hooks" / MANIFEST_NAME).read_text())
GOOD = dict(MANIFEST["files"])


def test_manifest_pins_the_locked_version_and_all_five_files():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert MANIFEST["version"] == locked_version(lock) == "314.0.7"
    assert sorted(MANIFEST["files"]) == sorted(RUNTIME_FILES)


def test_locked_version_missing_entry_names_the_field():
    with pytest.raises(RuntimeCheckError) as e:
        locked_version({"packages": {}})
    assert str(e.value) == ('package-lock.json: no "packages" -> "node_modules/pyodide" -> "version"; '
                            "pin pyodide in package.json and run `npm install` once to write the lock")


def test_no_problems_when_everything_matches():
    assert runtime_problems(MANIFEST, "314.0.7", "314.0.7", GOOD) == []


def test_installed_version_differs_from_lock():
    assert runtime_problems(MANIFEST, "314.0.7", "314.0.6", GOOD) == [
        f"node_modules/pyodide is version 314.0.6 but package-lock.json pins 314.0.7; {FIX}"]


def test_missing_package_and_missing_file():
    digests = dict(GOOD, **{"pyodide.asm.wasm": None})
    assert runtime_problems(MANIFEST, "314.0.7", None, digests) == [
        f"node_modules/pyodide/package.json is missing; {FIX}",
        f"node_modules/pyodide/pyodide.asm.wasm is missing; {FIX}",
    ]


def test_hash_mismatch_names_file_both_hashes_and_fix():
    digests = dict(GOOD, **{"python_stdlib.zip": "0" * 64})
    assert runtime_problems(MANIFEST, "314.0.7", "314.0.7", digests) == [
        f"node_modules/pyodide/python_stdlib.zip has sha256 {'0' * 64}, expected "
        f"{GOOD['python_stdlib.zip']} (pyodide 314.0.7); {FIX}"]


def test_manifest_for_another_version_is_reported():
    problems = runtime_problems(dict(MANIFEST, version="315.0.0"), "314.0.7", "314.0.7", GOOD)
    assert problems == [f"hooks/{MANIFEST_NAME} is for pyodide 315.0.0 but package-lock.json pins 314.0.7; "
                        "update the manifest's version and hashes together with the pin"]


def test_the_installed_runtime_verifies():
    version, paths = verify_runtime(ROOT)
    assert version == "314.0.7"
    assert [p.name for p in paths.values()] == list(RUNTIME_FILES)


def _fake_root(tmp_path: Path, corrupt: str | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "package-lock.json").write_text((ROOT / "package-lock.json").read_text())
    pkg = tmp_path / "node_modules" / "pyodide"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text((ROOT / "node_modules/pyodide/package.json").read_text())
    for name in RUNTIME_FILES:
        if name == corrupt:
            (pkg / name).write_bytes(b"not the runtime")
        else:
            os.symlink(ROOT / "node_modules" / "pyodide" / name, pkg / name)
    return tmp_path


def test_corrupt_file_fails_verification(tmp_path):
    with pytest.raises(RuntimeCheckError) as e:
        verify_runtime(_fake_root(tmp_path, corrupt="pyodide.mjs"))
    assert "node_modules/pyodide/pyodide.mjs has sha256" in str(e.value)
    assert "run `npm ci`" in str(e.value)


def test_build_copies_runtime_and_fails_cleanly_when_corrupt(tmp_path):
    """A tiny real `mkdocs build --strict` with only this hook: good runtime -> 5 files under
    assets/pyodide/; corrupt runtime -> one clear error, no traceback, nothing built."""
    def build(root: Path):
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / "index.md").write_text("# Hi\n")
        (root / "mkdocs.yml").write_text(
            f"site_name: t\nhooks:\n  - {ROOT / 'hooks' / 'pyodide_runtime.py'}\n")
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                              capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))

    good = _fake_root(tmp_path / "good")
    proc = build(good)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (good / "site" / "assets" / "pyodide").iterdir()) == sorted(RUNTIME_FILES)
    assert not (good / "docs" / "assets").exists()  # never writes into docs/

    bad = _fake_root(tmp_path / "bad", corrupt="pyodide.asm.wasm")
    proc = build(bad)
    assert proc.returncode == 1
    assert "Pyodide runtime check failed" in proc.stderr
    assert "node_modules/pyodide/pyodide.asm.wasm has sha256" in proc.stderr
    assert "Traceback" not in proc.stderr
