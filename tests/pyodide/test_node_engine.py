"""The engine in real Pyodide (npm pyodide 314.0.7, under Node, offline) gives exactly
the CPython output for every golden plan.

The wheel is the one hooks/engine_wheel.py builds, installed the way the browser worker
installs it (unpackArchive into site-packages; no micropip), both with Pyodide's stock
stdlib and as the site ships it: stdlib and wheel precompiled by hooks/pyodide_stdlib.py.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.engine_wheel import wheel_for_tree
from hooks.pyodide_stdlib import precompile

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


def run_in_pyodide(tmp_path, wheel_name: str, wheel: bytes, requests, stdlib: bytes | None = None) -> dict:
    wheel_path = tmp_path / wheel_name
    wheel_path.write_bytes(wheel)
    req_path = tmp_path / "requests.json"
    req_path.write_text(json.dumps([{"kind": k, "input": t} for _, k, t in requests]))
    args = ["node", str(ROOT / "tests" / "pyodide" / "run_engine.mjs"), str(PYODIDE), str(wheel_path), str(req_path)]
    if stdlib is not None:
        (tmp_path / "stdlib.zip").write_bytes(stdlib)
        args.append(str(tmp_path / "stdlib.zip"))
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout)
    assert result["python"].startswith("3.14")  # really Pyodide's interpreter, not CPython 3.11
    assert len(result["outputs"]) == len(requests)
    return result


def test_precompiled_stdlib_and_wheel_give_byte_identical_output(tmp_path):
    """What the site ships (hooks/pyodide_stdlib.py): the stdlib and the wheel precompiled to
    .pyc inside Pyodide. Every golden plan, answer and error path gives exactly the CPython output."""
    requests = golden_requests() + [("questions", "questions", "")]
    wheel = wheel_for_tree(ROOT)
    out = precompile(ROOT, wheel.filename, wheel.data, ROOT / ".cache" / "esrok" / "precompiled")
    result = run_in_pyodide(tmp_path, out.wheel_name, out.wheel, requests, stdlib=out.stdlib)
    assert result["stdlib"] == "/lib/python314.zip/json/__init__.pyc"  # really the precompiled stdlib
    assert "esrok_recovery" in result["enginePyc"] and len(result["enginePyc"]) >= 5
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []


def test_golden_plans_match_cpython_byte_for_byte(tmp_path):
    requests = golden_requests()
    assert len(requests) >= 20, f"expected the engine's golden plans under {GOLDEN}"
    requests.append(("questions", "questions", ""))
    wheel = wheel_for_tree(ROOT)
    result = run_in_pyodide(tmp_path, wheel.filename, wheel.data, requests)
    assert result["stdlib"] == "/lib/python314.zip/json/__init__.py"  # Pyodide's stock stdlib
    assert len(result["outputs"]) == len(requests)
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []
    oks = {name: json.loads(got).get("ok") for (name, _k, _t), got in zip(requests, result["outputs"])}
    golden = {p.stem for p in GOLDEN.glob("*.json")}
    assert all(oks[n] is True for n in golden)  # every golden plan evaluated, not rejected
    assert oks["quick-sms"] is True and oks["quick-bad"] is False and oks["bad-reference"] is False
