"""scenarios.py: the reachability fixpoint, loss scenarios, single points of failure, cycles."""
from __future__ import annotations

import copy

import pytest

from esrok_recovery.scenarios import (SCENARIO_IDS, Option, _closure, _option_value, analyse, baseline_values,
                                      compile_plan, scenario_loss, single_points, solve_loss, supports)

from engine_support import base_plan, golden_files, load_golden, parsed


def result(data, sid):
    a = analyse(parsed(data))
    return a.baseline if sid == "baseline" else a.scenario(sid)


def routes(res) -> dict:
    return {o.account: (o.route, o.via, o.wait_days) for o in res.recovered}


def test_scenario_ids_are_fixed():
    assert SCENARIO_IDS == ("phone-lost", "phone-reset", "number-lost", "key-lost",
                            "password-manager-unavailable", "home-lost", "travelling")


def test_value_encoding_is_monotone_and_adds_waits():
    direct = Option("sign-in", None, 0, ("a", "b"), True)
    route = Option("recovery email", "b", 1, ("b",), False)
    assert _option_value(direct, {"a": 0, "b": 0}) == 0          # sign in right now
    assert _option_value(direct, {"a": 0, "b": 5}) == 5          # after b comes back (2 days)
    assert _option_value(direct, {"a": 0}) is None               # b unreachable
    assert _option_value(route, {"b": 0}) == 3                   # 1 day, indirect
    assert _option_value(route, {"b": 5}) == 7                   # 2 + 1 days
    assert _option_value(Option("support", None, 14, (), False), {}) == 29


def test_recovering_a_through_b_needs_b_first():
    data = base_plan()
    data["accounts"] = [
        {"id": "a", "kind": "other", "importance": "normal",
         "sign_in": [{"type": "password"}, {"type": "totp", "on": "app"}],
         "recovery": [{"type": "recovery_email", "via": "b"}]},
        {"id": "b", "kind": "email", "importance": "normal",
         "sign_in": [{"type": "password"}, {"type": "totp", "on": "app"}],
         "recovery": [{"type": "support", "wait_days": 3}]},
    ]
    res = result(data, "phone-lost")
    assert res.locked_out == ()
    assert routes(res) == {"b": ("support", None, 3), "a": ("recovery email", "b", 4)}
    data["accounts"][1]["recovery"] = []
    res = result(data, "phone-lost")
    assert res.locked_out == ("a", "b")


def test_support_waits_count_and_faster_routes_win():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": 14, "official_url_recorded": True}]
    assert routes(result(data, "phone-lost")) == {"mail": ("support", None, 14)}
    data["accounts"][0]["recovery"].append({"type": "recovery_contact", "on": "mum"})
    assert routes(result(data, "phone-lost")) == {"mail": ("recovery contact", "mum", 1)}


def test_a_lost_phone_takes_its_number_app_and_files_but_the_sim_can_be_replaced():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "sms", "on": "mobile"}]
    data["accounts"][0]["recovery"] = []
    data["accounts"][0]["backup_codes"] = {"generated": False}
    res = result(data, "phone-lost")
    assert res.lost == ("app", "mobile", "phone")
    assert routes(res) == {"mail": ("sign-in", "mobile", 1)}
    assert [(o.account, o.route, o.wait_days) for o in res.restored] == [("mobile", "replacement SIM", 1)]
    # a lost number does not come back
    assert result(data, "number-lost").locked_out == ("mail",)


def test_phone_reset_wipes_apps_and_device_passkeys_but_keeps_the_number():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "passkey", "on": "phone"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"}]
    res = result(data, "phone-reset")
    assert res.lost == ("app",)
    assert routes(res) == {"mail": ("recovery phone", "mobile", 0)}


def test_app_with_backup_is_restored_after_a_reset():
    data = base_plan()
    data["things"][2]["backup"] = "cloud"
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    res = result(data, "phone-reset")
    assert routes(res) == {"mail": ("sign-in", "app", 0)}
    assert [(o.account, o.route) for o in res.restored] == [("app", "restore app from backup")]


def test_travelling_leaves_home_behind_but_people_stay_reachable():
    data = base_plan()
    data["things"].append({"id": "aunt", "type": "code_store", "kind": "trusted_person", "label": "Aunt"})
    data["accounts"][0]["recovery"] = []
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "totp", "on": "app"}]
    assert result(data, "travelling").lost == ("paper",)
    data["accounts"][0]["backup_codes"]["stored_in"] = ["aunt"]
    res = result(data, "phone-lost")
    assert routes(res) == {"mail": ("backup codes", "aunt", 0)}


def test_home_lost_and_key_lost_follow_locations():
    data = base_plan()
    data["things"] += [{"id": "k1", "type": "security_key", "label": "Key"},
                       {"id": "k2", "type": "security_key", "label": "Spare", "location": "home"},
                       {"id": "safe", "type": "code_store", "kind": "safe", "label": "Safe"}]
    plan = parsed(data)
    assert scenario_loss(plan, "key-lost")[0] == {"k1"}
    assert scenario_loss(plan, "home-lost")[0] == {"k2", "paper", "safe"}
    assert scenario_loss(plan, "travelling")[0] == {"k2", "paper", "safe"}


def test_password_manager_unavailable_takes_the_vault_down_and_what_needs_it():
    data = base_plan()
    data["accounts"].append({"id": "vault", "kind": "password_manager", "importance": "critical",
                             "sign_in": [{"type": "password"}, {"type": "totp", "on": "app"}]})
    data["accounts"][0]["sign_in"][0] = {"type": "password", "via": "vault"}
    res = result(data, "password-manager-unavailable")
    assert res.lost == ("vault",)
    assert res.locked_out == ()                 # the vault itself is lost, not "locked out"
    assert routes(res) == {"mail": ("recovery phone", "mobile", 0)}


def test_single_point_of_failure_with_chain():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    sps = analyse(parsed(data)).single_points
    assert [(s.thing, s.accounts, s.chain) for s in sps] == [
        ("app", ("mail",), ("app", "mail")),
        ("phone", ("mail",), ("phone", "app", "mail")),
    ]


def test_normal_accounts_are_not_single_points():
    data = base_plan()
    data["accounts"][0]["importance"] = "normal"
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
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


@pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.stem)
def test_incremental_solve_matches_full_recomputation(path):
    """Pruning by supports must give exactly what recomputing everything downstream gives."""
    plan = parsed(load_golden(path)["plan"])
    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    for sid in SCENARIO_IDS:
        seeds, down, no_restore = scenario_loss(plan, sid)
        lost = _closure(g, seeds)
        assert solve_loss(g, base, lost, down, no_restore, sup) == solve_loss(g, base, lost, down, no_restore)
    for t in plan.things:
        lost = _closure(g, {t.id})
        assert solve_loss(g, base, lost, sup=sup) == solve_loss(g, base, lost)
    assert single_points(g, base, sup) == single_points(g, base)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pruning_on_generated_household_plans(seed):
    """The benchmark's generator: many people, phones, keys and shared accounts."""
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("bench_engine", Path(__file__).resolve().parents[2] / "bench" / "engine.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    plan = parsed(bench.generate_plan(120, seed))
    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    for sid in SCENARIO_IDS:
        seeds, down, no_restore = scenario_loss(plan, sid)
        lost = _closure(g, seeds)
        assert solve_loss(g, base, lost, down, no_restore, sup) == solve_loss(g, base, lost, down, no_restore)
    assert single_points(g, base, sup) == single_points(g, base)


def test_phones_and_keys_are_lost_one_at_a_time_and_the_worst_case_is_shown():
    data = base_plan()
    data["things"] += [{"id": "phone2", "type": "phone", "label": "Partner's phone"},
                       {"id": "mobile2", "type": "phone_number", "label": "Partner's number", "on": "phone2"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile2"}]
    data["accounts"].append({"id": "partner", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password"}, {"type": "sms", "on": "mobile2"}]})
    res = result(data, "phone-lost")
    assert res.one_at_a_time is True
    assert res.lost == ("app", "mobile", "mobile2", "phone", "phone2")
    # losing my phone: recovered through the partner's number; losing theirs: their SIM comes back
    assert res.locked_out == ()
    assert routes(res) == {"mail": ("recovery phone", "mobile2", 0), "partner": ("sign-in", "mobile2", 1)}
    assert result(data, "number-lost").one_at_a_time is False
    assert result(data, "number-lost").locked_out == ("partner",)
