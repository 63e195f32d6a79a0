"""The package builds as a pure ``py3-none-any`` wheel with no runtime dependencies, and the
unpacked wheel works on its own (as Pyodide loads it: unpacked into site-packages)."""
from __future__ import annotations

import email
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    wheels = list(out.glob("esrok_recovery-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_is_pure_python_without_dependencies(wheel):
    assert wheel.name == "esrok_recovery-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = email.message_from_bytes(z.read("esrok_recovery-1.0.0.dist-info/METADATA"))
        entry = z.read("esrok_recovery-1.0.0.dist-info/entry_points.txt").decode()
    assert meta.get_all("Requires-Dist") is None
    assert "esrok-recovery = esrok_recovery.cli:main" in entry
    for module in ("__init__", "__main__", "boundary", "cli", "failures", "fields", "fixes", "graph", "measures",
                   "model", "parse", "questions", "rank", "render", "rules", "scenarios", "schema", "solver"):
        assert f"esrok_recovery/{module}.py" in names
    assert "esrok_recovery/example_plan.json" in names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".c"))]


def test_unpacked_wheel_runs_in_isolation(wheel, tmp_path):
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import json, esrok_recovery, importlib.resources as r; "
            "assert esrok_recovery.__file__.startswith(sys.argv[1]); "
            "plan = r.files('esrok_recovery').joinpath('example_plan.json').read_text(); "
            "print(json.loads(esrok_recovery.evaluate_json(plan))['ok'])")
    proc = subprocess.run([sys.executable, "-I", "-c", code, str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"
