"""rank.py: ranked by measured impact (blockers first), one action per root cause (folded findings
join ``closes``), the gain of each fix measured by re-evaluating the plan with it applied."""
from __future__ import annotations

import json

import pytest

from esrok_recovery import evaluate_json
from esrok_recovery.boundary import evaluate
from esrok_recovery.fixes import apply
from esrok_recovery.graph import usable_codes
from esrok_recovery.measures import compute
from esrok_recovery.rank import FOLD_AFTER, MEASURE_ALL, MEASURE_TOP, Gain, sort_key
from esrok_recovery.rules import RULES_BY_ID
from esrok_recovery.scenarios import analyse

from engine_support import PERSONA_DIR, base_plan, parsed


def persona(name):
    return json.loads((PERSONA_DIR / f"{name}.json").read_text())["plan"]


def test_gain_words():
    g = Gain((40.0, 75.2), (68.0, 68.0))
    assert g.text() == "Protection 40 → 75" and g.raises() == ["protection"] and g.lowers() == []
    assert Gain((40.0, 40.3), (68.0, 60.0)).text() == "Protection slightly up (40), Recoverability 68 → 60"
    assert Gain((1.0, 1.0), (2.0, 2.0)).text() == "No change in either measure"
    assert g.as_dict() == {"protection": {"from": 40, "to": 75, "change": 35.2},
                           "recoverability": {"from": 68, "to": 68, "change": 0.0}}


def test_blockers_first_then_by_measured_gain():
    report = evaluate(parsed(persona("vault-loop-vic")))
    keys = [sort_key(a) for a in report.actions]
    assert keys == sorted(keys)
    tiers = [a.tier.value for a in report.actions]
    assert tiers == sorted(tiers, key=["blocker", "durability", "readiness"].index)


def test_within_a_tier_a_step_measured_at_no_gain_comes_after_the_unmeasured_ones():
    from esrok_recovery.model import Tier
    from esrok_recovery.rank import Action
    def act(rule, gain, tier=Tier.DURABILITY):
        return Action(rule, tier, ("mail",), None, (), (), gain, weight=3)
    up = act("not-phishing-resistant", Gain((40.0, 100.0), (78.0, 76.0)))
    unknown = act("recovery-address-may-lapse", None)
    nothing = act("push-without-number-matching", Gain((40.0, 40.0), (78.0, 78.0)))
    loss = act("reused-password-behind-second-step", Gain((40.0, 40.0), (78.0, 70.0)))
    blocker = act("codes-not-saved", Gain((40.0, 40.0), (78.0, 78.0)), Tier.BLOCKER)
    ranked = sorted([loss, nothing, unknown, up, blocker], key=sort_key)
    assert [a.rule for a in ranked] == ["codes-not-saved", "not-phishing-resistant", "recovery-address-may-lapse",
                                        "push-without-number-matching", "reused-password-behind-second-step"]


def test_each_gain_is_the_plan_re_evaluated_with_the_fix_applied():
    for name in ("sms-only-sam", "vault-loop-vic", "small-business-sol"):
        plan = parsed(persona(name))
        report = evaluate(plan)
        for a in report.actions:
            if a.fix is None:
                continue
            patched = apply(plan, a.fix.ops)
            after = compute(patched, analyse(patched))
            assert a.gain.protection[0] == report.measures.protection.raw
            assert a.gain.recoverability[0] == report.measures.recoverability.raw
            assert a.gain.protection[1] == pytest.approx(after.protection.raw, abs=1e-9)
            assert a.gain.recoverability[1] == pytest.approx(after.recoverability.raw, abs=1e-9)


def test_findings_closed_by_the_same_fix_fold_under_one_action():
    out = json.loads(evaluate_json(json.dumps(persona("sms-only-sam"))))
    first = out["actions"][0]
    assert first["closes"] == ["single-point-of-failure", "lockout-in-scenario", "codes-not-saved",
                               "single-factor-no-codes", "no-recovery-contact"]
    assert [c["scenario"] for c in first["claims"]] == ["number-lost"]
    ids = [a["rule"] for a in out["actions"]]
    assert not set(first["closes"]) & set(ids)


def test_a_step_that_gives_the_account_codes_folds_the_rules_that_wait_for_codes():
    """No recovery contact "and no backup codes either" is no longer true once the first step prints
    them: the contact step folds under it (the rule's ``until``), for Sam and for Pat, whose second
    step comes with printed codes."""
    assert RULES_BY_ID["no-recovery-contact"].until is usable_codes
    for name, title in (("sms-only-sam", "Print backup codes for Email"),
                        ("password-only-pat", "Turn on a second sign-in step for Main email")):
        out = json.loads(evaluate_json(json.dumps(persona(name))))
        first = out["actions"][0]
        assert first["title"] == title and "no-recovery-contact" in first["closes"]
        assert "no-recovery-contact" not in [a["rule"] for a in out["actions"]]
        assert "no-recovery-contact" in {f["rule"] for f in out["findings"]}     # still found, and folded


def test_a_step_that_does_not_give_codes_leaves_the_contact_step_alone():
    """The fold needs the fix to make the rule's ``until`` hold: a passkey switch alone (no codes)
    does not fold the recovery-contact finding."""
    data = persona("sms-only-sam")
    plan = parsed(data)
    report = evaluate(plan)
    contact = next(f for f in report.findings if f.rule == "no-recovery-contact")
    switch = next(a for a in report.actions if a.rule == "sms-on-critical")
    assert not usable_codes(apply(plan, switch.fix.ops).account(contact.account))
    assert "no-recovery-contact" not in switch.closes


def test_a_fix_that_resolves_another_accounts_lockout_folds_it():
    """Vic's vault codes bring both mailboxes back: their lockout findings fold under it."""
    out = json.loads(evaluate_json(json.dumps(persona("vault-loop-vic"))))
    vault = next(a for a in out["actions"] if a["title"] == "Print backup codes for Password manager")
    assert {"single-point-of-failure", "lockout-in-scenario", "password-manager-protects-itself"} \
        <= set(vault["closes"]) | {vault["rule"]}
    assert {c["account"] for c in vault["claims"]} >= {"vault", "mail", "other"}


def test_quick_check_folds_after_five_and_every_action_is_measured():
    assert FOLD_AFTER == 5
    out = json.loads(evaluate_json(json.dumps(persona("vault-loop-vic"))))
    assert out["fold_after"] == 5 and len(out["actions"]) > 5
    assert all(a["gain"] is not None for a in out["actions"] if a["fix"])


def test_large_plans_always_measure_the_top_20_and_say_why_the_rest_are_not(bench):
    plan = json.dumps(bench.generate_plan(MEASURE_ALL + 40, 1, "mixed"))
    out = json.loads(evaluate_json(plan))
    actions = out["actions"]
    measured = [a for a in actions if a["gain"] is not None]
    assert len(measured) == min(MEASURE_TOP, len([a for a in actions if a["fix"]]))
    # the first shown actions that have a fix carry a measured gain
    assert all(a["gain"] is not None for a in actions[:out["fold_after"]] if a["fix"])
    for a in actions:
        if a["gain"] is None:
            assert a["gain_text"] is None
            assert a["gain_note"] == (
                "Not measured: with more than 60 accounts, only the first 20 steps are measured, to keep the check "
                "fast. This one is ranked by its tier and by how many and how important the accounts it touches are."
                if a["fix"] else RULES_BY_ID[a["rule"]].unmeasured or
                "Not measured: this step changes nothing the plan records, so its effect cannot be worked out.")
        else:
            assert a["gain_note"] is None and a["gain_text"]
    tiers = [a["tier"] for a in actions]
    assert tiers == sorted(tiers, key=["blocker", "durability", "readiness"].index)


def test_small_plans_measure_every_action_with_a_fix():
    out = json.loads(evaluate_json(json.dumps(persona("vault-loop-vic"))))
    assert all((a["gain"] is not None) == bool(a["fix"]) for a in out["actions"])
    assert all((a["gain_note"] is None) == (a["gain"] is not None) for a in out["actions"])


def test_a_step_without_a_fix_names_its_account_and_says_in_its_own_words_why_it_is_not_measured():
    from engine_support import load_golden, golden_files
    doc = load_golden(next(p for p in golden_files() if p.stem == "no-way-in"))
    out = json.loads(evaluate_json(json.dumps(doc["plan"])))
    step = next(a for a in out["actions"] if a["rule"] == "no-sign-in-method")
    assert step["title"] == "Record how you sign in to iCloud"
    assert step["gain"] is None and step["gain_note"] == (
        "Not measured: the plan does not say how you sign in yet, so there is nothing to measure. Record it in the "
        "inventory and the checker measures the account.")
    assert RULES_BY_ID["cannot-get-in-today"].unmeasured.startswith(
        "Not measured: getting back in happens with the provider, not in your plan.")


def test_a_step_that_would_close_a_way_back_names_a_later_step_that_keeps_it_open():
    from esrok_recovery import quick_json
    answers = {"main_account": "email", "password": "memorised", "second_step": "sms", "backup_codes": "none",
               "recovery_email": "separate", "recovery_phone": "someone_else"}
    out = json.loads(quick_json(json.dumps({"version": 1, "as_of": "2026-12-02", "answers": answers})))
    titles = [a["title"] for a in out["actions"]]
    assert titles[:2] == ["Switch Main email to a passkey", "Print backup codes for Main email"]
    assert out["actions"][0]["trade_off"] == (
        "On its own this lowers Recoverability slightly (76); do “Print backup codes for Main email” first and it "
        "costs no Recoverability.")


def test_with_no_listed_step_to_do_first_codes_are_named_only_when_they_keep_half_the_cost():
    from esrok_recovery import quick_json
    # Tess (a key and printed codes at home, SMS beside them): codes with someone she trusts keep 13 of the 18
    tess = persona("traveller-tess")
    out = json.loads(evaluate_json(json.dumps(tess)))
    assert out["actions"][0]["title"] == "Remove the phone-number fallback from Email"
    assert out["actions"][0]["trade_off"].endswith(
        "; do “Give someone you trust backup codes for Email” first and it lowers Recoverability only to 95.")
    # here neither copy of the codes keeps half of the 4 points: the cost is said, no remedy is offered
    answers = {"main_account": "social", "password": "unsure", "second_step": "sms", "extra_method": "laptop_passkey",
               "backup_codes": "unknown", "recovery_email": "circular", "recovery_phone": "none",
               "number_kind": "mine", "port_lock": "yes", "sim_pin": "yes", "voicemail_pin": "yes",
               "screen_lock": "unsure", "recovery_contact": "yes", "support": "unsure", "tested": "never",
               "playbook": "no"}
    out = json.loads(quick_json(json.dumps({"version": 1, "as_of": "2026-11-29", "answers": answers})))
    step = next(a for a in out["actions"] if a["title"] == "Remove the phone-number fallback from Social media")
    assert step["gain_text"] == "Protection 50 → 90, Recoverability 80 → 76"
    assert step["trade_off"] == "On its own this lowers Recoverability 80 → 76."
