"""Updates that never mix versions: a reader who used the checker and saved a plan on build A gets
build B within one reload, never A's page with B's engine or the reverse, keeps the plan, and A's
caches are deleted. Three deploys, one after the other, on the same browser profile: one that
changes only the tool page, one that changes only the engine, and a Pyodide version bump (the
same runtime files under a new version, so every runtime URL and the precompiled stdlib change)."""
from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, TOOL, add_account, persistent_context, wait_ready_state
from site_support import ROOT, SiteHandler, free_port, mkdocs_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SKIP = shutil.ignore_patterns(".git", ".venv", "node_modules", ".cache", "site", "__pycache__", "*.egg-info",
                              ".pytest_cache", ".hypothesis")
PAGE_MARK = "This paragraph is new in deploy B."


def project_copy(dest: Path) -> Path:
    """The project as a deploy would build it; shares node_modules and the step cache."""
    shutil.copytree(ROOT, dest, ignore=SKIP)
    os.symlink(ROOT / "node_modules", dest / "node_modules")
    os.symlink(ROOT / ".cache", dest / ".cache") if (ROOT / ".cache").exists() else None
    return dest


def bump_pyodide(tree: Path, version: str) -> None:
    """Pin the same runtime files under another version (no other Pyodide can be downloaded here)."""
    (tree / "node_modules").unlink()
    (tree / "node_modules").mkdir()
    shutil.copytree(ROOT / "node_modules" / "pyodide", tree / "node_modules" / "pyodide")
    for other in ("esbuild", "@esbuild"):   # the page's bundler, unchanged
        os.symlink(ROOT / "node_modules" / other, tree / "node_modules" / other)
    for path in (tree / "node_modules" / "pyodide" / "package.json", tree / "hooks" / "toolbuild" / "pyodide-runtime.sha256.json"):
        data = json.loads(path.read_text())
        data["version"] = version
        path.write_text(json.dumps(data, indent=2))
    lock = json.loads((tree / "package-lock.json").read_text())
    lock["packages"]["node_modules/pyodide"]["version"] = version
    (tree / "package-lock.json").write_text(json.dumps(lock, indent=2))


def build(tree: Path, out: Path, url: str) -> Path:
    proc = mkdocs_build(tree / "mkdocs.yml", out, site_url=url)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


def sw_config(site: Path) -> dict:
    return json.loads(re.search(r"const CONFIG = (\{.*?\n\});", (site / "sw.js").read_text(), re.S).group(1))


def boot_of(site: Path) -> dict:
    page = (site / "tools" / "recovery-checklist" / "index.html").read_text()
    return json.loads(re.search(r'id="esrok-boot">(.*?)</script>', page).group(1))


class Deploys:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        tree = project_copy(tmp / "tree")
        self.sites = {"A": build(tree, tmp / "A", self.url)}
        page = tree / "docs" / "tools" / "recovery-checklist.md"
        page.write_text(page.read_text() + f"\n{PAGE_MARK}\n")
        self.sites["page"] = build(tree, tmp / "B-page", self.url)
        engine = tree / "tool" / "esrok_recovery" / "__init__.py"
        engine.write_text(engine.read_text() + "\n# deploy B: the engine changed\n")
        self.sites["engine"] = build(tree, tmp / "B-engine", self.url)
        bump_pyodide(tree, "314.0.8")
        self.sites["pyodide"] = build(tree, tmp / "B-pyodide", self.url)
        self.serving = self.sites["A"]
        self.served: list[str] = []  # paths the server sent a body for (not 304s, not cache hits)
        deploys = self

        class Handler(SiteHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(deploys.serving), **kwargs)

            def end_headers(self):
                # As Netlify and Cloudflare Pages send by default: every response is revalidated, so
                # a deploy is seen at once (without it, Chromium's heuristic freshness kept serving
                # the previous deploy's pages from its HTTP cache for a while, and the test flaked).
                self.send_header("Cache-Control", "public, max-age=0, must-revalidate")
                super().end_headers()

            def copyfile(self, source, outputfile):
                deploys.served.append(self.path.split("?", 1)[0])
                super().copyfile(source, outputfile)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def deploys(tmp_path_factory):
    d = Deploys(tmp_path_factory.mktemp("deploys"))
    yield d
    d.server.shutdown()
    d.server.server_close()


CACHE_NAMES = """async (want) => {  // the site's caches, once they are exactly `want` (the new worker activated)
    let keys = [];
    for (let i = 0; i < 1200; i++) {
        keys = (await caches.keys()).filter(k => k.startsWith('esrok-') && k !== 'esrok-pages').sort();
        if (JSON.stringify(keys) === JSON.stringify(want)) break;
        await new Promise(r => setTimeout(r, 100));
    }
    return keys;
}"""


def versions(page: Page) -> list[dict]:
    return page.evaluate("() => window.__esrokChecklist.versions")


def check_runs(page: Page, site: Path) -> None:
    """The page is this deploy's, its worker runs this deploy's engine, and never anything else."""
    boot = boot_of(site)
    wait_ready_state(page)
    assert page.evaluate("() => window.__esrokChecklist.boot.build") == boot["build"]
    assert versions(page) == [{"page": boot["build"], "engine": boot["engine"]["fingerprint"],
                               "expected": boot["engine"]["fingerprint"]}]
    expect(page.get_by_role("status").filter(has_text="It now also works offline on this device.")
           ).to_be_visible(timeout=BOOT_TIMEOUT_MS)


def expected_caches(site: Path) -> list[str]:
    return sorted(g["cache"] for g in sw_config(site)["groups"].values())  # (visited pages: kept across deploys)


def test_deploys_never_mix_versions_keep_the_plan_and_delete_old_caches(playwright, deploys, tmp_path):
    sites = deploys.sites
    a, b_page, b_engine, b_pyodide = (boot_of(sites[k]) for k in ("A", "page", "engine", "pyodide"))
    # What each deploy changed, as the build sees it:
    assert a["engine"] == b_page["engine"] and a["wheel"] == b_page["wheel"] and a["pyodide"] == b_page["pyodide"]
    assert b_engine["engine"] != b_page["engine"] and b_engine["pyodide"] == b_page["pyodide"]
    assert b_pyodide["pyodide"]["version"] == "314.0.8" != b_engine["pyodide"]["version"]
    assert b_pyodide["pyodide"]["indexURL"] != b_engine["pyodide"]["indexURL"]
    assert b_pyodide["stdlib"] != b_engine["stdlib"] and b_pyodide["snapshot"] != b_engine["snapshot"]

    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(deploys.url + TOOL)
        check_runs(page, sites["A"])
        add_account(page, "Mail", "Email", [])
        page.get_by_label("Save this plan in this browser").check()
        expect(page.locator("#esrok-summary")).to_contain_text("Protection", timeout=BOOT_TIMEOUT_MS)
        assert page.evaluate(CACHE_NAMES, expected_caches(sites["A"])) == expected_caches(sites["A"])

        previous = sites["A"]
        for name, changed in (("page", {"tool"}), ("engine", {"tool", "engine", "snapshot"}),
                              ("pyodide", {"tool", "runtime", "snapshot"})):
            site = sites[name]
            old, new = sw_config(previous)["groups"], sw_config(site)["groups"]
            assert {g for g in new if new[g]["cache"] != old[g]["cache"]} == changed, name
            old_only = [u for g in old.values() for u in g["urls"]
                        if u not in {v for h in new.values() for v in h["urls"]}]
            deploys.serving = site  # the deploy
            deploys.served.clear()
            page.reload()
            check_runs(page, site)  # within one reload: the new page with the new engine
            if name == "page":
                expect(page.get_by_text(PAGE_MARK)).to_be_visible()
            group = page.locator("fieldset[data-account]").first
            expect(group.get_by_label("Account name", exact=True)).to_have_value("Mail")  # the saved plan
            expect(page.get_by_label("Save this plan in this browser")).to_be_checked()
            # the old deploy's caches are deleted; unchanged groups were kept, not downloaded again
            assert page.evaluate(CACHE_NAMES, expected_caches(site)) == expected_caches(site), name
            served = list(deploys.served)
            assert not [p for p in served if p.lstrip("/") in old_only], name  # nothing of the old deploy
            kept = {u for g in new if g not in changed for u in new[g]["urls"] if "/pyodide/" in u or "/engine/" in u}
            assert not [p for p in served if p.lstrip("/") in kept], name  # unchanged groups: not downloaded again
            old_urls = {u for g in old.values() for u in g["urls"]}
            for g in changed - {"tool"}:  # what changed was downloaded once; a file it kept, not again
                for u in new[g]["urls"]:    # (plan-ui.json, when the engine's field table is the same)
                    assert served.count("/" + u) == (0 if u in old_urls else 1), (name, u, served)
            previous = site
    finally:
        context.close()


def test_an_open_old_page_reloads_instead_of_running_with_a_new_page(playwright, deploys, tmp_path):
    """Material's instant navigation keeps the tab's worker: arriving at a newer deploy's tool page
    that way loads it afresh rather than answer with the older engine."""
    deploys.serving = deploys.sites["page"]
    context = persistent_context(playwright, tmp_path / "profile")
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(deploys.url + TOOL)
        wait_ready_state(page)
        page.evaluate("() => { window.__esrokSamePage = true; }")
        deploys.serving = deploys.sites["engine"]
        page.get_by_role("navigation").get_by_role("link", name="Home", exact=True).first.click()
        expect(page.locator("#esrok-checker")).to_have_count(0)
        page.locator("article").get_by_role("link", name="Run the recovery checklist").click()
        check_runs(page, deploys.sites["engine"])
        assert page.evaluate("() => window.__esrokSamePage") is None  # a fresh page, not a mix
    finally:
        deploys.serving = deploys.sites["A"]
        context.close()
