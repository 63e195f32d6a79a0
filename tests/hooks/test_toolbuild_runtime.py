"""Step 1 of the tool build, hooks/toolbuild/runtime.py: the pinned Pyodide runtime, checked."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_support import runtime_root  # noqa: E402
from hooks.toolbuild.runtime import (
    FIX, MANIFEST, MANIFEST_NAME, RUNTIME_FILES, RuntimeCheckError, locked_version, runtime_dir, runtime_files,
    runtime_problems,
)

ROOT = Path(__file__).resolve().parents[2]
PINNED = json.loads(MANIFEST.read_text())
GOOD = dict(PINNED["files"])


def test_manifest_pins_the_locked_version_and_all_five_files():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert PINNED["version"] == locked_version(lock) == "314.0.7"
    assert sorted(PINNED["files"]) == sorted(RUNTIME_FILES)


def test_locked_version_missing_entry_names_the_field():
    with pytest.raises(RuntimeCheckError) as e:
        locked_version({"packages": {}})
    assert str(e.value) == ('package-lock.json: no "packages" -> "node_modules/pyodide" -> "version"; '
                            "pin pyodide in package.json and run `npm install` once to write the lock")


def test_no_problems_when_everything_matches():
    assert runtime_problems(PINNED, "314.0.7", "314.0.7", GOOD) == []


def test_installed_version_differs_from_lock():
    assert runtime_problems(PINNED, "314.0.7", "314.0.6", GOOD) == [
        f"node_modules/pyodide is version 314.0.6 but package-lock.json pins 314.0.7; {FIX}"]


def test_missing_package_and_missing_file():
    digests = dict(GOOD, **{"pyodide.asm.wasm": None})
    assert runtime_problems(PINNED, "314.0.7", None, digests) == [
        f"node_modules/pyodide/package.json is missing; {FIX}",
        f"node_modules/pyodide/pyodide.asm.wasm is missing; {FIX}",
    ]


def test_hash_mismatch_names_file_both_hashes_and_fix():
    digests = dict(GOOD, **{"python_stdlib.zip": "0" * 64})
    assert runtime_problems(PINNED, "314.0.7", "314.0.7", digests) == [
        f"node_modules/pyodide/python_stdlib.zip has sha256 {'0' * 64}, expected "
        f"{GOOD['python_stdlib.zip']} (pyodide 314.0.7); {FIX}"]


def test_manifest_for_another_version_is_reported():
    problems = runtime_problems(dict(PINNED, version="315.0.0"), "314.0.7", "314.0.7", GOOD)
    assert problems == [f"{MANIFEST_NAME} is for pyodide 315.0.0 but package-lock.json pins 314.0.7; "
                        "update the manifest's version and hashes together with the pin"]


def test_the_installed_runtime_verifies_and_is_served_from_a_content_named_directory():
    runtime = runtime_files(ROOT)
    assert runtime.version == "314.0.7"
    assert [p.name for _, p in runtime.files] == list(RUNTIME_FILES)
    assert runtime.dir == runtime_dir("314.0.7", dict(runtime.digests))
    assert runtime.dir.startswith("assets/pyodide/") and len(runtime.dir) == len("assets/pyodide/") + 13
    # a Pyodide bump (another version or other bytes) is another directory: no cache can mix them
    assert runtime_dir("314.0.8", dict(runtime.digests)) != runtime.dir
    assert runtime_dir("314.0.7", dict(runtime.digests, **{"pyodide.asm.wasm": "0" * 64})) != runtime.dir


def _fake_root(tmp_path: Path, corrupt: str | None = None) -> Path:
    return runtime_root(tmp_path, corrupt)


def test_corrupt_file_fails_verification(tmp_path):
    with pytest.raises(RuntimeCheckError) as e:
        runtime_files(_fake_root(tmp_path, corrupt="pyodide.mjs"))
    assert "node_modules/pyodide/pyodide.mjs has sha256" in str(e.value)
    assert "run `npm ci`" in str(e.value)
