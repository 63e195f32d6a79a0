"""The tool page's catalogue module (overrides/assets/javascripts/checklist/services.js) under real
Node over the real browser asset; the envelope it builds for GitHub + SMS is judged by the real
engine: the advice names GitHub's stronger methods and links GitHub's own page."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from esrok_recovery import quick_json
from esrok_recovery.catalogue import browser_asset
from esrok_recovery.catalogue_file import load_catalogue

HERE = Path(__file__).resolve().parent


def test_services_module_under_node_and_its_envelope_in_the_engine(tmp_path):
    assert shutil.which("node"), "node is required (README: Node 20+)"
    asset, out = tmp_path / "services.json", tmp_path / "envelope.json"
    asset.write_text(browser_asset(load_catalogue(env={})), encoding="utf-8")
    proc = subprocess.run(["node", "--test", "--test-reporter=spec", str(HERE / "services.test.mjs")],
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "ESROK_SERVICES": str(asset), "ESROK_OUT": str(out)},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    envelope = json.loads(out.read_text(encoding="utf-8"))
    assert [s["domain"] for s in envelope["services"]["services"]] == ["github.com"]
    result = json.loads(quick_json(json.dumps(envelope)))
    assert result["ok"] is True
    action = next(a for a in result["actions"] if a["title"] == "Switch GitHub to a passkey")
    assert "GitHub also offers passkeys, security keys" in action["detail"]
    assert any(link["url"].startswith("https://docs.github.com/") for link in action["links"])
    assert result["catalogue"]["checked"] == ["main"]
