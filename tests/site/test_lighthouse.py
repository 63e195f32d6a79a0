"""Lighthouse 12.2.3 (pinned npm dev dependency) against Debian's chromium: accessibility,
best practices and SEO score 100 on the home page, a post and the tool page, on mobile and
desktop. One run of tests/site/lighthouse.mjs does all six audits in one browser (~1 min).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from site_support import ROOT

SCRIPT = ROOT / "tests" / "site" / "lighthouse.mjs"
CHROMIUM = "/usr/bin/chromium"
PAGES = ["", "blog/2fa-backup-codes-and-recovery-planning/", "tools/recovery-checklist/"]
CATEGORIES = ("accessibility", "best-practices", "seo")


@pytest.fixture(scope="module")
def reports(site_server) -> dict:
    assert (ROOT / "node_modules" / "lighthouse").is_dir(), "lighthouse missing: run `npm ci`"
    assert os.access(CHROMIUM, os.X_OK), "Debian chromium is needed (make chromium)"
    proc = subprocess.run([shutil.which("node"), str(SCRIPT), *(site_server.url + p for p in PAGES)],
                          cwd=ROOT, env=dict(os.environ, CHROME_PATH=CHROMIUM),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {key[len(site_server.url):]: value for key, value in json.loads(proc.stdout).items()}


@pytest.mark.browser
@pytest.mark.parametrize("device", ["mobile", "desktop"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "home")
def test_lighthouse_scores_100(reports, page, device):
    report = reports[f"{page} {device}"]
    assert report["runtimeError"] is None
    assert report["failed"] == []
    assert report["scores"] == {c: 100 for c in CATEGORIES}
