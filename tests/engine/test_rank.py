"""rank.py: one sort key (tier, impact, accounts, table order) and de-duplication by ``closes``."""
from __future__ import annotations

from esrok_recovery.model import Tier
from esrok_recovery.rank import Action, rank_actions, sort_key
from esrok_recovery.rules import RULE_INDEX, Finding

from engine_support import base_plan, parsed


def plan_with(n_critical=1, n_normal=2):
    data = base_plan()
    data["accounts"] = [
        {"id": f"c{i}", "kind": "email", "importance": "critical", "sign_in": [{"type": "password"}]}
        for i in range(n_critical)] + [
        {"id": f"n{i}", "kind": "other", "importance": "normal", "sign_in": [{"type": "password"}]}
        for i in range(n_normal)]
    return parsed(data)


def F(rule, tier, account):
    return Finding(rule, tier, account, "x")


def test_blockers_come_first_whatever_their_impact():
    plan = plan_with()
    found = (F("sms-on-critical", Tier.DURABILITY, "c0"), F("single-factor-no-codes", Tier.BLOCKER, "n0"),
             F("no-escalation-plan", Tier.READINESS, None))
    assert [a.rule for a in rank_actions(plan, found, {})] == \
        ["single-factor-no-codes", "sms-on-critical", "no-escalation-plan"]


def test_within_a_tier_impact_decides_importance_and_lockouts_count():
    plan = plan_with(1, 2)
    found = (F("sms-on-critical", Tier.DURABILITY, "n0"), F("sms-on-critical", Tier.DURABILITY, "n1"),
             F("totp-single-phone", Tier.DURABILITY, "c0"))
    ranked = rank_actions(plan, found, {})
    assert [(a.rule, a.impact) for a in ranked] == [("totp-single-phone", 3), ("sms-on-critical", 2)]
    ranked = rank_actions(plan, found, {"n0": ("phone-lost", "home-lost")})
    assert [(a.rule, a.impact) for a in ranked] == [("sms-on-critical", 4), ("totp-single-phone", 3)]


def test_ties_fall_back_to_table_order_not_input_order():
    plan = plan_with(2, 0)
    a = (F("sms-on-critical", Tier.DURABILITY, "c0"), F("totp-single-phone", Tier.DURABILITY, "c1"))
    assert [x.rule for x in rank_actions(plan, a, {})] == [x.rule for x in rank_actions(plan, a[::-1], {})]
    assert [x.rule for x in rank_actions(plan, a, {})] == sorted(
        ["sms-on-critical", "totp-single-phone"], key=RULE_INDEX.get)


def test_one_action_closes_another_on_the_same_accounts():
    plan = plan_with(2, 0)
    found = (F("single-factor-no-codes", Tier.BLOCKER, "c0"), F("codes-not-saved", Tier.DURABILITY, "c0"),
             F("codes-not-saved", Tier.DURABILITY, "c1"))
    ranked = rank_actions(plan, found, {})
    assert [(a.rule, a.accounts, a.closes) for a in ranked] == [
        ("single-factor-no-codes", ("c0",), ("codes-not-saved",)),
        ("codes-not-saved", ("c1",), ()),
    ]
    found = found[:2]
    assert [(a.rule, a.closes) for a in rank_actions(plan, found, {})] == \
        [("single-factor-no-codes", ("codes-not-saved",))]


def test_sort_key_is_a_plain_tuple():
    a = Action("sms-on-critical", Tier.DURABILITY, "t", "a", "w", "s", ("c0",), (), 3)
    assert sort_key(a) == (1, -3, -1, RULE_INDEX["sms-on-critical"])
