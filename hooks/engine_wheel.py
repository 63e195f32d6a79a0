"""MkDocs hook: build the engine wheel from ``tool/`` and add it to the site.

The wheel is written by a small deterministic stdlib writer (sorted entries, fixed
timestamps), so the same sources always give the same bytes. Its file name carries a
content hash of the sources (as the wheel build tag), so a new engine is never served
from an old cache. Built wheels are cached in ``.cache/esrok/engine-wheel/`` by that
hash, so previews don't rebuild. The URL and sha256 go to the tool page through
``config.extra["esrok_engine"]``. Never writes into docs/, no network.
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

SITE_PREFIX = "assets/engine/"
PACKAGE = "esrok_recovery"
BUILDER = "esrok-wheel-writer 1"  # part of the hash: change it when the writer changes
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
INCLUDE_SUFFIXES = (".py", ".json", ".typed")


@dataclass(frozen=True)
class Project:
    name: str          # distribution name as declared, e.g. "esrok-recovery"
    version: str
    summary: str
    requires_python: str
    scripts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Wheel:
    filename: str
    data: bytes
    sha256: str


class WheelError(Exception):
    """The engine sources cannot be packaged."""


# --- pure helpers -------------------------------------------------------------

def parse_project(pyproject_text: str) -> Project:
    try:
        data = tomllib.loads(pyproject_text)
    except tomllib.TOMLDecodeError as e:
        raise WheelError(f"pyproject.toml is not valid TOML ({e}); fix the file") from None
    proj = data.get("project")
    if not isinstance(proj, dict):
        raise WheelError("pyproject.toml has no [project] table; restore it from git")
    for key in ("name", "version"):
        if not isinstance(proj.get(key), str):
            raise WheelError(f"pyproject.toml: project.{key} must be a string")
    return Project(
        name=proj["name"], version=proj["version"], summary=str(proj.get("description", "")),
        requires_python=str(proj.get("requires-python", "")),
        scripts=tuple(sorted((proj.get("scripts") or {}).items())),
    )


def normalized_name(name: str) -> str:
    """Wheel file/dist-info form of a distribution name (PEP 427/503)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def source_digest(project: Project, sources: dict[str, bytes]) -> str:
    """sha256 over the builder version, the project metadata and every source file."""
    h = hashlib.sha256()
    h.update(BUILDER.encode())
    h.update(repr(project).encode())
    for path in sorted(sources):
        h.update(b"\0" + path.encode() + b"\0" + hashlib.sha256(sources[path]).digest())
    return h.hexdigest()


def build_tag(digest: str) -> str:
    """A wheel build tag must start with a digit: '0' + 12 hex digits of the source hash."""
    return "0" + digest[:12]


def wheel_filename(project: Project, tag: str) -> str:
    return f"{normalized_name(project.name)}-{project.version}-{tag}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest},{len(data)}"


def build_wheel(project: Project, sources: dict[str, bytes], tag: str) -> bytes:
    """The wheel's bytes; ``sources`` maps paths inside the wheel (e.g.
    'esrok_recovery/__init__.py') to contents. Deterministic for equal inputs."""
    if not sources:
        raise WheelError(f"no engine sources found under tool/{PACKAGE}/; restore them from git")
    dist_info = f"{normalized_name(project.name)}-{project.version}.dist-info"
    metadata = "\n".join(
        ["Metadata-Version: 2.1", f"Name: {project.name}", f"Version: {project.version}"]
        + ([f"Summary: {project.summary}"] if project.summary else [])
        + ([f"Requires-Python: {project.requires_python}"] if project.requires_python else [])
    ) + "\n"
    wheel_meta = ("Wheel-Version: 1.0\nGenerator: esrok hooks/engine_wheel.py\n"
                  f"Root-Is-Purelib: true\nBuild: {tag}\nTag: py3-none-any\n")
    entries = dict(sorted(sources.items()))
    entries[f"{dist_info}/METADATA"] = metadata.encode()
    entries[f"{dist_info}/WHEEL"] = wheel_meta.encode()
    if project.scripts:
        eps = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in project.scripts)
        entries[f"{dist_info}/entry_points.txt"] = eps.encode()
    entries[f"{dist_info}/top_level.txt"] = f"{PACKAGE}\n".encode()
    record_lines = [f"{path},{_record_hash(data)}" for path, data in entries.items()]
    record_lines.append(f"{dist_info}/RECORD,,")
    entries[f"{dist_info}/RECORD"] = ("\n".join(record_lines) + "\n").encode()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def make_wheel(project: Project, sources: dict[str, bytes]) -> Wheel:
    tag = build_tag(source_digest(project, sources))
    data = build_wheel(project, sources, tag)
    return Wheel(wheel_filename(project, tag), data, hashlib.sha256(data).hexdigest())


# --- thin I/O -----------------------------------------------------------------

def read_sources(root: Path) -> dict[str, bytes]:
    """Package files under tool/esrok_recovery/, keyed by their path inside the wheel."""
    pkg = root / "tool" / PACKAGE
    out: dict[str, bytes] = {}
    if pkg.is_dir():
        for path in sorted(pkg.rglob("*")):
            if (path.is_file() and "__pycache__" not in path.parts
                    and path.name.endswith(INCLUDE_SUFFIXES)):
                out[path.relative_to(root / "tool").as_posix()] = path.read_bytes()
    return out


def wheel_for_tree(root: Path, cache_dir: Path | None = None) -> Wheel:
    """Build (or fetch from ``cache_dir``) the wheel for the sources under ``root``."""
    project = parse_project((root / "pyproject.toml").read_text(encoding="utf-8"))
    sources = read_sources(root)
    tag = build_tag(source_digest(project, sources))
    name = wheel_filename(project, tag)
    cached = cache_dir / name if cache_dir else None
    if cached is not None and cached.is_file():
        data = cached.read_bytes()
        return Wheel(name, data, hashlib.sha256(data).hexdigest())
    wheel = make_wheel(project, sources)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / (name + ".tmp")
        tmp.write_bytes(wheel.data)
        tmp.replace(cached)
    return wheel


# --- MkDocs events ------------------------------------------------------------

_wheel: list[Wheel] = []


def on_config(config):
    from mkdocs.exceptions import PluginError

    root = Path(config.config_file_path).resolve().parent
    try:
        wheel = wheel_for_tree(root, root / ".cache" / "esrok" / "engine-wheel")
    except WheelError as e:
        raise PluginError(f"engine wheel: {e}") from None
    _wheel[:] = [wheel]
    config.extra["esrok_engine"] = {"path": SITE_PREFIX + wheel.filename, "sha256": wheel.sha256,
                                    "size": len(wheel.data)}
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    wheel = _wheel[0]
    files.append(File.generated(config, SITE_PREFIX + wheel.filename, content=wheel.data))
    return files
