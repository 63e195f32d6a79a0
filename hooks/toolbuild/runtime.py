"""Step 1, runtime files: the pinned Pyodide runtime, checked.

Consumes ``package-lock.json``, ``node_modules/pyodide/`` and the committed per-file sha256
manifest (``pyodide-runtime.sha256.json`` beside this file; npm's lock integrity covers the
tarball, not single files). Produces :class:`Runtime`: the version, the five files a bare
``loadPyodide()`` fetches, and the site directory they are served from,
``assets/pyodide/<hash>/``, named by a hash of their contents, so a Pyodide bump never serves
one version's ``pyodide.mjs`` next to another's wasm from any cache. Any mismatch stops the
build with a message naming the file and the fix. No network.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .cache import file_digest, key

RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
SITE_PREFIX = "assets/pyodide/"
MANIFEST = Path(__file__).with_name("pyodide-runtime.sha256.json")
MANIFEST_NAME = "hooks/toolbuild/pyodide-runtime.sha256.json"
FIX = "run `npm ci` in the project root to reinstall the pinned package"


class RuntimeCheckError(Exception):
    """The installed Pyodide runtime does not match the pinned one."""


@dataclass(frozen=True)
class Runtime:
    version: str
    files: tuple[tuple[str, Path], ...]      # (file name, path in node_modules/pyodide)
    digests: tuple[tuple[str, str], ...]     # (file name, sha256)
    dir: str                                 # site directory, "assets/pyodide/<hash>/"

    def path(self, name: str) -> Path:
        return dict(self.files)[name]

    @property
    def digest(self) -> str:
        return key(self.version, *(f"{n}={d}" for n, d in self.digests))


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
    """Every reason the installed runtime cannot be shipped (empty list = fine)."""
    problems: list[str] = []
    if manifest.get("version") != lock_version:
        problems.append(
            f"{MANIFEST_NAME} is for pyodide {manifest.get('version')} but package-lock.json "
            f"pins {lock_version}; update the manifest's version and hashes together with the pin")
    if installed_version is None:
        problems.append(f"node_modules/pyodide/package.json is missing; {FIX}")
    elif installed_version != lock_version:
        problems.append(
            f"node_modules/pyodide is version {installed_version} but package-lock.json pins "
            f"{lock_version}; {FIX}")
    expected = manifest.get("files", {})
    for name in RUNTIME_FILES:
        want, got = expected.get(name), digests.get(name)
        if want is None:
            problems.append(f"{MANIFEST_NAME} has no sha256 for {name}; add it")
        elif got is None:
            problems.append(f"node_modules/pyodide/{name} is missing; {FIX}")
        elif got != want:
            problems.append(
                f"node_modules/pyodide/{name} has sha256 {got}, expected {want} "
                f"(pyodide {lock_version}); {FIX}")
    return problems


def runtime_dir(version: str, digests: dict[str, str]) -> str:
    return f"{SITE_PREFIX}{key(version, *(f'{n}={digests[n]}' for n in sorted(digests)))[:12]}/"


def runtime_files(root: Path, manifest_path: Path = MANIFEST) -> Runtime:
    """Check the runtime installed under ``root``; raise RuntimeCheckError with every problem."""
    pkg_dir = root / "node_modules" / "pyodide"
    try:
        lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuntimeCheckError("package-lock.json is missing; restore it from git") from None
    except json.JSONDecodeError as e:
        raise RuntimeCheckError(f"package-lock.json is not valid JSON ({e}); restore it from git") from None
    version = locked_version(lock)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    try:
        installed = json.loads((pkg_dir / "package.json").read_text(encoding="utf-8")).get("version")
    except FileNotFoundError:
        installed = None
    digests = {n: (file_digest(pkg_dir / n) if (pkg_dir / n).is_file() else None) for n in RUNTIME_FILES}
    problems = runtime_problems(manifest, version, installed, digests)
    if problems:
        raise RuntimeCheckError("Pyodide runtime check failed:\n  - " + "\n  - ".join(problems))
    return Runtime(version, tuple((n, pkg_dir / n) for n in RUNTIME_FILES),
                   tuple((n, digests[n]) for n in RUNTIME_FILES), runtime_dir(version, digests))
