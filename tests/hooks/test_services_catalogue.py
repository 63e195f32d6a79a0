"""hooks/services_catalogue.py: the catalogue check's messages, and real `mkdocs build --strict`
runs of a small fixture site that fail with "<file>: <field path>: <problem>; <fix>"."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from esrok_recovery.catalogue import CommonChoice
from hooks.services_catalogue import CATALOGUE, CatalogueCheckError, check_catalogue, report, validate
from site_support import FIXTURE_CONFIG, ROOT, SITE_HOOKS, make_site, mkdocs_build

GOLDEN = ROOT / "tests" / "services" / "golden" / "snapshot-catalogue.json"
SAMPLE = GOLDEN.read_bytes()
NO_COMMON: tuple = ()


def edited(change) -> bytes:
    lines = SAMPLE.decode("utf-8").splitlines(keepends=True)
    data = json.loads(SAMPLE)
    change(data)
    head = lines[:lines.index('"services": [\n') + 1]
    body = ",\n".join(json.dumps(s, ensure_ascii=False) for s in data["services"])
    return ("".join(head) + body + "\n]\n}\n").encode("utf-8")


def test_the_project_catalogue_passes():
    catalogue = validate(ROOT)
    assert catalogue.get("github.com").name == "GitHub"


def test_the_sample_passes_and_lines_name_file_and_field():
    assert check_catalogue(SAMPLE, common=NO_COMMON)[1] == []

    def break_github(d):
        github = next(s for s in d["services"] if s["domain"] == "github.com")
        github["methods"][2] = "u2f"
        github["recovery"] = "docs.github.com/recover"
    catalogue, lines = check_catalogue(edited(break_github), common=NO_COMMON)
    assert catalogue is None
    assert lines == [
        f'{CATALOGUE}: services[5].methods[2]: "u2f" is 2FA Directory\'s name; write "security_key"',
        f'{CATALOGUE}: services[5].recovery: "docs.github.com/recover" is not a web address; '
        f"write a full https:// link, or remove the key",
    ]


def test_a_file_out_of_canonical_form_is_refused():
    def swap(d):
        d["services"][0], d["services"][1] = d["services"][1], d["services"][0]
    assert check_catalogue(edited(swap), common=NO_COMMON)[1] == [
        f"{CATALOGUE}: line 8: not in canonical form (services sorted by domain, one per line, keys in the "
        f"documented order); run .venv/bin/python -m services.update --reformat"]
    pretty = json.dumps(json.loads(SAMPLE), indent=2).encode()
    assert check_catalogue(pretty, common=NO_COMMON)[1][0].startswith(f"{CATALOGUE}: line 2: not in canonical form")


def test_missing_licence_file_and_missing_common_choice():
    _, lines = check_catalogue(SAMPLE, exists=lambda name: name != "LICENSE-passkeys.md",
                               common=(CommonChoice("github.com", "GitHub"), CommonChoice("gitlab.com", "GitLab"),
                                       CommonChoice("gmail.com", "Gmail")))
    assert lines == [
        f"{CATALOGUE}: sources[1].licence_file: LICENSE-passkeys.md is missing next to the catalogue; restore it "
        f"from git (the CC BY 4.0 licence text must ship with the data)",
        f'{CATALOGUE}: services: no service "gitlab.com", which the picker offers first (COMMON_SERVICES in '
        f"tool/esrok_recovery/catalogue.py); add the service back, or change that list",
        f'{CATALOGUE}: services: no service "gmail.com", which the picker offers first (COMMON_SERVICES in '
        f"tool/esrok_recovery/catalogue.py); add the service back, or change that list",
    ]


def test_report_and_a_missing_file(tmp_path):
    assert report(["a", "b"]) == ("Service catalogue check failed: 2 problems (see data/services/README.md)\na\nb")
    with pytest.raises(CatalogueCheckError) as e:
        validate(tmp_path)
    assert str(e.value).splitlines()[1] == f"{CATALOGUE}: missing; restore it from git, or run make update-services"


def test_an_unchanged_file_is_not_checked_twice_but_a_changed_one_is(tmp_path):
    data = tmp_path / "data" / "services"
    shutil.copytree(ROOT / "data" / "services", data)
    first = validate(tmp_path)
    assert validate(tmp_path) is first                       # serve rebuilds: same bytes, no work
    text = (data / "catalogue.json").read_text(encoding="utf-8")
    (data / "catalogue.json").write_text(text.replace('"name": "GitHub", ', ""), encoding="utf-8")
    with pytest.raises(CatalogueCheckError, match=r'services\[\d+\]: missing required key "name"; add it'):
        validate(tmp_path)
    (data / "catalogue.json").write_text(text, encoding="utf-8")
    (data / "LICENSE-passkeys.md").unlink()
    with pytest.raises(CatalogueCheckError, match="LICENSE-passkeys.md is missing next to the catalogue"):
        validate(tmp_path)


def test_every_validator_message_says_how_to_fix_it():
    """Each problem line is "<file>: <field path>: <problem>; <fix>"."""
    def break_all(d):
        d["services"][0].update(methods=["u2f", "x"], name=3, regions=["usa"], logo="a")
        d["services"][1].update(domain="Bad Domain", sources=["nope"])
    _, lines = check_catalogue(edited(break_all), common=NO_COMMON)
    assert len(lines) == 7
    for line in lines:
        file, field, rest = line.split(": ", 2)
        assert file == CATALOGUE and field.startswith("services[") and "; " in rest, line


# --- real builds of a fixture site ------------------------------------------------------

def fixture_site(tmp_path: Path, catalogue: bytes) -> Path:
    config = make_site(tmp_path / "src")
    hooks = (*SITE_HOOKS, "hooks/services_catalogue.py")
    config.write_text(FIXTURE_CONFIG.format(hooks="\n".join(f"  - {h}" for h in hooks)), encoding="utf-8")
    data = tmp_path / "src" / "data" / "services"
    shutil.copytree(ROOT / "data" / "services", data)
    (data / "catalogue.json").write_bytes(catalogue)
    return config


@pytest.mark.slow
def test_build_fails_on_a_malformed_entry_and_passes_on_the_real_catalogue(tmp_path):
    text = (ROOT / CATALOGUE).read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith('{"domain": "github.com"'))
    index = text.splitlines().index(line) - text.splitlines().index('"services": [') - 1
    broken = text.replace(line, line.replace('"security_key"', '"u2f"').replace('"name": "GitHub", ', ""))
    proc = mkdocs_build(fixture_site(tmp_path / "bad", broken.encode("utf-8")), tmp_path / "bad" / "out")
    output = proc.stdout + proc.stderr
    lines = [l.strip() for l in output.splitlines()]
    assert proc.returncode != 0
    assert "ERROR   -  Service catalogue check failed: 2 problems (see data/services/README.md)" in lines
    assert f'{CATALOGUE}: services[{index}]: missing required key "name"; add it' in lines
    assert (f'{CATALOGUE}: services[{index}].methods[2]: "u2f" is 2FA Directory\'s name; write "security_key"'
            in lines)
    assert "Traceback" not in output

    proc = mkdocs_build(fixture_site(tmp_path / "good", text.encode("utf-8")), tmp_path / "good" / "out")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not list((tmp_path / "good" / "out").rglob("catalogue*.json"))   # validated, not emitted (yet)
