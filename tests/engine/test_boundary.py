"""boundary.py / the package API: JSON text in, versioned JSON text (format 2) out, never raises."""
from __future__ import annotations

import json
import subprocess
import sys

import esrok_recovery
from esrok_recovery import evaluate_json, plan_ui_json, questions_json, quick_json, schema_json
from esrok_recovery.questions import QUESTIONS

from engine_support import EXAMPLE, GOLDEN_DIR, PERSONA_DIR, base_plan, catalogue_doc

OUTPUT_KEYS = ["version", "ok", "as_of", "migrated_from", "measures", "accounts", "baseline", "scenarios",
               "single_points_of_failure", "cycles", "actions", "fold_after", "findings", "tips", "assumptions",
               "skipped", "names", "catalogue"]
ACTION_KEYS = ["id", "rule", "tier", "title", "problem", "do", "why", "detail", "source", "accounts", "effort_minutes",
               "measure", "raises", "gain", "gain_text", "gain_note", "trade_off", "fix", "closes", "claims", "links"]


def test_public_boundary_is_exported():
    assert esrok_recovery.__all__[:5] == ["evaluate_json", "quick_json", "questions_json", "schema_json",
                                          "plan_ui_json"]
    assert not hasattr(esrok_recovery, "impacts_json")   # evaluate_json always measures the top actions


def test_evaluate_json_output_shape_on_the_documented_example():
    out = json.loads(evaluate_json(EXAMPLE.read_text()))
    assert list(out) == OUTPUT_KEYS
    assert out["version"] == 2 and out["ok"] is True and out["migrated_from"] is None and out["fold_after"] == 5
    m = out["measures"]
    assert list(m) == ["protection", "recoverability", "headline"]
    assert list(m["protection"]) == ["measure", "label", "value", "explanation", "parts"]
    assert m["headline"]["measure"] in ("protection", "recoverability")
    a = out["actions"][0]
    assert list(a) == ACTION_KEYS
    assert a["links"] == [] and isinstance(a["fix"], list) and a["effort_minutes"] > 0
    assert len(a["title"]) <= 70
    s = out["scenarios"][0]
    assert list(s) == ["id", "title", "lost", "down", "applies", "one_at_a_time", "still_in", "outcomes", "restored"]
    assert [x["id"] for x in out["scenarios"]] == ["phone-lost", "phone-reset", "number-lost", "key-lost",
                                                   "password-manager-unavailable", "home-lost", "travelling"]
    assert list(out["accounts"][0]) == ["id", "name", "kind", "kind_label", "importance", "counts_as", "because",
                                        "protection", "weakest_way_in", "service"]
    assert out["catalogue"] is None      # no catalogue entries were passed in
    assert out["names"]["gmail"] == "Gmail" and out["names"]["phone"] == "Pixel 8"


def test_every_account_is_in_exactly_one_place_in_every_scenario():
    out = json.loads(evaluate_json(EXAMPLE.read_text()))
    ids = sorted(a["id"] for a in out["accounts"])
    for s in [out["baseline"]] + out["scenarios"]:
        placed = s["still_in"] + [o["account"] for o in s["outcomes"]] + s["down"]
        assert sorted(placed) == ids


def test_an_outcome_in_words():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": 14}]
    out = json.loads(evaluate_json(json.dumps(data)))
    phone = out["scenarios"][0]
    assert phone["outcomes"] == [{"account": "mail", "state": "locked_out", "days": 14, "route": "support",
                                  "route_text": "the provider's support process", "via": None,
                                  "text": "Locked out for about 14 days, until the provider's support process lets "
                                          "you back in"}]


def test_version_1_plans_still_import_and_say_so():
    data = json.loads((GOLDEN_DIR / "email-cycle.json").read_text())["plan"]
    assert data["version"] == 1
    out = json.loads(evaluate_json(json.dumps(data)))
    assert out["ok"] and out["version"] == 2 and out["migrated_from"] == 1


def test_invalid_input_gives_ok_false_with_every_error():
    out = json.loads(evaluate_json('{"version": 2, "accounts": [{"id": "a", "kind": "x", "importance": "y"}]}'))
    assert out == {"version": 2, "ok": False, "errors": [
        {"path": "accounts[0].kind", "message": 'unknown kind "x"; expected one of: email, password_manager, '
                                                'apple, google, microsoft, carrier, bank, work, school, social, other'},
        {"path": "accounts[0].importance", "message": 'unknown importance "y"; expected one of: critical, '
                                                      'important, normal'},
    ]}


def test_never_raises_on_odd_input():
    for text in ("", "null", "[]", '"plan"', "1e999", "{" * 5000, '{"version": true, "accounts": [null]}',
                 "[" * 100_000, '{"version": 2, "accounts": ' + "9" * 5000 + "}",
                 '{"version": 2, "as_of": "\\ud800", "accounts": []}'):
        for fn in (evaluate_json, quick_json):
            out = json.loads(fn(text))
            assert out["ok"] is False and out["errors"] and "(engine)" not in {e["path"] for e in out["errors"]}
    assert json.loads(evaluate_json(None))["errors"] == [
        {"path": "(plan)", "message": "expected JSON text, got NoneType"}]


def test_an_internal_failure_still_answers_in_the_contract_and_names_no_internals(monkeypatch):
    import esrok_recovery.boundary as b

    def broken(plan, *a, **kw):
        raise KeyError("x")
    monkeypatch.setattr(b, "evaluate", broken)
    out = json.loads(evaluate_json(EXAMPLE.read_text()))
    assert out == {"version": 2, "ok": False, "errors": [
        {"path": "(engine)", "message": "the checker failed on this input (KeyError); nothing was lost. Please "
                                        "report it with the file"}]}


def test_questions_json_is_the_question_data_in_its_own_version():
    out = json.loads(questions_json())
    assert out["version"] == 1
    assert out["questions"] == [q.as_dict() for q in QUESTIONS]
    assert all(q["default"] is None for q in out["questions"])


def test_quick_json_returns_the_evaluation_and_the_generated_plan():
    out = json.loads(quick_json(json.dumps({"version": 1, "as_of": "2026-11-29",
                                            "answers": {"second_step": "sms", "recovery_phone": "own"}})))
    assert out["ok"] is True and out["plan"]["version"] == 2 and out["plan"]["as_of"] == "2026-11-29"
    assert list(out)[:-1] == OUTPUT_KEYS and list(out)[-1] == "plan"
    assert [s["question"] for s in out["skipped"]][:3] == ["main_account", "password", "extra_method"]
    assert "sms-only-factor-and-recovery" in [a["rule"] for a in out["actions"]] + \
        [c for a in out["actions"] for c in a["closes"]]


def test_quick_json_errors():
    assert json.loads(quick_json("{")) == {"version": 2, "ok": False, "errors": [
        {"path": "(answers)", "message": "invalid JSON at line 1, column 2: Expecting property name enclosed in "
                                         "double quotes"}]}
    out = json.loads(quick_json('{"version": 1, "answers": {"second_step": "fax"}}'))
    assert out["errors"] == [{"path": "answers.second_step",
                              "message": '"fax" is not an answer to this question; choose one of: none, sms, app, '
                                         'push, push_matching, key, passkey, unsure'}]


def test_schema_and_plan_ui_json():
    assert json.loads(schema_json())["title"] == "Esrok recovery plan"
    assert json.loads(plan_ui_json())["version"] == 2


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
                              timeout=120, env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout)
    assert len(outs) == 1
    assert json.loads(outs.pop()) == [evaluate_json(p) for p in plans]


# --- the input envelope: the plan (or answers) with the catalogue entries it names ----------------

def github_plan() -> dict:
    data = base_plan()
    data["accounts"][0].update(service="github.com", name="GitHub", kind="other")
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    return data


def test_an_envelope_carries_the_catalogue_entries_and_a_bare_plan_still_works():
    data = github_plan()
    bare = json.loads(evaluate_json(json.dumps(data)))
    wrapped = json.loads(evaluate_json(json.dumps({"plan": data, "services": catalogue_doc("github.com")})))
    assert bare["ok"] and wrapped["ok"]
    assert bare["accounts"][0]["service"] == {"domain": "github.com", "known": False} and bare["catalogue"] is None
    assert wrapped["accounts"][0]["service"]["known"] is True
    assert "stronger-method-available" in [a["rule"] for a in wrapped["actions"]]
    assert "stronger-method-available" not in [a["rule"] for a in bare["actions"]]
    # without entries, or with "services": null, the envelope is the bare plan
    for envelope in ({"plan": data}, {"plan": data, "services": None}):
        assert json.loads(evaluate_json(json.dumps(envelope))) == bare


def test_envelope_problems_have_field_paths_and_plan_problems_keep_theirs():
    services = catalogue_doc("github.com")
    services["services"][0]["methods"][0] = "u2f"
    data = github_plan()
    data["accounts"][0]["importance"] = "big"
    out = json.loads(evaluate_json(json.dumps({"plan": data, "services": services, "extra": 1})))
    assert out["errors"] == [
        {"path": "extra", "message": 'unknown key "extra"; an input envelope has "plan" and "services"'},
        {"path": "services.services[0].methods[0]", "message": '"u2f" is 2FA Directory\'s name; write "security_key"'},
        {"path": "accounts[0].importance", "message": 'unknown importance "big"; expected one of: critical, '
                                                      'important, normal'}]
    out = json.loads(evaluate_json(json.dumps({"services": catalogue_doc("github.com")})))
    assert out["errors"] == [{"path": "(input)", "message": 'missing required key "plan" (the plan to check, next to '
                                                            '"services")'}]
    out = json.loads(evaluate_json(json.dumps({"plan": github_plan(), "services": []})))
    assert out["errors"] == [{"path": "services", "message": "expected an object, got a list; write it as {...}"}]


def test_quick_check_answered_with_a_service():
    answers = {"version": 1, "as_of": "2026-11-29",
               "answers": {"main_account": {"service": "github.com"}, "second_step": "sms"}}
    out = json.loads(quick_json(json.dumps({"answers": answers, "services": catalogue_doc("github.com")})))
    main = out["plan"]["accounts"][0]
    assert (main["id"], main["name"], main["kind"], main["service"]) == ("main", "GitHub", "other", "github.com")
    switch = next(a for a in out["actions"] if a["rule"] == "stronger-method-available")
    assert switch["title"] == "Switch GitHub to a passkey"
    assert switch["detail"] == ("signs in with text-message codes (your mobile number); GitHub also offers passkeys, "
                                "security keys, authenticator app codes (TOTP) and GitHub's own app (GitHub Mobile), "
                                "all stronger (data of 2026-08-04)")
    github = catalogue_doc("github.com")["services"][0]
    assert github["documentation"].startswith("https://docs.github.com/")
    assert switch["links"] == [
        {"label": "GitHub: set up two-step sign-in", "kind": "setup", "url": github["documentation"]},
        {"label": "GitHub: set up a passkey", "kind": "passkey", "url": github["passkey_documentation"]}]
    assert switch["gain"]["protection"]["to"] > switch["gain"]["protection"]["from"]
    # no generic "stop using SMS" beside it: the service-aware action says what GitHub has instead
    assert not {"sms-on-critical", "not-phishing-resistant"} & {a["rule"] for a in out["actions"]}
    assert out["catalogue"]["text"] == "Checked against 2FA Directory and the Passkeys Directory, data of 2026-08-04."
    assert out["catalogue"]["attribution"] == [s["attribution"] for s in catalogue_doc("github.com")["sources"]]
    # old answers stay valid; a service not among the entries is "other", named by its domain
    assert json.loads(quick_json(json.dumps({"version": 1, "answers": {"main_account": "bank"}})))["ok"]
    answers["answers"]["main_account"] = {"service": "my-bank.example", "kind": "bank"}
    out = json.loads(quick_json(json.dumps({"answers": answers, "services": catalogue_doc("github.com")})))
    main = out["plan"]["accounts"][0]
    assert (main["name"], main["kind"], main["service"]) == ("my-bank.example", "bank", "my-bank.example")
    assert out["catalogue"]["unknown"] == ["main"]


def test_a_loss_that_reaches_nothing_in_the_plan_does_not_apply():
    """Sam has one phone and its number: losing a key, the home or the vault reaches nothing he has, so
    the page leaves them out of "nothing changes if ..."; a phone reset reaches the phone's keys."""
    sam = json.loads((PERSONA_DIR / "sms-only-sam.json").read_text())["plan"]
    out = json.loads(evaluate_json(json.dumps(sam)))
    assert {s["id"]: s["applies"] for s in out["scenarios"]} == {
        "phone-lost": True, "phone-reset": True, "number-lost": True, "key-lost": False,
        "password-manager-unavailable": False, "home-lost": False, "travelling": False}
    vic = json.loads((PERSONA_DIR / "vault-loop-vic.json").read_text())["plan"]
    out = json.loads(evaluate_json(json.dumps(vic)))
    vault = next(s for s in out["scenarios"] if s["id"] == "password-manager-unavailable")
    assert vault["applies"] is True and vault["lost"] == [] and vault["down"] == ["vault"]
