"""The tool build as one pipeline (hooks/toolbuild/pipeline.py, wired by hooks/tool_build.py):
steps in order, each fed the previous outputs, a frozen ToolBuild, no hidden state."""
from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.toolbuild import pipeline
from site_support import runtime_root  # noqa: E402
from hooks.toolbuild.runtime import RUNTIME_FILES

ROOT = Path(__file__).resolve().parents[2]
# precompile.py is a script run inside Pyodide, not part of the MkDocs process.
MODULES = sorted(p for p in (ROOT / "hooks" / "toolbuild").glob("*.py") if p.name != "precompile.py") + [
    ROOT / "hooks" / "tool_build.py"]


def test_steps_run_in_order_each_fed_the_previous_outputs(monkeypatch, tmp_path):
    calls = []

    def step(name):
        def run(*args):
            calls.append((name, args))
            return name.upper()
        return run

    for name in ("runtime_files", "engine_wheel", "precompiled_stdlib", "memory_snapshot", "service_catalogue",
                 "page_data"):
        monkeypatch.setattr(pipeline, name, step(name))
    monkeypatch.setattr(pipeline, "import_engine", lambda root, module: f"ENGINE:{module}")
    build = pipeline.build(tmp_path, "tools/x/")
    assert [c[0] for c in calls] == ["runtime_files", "engine_wheel", "precompiled_stdlib", "memory_snapshot",
                                     "service_catalogue", "page_data"]
    args = {name: a for name, a in calls}
    assert args["precompiled_stdlib"][:2] == ("RUNTIME_FILES", "ENGINE_WHEEL")
    assert args["memory_snapshot"][:3] == ("RUNTIME_FILES", "PRECOMPILED_STDLIB", "ENGINE_WHEEL")
    assert args["service_catalogue"][0] == tmp_path and args["service_catalogue"][2] == "ENGINE:esrok_recovery.catalogue"
    assert args["page_data"] == (tmp_path, "tools/x/", "RUNTIME_FILES", "ENGINE_WHEEL", "PRECOMPILED_STDLIB",
                                 "MEMORY_SNAPSHOT", "SERVICE_CATALOGUE")
    assert build == pipeline.ToolBuild("RUNTIME_FILES", "ENGINE_WHEEL", "PRECOMPILED_STDLIB", "MEMORY_SNAPSHOT",
                                       "PAGE_DATA", "SERVICE_CATALOGUE")
    with pytest.raises(dataclasses.FrozenInstanceError):
        build.page = None


def test_no_config_extra_and_no_module_level_mutable_state():
    """Only cache.py keeps module state (the file-digest memo); nothing writes config.extra."""
    for path in MODULES:
        text = path.read_text()
        assert "config.extra" not in text and 'extra["' not in text, path.name
        for node in ast.parse(text).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.Dict, ast.List, ast.Set)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                assert (path.name, ast.unparse(target)) == ("cache.py", "_digests"), (path.name, ast.unparse(target))
            assert not isinstance(node, ast.Global), path.name


def test_old_hook_files_are_gone_and_mkdocs_registers_one_tool_hook():
    for old in ("pyodide_runtime", "engine_wheel", "pyodide_stdlib", "tool_page", "service_worker", "precompress"):
        assert not (ROOT / "hooks" / f"{old}.py").exists(), old
    config = (ROOT / "mkdocs.yml").read_text()
    assert config.count("hooks/tool_build.py") == 1


def test_built_site_holds_every_file_of_the_tool_build(built_site):
    boot_page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    import json
    import re

    boot = json.loads(re.search(r'id="esrok-boot">(.*?)</script>', boot_page).group(1))
    runtime = built_site.dir / boot["pyodide"]["indexURL"]
    assert sorted(p.name for p in runtime.iterdir() if not p.name.endswith((".br", ".gz"))) == sorted(
        [*RUNTIME_FILES, boot["stdlib"].rsplit("/", 1)[1], boot["stdlibFull"].rsplit("/", 1)[1]])
    engine = built_site.dir / boot["wheel"]["url"].rsplit("/", 1)[0]
    assert sorted(p.name for p in engine.iterdir() if not p.name.endswith((".br", ".gz"))) == sorted(
        u.rsplit("/", 1)[1] for u in (boot["wheel"]["url"], boot["bytecode"]["url"], boot["snapshot"]["url"]))
    assert not (built_site.dir / "assets" / "pyodide" / "pyodide.asm.wasm").exists()  # only content-named dirs


def _fake_root(tmp_path: Path, corrupt: str) -> Path:
    runtime_root(tmp_path, corrupt)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hi\n")
    (tmp_path / "docs" / "tool.md").write_text("---\ntemplate: tool.html\n---\n# Tool\n")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nhooks:\n  - {ROOT / 'hooks' / 'tool_build.py'}\n")
    return tmp_path


def test_a_corrupt_runtime_stops_the_build_with_one_clear_message(tmp_path):
    root = _fake_root(tmp_path, corrupt="pyodide.asm.wasm")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                          capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert proc.returncode == 1
    assert "tool build: Pyodide runtime check failed" in proc.stderr
    assert "node_modules/pyodide/pyodide.asm.wasm has sha256" in proc.stderr and "run `npm ci`" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (root / "docs" / "assets").exists()  # never writes into docs/
