"""failures.py: single points of failure (a week or more counts) and recovery loops."""
from __future__ import annotations

import copy

import pytest

from esrok_recovery.scenarios import analyse

from engine_support import base_plan, golden_files, load_golden, parsed, persona_files


def test_single_point_of_failure_with_chain_and_scenario():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    sps = analyse(parsed(data)).single_points
    assert [(s.thing, s.accounts, s.chains, s.scenarios) for s in sps] == [
        ("app", ("mail",), (("app", "mail"),), ("phone-lost",)),
        ("phone", ("mail",), (("phone", "app", "mail"),), ("phone-lost",)),
    ]


def test_a_wait_of_a_week_or_more_makes_a_single_point_and_less_does_not():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": 7}]
    assert [s.thing for s in analyse(parsed(data)).single_points] == ["app", "phone"]
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": 6}]
    assert analyse(parsed(data)).single_points == ()


def test_normal_accounts_are_not_single_points_but_what_resets_a_critical_one_is():
    data = base_plan()
    data["accounts"][0]["importance"] = "normal"
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    assert analyse(parsed(data)).single_points == ()
    data["accounts"].append({"id": "bank", "kind": "bank", "importance": "critical",
                             "sign_in": [{"type": "password"}, {"type": "security_key", "on": "key"}],
                             "recovery": [{"type": "recovery_email", "via": "mail"}]})
    data["things"].append({"id": "key", "type": "security_key", "label": "Key", "location": "home"})
    sps = analyse(parsed(data)).single_points
    assert [(s.thing, s.accounts) for s in sps] == [("app", ("mail",)), ("phone", ("mail",))]


def test_things_no_scenario_can_lose_are_never_single_points():
    """A recovery contact or a carried laptop is lost in no scenario, so it is never reported."""
    data = base_plan()
    data["things"].append({"id": "laptop", "type": "device", "label": "Laptop", "location": "carried"})
    data["accounts"][0] = {"id": "mail", "kind": "email", "importance": "critical",
                           "sign_in": [{"type": "passkey", "on": "laptop"}],
                           "recovery": [{"type": "recovery_contact", "on": "mum"}]}
    assert analyse(parsed(data)).single_points == ()


def test_cycle_between_two_accounts_is_reported_with_its_chain_and_scenarios():
    doc = load_golden(next(p for p in golden_files() if p.name == "email-cycle.json"))
    cycles = analyse(parsed(doc["plan"])).cycles
    assert [(c.accounts, c.chain, c.scenarios) for c in cycles] == [
        (("gmail", "outlook"), ("gmail", "outlook", "gmail"), ("phone-lost", "phone-reset"))]


def test_cycle_through_a_restorable_thing():
    doc = load_golden(next(p for p in golden_files() if p.name == "cloud-backup-through-itself.json"))
    cycles = analyse(parsed(doc["plan"])).cycles
    assert [(c.accounts, c.chain) for c in cycles] == [(("google", "work"), ("google", "gauth", "google"))]


def test_no_cycle_when_one_side_has_an_independent_way_in():
    doc = copy.deepcopy(load_golden(next(p for p in golden_files() if p.name == "email-cycle.json")))
    doc["plan"]["things"].append({"id": "paper", "type": "code_store", "kind": "paper", "label": "Codes"})
    doc["plan"]["accounts"][0]["backup_codes"] = {"generated": True, "stored_in": ["paper"]}
    a = analyse(parsed(doc["plan"]))
    assert a.cycles == ()
    assert a.scenario("phone-lost").locked_out == ()


@pytest.mark.parametrize("path", golden_files() + persona_files(), ids=lambda p: p.stem)
def test_every_single_point_shows_up_with_its_scenario_in_the_loss_results(path):
    a = analyse(parsed(load_golden(path)["plan"]))
    for sp in a.single_points:
        for acct in sp.accounts:
            s = a.scenario(sp.scenario_for(acct))
            assert s.outcome(acct).locked
            assert any(sp.thing in lost for lost in s.losses)


def test_own_phone_mix_has_a_single_point_per_critical_account(bench):
    plan = parsed(bench.generate_plan(300, 2, "own-phone"))
    a = analyse(plan)
    critical = {x.id for x in plan.accounts if x.importance.value == "critical"}
    hit = {acct for sp in a.single_points for acct in sp.accounts}
    assert hit and hit <= critical
