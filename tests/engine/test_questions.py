"""questions.py: no pre-selected answers, an explicit "Not sure", skipped questions listed, facts left
out (never read as "no"), and the phone's own protections asked."""
from __future__ import annotations

import json

import pytest

from esrok_recovery import quick_json
from esrok_recovery.parse import parse_plan
from esrok_recovery.questions import QUESTIONS, QUESTIONS_BY_ID, plan_from_answers, read_answers


def quick(answers: dict) -> dict:
    out = json.loads(quick_json(json.dumps({"version": 1, "as_of": "2026-11-29", "answers": answers})))
    assert out["ok"], out.get("errors")
    return out


def test_no_question_is_pre_answered_and_not_sure_is_an_answer():
    for q in QUESTIONS:
        assert q.default is None and q.as_dict()["default"] is None
        if q.id != "main_account":
            assert q.options[-1].value == "unsure" and q.options[-1].label == "Not sure"
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


def test_the_phone_itself_is_asked():
    assert {"screen_lock", "sim_pin", "voicemail_pin", "port_lock", "number_kind"} <= set(QUESTIONS_BY_ID)


def test_an_empty_answer_set_skips_every_question_and_assumes_nothing_silently():
    out = quick({})
    assert [s["question"] for s in out["skipped"]] == [q.id for q in QUESTIONS if q.id != "app_backup"]
    assert out["skipped"][0] == {"question": "main_account", "text": "Which account would hurt most to lose?",
                                 "answer": "not answered"}
    assert [a["about"] for a in out["assumptions"]][:3] == ["main_account", "second_step", "support"]
    assert out["actions"] == [] or all(a["tier"] != "blocker" or a["rule"] != "critical-password-only"
                                       for a in out["actions"])


def test_not_sure_is_listed_as_such():
    out = quick({"main_account": "email", "port_lock": "unsure"})
    assert {"question": "port_lock", "text": QUESTIONS_BY_ID["port_lock"].text, "answer": "not sure"} in out["skipped"]
    mobile = next(t for t in out["plan"]["things"] if t["id"] == "mobile")
    assert "port_out_lock" not in mobile          # not recorded, never false


def test_skipped_facts_give_tips_not_actions():
    out = quick({"main_account": "email", "second_step": "sms"})
    rules = {a["rule"] for a in out["actions"]} | {c for a in out["actions"] for c in a["closes"]}
    assert not {"no-port-out-lock", "sim-without-pin", "voicemail-without-pin", "phone-without-screen-lock",
                "no-recovery-contact", "retire-before-enrol", "not-watching-alerts"} & rules
    assert {"no-port-out-lock", "sim-without-pin", "phone-without-screen-lock"} <= {t["rule"] for t in out["tips"]}


def test_a_skipped_second_step_is_said_in_the_protection_line_not_judged():
    # One answer only: Protection is worked out as if the password were the only step, and its
    # explanation says so, instead of reading as a verdict on a setup nobody described.
    out = quick({"main_account": "email"})
    assert out["actions"] == []
    assert out["measures"]["protection"]["explanation"] == (
        "The weakest way into Main email is the password alone. The second-step question was skipped, so this "
        "counts the password as the only step.")
    answered = quick({"main_account": "email", "second_step": "none"})
    assert answered["measures"]["protection"]["explanation"] == "The weakest way into Main email is the password alone."
    assert answered["actions"][0]["tier"] == "blocker"


def test_a_skipped_second_step_beside_an_extra_method_counts_that_method_and_says_so():
    out = quick({"main_account": "password_manager", "password": "password_manager", "extra_method": "app",
                 "backup_codes": "phone_file"})
    assert out["measures"]["protection"]["explanation"] == (
        "The weakest way into Password manager is the password and an authenticator-app code, which a fake site can "
        "ask for. The second-step question was skipped, so this counts only the other sign-in method you named.")
    assert [x["text"] for x in out["assumptions"] if x["about"] == "second_step"] == [
        "The second step was not answered, so only the other sign-in method you named is counted; no advice is "
        "given about the second step."]
    # the codes file's own label already says where it is: said once
    codes = next(f for f in out["findings"] if f["rule"] == "codes-on-same-phone")
    assert codes["detail"] == ("the backup codes are only in a file on your phone, the same device that receives "
                               "the second step")


def test_answers_no_fire_the_phone_rules():
    out = quick({"main_account": "email", "second_step": "sms", "port_lock": "no", "sim_pin": "no",
                 "voicemail_pin": "no", "screen_lock": "no", "backup_codes": "paper", "recovery_contact": "yes"})
    rules = {a["rule"] for a in out["actions"]} | {c for a in out["actions"] for c in a["closes"]}
    assert {"no-port-out-lock", "sim-without-pin", "voicemail-without-pin", "phone-without-screen-lock"} <= rules


@pytest.mark.parametrize("answers, expect", [
    ({"password": "reused"}, {"type": "password", "reused": True}),
    ({"password": "memorised"}, {"type": "password", "reused": False}),
    ({"password": "password_manager"}, {"type": "password", "via": "vault", "reused": False}),
    ({}, {"type": "password"}),
])
def test_where_the_password_lives(answers, expect):
    plan = plan_from_answers(answers, "2026-11-29").plan
    assert plan["accounts"][0]["sign_in"][0] == expect


def test_address_kinds_are_asked():
    plan = plan_from_answers({"recovery_email": "work", "recovery_phone": "someone_else", "number_kind": "prepaid"},
                             "2026-11-29").plan
    assert plan["accounts"][1]["kind"] == "work"
    assert {"id": "their-number", "type": "phone_number", "label": "someone else's number",
            "kind": "someone_else"} in plan["things"]
    assert plan["things"][1]["kind"] == "prepaid"


def test_every_answer_combination_of_each_question_builds_a_valid_plan():
    for q in QUESTIONS:
        for c in q.options:
            quick_plan = plan_from_answers({q.id: c.value}, "2026-11-29")
            assert parse_plan(quick_plan.plan)[1] == (), (q.id, c.value)


def _strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)


def test_the_quick_checks_own_names_read_as_words_inside_a_sentence():
    # The quick check names the things it builds ("your phone", "someone you trust"); the results put
    # them mid-sentence ("a reset by text message to your mobile number"), so they are lower case.
    out = quick({"main_account": "email", "password": "reused", "second_step": "sms", "extra_method": "second_key",
                 "backup_codes": "trusted_person", "recovery_phone": "someone_else", "recovery_contact": "yes"})
    things = [t for t in out["names"] if t not in {a["id"] for a in out["accounts"]}]
    assert sorted(out["names"][t] for t in things) == [
        "someone else's number", "someone you trust", "your mobile number", "your phone", "your recovery contact",
        "your security key at home"]
    assert out["accounts"][0]["weakest_way_in"] == ("a reset by text message to someone else's number, "
                                                    "which a SIM swap can redirect")
    for answers in ({"second_step": "sms"}, {"second_step": "app", "backup_codes": "paper"},
                    {"second_step": "push", "backup_codes": "password_manager", "extra_method": "laptop_passkey"},
                    {"second_step": "key", "backup_codes": "phone_file", "recovery_phone": "own"}):
        out = quick(answers)
        labels = [out["names"][t["id"]] for t in out["plan"]["things"]] if "plan" in out else \
            [n for i, n in out["names"].items() if i not in {a["id"] for a in out["accounts"]}]
        assert labels and all(n[0].islower() for n in labels), labels
        for text in _strings({k: v for k, v in out.items() if k not in ("names", "plan")}):
            for n in labels:
                assert f" {n[0].upper()}{n[1:]}" not in text, (answers, text)


def test_tested_recently_uses_the_six_month_constant():
    assert QUESTIONS_BY_ID["tested"].options[1].label == "Within the last 6 months"
    plan = plan_from_answers({"tested": "longer"}, "2026-11-29").plan
    assert plan["accounts"][0]["recovery_tested_on"] == "2025-11-29"
    assert plan_from_answers({"tested": "never"}, None).plan["accounts"][0]["recovery_tested_on"] == "never"


@pytest.mark.parametrize("data, expected", [
    ([], ["(answers): expected an object, got a list"]),
    ({"version": 1, "answers": {"second_stp": "sms"}}, ['answers.second_stp: unknown question "second_stp"; did you '
                                                        'mean "second_step"?']),
    ({"version": 2, "answers": {}}, ['version: unsupported version 2; this engine reads answers version 1']),
    ({"answers": {}}, ['(answers): missing required key "version" (use 1)']),
    ({"version": 1, "as_of": "today", "answers": {}}, ['as_of: expected a date written YYYY-MM-DD, got "today"']),
    ({"version": 1, "answers": {"tested": 3}}, ["answers.tested: 3 is not an answer to this question; choose one "
                                                "of: never, recently, longer, unsure"]),
    ({"version": 1, "answers": [], "extra": 1}, ['extra: unknown key "extra"; allowed keys: version, as_of, answers',
                                                 "answers: expected an object, got a list"]),
    ({"version": 1, "answers": {"main_account": {"service": "GitHub.com", "kind": "banks", "nme": "x"}}},
     ['answers.main_account.nme: unknown key "nme"; did you mean "name"?',
      'answers.main_account.service: "GitHub.com" is not written as a domain; write "github.com"',
      'answers.main_account.kind: "banks" is not an account kind; did you mean "bank"?']),
    ({"version": 1, "answers": {"main_account": {"kind": "bank", "name": ""}}},
     ['answers.main_account: missing required key "service" (the domain of the service picked, such as '
      '"github.com")', "answers.main_account.name: expected the account's name (a non-empty string)"]),
    ({"version": 1, "answers": {"second_step": {"service": "github.com"}}},
     ['answers.second_step: an object is not an answer to this question; choose one of: none, sms, app, push, '
      'push_matching, key, passkey, unsure']),
])
def test_answer_errors(data, expected):
    assert [str(p) for p in read_answers(data)[2]] == expected


def test_the_first_question_takes_a_service_and_the_plan_records_it():
    from esrok_recovery.catalogue import parse_services
    assert QUESTIONS[0].as_dict()["accepts_service"] is True
    assert all("accepts_service" not in q.as_dict() for q in QUESTIONS[1:])
    doc = {"format": 1, "sources": [{"id": "2fa-directory", "name": "2FA Directory", "date": "2026-08-04",
                                     "licence": "MIT", "attribution": "From 2FA Directory."}],
           "services": [{"domain": "chime.com", "name": "Chime", "additional_domains": ["chime.app"],
                         "methods": ["sms"], "categories": ["banking"], "sources": ["2fa-directory"]}]}
    catalogue, _ = parse_services(doc)
    answers, _, problems = read_answers({"version": 1, "answers": {"main_account": {"service": "chime.app"},
                                                                     "password": "password_manager"}})
    assert problems == ()
    plan = plan_from_answers(answers, None, catalogue).plan
    main = plan["accounts"][0]
    assert list(main)[:5] == ["id", "name", "kind", "service", "importance"]
    assert (main["name"], main["kind"], main["service"]) == ("Chime", "bank", "chime.com")   # the main domain
    assert "service" not in next(a for a in plan["accounts"] if a["id"] == "vault")
    # the person's own kind and name win; without the catalogue: "other" and the domain
    answers["main_account"] = {"service": "chime.com", "kind": "other", "name": "My bank"}
    main = plan_from_answers(answers, None, catalogue).plan["accounts"][0]
    assert (main["name"], main["kind"]) == ("My bank", "other")
    main = plan_from_answers({"main_account": {"service": "chime.com"}}, None).plan["accounts"][0]
    assert (main["name"], main["kind"], main["service"]) == ("chime.com", "other", "chime.com")


@pytest.mark.parametrize("recovery_email", ["none", "separate", "circular", "work", "dead", "unsure"])
def test_protection_rises_strictly_with_the_second_step_whatever_the_recovery_email(recovery_email):
    # The quick check does not ask how a recovery address signs in: its strength is unknown, so it can
    # neither cap Protection (it used to: 25 for every second step, a passkey included) nor be praised.
    def values(step):
        out = quick({"main_account": "email", "password": "password_manager", "second_step": step,
                     "extra_method": "none", "backup_codes": "paper", "recovery_phone": "none",
                     "recovery_email": recovery_email})
        return out["measures"]["protection"]["value"]
    got = [values(s) for s in ("none", "sms", "app", "key")]
    assert got[0] < got[1] < got[2] < got[3], got
    assert values("passkey") >= got[3]


def test_a_recovery_address_the_quick_check_did_not_ask_about_is_the_step_to_take_not_a_low_score():
    out = quick({"main_account": "email", "password": "password_manager", "second_step": "passkey",
                 "extra_method": "none", "backup_codes": "paper", "recovery_phone": "none",
                 "recovery_email": "separate"})
    assert out["measures"]["protection"]["value"] == 100
    assert [a["title"] for a in out["actions"]] == ["Protect the recovery address of Main email and Password manager"]
    assert out["actions"][0]["gain_note"] == ("Not measured: how the recovery address signs in is not recorded. "
                                              "List its sign-in methods in the inventory and the checker counts it.")
    assert [a["protection"] for a in out["accounts"]] == [100, None, 100]
    said = [x["text"] for x in out["assumptions"] if x["about"] == "recovery_email"]
    assert said == ["The quick check does not ask how Recovery email signs in, so Protection leaves out a reset "
                    "through it; losses are simulated as if it had a password only. Describe it in the full "
                    "inventory for a closer look."]


def test_a_work_address_is_to_be_replaced_not_protected():
    out = quick({"main_account": "email", "password": "password_manager", "second_step": "passkey",
                 "extra_method": "none", "backup_codes": "paper", "recovery_phone": "none",
                 "recovery_email": "work"})
    assert [a["rule"] for a in out["actions"]] == ["recovery-address-may-lapse"]
    assert out["actions"][0]["gain_note"] == ("Not measured: the address to move to is not in your plan yet. Add it "
                                              "in the inventory and the checker measures the swap.")


def test_text_message_codes_beside_a_second_key_are_a_fallback_to_remove_whatever_the_recovery_phone():
    answers = {"main_account": "bank", "password": "memorised", "second_step": "sms", "extra_method": "second_key",
               "backup_codes": "paper", "recovery_phone": "unsure"}
    out = quick(answers)
    first = out["actions"][0]
    assert (first["rule"], first["title"]) == ("weak-fallback", "Remove the phone-number fallback from Bank")
    assert "sms-on-critical" not in {f["rule"] for f in out["findings"]}
    assert "weak-fallback" not in {t["rule"] for t in out["tips"]}
