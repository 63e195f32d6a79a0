"""MkDocs hook: validate the service catalogue (data/services/) on every build.

A malformed entry fails the build once, with one line per problem:

    data/services/catalogue.json: services[12].methods[0]: "u2f" is 2FA Directory's name; write "security_key"

It also fails when the file is not in canonical form (sorted by domain, one service per
line, so refreshes stay readable diffs), when a licence file named by a source is
missing, or when a common choice of the picker is not in the catalogue. The checks are
pure (:func:`check_catalogue`); the hook only reads files. Nothing is written: emitting
the trimmed browser asset (``esrok_recovery.catalogue.browser_asset``) belongs to the
tool's build pipeline. Never touches the network.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

try:
    from esrok_recovery import catalogue as _cat
except ImportError:  # a checkout without the editable install
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tool"))
    from esrok_recovery import catalogue as _cat

CATALOGUE = "data/services/catalogue.json"
REFORMAT = ".venv/bin/python -m services.update --reformat"


class CatalogueCheckError(Exception):
    """The catalogue is invalid; ``lines`` are ``<file>: <field path>: <problem>; <fix>``."""


# --- pure helpers ---------------------------------------------------------------

def check_catalogue(data: bytes, file: str = CATALOGUE, exists: Callable[[str], bool] = lambda name: True,
                    common=_cat.COMMON_SERVICES) -> tuple[object | None, list[str]]:
    """Validate the catalogue file's bytes; returns ``(catalogue, [])`` or ``(None, problem lines)``.

    ``exists(name)`` tells whether a file next to the catalogue exists (licence files).
    """
    catalogue, problems = _cat.loads_services(data)
    if problems:
        return None, [f"{file}: {p}" for p in problems]
    lines: list[str] = []
    text = data.decode("utf-8")
    canonical = _cat.dump_catalogue(catalogue)
    if text != canonical:
        got, want = text.splitlines(), canonical.splitlines()
        n = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        lines.append(f"{file}: line {n + 1}: not in canonical form (services sorted by domain, one per line, "
                     f"keys in the documented order); run {REFORMAT}")
    for i, s in enumerate(catalogue.sources):
        if s.licence_file and not exists(s.licence_file):
            lines.append(f"{file}: sources[{i}].licence_file: {s.licence_file} is missing next to the catalogue; "
                         f"restore it from git (the {s.licence} licence text must ship with the data)")
    for c in common:
        found = catalogue.get(c.domain)
        if found is None or found.domain != c.domain:
            lines.append(f"{file}: services: no service \"{c.domain}\", which the picker offers first "
                         f"(COMMON_SERVICES in tool/esrok_recovery/catalogue.py); add the service back, "
                         f"or change that list")
    return (None, lines) if lines else (catalogue, [])


def report(lines: list[str]) -> str:
    n = len(lines)
    return "\n".join([f"Service catalogue check failed: {n} problem{'s' if n != 1 else ''} "
                      f"(see data/services/README.md)", *lines])


_checked: dict[tuple, object] = {}   # (file bytes, licence files present) -> catalogue: serve rebuilds skip the work


def validate(root: Path) -> object:
    """Read and check ``<root>/data/services/catalogue.json``; returns the catalogue or raises."""
    path = root / CATALOGUE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueCheckError(report([f"{CATALOGUE}: missing; restore it from git, or run "
                                          f"make update-services"])) from None
    licences = tuple(sorted(p.name for p in path.parent.glob("LICENSE*")))
    key = (hashlib.sha256(data).hexdigest(), licences, _cat.COMMON_SERVICES)
    if key in _checked:
        return _checked[key]
    catalogue, lines = check_catalogue(data, CATALOGUE, lambda name: name in licences)
    if lines:
        raise CatalogueCheckError(report(lines))
    _checked.clear()
    _checked[key] = catalogue
    return catalogue


# --- MkDocs hook --------------------------------------------------------------------

def on_pre_build(config):
    from mkdocs.exceptions import PluginError

    try:
        validate(Path(config.config_file_path).resolve().parent)
    except CatalogueCheckError as e:
        raise PluginError(str(e)) from None
