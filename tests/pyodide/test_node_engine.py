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
    """(name, kind, input text) for every golden input: plans -> evaluate, answers -> quick.

    Expected-output files (objects with "ok") are not inputs and are skipped.
    """
    out = []
    for path in sorted(GOLDEN.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            out.append((str(path.relative_to(GOLDEN)), "evaluate", text))  # invalid-JSON golden
            continue
        if isinstance(data, dict) and "ok" in data:
            continue
        kind = "quick" if isinstance(data, dict) and "answers" in data else "evaluate"
        out.append((str(path.relative_to(GOLDEN)), kind, text))
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
    assert len(requests) >= 5, f"expected the engine's golden plans under {GOLDEN}"
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
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []
    assert len(result["outputs"]) == len(requests)
