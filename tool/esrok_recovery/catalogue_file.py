"""The CLI's way to the service catalogue: read the project's data file (I/O; not the pure core).

The browser never uses this module: it loads the trimmed asset and passes the engine only
the entries a plan names. The CLI reads ``data/services/catalogue.json`` of the checkout
it is installed from (``make`` installs the engine editable, so the package sits in
``<project>/tool/esrok_recovery/``), or the file named by ``--services`` / ``$ESROK_SERVICES``.
The data is deliberately not packaged inside the engine, so the browser wheel stays small.

    catalogue = load_catalogue()            # or load_catalogue("path/to/catalogue.json")
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .catalogue import Catalogue, loads_services

ENV_VAR = "ESROK_SERVICES"
PROJECT_FILE = Path(__file__).resolve().parents[2] / "data" / "services" / "catalogue.json"


class CatalogueFileError(Exception):
    """The catalogue cannot be read; ``lines`` are ready to print (``<file>: <field>: <problem>``)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = tuple(lines)


def catalogue_path(path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Which file to read: ``path`` if given, else ``$ESROK_SERVICES``, else the project's data file."""
    if path is not None:
        return Path(path)
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR])
    return PROJECT_FILE


def load_catalogue(path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Catalogue:
    """Read and validate the catalogue; raises :class:`CatalogueFileError` with one line per problem."""
    file = catalogue_path(path, env)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        hint = (f"pass --services FILE or set {ENV_VAR}; the file ships in the project's "
                f"data/services/ folder" if path is None else "check the path")
        raise CatalogueFileError([f"{file}: no service catalogue here; {hint}"]) from None
    except IsADirectoryError:
        raise CatalogueFileError([f"{file}: is a directory; name the catalogue.json file"]) from None
    except OSError as e:
        raise CatalogueFileError([f"{file}: cannot read ({e.strerror})"]) from None
    catalogue, problems = loads_services(data)
    if problems:
        raise CatalogueFileError([f"{file}: {p}" for p in problems])
    return catalogue
