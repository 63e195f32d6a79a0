"""MkDocs hook: ship the pinned Pyodide runtime under ``assets/pyodide/``.

Only the five files a bare ``loadPyodide()`` fetches are added to the built site,
straight from ``node_modules/pyodide`` (never into ``docs/``). Before that, the
installed package version must equal the one in ``package-lock.json`` and each file
must match the sha256 committed in ``hooks/pyodide-runtime.sha256.json`` (npm's lock
integrity covers the tarball, not single files). Any mismatch stops the build with a
message naming the file and the fix. No network.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
SITE_PREFIX = "assets/pyodide/"
MANIFEST_NAME = "pyodide-runtime.sha256.json"
FIX = "run `npm ci` in the project root to reinstall the pinned package"


class RuntimeCheckError(Exception):
    """The installed Pyodide runtime does not match the pinned one."""


# --- pure helpers -------------------------------------------------------------

def locked_version(package_lock: dict) -> str:
    """The Pyodide version pinned in a parsed package-lock.json."""
    entry = package_lock.get("packages", {}).get("node_modules/pyodide")
    if not isinstance(entry, dict) or not isinstance(entry.get("version"), str):
        raise RuntimeCheckError(
            'package-lock.json: no "packages" -> "node_modules/pyodide" -> "version"; '
            "pin pyodide in package.json and run `npm install` once to write the lock")
    return entry["version"]


def runtime_problems(manifest: dict, lock_version: str, installed_version: str | None,
                     digests: dict[str, str | None]) -> list[str]:
    """Every reason the installed runtime cannot be shipped (empty list = fine).

    ``digests`` maps each runtime file name to its sha256 hex digest, or None if absent.
    """
    problems: list[str] = []
    if manifest.get("version") != lock_version:
        problems.append(
            f"hooks/{MANIFEST_NAME} is for pyodide {manifest.get('version')} but package-lock.json "
            f"pins {lock_version}; update the manifest's version and hashes together with the pin")
    if installed_version is None:
        problems.append(f"node_modules/pyodide/package.json is missing; {FIX}")
    elif installed_version != lock_version:
        problems.append(
            f"node_modules/pyodide is version {installed_version} but package-lock.json pins "
            f"{lock_version}; {FIX}")
    expected = manifest.get("files", {})
    for name in RUNTIME_FILES:
        want = expected.get(name)
        got = digests.get(name)
        if want is None:
            problems.append(f"hooks/{MANIFEST_NAME} has no sha256 for {name}; add it")
        elif got is None:
            problems.append(f"node_modules/pyodide/{name} is missing; {FIX}")
        elif got != want:
            problems.append(
                f"node_modules/pyodide/{name} has sha256 {got}, expected {want} "
                f"(pyodide {lock_version}); {FIX}")
    return problems


# --- thin I/O -----------------------------------------------------------------

_digest_cache: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str | None:
    """sha256 of a file, cached by (path, size, mtime) so previews don't re-hash 14 MB."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _digest_cache:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _digest_cache[key] = h.hexdigest()
    return _digest_cache[key]


def verify_runtime(root: Path) -> tuple[str, dict[str, Path]]:
    """Check the installed runtime under ``root``; return (version, {file name: path})."""
    pkg_dir = root / "node_modules" / "pyodide"
    try:
        lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuntimeCheckError("package-lock.json is missing; restore it from git") from None
    except json.JSONDecodeError as e:
        raise RuntimeCheckError(f"package-lock.json is not valid JSON ({e}); restore it from git") from None
    version = locked_version(lock)
    manifest = json.loads((Path(__file__).parent / MANIFEST_NAME).read_text(encoding="utf-8"))
    try:
        installed = json.loads((pkg_dir / "package.json").read_text(encoding="utf-8")).get("version")
    except FileNotFoundError:
        installed = None
    digests = {name: file_sha256(pkg_dir / name) for name in RUNTIME_FILES}
    problems = runtime_problems(manifest, version, installed, digests)
    if problems:
        raise RuntimeCheckError("Pyodide runtime check failed:\n  - " + "\n  - ".join(problems))
    return version, {name: pkg_dir / name for name in RUNTIME_FILES}


# --- MkDocs events ------------------------------------------------------------

_runtime: dict[str, Path] = {}


def on_config(config):
    from mkdocs.exceptions import PluginError

    root = Path(config.config_file_path).resolve().parent
    try:
        version, paths = verify_runtime(root)
    except RuntimeCheckError as e:
        raise PluginError(str(e)) from None
    _runtime.clear()
    _runtime.update(paths)
    config.extra["esrok_pyodide"] = {"path": SITE_PREFIX, "version": version}
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    for name, path in _runtime.items():
        files.append(File.generated(config, SITE_PREFIX + name, abs_src_path=str(path)))
    return files
