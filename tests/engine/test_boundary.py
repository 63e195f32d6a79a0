"""boundary.py / the package API: JSON text in, versioned JSON text out, never raises."""
from __future__ import annotations

import json
import subprocess
import sys

import esrok_recovery
from esrok_recovery import evaluate_json, questions_json, quick_json, schema_json
from esrok_recovery.questions import QUESTIONS

from engine_support import EXAMPLE, GOLDEN_DIR, base_plan

OUTPUT_KEYS = ["version", "ok", "as_of", "score", "actions", "findings", "scenarios", "baseline",
               "single_points_of_failure", "cycles", "names"]


def test_public_boundary_is_exported():
    assert esrok_recovery.__all__[:4] == ["evaluate_json", "quick_json", "questions_json", "schema_json"]


def test_evaluate_json_output_shape_on_the_documented_example():
    out = json.loads(evaluate_json(EXAMPLE.read_text()))
    assert list(out) == OUTPUT_KEYS
    assert out["version"] == 1 and out["ok"] is True
    assert set(out["score"]) == {"value", "explanation", "parts"} and 0 <= out["score"]["value"] <= 100
    a = out["actions"][0]
    assert list(a) == ["rule", "tier", "title", "action", "why", "source", "accounts", "closes", "impact"]
    assert list(out["findings"][0]) == ["rule", "tier", "account", "detail"]
    s = out["scenarios"][0]
    assert list(s) == ["id", "title", "lost", "one_at_a_time", "accessible", "recovered", "locked_out", "restored"]
    assert [x["id"] for x in out["scenarios"]] == ["phone-lost", "phone-reset", "number-lost", "key-lost",
                                                   "password-manager-unavailable", "home-lost", "travelling"]
    assert s["recovered"][0] == {"account": "bank", "route": "backup codes", "via": "pmcodes", "wait_days": 0}
    assert out["names"]["gmail"] == "Gmail" and out["names"]["phone"] == "Pixel 8"


def test_invalid_input_gives_ok_false_with_every_error():
    out = json.loads(evaluate_json('{"version": 1, "accounts": [{"id": "a", "kind": "x", "importance": "y"}]}'))
    assert out == {"version": 1, "ok": False, "errors": [
        {"path": "accounts[0].kind", "message": 'unknown kind "x"; expected one of: email, password_manager, '
                                                'apple, google, microsoft, carrier, bank, work, social, other'},
        {"path": "accounts[0].importance", "message": 'unknown importance "y"; expected one of: critical, '
                                                      'important, normal'},
    ]}


def test_never_raises_on_odd_input():
    for text in ("", "null", "[]", '"plan"', "1e999", "{" * 5000, '{"version": true, "accounts": [null]}'):
        out = json.loads(evaluate_json(text))
        assert out["ok"] is False and out["errors"] and "(engine)" not in {e["path"] for e in out["errors"]}
    assert json.loads(evaluate_json(None))["errors"] == [
        {"path": "(plan)", "message": "expected JSON text, got NoneType"}]


def test_questions_json_is_the_question_data():
    out = json.loads(questions_json())
    assert out["version"] == 1
    assert out["questions"] == [q.as_dict() for q in QUESTIONS]


def test_quick_json_returns_the_evaluation_and_the_generated_plan():
    out = json.loads(quick_json(json.dumps({"version": 1, "as_of": "2026-11-29",
                                            "answers": {"second_step": "sms", "recovery_phone": "own"}})))
    assert out["ok"] is True and out["plan"]["version"] == 1 and out["plan"]["as_of"] == "2026-11-29"
    assert list(out)[:-1] == OUTPUT_KEYS and list(out)[-1] == "plan"
    assert json.loads(evaluate_json(json.dumps(out["plan"]))) == {k: v for k, v in out.items() if k != "plan"}
    assert "sms-only-factor-and-recovery" in [a["rule"] for a in out["actions"]]


def test_quick_json_errors():
    assert json.loads(quick_json("{")) == {"version": 1, "ok": False, "errors": [
        {"path": "(answers)", "message": "invalid JSON at line 1, column 2: Expecting property name enclosed in "
                                         "double quotes"}]}
    out = json.loads(quick_json('{"version": 1, "answers": {"second_step": "fax"}}'))
    assert out["errors"] == [{"path": "answers.second_step",
                              "message": '"fax" is not an answer to this question; choose one of: none, sms, app, '
                                         'push, key, passkey'}]


def test_schema_json_is_the_schema():
    assert json.loads(schema_json())["title"] == "Esrok recovery plan"


def test_as_of_is_echoed_and_optional():
    data = base_plan()
    del data["as_of"]
    out = json.loads(evaluate_json(json.dumps(data)))
    assert out["ok"] and out["as_of"] is None


def test_same_output_whatever_the_hash_seed():
    """Set iteration order changes with PYTHONHASHSEED; the result must not."""
    names = ("email-cycle", "password-manager-protects-itself", "cloud-backup-through-itself", "sms-only")
    plans = [json.dumps(json.loads((GOLDEN_DIR / f"{n}.json").read_text())["plan"]) for n in names]
    code = ("import json, sys, esrok_recovery; "
            "print(json.dumps([esrok_recovery.evaluate_json(p) for p in json.load(sys.stdin)]))")
    outs = set()
    for seed in ("0", "1", "4242"):
        proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(plans), capture_output=True, text=True,
                              timeout=60, env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout)
    assert len(outs) == 1
    assert json.loads(outs.pop()) == [evaluate_json(p) for p in plans]
