"""The engine in real Pyodide (npm pyodide 314.0.7, under Node, offline) gives exactly
the CPython output for every golden plan.

The wheel is the one the tool build makes (hooks/toolbuild/wheel.py), installed the way the
browser worker installs it (unpackArchive into site-packages; no micropip), both with Pyodide's
stock stdlib and as the site ships it: the trimmed precompiled stdlib and the engine bytecode
(hooks/toolbuild/stdlib.py), with esrok_boot's last-resort import hook installed. The run on the
stock stdlib also records which stdlib modules were imported: the staleness check of
hooks/toolbuild/stdlib_keep.txt.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hooks.toolbuild import pipeline
from hooks.toolbuild.runtime import runtime_files
from hooks.toolbuild.snapshot import memory_snapshot
from hooks.toolbuild.stdlib import KEEP_LIST, parse_keep_list, precompiled_stdlib
from hooks.toolbuild.wheel import engine_wheel

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


def shipped():
    """The wheel, stdlib and bytecode exactly as the site ships them (the project's step cache)."""
    cache = pipeline.cache_for(ROOT)
    runtime = runtime_files(ROOT)
    wheel = engine_wheel(ROOT, cache)
    return runtime, wheel, precompiled_stdlib(runtime, wheel, cache), cache


def run_in_pyodide(tmp_path, wheel_name: str, wheel: bytes, requests, stdlib: bytes | None = None,
                   fallback: bytes | None = None, snapshot: bytes | None = None, bytecode: bytes | None = None) -> dict:
    wheel_path = tmp_path / wheel_name
    wheel_path.write_bytes(wheel)
    req_path = tmp_path / "requests.json"
    req_path.write_text(json.dumps([{"kind": k, "input": t} for _, k, t in requests]))
    args = ["node", str(ROOT / "tests" / "pyodide" / "run_engine.mjs"), str(PYODIDE), str(wheel_path), str(req_path)]
    if stdlib is not None:
        (tmp_path / "stdlib.zip").write_bytes(stdlib)
    args.append(str(tmp_path / "stdlib.zip") if stdlib is not None else "")
    if fallback is not None:
        (tmp_path / "full.zip").write_bytes(fallback)
    args.append(str(tmp_path / "full.zip") if fallback is not None else "-")
    if snapshot is not None:
        (tmp_path / "snapshot.bin").write_bytes(snapshot)
    args.append(str(tmp_path / "snapshot.bin") if snapshot is not None else "-")
    if bytecode is not None:
        (tmp_path / "bytecode.zip").write_bytes(bytecode)
    args.append(str(tmp_path / "bytecode.zip") if bytecode is not None else "-")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout)
    assert result["python"].startswith("3.14")  # really Pyodide's interpreter, not CPython 3.11
    assert len(result["outputs"]) == len(requests)
    return result


def test_precompiled_stdlib_and_wheel_give_byte_identical_output(tmp_path):
    """What the site ships: the trimmed stdlib and the engine bytecode precompiled inside Pyodide,
    with esrok_boot's fallback import hook. Every golden plan, answer and error path gives exactly
    the CPython output, none needs the full stdlib, and the engine runs from its bytecode."""
    requests = golden_requests() + [("questions", "questions", "")]
    _runtime, wheel, out, _cache = shipped()
    result = run_in_pyodide(tmp_path, wheel.filename, wheel.data, requests, stdlib=out.trimmed.data,
                            fallback=out.full.data, bytecode=out.bytecode.data)
    assert result["stdlib"] == "/lib/python314.zip/json/__init__.pyc"  # really the precompiled stdlib
    assert result["fallbackLoads"] == 0  # every import was in the trimmed zip
    assert "esrok_recovery" in result["enginePyc"] and len(result["enginePyc"]) >= 5
    assert result["fingerprint"] == wheel.fingerprint  # what the page checks against its boot configuration
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []


def test_golden_plans_match_cpython_byte_for_byte(tmp_path):
    requests = golden_requests()
    assert len(requests) >= 20, f"expected the engine's golden plans under {GOLDEN}"
    requests.append(("questions", "questions", ""))
    _runtime, wheel, _out, _cache = shipped()
    result = run_in_pyodide(tmp_path, wheel.filename, wheel.data, requests)
    assert result["stdlib"] == "/lib/python314.zip/json/__init__.py"  # Pyodide's stock stdlib
    missing = sorted(set(result["stdlibEntries"]) - set(parse_keep_list(KEEP_LIST.read_text(encoding="utf-8"))))
    assert missing == [], (f"the engine now imports stdlib modules missing from {KEEP_LIST.name}; "
                           "add these lines to it: " + " ".join(missing))
    assert len(result["outputs"]) == len(requests)
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []
    oks = {name: json.loads(got).get("ok") for (name, _k, _t), got in zip(requests, result["outputs"])}
    golden = {p.stem for p in GOLDEN.glob("*.json")}
    assert all(oks[n] is True for n in golden)  # every golden plan evaluated, not rejected
    assert oks["quick-sms"] is True and oks["quick-bad"] is False and oks["bad-reference"] is False


def test_trimmed_stdlib_fetches_the_full_one_once_for_a_missed_import(tmp_path):
    """The worker's last-resort import hook (esrok_boot.install_stdlib_fallback): a stdlib
    module outside the trimmed zip, and a submodule of a package imported from it, load from
    the full precompiled stdlib, fetched once; unknown modules still fail as usual."""
    _runtime, wheel, out, _cache = shipped()
    with zipfile.ZipFile(io.BytesIO(out.trimmed.data)) as z:
        assert "statistics.pyc" not in z.namelist() and "json/tool.pyc" not in z.namelist()
    probes = [("statistics", "python", "import statistics\nstatistics.__file__, statistics.mean([1, 2, 4])"),
              ("json.tool", "python", "import json.tool\njson.tool.__file__"),
              ("unknown", "python", "import nosuchmodule"),
              ("minimal-normal", "evaluate", golden_requests()[0][2])]
    result = run_in_pyodide(tmp_path, wheel.filename, wheel.data, probes, stdlib=out.trimmed.data,
                            fallback=out.full.data, bytecode=out.bytecode.data)
    assert result["outputs"][:3] == [
        "('/lib/python314-full.zip/statistics.pyc', 2.3333333333333335)",
        "/lib/python314-full.zip/json/tool.pyc",
        "ModuleNotFoundError: No module named 'nosuchmodule'",
    ]
    assert result["fallbackLoads"] == 1
    assert result["outputs"][3] == cpython("evaluate", probes[3][2])


def test_memory_snapshot_gives_byte_identical_output(tmp_path):
    """The memory snapshot the site ships (hooks/node/snapshot.mjs: trimmed stdlib, engine imported),
    restored with its paired stdlib as the worker does, answers every golden plan exactly like CPython."""
    requests = golden_requests() + [("questions", "questions", "")]
    runtime, wheel, out, cache = shipped()
    snapshot = memory_snapshot(runtime, out, wheel, cache)
    result = run_in_pyodide(tmp_path, wheel.filename, wheel.data, requests, stdlib=out.trimmed.data,
                            fallback=out.full.data, snapshot=snapshot.data, bytecode=out.bytecode.data)
    assert result["restored"] is True and result["fallbackLoads"] == 0 and result["fingerprint"] == wheel.fingerprint
    mismatches = [name for (name, kind, text), got in zip(requests, result["outputs"])
                  if got != cpython(kind, text)]
    assert mismatches == []
