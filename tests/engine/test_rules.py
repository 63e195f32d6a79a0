"""rules.py: the rule table's shape and citations, and every predicate on a small plan: fires on
facts given, stays silent otherwise, and gives a tip (never an action) on facts not given."""
from __future__ import annotations

import copy
import re

import pytest

from esrok_recovery.measures import compute
from esrok_recovery.model import Measure, Tier
from esrok_recovery.rules import RULES, RULES_BY_ID, Scope, findings, make_context
from esrok_recovery.scenarios import analyse

from engine_support import base_plan, parsed

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def run(data, unknown=frozenset()):
    plan = parsed(data)
    a = analyse(plan)
    ctx = make_context(plan, a, compute(plan, a))
    return findings(ctx, unknown)


def found(data) -> dict:
    return {(f.rule, f.account): f.detail for f in run(data)[0]}


def tips(data) -> dict:
    return {t.rule: (t.accounts, t.unknown) for t in run(data)[1]}


def test_at_least_40_rules_with_unique_kebab_ids():
    assert len(RULES) >= 40
    ids = [r.id for r in RULES]
    assert len(set(ids)) == len(ids)
    assert all(KEBAB.match(i) for i in ids)


def test_every_rule_is_a_complete_row():
    for r in RULES:
        assert isinstance(r.tier, Tier) and isinstance(r.scope, Scope)
        assert r.title and len(r.title) <= 70 and r.action.endswith(".") and r.why.endswith(".")
        assert callable(r.predicate) and r.predicate.__name__ != "<lambda>"
        assert all(c in RULES_BY_ID and c != r.id for c in r.closes)
        assert 1 <= r.effort <= 60
        assert r.measure is None or isinstance(r.measure, Measure)
        assert r.fix is not None or r.do_title, r.id


def test_predicates_are_distinct_named_functions():
    names = [r.predicate.__name__ for r in RULES]
    assert len(set(names)) == len(names)


def test_every_source_is_cited_by_section():
    for r in RULES:
        assert re.search(r"§\d|Appendix [A-Z]|\"[^\"]+\"|\(\w{3} 20\d\d\)", r.source), r.id


def test_every_why_is_sourced_or_softened():
    """No unsourced claims of frequency ("the most common way...")."""
    for r in RULES:
        assert not re.search(r"most common|always|never works|everyone", r.why, re.I), r.id


def test_whys_only_speak_of_lockouts_in_rules_decided_by_the_simulation():
    words = re.compile(r"locked out|lock(s)? you out|lockout", re.I)
    outcome_rules = {"cannot-get-in-today", "password-manager-protects-itself", "circular-recovery",
                     "sms-only-factor-and-recovery", "single-point-of-failure", "lockout-in-scenario"}
    for r in RULES:
        if words.search(r.why + r.action + r.title):
            assert r.id in outcome_rules, r.id


def test_tested_recently_is_one_constant_quoted_in_the_rules():
    assert RULES_BY_ID["recovery-test-stale"].title == "Recovery last tested over 6 months ago"
    assert "every 6 months" in RULES_BY_ID["recovery-test-stale"].why


def sms_only():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"},
                                       {"type": "support", "wait_days": 14, "official_url_recorded": True}]
    return data


def test_sms_only_findings_with_lockout_lengths():
    f = found(sms_only())
    assert f[("sms-only-factor-and-recovery", "mail")] == (
        "Mobile is both the only second step and the only recovery route. If you lose your phone number, you are "
        "locked out of Mail for about 14 days, until the provider's support process lets you back in.")
    assert f[("single-point-of-failure", "mail")] == (
        "losing Mobile alone is enough (Mobile → Mail). If you lose your phone number, you are locked out of Mail "
        "for about 14 days, until the provider's support process lets you back in.")
    assert f[("lockout-in-scenario", "mail")] == (
        "If you lose your phone number, you are locked out of Mail for about 14 days, until the provider's support "
        "process lets you back in.")
    assert f[("sms-on-critical", "mail")] == "signs in with text-message codes (Mobile)"
    assert f[("codes-not-saved", "mail")] == "backup codes were never generated"
    assert ("no-port-out-lock", "mail") not in f      # the plan says it has one


def test_findings_about_lockouts_carry_their_claims():
    claims = {f.rule: [c.as_dict() for c in f.claims] for f in run(sms_only())[0] if f.claims}
    assert claims == {
        "sms-only-factor-and-recovery": [{"scenario": "number-lost", "account": "mail", "state": "locked_out",
                                          "days": 14}],
        "single-point-of-failure": [{"scenario": "number-lost", "account": "mail", "state": "locked_out", "days": 14}],
        "lockout-in-scenario": [{"scenario": "number-lost", "account": "mail", "state": "locked_out", "days": 14}],
    }


def test_a_wait_under_a_week_is_no_lockout_finding():
    data = sms_only()
    data["accounts"][0]["recovery"][1]["wait_days"] = 6
    f = found(data)
    assert not {"sms-only-factor-and-recovery", "single-point-of-failure", "lockout-in-scenario"} & {r for r, _ in f}


def test_critical_password_only_is_a_blocker_and_derived_importance_counts():
    data = base_plan()
    data["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "old"})
    data["accounts"].append({"id": "old", "name": "Old mail", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password", "reused": False}]})
    f = found(data)
    assert f[("critical-password-only", "old")] == ("signs in with a password alone (Old mail counts as critical "
                                                    "because it can reset or unlock Mail)")
    assert RULES_BY_ID["critical-password-only"].tier is Tier.BLOCKER


def test_reused_password_on_a_critical_account_is_a_blocker_and_unknown_reuse_is_a_tip():
    data = base_plan()
    data["accounts"][0]["sign_in"][0]["reused"] = True
    assert found(data)[("reused-password-critical", "mail")] == "its password is also used on another site"
    assert RULES_BY_ID["reused-password-critical"].tier is Tier.BLOCKER
    del data["accounts"][0]["sign_in"][0]["reused"]
    assert ("reused-password-critical", "mail") not in found(data)
    assert tips(data)["reused-password-critical"] == (("mail",), "whether its password is used anywhere else")


def test_weak_fallback_after_a_passkey_or_key():
    data = base_plan()
    data["accounts"][0]["sign_in"].append({"type": "passkey", "on": "phone"})
    assert found(data)[("weak-fallback", "mail")] == ("it has a passkey or security key, but someone can still get "
                                                      "in without it through a recovery phone (Mobile)")
    data["accounts"][0]["accepted"] = ["weak-fallback"]
    f = {x.rule: x for x in run(data)[0]}
    assert f["weak-fallback"].accepted is True


def test_too_few_recovery_addresses_never_for_an_account_with_codes():
    data = base_plan()
    data["things"].append({"id": "key", "type": "security_key", "label": "Key"})
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "security_key", "on": "key"}]
    data["accounts"][0]["recovery"] = []
    assert ("too-few-recovery-addresses", "mail") not in found(data)
    data["accounts"][0]["backup_codes"] = {"generated": False}
    assert found(data)[("too-few-recovery-addresses", "mail")] == (
        "no backup codes, recovery address or recovery contact: only the provider's support process is left")
    assert "phone" not in RULES_BY_ID["too-few-recovery-addresses"].action.replace("a phone number is not suggested",
                                                                                   "")


@pytest.mark.parametrize("change, detail", [
    (lambda d: d["accounts"].append({"id": "work", "name": "Work mail", "kind": "work", "importance": "normal",
                                     "sign_in": [{"type": "password"}]}) or
     d["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "work"}),
     "the recovery email Work mail is a work address, which stops working when you leave"),
    (lambda d: d["accounts"].append({"id": "uni", "name": "Uni mail", "kind": "school", "importance": "normal",
                                     "sign_in": [{"type": "password"}]}) or
     d["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "uni"}),
     "the recovery email Uni mail is a school address, which stops working when you leave"),
    (lambda d: d["things"][1].update(kind="someone_else"),
     "Mobile is someone else's number: they receive your codes, and it goes when they change it"),
    (lambda d: d["things"][1].update(kind="prepaid"),
     "Mobile is a prepaid number, which the carrier can reassign after a few months without use"),
    (lambda d: d["things"][1].update(kind="travel"), "Mobile is a travel or temporary SIM, which stops working after "
                                                     "the trip"),
])
def test_addresses_likely_to_stop_working_or_shared(change, detail):
    data = base_plan()
    change(data)
    assert found(data)[("recovery-address-may-lapse", "mail")] == detail


@pytest.mark.parametrize("where, key, rule, detail, unknown", [
    (1, "port_out_lock", "no-port-out-lock", "Mobile has no carrier PIN or port-out lock",
     "whether your number has a carrier PIN or port-out lock"),
    (1, "sim_pin", "sim-without-pin", "the SIM of Mobile has no PIN", "whether your SIM has a PIN"),
    (1, "voicemail_pin", "voicemail-without-pin", "the voicemail of Mobile has no PIN",
     "whether your voicemail has a PIN"),
    (0, "screen_lock", "phone-without-screen-lock", "Phone has no screen lock, yet it holds a way into this account",
     "whether your phone locks with a PIN, fingerprint or face"),
])
def test_the_phone_itself_fires_on_no_and_tips_on_not_recorded(where, key, rule, detail, unknown):
    data = base_plan()
    data["accounts"][0]["sign_in"].append({"type": "sms", "on": "mobile"})
    data["things"][where][key] = False
    assert found(data)[(rule, "mail")] == detail
    del data["things"][where][key]
    assert (rule, "mail") not in found(data)
    assert tips(data)[rule] == (("mail",), unknown)


def test_habits_never_asked_are_tips_never_actions():
    data = base_plan()
    del data["habits"]
    f = found(data)
    assert not {"retire-before-enrol", "no-escalation-plan", "no-lost-device-playbook", "not-watching-alerts"} & \
        {r for r, _ in f}
    assert set(tips(data)) >= {"retire-before-enrol", "no-escalation-plan", "no-lost-device-playbook",
                               "not-watching-alerts"}
    data["habits"] = {"enrolls_before_retiring": False}
    assert found(data)[("retire-before-enrol", None)] == \
        "you do not always enrol a new phone or key before retiring the old one"


def test_unknown_rules_from_skipped_questions_become_tips():
    data = base_plan()
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    assert ("no-recovery-contact", "mail") in found(data)
    f, t = run(data, frozenset({"no-recovery-contact@mail", "codes-not-saved"}))
    assert not {"no-recovery-contact", "codes-not-saved"} & {x.rule for x in f}
    assert {x.rule for x in t} >= {"codes-not-saved"}


def test_totp_single_phone_fix_prefers_a_second_device_and_exports_only_off_the_phone():
    r = RULES_BY_ID["totp-single-phone"]
    assert r.action.startswith("Set the authenticator up on a second device too, or register a security key")
    assert "a place you can reach without this phone" in r.action


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_every_rule_fires_somewhere_in_the_goldens_or_personas(rule):
    from engine_support import golden_files, load_golden, persona_files
    for p in golden_files() + persona_files():
        if any(f.rule == rule for f in run(load_golden(p)["plan"])[0]):
            return
    extra = {
        "used-codes-not-regenerated": lambda d: d["accounts"][0]["backup_codes"].update(used=3),
        "recovery-test-stale": lambda d: d["accounts"][0].update(recovery_tested_on="2025-01-01"),
        "recovery-never-tested": lambda d: d["accounts"][0].update(recovery_tested_on="never"),
        "alerts-off": lambda d: d["accounts"][0].update(alerts=False),
        "no-escalation-plan": lambda d: d["habits"].update(escalation_plan=False),
        "no-lost-device-playbook": lambda d: d["habits"].update(lost_device_playbook=False),
        "not-watching-alerts": lambda d: d["habits"].update(watches_alerts=False),
    }
    data = copy.deepcopy(base_plan())
    extra.get(rule, lambda d: None)(data)
    assert any(f.rule == rule for f in run(data)[0]), f"{rule} fires in no golden, persona or example"


def test_no_test_is_asked_for_a_backup_way_that_does_not_exist():
    """Only a text message to one number, a recovery phone on that same number and support: nothing to test."""
    data = copy.deepcopy(base_plan())
    acct = data["accounts"][0]
    acct["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    acct["backup_codes"] = {"generated": False}
    acct["recovery"] = [{"type": "recovery_phone", "on": "mobile"}, {"type": "support", "wait_days": 14}]
    for tested in ("never", "2024-01-01"):
        acct["recovery_tested_on"] = tested
        fired = {f.rule for f in run(data)[0]}
        assert not fired & {"recovery-never-tested", "recovery-test-stale"}
    acct["recovery"].append({"type": "recovery_contact", "on": "mum"})
    assert "recovery-test-stale" in {f.rule for f in run(data)[0]}
