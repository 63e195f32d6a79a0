"""A seeded fuzz test: 10,000 mutated plans through the boundary and 50 through the CLI subprocess.
Each gets a result, or field-path errors (exit 2 in the CLI); never a traceback, never the
checker's internal-failure message."""
from __future__ import annotations

import copy
import json
import random
import subprocess
import sys

from esrok_recovery import evaluate_json, quick_json

from engine_support import golden_files, load_golden, persona_files

SEED = 20261129
BOUNDARY_RUNS = 10_000
CLI_RUNS = 50
HUGE = "__huge__"
NASTY = [None, True, False, 0, -1, 3.5, "", " ", "x" * 300, "\ud800", "caf\u00e9", [], {}, [None], {"x": 1},
         HUGE, 1e300, "never", "2026-02-30", "phone", "mobile", "sms", "critical", "password_manager",
         [[[[[]]]]], {"type": "sms"}, {"type": "support", "wait_days": 14}]


def nasty(rnd: random.Random):
    return copy.deepcopy(rnd.choice(NASTY))


def _nodes(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _nodes(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _nodes(v, path + (i,))


def mutate(rnd: random.Random, data: dict) -> str:
    for _ in range(rnd.randint(1, 3)):
        containers = [(p, n) for p, n in _nodes(data) if isinstance(n, (dict, list)) and n]
        if not containers:
            break
        path, node = rnd.choice(containers)
        key = rnd.choice(list(node)) if isinstance(node, dict) else rnd.randrange(len(node))
        how = rnd.random()
        if how < 0.3:
            node[key] = nasty(rnd)
        elif how < 0.45:
            del node[key]
        elif how < 0.55 and isinstance(node, list):
            node.append(json.loads(json.dumps(node[key])))
        elif how < 0.65 and isinstance(node, dict):
            node[rnd.choice(["colour", "id", "on", "via", "kind", "type", "\udfff"])] = nasty(rnd)
        elif how < 0.8:
            node[key] = rnd.choice([v for _, v in _nodes(data) if not isinstance(v, (dict, list))] or [None])
        else:
            node[key] = rnd.randint(-5, 10 ** rnd.randint(1, 30))
    text = json.dumps(data)
    text = text.replace(f'"{HUGE}"', "9" * rnd.choice([20, 400, 5000]))
    r = rnd.random()
    if r < 0.03:
        text = text[: rnd.randrange(len(text))]
    elif r < 0.05:
        text = "[" * 50_000 + text
    elif r < 0.07:
        i = rnd.randrange(len(text))
        text = text[:i] + rnd.choice(["\\", '"', "}", ",", "\\ud800"]) + text[i:]
    return text


def samples() -> list[dict]:
    return [load_golden(p)["plan"] for p in golden_files() + persona_files()]


def check(out_text: str) -> str:
    out = json.loads(out_text)
    if out["ok"]:
        assert out["version"] == 2 and "measures" in out
        return "ok"
    assert out["errors"] and all(e["path"] and e["message"] for e in out["errors"])
    assert "(engine)" not in {e["path"] for e in out["errors"]}, out["errors"]
    return "errors"


def test_10000_mutated_plans_through_the_boundary():
    rnd = random.Random(SEED)
    plans = samples()
    seen = {"ok": 0, "errors": 0}
    for i in range(BOUNDARY_RUNS):
        base = json.loads(json.dumps(rnd.choice(plans)))
        text = mutate(rnd, base)
        seen[check(evaluate_json(text))] += 1
        if i % 10 == 0:   # the quick check's boundary too
            answers = {"version": 1, "answers": {"second_step": nasty(rnd), "tested": "never"}}
            check(quick_json(mutate(rnd, answers)))
    assert seen["ok"] > 300 and seen["errors"] > 5000, seen   # both paths are exercised


def test_50_mutated_plans_through_the_cli(tmp_path):
    rnd = random.Random(SEED + 1)
    plans = samples()
    for i in range(CLI_RUNS):
        text = mutate(rnd, json.loads(json.dumps(rnd.choice(plans))))
        p = tmp_path / f"plan{i}.json"
        p.write_bytes(text.encode("utf-8", "surrogatepass"))
        fmt = ["text", "markdown", "json"][i % 3]
        proc = subprocess.run([sys.executable, "-m", "esrok_recovery", "check", str(p), "--format", fmt],
                              capture_output=True, timeout=120)
        assert proc.returncode in (0, 2), proc.stderr[-2000:]
        assert b"Traceback" not in proc.stderr and b"the checker failed" not in proc.stderr
        if proc.returncode == 2:
            assert proc.stderr.decode("utf-8").startswith(f"{p}: ")
        else:
            assert proc.stdout
