"""The engine in real Pyodide (npm pyodide 314.0.7, under Node, offline) gives exactly
the CPython output for every golden plan.

The wheel is the one hooks/engine_wheel.py ships to the site, installed the way the
browser worker installs it (unpackArchive into site-packages; no micropip).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.engine_wheel import wheel_for_tree

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "engine" / "golden"
PYODIDE = ROOT / "node_modules" / "pyodide"

pytestmark = pytest.mark.node


def golden_requests() -> list[tuple[str, str, str]]:
    """(name, kind, input text): every golden plan (evaluate), plus quick-check answers and
    invalid input so the answer and error paths are compared too."""
    out = []
    for path in sorted(GOLDEN.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out.append((path.stem, "evaluate", json.dumps(doc["plan"], indent=2, ensure_ascii=False)))
    out += [
        ("quick-defaults", "quick", '{"version": 1, "as_of": "2026-11-29", "answers": {}}'),
        ("quick-sms", "quick", json.dumps({"version": 1, "as_of": "2026-11-29", "answers": {
            "second_step": "sms", "backup_codes": "none", "recovery_email": "none"}})),
        ("quick-bad", "quick", '{"version": 1, "answers": {"second_stp": "sms"}}'),
        ("not-json", "evaluate", "{not json"),
        ("bad-reference", "evaluate", json.dumps({"version": 1, "things": [], "accounts": [
            {"id": "a", "name": "A", "kind": "emial", "importance": "critical",
             "sign_in": [{"type": "sms", "on": "phne"}], "recovery": []}]})),
    ]
    return out


def cpython(kind: str, text: str) -> str:
    sys.path.insert(0, str(ROOT / "tool"))
    try:
        import esrok_recovery as engine
    finally:
        sys.path.pop(0)
    return {"evaluate": engine.evaluate_json, "quick": engine.quick_json,
            "questions": lambda _t: engine.questions_json()}[kind](text)


def test_golden_plans_match_cpython_byte_for_byte(tmp_path):
    requests = golden_requests()
    assert len(requests) >= 20, f"expected the engine's golden plans under {GOLDEN}"
    requests.append(("questions", "questions", ""))
    wheel = wheel_for_tree(ROOT)
    wheel_path = tmp_path / wheel.filename
    wheel_path.write_bytes(wheel.data)
    req_path = tmp_path / "requests.json"
    req_path.write_text(json.dumps([{"kind": k, "input": t} for _, k, t in requests]))
    proc = subprocess.run(["node", str(ROOT / "tests" / "pyodide" / "run_engine.mjs"), str(PYODIDE),
                           str(wheel_path), str(req_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout)
    assert result["python"].startswith("3.14")  # really Pyodide's interpreter, not CPython 3.11
    assert len(result["outputs"]) == len(requests)
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []
    oks = {name: json.loads(got).get("ok") for (name, _k, _t), got in zip(requests, result["outputs"])}
    golden = {p.stem for p in GOLDEN.glob("*.json")}
    assert all(oks[n] is True for n in golden)  # every golden plan evaluated, not rejected
    assert oks["quick-sms"] is True and oks["quick-bad"] is False and oks["bad-reference"] is False
