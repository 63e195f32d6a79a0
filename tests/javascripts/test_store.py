"""The page's store, edit operations and draft check (overrides/assets/javascripts/checklist/) under
real Node (`node --test`), over the real vocabulary (the engine's plan_ui()), and their output
judged by the real engine.

store.test.mjs drives 150 seeded random edit sequences through the edit operations, checks that
import(export(x)) == x at every step, and writes samples of the states it reached. Here the
engine checks, for every sample, the two promises the inventory makes: the finished part it
evaluates is a valid plan (results keep showing, never an engine error), and the whole state,
drafts included, is a file the page's import accepts (the engine's only objections are the
drafts' own missing fields).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from esrok_recovery import evaluate_json, plan_ui_json

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def node_run(tmp_path_factory):
    assert shutil.which("node"), "node is required (README: Node 20+)"
    tmp = tmp_path_factory.mktemp("store")
    vocab, out = tmp / "plan-ui.json", tmp / "out.json"
    vocab.write_text(plan_ui_json(), encoding="utf-8")
    proc = subprocess.run(["node", "--test", "--test-reporter=spec", str(HERE / "store.test.mjs")],
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "ESROK_PLAN_UI": str(vocab), "ESROK_OUT": str(out)},
                          capture_output=True, text=True, timeout=300)
    return proc, (json.loads(out.read_text(encoding="utf-8")) if out.exists() else {})


def test_node_tests_pass(node_run):
    proc, _ = node_run
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "ℹ fail 0" in proc.stdout or "# fail 0" in proc.stdout


def evaluate(plan: dict) -> dict:
    return json.loads(evaluate_json(json.dumps({**plan, "as_of": "2026-12-01"})))


def test_the_finished_part_of_every_state_is_a_valid_plan(node_run):
    _, out = node_run
    finished = [s for s in out["samples"] if s["finished"]]
    assert len(finished) > 50
    for s in finished:
        result = evaluate(s["finished"])
        assert result["ok"], (s["seed"], s["step"], result["errors"], s["finished"])


def beyond_drafts(errors: list[dict], draft_paths: list[list[str]], finished) -> list[dict]:
    """The same rule as drafts.js errorsBeyondDrafts(), restated here to check it against the engine."""
    allowed = {p for paths in draft_paths for p in paths}
    out = []
    for e in errors:
        m = re.match(r"^(.*)\.(name|label)$", e["path"])
        if e["path"] in allowed or (m and m.group(1) in allowed) or (e["path"] == "accounts" and not finished):
            continue
        out.append(e)
    return out


def test_every_state_drafts_included_is_a_file_the_import_accepts(node_run):
    _, out = node_run
    assert out["states"] > 2000
    with_drafts = 0
    for s in out["samples"]:
        result = evaluate(s["state"])
        errors = [] if result["ok"] else result["errors"]
        with_drafts += bool(errors)
        assert beyond_drafts(errors, s["drafts"], s["finished"]) == [], (s["seed"], s["step"], errors)
    assert with_drafts > 20   # the sequences do reach unfinished states
