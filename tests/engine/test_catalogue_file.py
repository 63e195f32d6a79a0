"""esrok_recovery.catalogue_file: how the CLI finds and reads the service catalogue."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from esrok_recovery import catalogue_file
from esrok_recovery.catalogue_file import (ENV_VAR, PROJECT_FILE, CatalogueFileError, catalogue_path,
                                           load_catalogue)

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "services" / "golden" / "snapshot-catalogue.json"


def test_the_default_is_the_projects_data_file():
    assert PROJECT_FILE == ROOT / "data" / "services" / "catalogue.json"
    assert catalogue_path(env={}) == PROJECT_FILE
    assert catalogue_path(env={ENV_VAR: "/x/c.json"}) == Path("/x/c.json")
    assert catalogue_path("given.json", env={ENV_VAR: "/x/c.json"}) == Path("given.json")


def test_loads_the_project_catalogue():
    catalogue = load_catalogue(env={})
    assert catalogue.get("github.com").name == "GitHub" and len(catalogue) > 2500


def test_loads_a_named_file_and_the_environment_variable():
    assert len(load_catalogue(GOLDEN)) == 19
    assert len(load_catalogue(env={ENV_VAR: str(GOLDEN)})) == 19


def test_missing_file_messages(tmp_path):
    with pytest.raises(CatalogueFileError) as e:
        load_catalogue(tmp_path / "none.json")
    assert e.value.lines == (f"{tmp_path / 'none.json'}: no service catalogue here; check the path",)
    with pytest.raises(CatalogueFileError) as e:
        load_catalogue(env={ENV_VAR: str(tmp_path / "gone.json")})
    assert str(e.value) == (f"{tmp_path / 'gone.json'}: no service catalogue here; pass --services FILE or set "
                            f"ESROK_SERVICES; the file ships in the project's data/services/ folder")
    with pytest.raises(CatalogueFileError) as e:
        load_catalogue(tmp_path)
    assert str(e.value) == f"{tmp_path}: is a directory; name the catalogue.json file"


def test_malformed_catalogue_lists_every_problem_with_file_and_field(tmp_path):
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    data["services"][0]["methods"] = ["u2f"]
    data["services"][3]["documentation"] = "not a link"
    bad = tmp_path / "catalogue.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueFileError) as e:
        load_catalogue(bad)
    assert e.value.lines == (
        f'{bad}: services[0].methods[0]: "u2f" is 2FA Directory\'s name; write "security_key"',
        f'{bad}: services[3].documentation: "not a link" is not a web address; write a full https:// link, '
        f"or remove the key",
    )
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogueFileError) as e:
        load_catalogue(bad)
    assert str(e.value) == (f"{bad}: (catalogue): invalid JSON at line 1, column 2: Expecting property name "
                            f"enclosed in double quotes; fix the syntax")


def test_the_data_is_not_inside_the_engine_package():
    """The browser wheel packs tool/esrok_recovery/*.json: the catalogue must not be there."""
    package = Path(catalogue_file.__file__).parent
    assert not list(package.rglob("*catalogue*.json"))
    assert all(p.stat().st_size < 100_000 for p in package.rglob("*.json"))


def test_an_installed_copy_outside_the_checkout_needs_a_path(tmp_path):
    """Installed away from the project (no data/ next to it), the loader says what to do."""
    pkg = tmp_path / "lib" / "site" / "esrok_recovery"
    shutil.copytree(ROOT / "tool" / "esrok_recovery", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    code = ("from esrok_recovery.catalogue_file import load_catalogue, CatalogueFileError\n"
            "try:\n    load_catalogue(env={})\nexcept CatalogueFileError as e:\n    print(e)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(pkg.parent)}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    expected = tmp_path / "lib" / "data" / "services" / "catalogue.json"
    assert proc.stdout == (f"{expected}: no service catalogue here; pass --services FILE or set ESROK_SERVICES; "
                           f"the file ships in the project's data/services/ folder\n")
