"""Step 2, engine wheel: ``tool/esrok_recovery`` and ``tool/esrok_boot`` as one standard wheel.

Consumes ``pyproject.toml``, ``README.md`` (the wheel's long description) and the packages
under ``tool/``. Produces :class:`Wheel`: the bytes the project's own pinned build backend
(setuptools, through the pinned ``build`` frontend, no isolation, so no network) writes from a
staging copy of those files with ``SOURCE_DATE_EPOCH`` set and fixed file modes: the same
sources always give the same bytes (``tests/hooks/test_toolbuild_wheel.py`` builds twice).
The site serves it from ``assets/engine/<hash>/`` under the backend's own file name, and its
``fingerprint`` (a digest of the engine's ``.py`` sources, :func:`esrok_boot.source_fingerprint`)
lets the page check which engine its worker runs. Cached by a hash of the staged files.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .cache import StepCache, bytes_digest, key

STEP = "wheel"
SITE_PREFIX = "assets/engine/"
PACKAGES = ("esrok_recovery", "esrok_boot")
INCLUDE_SUFFIXES = (".py", ".json", ".typed")
PROJECT_FILES = ("pyproject.toml", "README.md")
SOURCE_DATE_EPOCH = "1764374400"  # 2025-11-29 00:00 UTC: any fixed instant makes the zip reproducible
BACKEND = "setuptools.build_meta via build (pinned in requirements.txt)"


class WheelError(Exception):
    """The engine sources cannot be packaged."""


@dataclass(frozen=True)
class Wheel:
    filename: str
    data: bytes
    sha256: str
    fingerprint: str  # of the engine package's .py sources, as esrok_boot.fingerprint() computes it
    sources: tuple[tuple[str, bytes], ...]  # ("esrok_recovery/x.py", bytes): what the bytecode step compiles

    @property
    def url(self) -> str:
        return f"{SITE_PREFIX}{self.sha256[:12]}/{self.filename}"


def _boot_module(root: Path):
    spec = importlib.util.spec_from_file_location("_esrok_boot_for_build", root / "tool" / "esrok_boot" / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def staged_files(root: Path) -> dict[str, bytes]:
    """Every file the backend needs, keyed by its path in the staging tree."""
    out: dict[str, bytes] = {}
    for name in PROJECT_FILES:
        path = root / name
        if not path.is_file():
            raise WheelError(f"{name} is missing; restore it from git")
        out[name] = path.read_bytes()
    for package in PACKAGES:
        pkg = root / "tool" / package
        found = [p for p in sorted(pkg.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
                 and p.name.endswith(INCLUDE_SUFFIXES)] if pkg.is_dir() else []
        if not any(p.name == "__init__.py" for p in found):
            raise WheelError(f"no sources found under tool/{package}/; restore them from git")
        for p in found:
            out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def build_wheel(staged: dict[str, bytes], out_dir: Path) -> Path:
    """Run the pinned backend on a staging copy of ``staged``; returns the wheel's path."""
    from build import ProjectBuilder
    from pyproject_hooks import quiet_subprocess_runner

    stage = out_dir / "stage"
    for rel, data in staged.items():
        path = stage / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, 0o644)
    for d in [stage, *(p for p in stage.rglob("*") if p.is_dir())]:
        os.chmod(d, 0o755)

    def runner(cmd, cwd=None, extra_environ=None):
        env = {**(extra_environ or {}), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONHASHSEED": "0"}
        quiet_subprocess_runner(cmd, cwd, env)

    builder = ProjectBuilder(stage, python_executable=sys.executable, runner=runner)
    try:
        path = Path(builder.build("wheel", out_dir / "dist"))
    except Exception as e:  # the backend's own message, without a traceback
        raise WheelError(f"the build backend failed ({type(e).__name__}: {e})") from None
    shutil.rmtree(stage)
    return path


def engine_wheel(root: Path, cache: StepCache) -> Wheel:
    staged = staged_files(root)
    digest = key(STEP, BACKEND, SOURCE_DATE_EPOCH, *(f"{p}={bytes_digest(d)}" for p, d in sorted(staged.items())))

    def make(tmp: Path) -> None:
        built = build_wheel(staged, tmp)
        built.rename(tmp / built.name)
        shutil.rmtree(tmp / "dist")

    entry = cache.entry(STEP, digest, make)
    path = next(entry.glob("*.whl"))
    data = path.read_bytes()
    engine = {p.removeprefix("tool/"): d for p, d in staged.items()
              if p.startswith(f"tool/{PACKAGES[0]}/") and p.endswith(".py")}
    sources = tuple(sorted((p.removeprefix("tool/"), d) for p, d in staged.items()
                           if p.startswith("tool/") and p.endswith(".py")))
    return Wheel(path.name, data, bytes_digest(data), _boot_module(root).source_fingerprint(engine), sources)
