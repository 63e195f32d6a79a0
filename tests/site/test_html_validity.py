"""Every built page through the Nu Html Checker (vnu.jar from the pinned npm `vnu-jar`, run on Java).

Our templates and content give 0 errors, except one markup the pinned checker is older than
(rel=expect, cited to the HTML standard). That one and the errors that come from Material's own
templates are listed, each with its source and reason, in tests/site/data/vnu-allowlist.yml; an entry
that no longer matches anything fails too, so the list stays reviewed.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from site_support import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOW = yaml.safe_load((Path(__file__).parent / "data" / "vnu-allowlist.yml").read_text(encoding="utf-8"))


def run_vnu(paths: list[Path]) -> list[dict]:
    assert VNU.is_file(), "vnu.jar missing: run `npm ci` (the vnu-jar dev dependency ships it)"
    java = shutil.which("java")
    assert java, "Java is needed for the Nu Html Checker (Debian: apt-get install default-jre-headless)"
    proc = subprocess.run([java, "-Xss2m", "-jar", str(VNU), "--format", "json", "--errors-only",
                           *map(str, paths)], capture_output=True, text=True, timeout=600)
    return json.loads(proc.stderr or "{}").get("messages", [])


def allowed(message: dict) -> dict | None:
    for entry in ALLOW:
        if re.search(entry["message"], message.get("message", "")) and entry["markup"] in message.get("extract", ""):
            return entry
    return None


@pytest.fixture(scope="module")
def vnu_messages(built_site) -> tuple[list[Path], list[dict]]:
    pages = sorted(built_site.dir.rglob("*.html"))
    return pages, run_vnu(pages)


def test_every_page_was_checked(built_site, vnu_messages):
    pages, _ = vnu_messages
    assert built_site.dir / "404.html" in pages
    assert built_site.dir / "tools" / "recovery-checklist" / "index.html" in pages
    assert len(pages) >= 15


def test_no_errors_but_reviewed_theme_ones(built_site, vnu_messages):
    _, messages = vnu_messages
    ours = [f"{Path(m['url'].removeprefix('file:')).relative_to(built_site.dir)}:{m.get('lastLine')}: "
            f"{m['message']} [{m.get('extract', '').strip()[:120]}]"
            for m in messages if m["type"] == "error" and allowed(m) is None]
    assert ours == []


def test_allow_list_entries_are_explained_and_still_needed(vnu_messages):
    _, messages = vnu_messages
    for entry in ALLOW:
        theme = entry["source"].startswith("material/templates/")
        # ours only where the checker is older than the standard, which the entry cites
        newer = entry["source"].startswith("overrides/") and entry.get("standard", "").startswith(
            "https://html.spec.whatwg.org/")
        assert (theme or newer) and len(entry["reason"]) > 80, entry
        assert any(allowed(m) is entry for m in messages), f"no longer needed: {entry['message']}"


def test_checker_reports_an_error_in_our_markup(tmp_path):
    """The checker really runs: a duplicate id and a stray attribute are errors, not allowed."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="en"><head><title>x</title></head><body>'
                    '<p id="a">one</p><p id="a" colour="red">two</p></body></html>', encoding="utf-8")
    errors = [m["message"] for m in run_vnu([page]) if m["type"] == "error" and allowed(m) is None]
    assert any("Duplicate ID" in e for e in errors) and any("colour" in e for e in errors), errors
