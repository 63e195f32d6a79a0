"""hooks/toolbuild/catalogue.py (step 4b): the catalogue is validated once per build, with messages
"<file>: <field path>: <problem>; <fix>"; the trimmed asset is content-hashed and cached; the
licence pages and texts are made from the sources; a real build fails on a malformed entry."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from esrok_recovery import catalogue as cat
from esrok_recovery.catalogue import CommonChoice
from hooks.toolbuild.cache import StepCache
from hooks.toolbuild.catalogue import (CATALOGUE, CREDITS_MARKER, TEMPLATES, CatalogueCheckError, ServiceData,
                                       check_catalogue, credits_markdown, demote_headings, insert_credits, report,
                                       service_catalogue)
from site_support import ROOT, mkdocs_build

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


def validate(root: Path, cache_dir: Path) -> ServiceData:
    return service_catalogue(root, StepCache(cache_dir), cat)


def test_the_project_catalogue_passes_and_gives_the_asset_the_licences_and_the_credits(tmp_path):
    data = validate(ROOT, tmp_path / "cache")
    assert data.asset.url == f"assets/esrok/services.{data.asset.sha256[:12]}.json"
    asset = json.loads(data.asset.data)
    assert asset == json.loads(cat.browser_asset(cat.loads_services((ROOT / CATALOGUE).read_bytes())[0]))
    assert [p for p, _ in data.licences] == ["licences/2fa-directory.md", "licences/passkeys.md"]
    assert [b.url for b in data.files] == ["licences/2fa-directory.txt", "licences/passkeys.txt"]
    assert data.files[0].data == (ROOT / "data" / "services" / "LICENSE-2fa-directory.md").read_bytes()
    page = dict(data.licences)["licences/passkeys.md"]
    assert page.startswith('---\ntitle: "Licence of the Passkeys Directory data (CC BY 4.0)"\n')
    assert "> Passkey support from the Passkeys Directory (passkeys.2fa.directory) by 2factorauth" in page
    assert "## Creative Commons Attribution 4.0 International\n" in page       # headings one level down
    assert [(c["id"], c["licence"], c["licence_page"]) for c in data.credits] == [
        ("2fa-directory", "MIT", "licences/2fa-directory/"), ("passkeys", "CC BY 4.0", "licences/passkeys/")]
    assert data.licence_page("passkeys") == "licences/passkeys/"


CREDITS = ({"id": "2fa-directory", "name": "2FA Directory", "url": "https://2fa.directory/", "date": "2026-08-04",
            "licence": "MIT", "licence_url": None, "attribution": "Data from 2FA Directory, MIT License.",
            "licence_page": "licences/2fa-directory/"},)
CREDITS_TEMPLATE = (TEMPLATES / "credits.md.j2").read_text(encoding="utf-8")


def test_credits_are_a_list_with_licence_links_relative_to_the_page():
    line = ("- **[2FA Directory](https://2fa.directory/)**, data of 2026-08-04. Data from 2FA Directory, MIT License. "
            "[The MIT licence text]({}).\n")
    assert credits_markdown(CREDITS, "about.md", CREDITS_TEMPLATE) == line.format("licences/2fa-directory.md")
    assert (credits_markdown(CREDITS, "tools/how-the-checklist-decides.md", CREDITS_TEMPLATE)
            == line.format("../licences/2fa-directory.md"))


def test_insert_credits_replaces_the_marker_and_leaves_other_pages_alone():
    page = f"# About\n\nIntro.\n\n{CREDITS_MARKER}\n\nMore.\n"
    out = insert_credits(page, "about.md", CREDITS, CREDITS_TEMPLATE)
    assert out == ("# About\n\nIntro.\n\n- **[2FA Directory](https://2fa.directory/)**, data of 2026-08-04. Data from "
                   "2FA Directory, MIT License. [The MIT licence text](licences/2fa-directory.md).\n\nMore.\n")
    assert insert_credits("# Post\n", "blog/posts/x.md", CREDITS, CREDITS_TEMPLATE) == "# Post\n"


def test_demote_headings_leaves_code_alone():
    assert demote_headings("# A\n```\n# not a heading\n```\ntext #1\n") == "## A\n```\n# not a heading\n```\ntext #1\n"
    # nested under the page title with no level skipped (the HTML checker refuses h2 -> h4)
    assert demote_headings("# 2021-\n### The MIT License\ntext\n# 2014\n") == "## 2021-\n### The MIT License\ntext\n## 2014\n"
    assert demote_headings("# A\n## B\n### C\n## D\n") == "## A\n### B\n#### C\n### D\n"


def test_the_sample_passes_and_lines_name_file_and_field():
    assert check_catalogue(cat, SAMPLE, common=NO_COMMON)[1] == []

    def break_github(d):
        github = next(s for s in d["services"] if s["domain"] == "github.com")
        github["methods"][2] = "u2f"
        github["recovery"] = "docs.github.com/recover"
    catalogue, lines = check_catalogue(cat, edited(break_github), common=NO_COMMON)
    assert catalogue is None
    assert lines == [
        f'{CATALOGUE}: services[5].methods[2]: "u2f" is 2FA Directory\'s name; write "security_key"',
        f'{CATALOGUE}: services[5].recovery: "docs.github.com/recover" is not a web address; '
        f"write a full https:// link, or remove the key",
    ]


def test_a_file_out_of_canonical_form_is_refused():
    def swap(d):
        d["services"][0], d["services"][1] = d["services"][1], d["services"][0]
    assert check_catalogue(cat, edited(swap), common=NO_COMMON)[1] == [
        f"{CATALOGUE}: line 8: not in canonical form (services sorted by domain, one per line, keys in the "
        f"documented order); run .venv/bin/python -m services.update --reformat"]
    pretty = json.dumps(json.loads(SAMPLE), indent=2).encode()
    assert check_catalogue(cat, pretty, common=NO_COMMON)[1][0].startswith(f"{CATALOGUE}: line 2: not in canonical form")


def test_missing_licence_file_and_missing_common_choice():
    _, lines = check_catalogue(cat, SAMPLE, exists=lambda name: name != "LICENSE-passkeys.md",
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
        validate(tmp_path, tmp_path / "cache")
    assert str(e.value).splitlines()[1] == f"{CATALOGUE}: missing; restore it from git, or run make update-services"


def test_an_unchanged_file_is_validated_once_and_a_changed_one_again(tmp_path, monkeypatch):
    data = tmp_path / "data" / "services"
    shutil.copytree(ROOT / "data" / "services", data)
    calls = []
    real = cat.loads_services
    monkeypatch.setattr(cat, "loads_services", lambda b: calls.append(1) or real(b))
    first = validate(tmp_path, tmp_path / "cache")
    assert validate(tmp_path, tmp_path / "cache") == first and len(calls) == 1   # cached by content: no work
    text = (data / "catalogue.json").read_text(encoding="utf-8")
    (data / "catalogue.json").write_text(text.replace('"name": "GitHub", ', ""), encoding="utf-8")
    with pytest.raises(CatalogueCheckError, match=r'services\[\d+\]: missing required key "name"; add it'):
        validate(tmp_path, tmp_path / "cache")
    assert len(calls) == 2
    (data / "catalogue.json").write_text(text, encoding="utf-8")
    (data / "LICENSE-passkeys.md").unlink()
    with pytest.raises(CatalogueCheckError, match="LICENSE-passkeys.md is missing next to the catalogue"):
        validate(tmp_path, tmp_path / "cache")


def test_every_validator_message_says_how_to_fix_it():
    """Each problem line is "<file>: <field path>: <problem>; <fix>"."""
    def break_all(d):
        d["services"][0].update(methods=["u2f", "x"], name=3, regions=["usa"], logo="a")
        d["services"][1].update(domain="Bad Domain", sources=["nope"])
    _, lines = check_catalogue(cat, edited(break_all), common=NO_COMMON)
    assert len(lines) == 7
    for line in lines:
        file, field, rest = line.split(": ", 2)
        assert file == CATALOGUE and field.startswith("services[") and "; " in rest, line


# --- the built site ----------------------------------------------------------------------------

def test_built_site_ships_the_asset_the_licences_and_credits_both_sources(built_site):
    import re

    boot = json.loads(re.search(r'id="esrok-boot">(.*?)</script>',
                                (built_site.dir / "tools/recovery-checklist/index.html").read_text()).group(1))
    asset = built_site.dir / boot["data"]["services"]
    assert json.loads(asset.read_bytes()) == json.loads(
        cat.browser_asset(cat.loads_services((ROOT / CATALOGUE).read_bytes())[0]))
    assert asset.with_name(asset.name + ".br").is_file() and asset.with_name(asset.name + ".gz").is_file()
    assert boot["licences"] == {"2fa-directory": "licences/2fa-directory/", "passkeys": "licences/passkeys/"}
    for name, source in (("2fa-directory", "LICENSE-2fa-directory.md"), ("passkeys", "LICENSE-passkeys.md")):
        assert (built_site.dir / "licences" / f"{name}.txt").read_bytes() == (ROOT / "data/services" / source).read_bytes()
        assert "<h1" in (built_site.dir / "licences" / name / "index.html").read_text()
    sources = json.loads(asset.read_bytes())["sources"]
    for page, prefix in (("about/index.html", "../"), ("tools/how-the-checklist-decides/index.html", "../../")):
        html = (built_site.dir / page).read_text()
        assert CREDITS_MARKER not in html
        for s in sources:
            assert s["attribution"] in html, (page, s["id"])
            assert f'<a href="{prefix}licences/{s["id"]}/">The {s["licence"]} licence text</a>' in html, (page, s["id"])
    index = json.loads((built_site.dir / "search" / "search_index.json").read_text())
    assert not [d for d in index["docs"] if d["location"].startswith("licences/")]


# --- a real build ----------------------------------------------------------------------------------

def project_copy(dest: Path, catalogue: bytes) -> Path:
    """The project's sources (symlinked where big and unchanged) with another catalogue.json; shares
    .cache/esrok/ so the steps before the catalogue are cache hits."""
    dest.mkdir(parents=True)
    for name in ("docs", "overrides", "hooks", "tool", "mkdocs.yml", "pyproject.toml", "README.md",
                 "package.json", "package-lock.json"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    for name in ("node_modules", ".cache"):
        (ROOT / name).mkdir(exist_ok=True)
        (dest / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "data", dest / "data")
    (dest / CATALOGUE).write_bytes(catalogue)
    return dest / "mkdocs.yml"


@pytest.mark.slow
def test_a_real_build_fails_on_a_malformed_entry_naming_file_field_and_fix(tmp_path):
    text = (ROOT / CATALOGUE).read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith('{"domain": "github.com"'))
    index = text.splitlines().index(line) - text.splitlines().index('"services": [') - 1
    broken = text.replace(line, line.replace('"security_key"', '"u2f"').replace('"name": "GitHub", ', ""))
    proc = mkdocs_build(project_copy(tmp_path / "bad", broken.encode("utf-8")), tmp_path / "bad" / "out")
    output = proc.stdout + proc.stderr
    lines = [l.strip() for l in output.splitlines()]
    assert proc.returncode != 0
    assert "ERROR   -  tool build: Service catalogue check failed: 2 problems (see data/services/README.md)" in lines
    assert f'{CATALOGUE}: services[{index}]: missing required key "name"; add it' in lines
    assert (f'{CATALOGUE}: services[{index}].methods[2]: "u2f" is 2FA Directory\'s name; write "security_key"'
            in lines)
    assert "Traceback" not in output
