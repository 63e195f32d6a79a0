"""measures.py: Protection (the weakest way in) and Recoverability, each with one line of explanation."""
from __future__ import annotations

import copy

import pytest

from esrok_recovery.measures import assumptions, compute, credit, protection_by_account
from esrok_recovery.model import State
from esrok_recovery.scenarios import analyse

from engine_support import base_plan, parsed


def one_account(second=None, password=None, recovery=(), extra_things=()) -> dict:
    data = base_plan()
    data["things"] += list(extra_things)
    pw = {"type": "password", "reused": False, **(password or {})}
    data["accounts"][0]["sign_in"] = [pw] + ([second] if second else [])
    data["accounts"][0]["recovery"] = list(recovery)
    return data


def measures(data):
    plan = parsed(data)
    return compute(plan, analyse(plan))


KEY = {"id": "key", "type": "security_key", "label": "Key"}


@pytest.mark.parametrize("password", [{}, {"via": None}, {"reused": True}])
def test_protection_ladder_for_one_critical_account(password):
    password = {k: v for k, v in password.items() if v is not None}
    steps = [None, {"type": "sms", "on": "mobile"}, {"type": "totp", "on": "app"},
             {"type": "security_key", "on": "key"}]
    values = [measures(one_account(s, password, extra_things=[KEY])).protection.raw for s in steps]
    assert values == sorted(values) and len(set(values)) == 4


def test_protection_values_and_words():
    assert [round(measures(one_account(s, extra_things=[KEY])).protection.raw) for s in (
        None, {"type": "sms", "on": "mobile"}, {"type": "push", "on": "phone", "number_matching": False},
        {"type": "totp", "on": "app"}, {"type": "push", "on": "phone", "number_matching": True},
        {"type": "security_key", "on": "key"})] == [25, 50, 50, 65, 65, 95]
    m = measures(one_account({"type": "sms", "on": "mobile"}))
    assert m.protection.explanation == ("The weakest way into Mail is the password and a text-message code to Mobile, "
                                        "which a SIM swap can redirect.")
    m = measures(one_account(None, {"reused": True}))
    assert (m.protection.value, m.protection.explanation) == (
        10, "The weakest way into Mail is a password that is also used elsewhere, alone.")


def test_a_recovery_route_weaker_than_the_sign_in_lowers_protection_and_says_why():
    strong = one_account({"type": "security_key", "on": "key"}, extra_things=[KEY])
    weak = copy.deepcopy(strong)
    weak["things"][1]["port_out_lock"] = False
    weak["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"}]
    a, b = measures(strong).protection, measures(weak).protection
    assert b.value < a.value
    assert b.explanation == ("The weakest way into Mail is a reset by text message to Mobile, which a SIM swap can "
                             "redirect.")


def test_a_recovery_mailbox_caps_protection_and_is_named():
    data = one_account({"type": "security_key", "on": "key"}, recovery=[{"type": "recovery_email", "via": "old"}],
                       extra_things=[KEY])
    data["accounts"].append({"id": "old", "name": "Old mail", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password"}]})
    per = protection_by_account(parsed(data))
    assert per["mail"].value == 25 and per["mail"].through == "old"
    assert per["mail"].text == ("a reset through the recovery email Old mail, whose weakest way in is the password "
                                "alone")


def test_plan_protection_is_half_the_weakest_critical_account_half_the_average():
    data = one_account({"type": "security_key", "on": "key"}, extra_things=[KEY])
    data["accounts"].append({"id": "shop", "name": "Shop", "kind": "other", "importance": "normal",
                             "sign_in": [{"type": "password"}]})
    p = measures(data).protection
    assert p.parts == {"weakest_account": "mail", "weakest": 95, "average": round((3 * 95 + 25) / 4, 4)}
    assert p.raw == 0.5 * 95 + 0.5 * (3 * 95 + 25) / 4
    assert p.explanation.startswith("The easiest account to take over is Mail: the password and a security key.")


def test_credit_is_monotone_in_how_quickly_you_get_back():
    values = [credit(State.IN, None)] + [credit(State.BACK, d) for d in range(7)] + \
             [credit(State.LOCKED_OUT, 14), credit(State.NO_WAY_BACK, None)]
    assert values == sorted(values, reverse=True) and values[0] == 1 and values[-1] == 0


def test_recoverability_explains_the_worst_lockout_with_its_length():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": 14}]
    r = measures(data).recoverability
    assert r.explanation == ("If you lose your phone, you are locked out of Mail for about 14 days, until the "
                             "provider's support process lets you back in. That is 1 of 2 lockouts in the loss table.")
    r = measures(base_plan()).recoverability
    assert r.explanation == "Every loss leaves a way back within a week, and recovery was tested in the last 6 months."
    assert r.value == 95          # back the same day by a backup code when the phone is lost


def test_habits_and_tests_not_recorded_count_as_not_in_place_and_are_stated():
    data = base_plan()
    del data["habits"]
    del data["accounts"][0]["recovery_tested_on"]
    m = measures(data)
    assert m.recoverability.parts == {"access": 0.9375, "habits": 0.0, "tested": 0.0}
    said = [x["text"] for x in assumptions(parsed(data), analyse(parsed(data)))]
    assert said == [
        "Not recorded, so counted as not in place in Recoverability: a lost-device playbook, an escalation plan, "
        "enrolling before retiring, watching alerts.",
        "When recovery was last tested is not recorded for Mail, so it counts as not tested."]


def test_assumptions_name_the_replacement_sim_and_unrecorded_facts():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "sms", "on": "mobile"}]
    del data["things"][1]["port_out_lock"]
    del data["accounts"][0]["backup_codes"]
    plan = parsed(data)
    said = [x["text"] for x in assumptions(plan, analyse(plan))]
    assert said == [
        "No carrier account is recorded for Mobile, so a replacement SIM is assumed within a day.",
        "Backup codes are not recorded for Mail, so none are counted as a way back.",
        "Whether Mobile has a carrier PIN or port-out lock is not recorded; Protection counts it as having none.",
        "The password of Mail is not recorded as reused, so it is counted as used only there."]


def test_the_headline_is_the_lower_measure():
    m = measures(one_account(None))
    assert m.headline is m.protection


def test_a_test_counts_only_where_there_is_a_backup_way_in_to_test():
    """Sam-like: a text message and a recovery phone on the same number. Testing earns nothing until a
    backup exists, so "test it" can never outscore "create it"."""
    data = copy.deepcopy(base_plan())
    acct = data["accounts"][0]
    acct["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    acct["backup_codes"] = {"generated": False}
    acct["recovery"] = [{"type": "recovery_phone", "on": "mobile"}]
    acct["recovery_tested_on"] = "2026-11-01"
    plan = parsed(data)
    assert compute(plan, analyse(plan)).recoverability.parts["tested"] == 0.0
    acct["backup_codes"] = {"generated": True, "stored_in": ["paper"], "remaining": 10}
    plan = parsed(data)
    assert compute(plan, analyse(plan)).recoverability.parts["tested"] == 1.0


# --- a passkey that only replaces the password (the service catalogue says so) -------------------

def _with_passkey(instead: bool):
    from dataclasses import replace

    from esrok_recovery.model import Plan
    data = one_account(second={"type": "passkey", "on": "phone"}, recovery=[{"type": "recovery_contact", "on": "mum"}])
    data["accounts"][0]["backup_codes"] = {"generated": False}
    plan = parsed(data)
    return Plan(plan.version, plan.as_of, plan.habits, plan.things,
                tuple(replace(a, passkey_instead_of_password=instead) for a in plan.accounts))


def test_a_passkey_the_service_takes_instead_of_the_password_leaves_the_password_a_way_in():
    from esrok_recovery.graph import account_options
    from esrok_recovery.measures import backup_way, ways_in
    plan = _with_passkey(True)
    mail = plan.account("mail")
    assert mail.password_alone_gets_in()
    assert [(w.strength, w.text) for w in ways_in(plan, mail)] == [
        (100, "a passkey"), (25, "the password alone"), (90, "a reset through your recovery contact")]
    assert [(o.route.id, o.reqs) for o in account_options(plan, mail)] == [
        ("sign_in", ("phone#keys",)), ("sign_in", ()), ("recovery_contact", ("mum",))]
    assert backup_way(plan, mail)   # the password is a way in that does not hang on the phone
    m = compute(plan, analyse(plan))
    assert m.accounts["mail"] == (25, "the password alone", None)
    phone_lost = analyse(plan).scenario("phone-lost")
    assert "mail" not in phone_lost.changed   # the password still gets in without the phone
    assert not any(x["about"] == "backup_codes" for x in assumptions(plan, analyse(plan)))


def test_a_passkey_taken_as_the_second_step_locks_the_password_out_as_before():
    from esrok_recovery.measures import ways_in
    plan = _with_passkey(False)
    mail = plan.account("mail")
    assert not mail.password_alone_gets_in()
    assert [w.text for w in ways_in(plan, mail)] == ["a passkey", "a reset through your recovery contact"]
    assert compute(plan, analyse(plan)).accounts["mail"].value == 90


def _with_unknown_mailbox(data: dict, **mailbox) -> dict:
    data = copy.deepcopy(data)
    data["accounts"][0]["recovery"] = [{"type": "recovery_email", "via": "mbox"}]
    data["accounts"].append({"id": "mbox", "name": "Old mailbox", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password"}], **mailbox})
    return data


def test_an_account_whose_sign_in_is_not_all_known_is_left_out_of_protection():
    strong = one_account(second={"type": "security_key", "on": "key"}, extra_things=[KEY])
    unknown = measures(_with_unknown_mailbox(strong, sign_in_unknown=True))
    listed = measures(_with_unknown_mailbox(strong))
    # listed as password-only, the mailbox is the way in; not all known, it is neither counted nor inherited
    assert (listed.protection.value, listed.accounts["mail"].through) == (25, "mbox")
    assert unknown.protection.value == measures(strong).protection.value == 95
    assert unknown.accounts["mail"].text == "the password and a security key"
    assert unknown.accounts["mbox"].text == "not known, because not every sign-in method is recorded"
    assert unknown.protection.explanation == (
        "The weakest way into Mail is the password and a security key. Not counted: Old mailbox, since not every "
        "way it signs in is recorded.")


def test_when_no_account_is_fully_known_protection_judges_what_is_listed():
    data = one_account()
    data["accounts"][0]["sign_in_unknown"] = True
    assert measures(data).protection.value == 25


def test_assumptions_about_several_things_list_them_in_words_with_the_verb_in_agreement():
    data = base_plan()
    data["things"].append({"id": "work-mobile", "type": "phone_number", "label": "Work mobile", "on": "phone"})
    del data["things"][1]["port_out_lock"]
    del data["accounts"][0]["backup_codes"]
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "sms", "on": "mobile"}]
    for name in ("Shop", "Forum", "Club"):
        data["accounts"].append({"id": name.lower(), "name": name, "kind": "other", "importance": "normal",
                                 "sign_in": [{"type": "password"}, {"type": "sms", "on": "work-mobile"}]})
    plan = parsed(data)
    said = {x["about"]: x["text"] for x in assumptions(plan, analyse(plan))}
    assert said["backup_codes"] == ("Backup codes are not recorded for Club, Forum, Mail and 1 more, so none are "
                                    "counted as a way back.")
    assert said["port_out_lock"] == ("Whether Mobile and Work mobile have a carrier PIN or port-out lock is not "
                                     "recorded; Protection counts them as having none.")
    assert said["reused"] == ("The passwords of Club, Forum, Mail and 1 more are not recorded as reused, so each is "
                              "counted as used only there.")
    assert plan.names(["mail", "shop"]) == "Mail and Shop" and plan.names(["mail"], 3) == "Mail"
    assert plan.names(["mail", "shop", "forum"], 3) == "Mail, Shop and Forum"
