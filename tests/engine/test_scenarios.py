"""scenarios.py: the table of scenario rows and exactly one state per account per scenario."""
from __future__ import annotations

import pytest

from esrok_recovery.model import LOCKOUT_DAYS, Route, State
from esrok_recovery.scenarios import SCENARIO_IDS, SCENARIOS_BY_ID, analyse, state_of

from engine_support import base_plan, golden_files, load_golden, parsed, persona_files


def result(data, sid):
    a = analyse(parsed(data))
    return a.baseline if sid == "baseline" else a.scenario(sid)


def outcomes(res) -> dict:
    return {o.account: (o.state.value, o.days, o.route.id if o.route else None, o.via) for o in res.outcomes()}


def test_scenario_rows_are_fixed():
    assert SCENARIO_IDS == ("phone-lost", "phone-reset", "number-lost", "key-lost",
                            "password-manager-unavailable", "home-lost", "travelling")
    assert [SCENARIOS_BY_ID[s].one_at_a_time for s in SCENARIO_IDS] == [True, True, False, True, False, False, False]
    assert SCENARIOS_BY_ID["number-lost"].short == "lose your phone number"


def test_states_and_the_seven_day_line():
    assert state_of(None) is State.NO_WAY_BACK
    assert state_of(0) is State.IN
    assert state_of(2 * 0 + 1) is State.BACK
    assert state_of(2 * (LOCKOUT_DAYS - 1) + 1) is State.BACK
    assert state_of(2 * LOCKOUT_DAYS + 1) is State.LOCKED_OUT


@pytest.mark.parametrize("days, state", [(0, "back"), (6, "back"), (7, "locked_out"), (30, "locked_out")])
def test_support_waits_are_back_or_locked_out_by_length(days, state):
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": days, "official_url_recorded": True}]
    assert outcomes(result(data, "phone-lost")) == {"mail": (state, days, "support", None)}


def test_no_way_back_and_faster_routes_win():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    assert outcomes(result(data, "phone-lost")) == {"mail": ("no_way_back", None, None, None)}
    data["accounts"][0]["recovery"] = [{"type": "support", "wait_days": 14},
                                       {"type": "recovery_contact", "on": "mum"}]
    assert outcomes(result(data, "phone-lost")) == {"mail": ("back", 1, "recovery_contact", "mum")}


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
    assert outcomes(result(data, "phone-lost")) == {"a": ("back", 4, "recovery_email", "b"),
                                                     "b": ("back", 3, "support", None)}
    data["accounts"][1]["recovery"] = []
    assert result(data, "phone-lost").locked_out == ("a", "b")


def test_a_lost_phone_takes_its_number_app_and_files_but_the_sim_can_be_replaced():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "sms", "on": "mobile"}]
    data["accounts"][0]["recovery"] = []
    data["accounts"][0]["backup_codes"] = {"generated": False}
    res = result(data, "phone-lost")
    assert res.lost == ("app", "mobile", "phone")
    assert outcomes(res) == {"mail": ("back", 1, "replacement_sim", "mobile")}
    assert [(r.thing, r.route, r.days) for r in res.restored] == [("mobile", Route.REPLACEMENT_SIM, 1)]
    assert outcomes(result(data, "number-lost")) == {"mail": ("no_way_back", None, None, None)}


def test_phone_reset_wipes_apps_and_device_passkeys_but_keeps_the_number():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "passkey", "on": "phone"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"}]
    res = result(data, "phone-reset")
    assert res.lost == ("app",)
    assert outcomes(res) == {"mail": ("back", 0, "recovery_phone", "mobile")}


def test_app_with_backup_is_restored_after_a_reset():
    data = base_plan()
    data["things"][2]["backup"] = "cloud"
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    assert outcomes(result(data, "phone-reset")) == {"mail": ("back", 0, "app_restore", "app")}


def test_password_manager_unavailable_takes_the_vault_down_and_what_needs_it():
    data = base_plan()
    data["accounts"].append({"id": "vault", "kind": "password_manager", "importance": "critical",
                             "sign_in": [{"type": "password"}, {"type": "totp", "on": "app"}]})
    data["accounts"][0]["sign_in"][0] = {"type": "password", "via": "vault"}
    res = result(data, "password-manager-unavailable")
    assert res.down == ("vault",) and "vault" not in outcomes(res)
    assert res.locked_out == ()
    assert outcomes(res) == {"mail": ("back", 0, "recovery_phone", "mobile")}


def test_phones_and_keys_are_lost_one_at_a_time_and_the_worst_case_is_shown():
    data = base_plan()
    data["things"] += [{"id": "phone2", "type": "phone", "label": "Partner's phone"},
                       {"id": "mobile2", "type": "phone_number", "label": "Partner's number", "on": "phone2"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile2"}]
    data["accounts"].append({"id": "partner", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password"}, {"type": "sms", "on": "mobile2"}]})
    res = result(data, "phone-lost")
    assert len(res.losses) == 2
    assert res.lost == ("app", "mobile", "mobile2", "phone", "phone2")
    assert outcomes(res) == {"mail": ("back", 0, "recovery_phone", "mobile2"),
                             "partner": ("back", 1, "replacement_sim", "mobile2")}
    assert outcomes(result(data, "number-lost"))["partner"] == ("no_way_back", None, None, None)


def test_a_sign_in_that_waits_on_another_account_names_how_that_one_comes_back():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "sms", "on": "mobile"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    data["accounts"].append({"id": "shop", "kind": "other", "importance": "normal",
                             "sign_in": [{"type": "passkey", "via": "google"}]})
    data["accounts"].append({"id": "google", "kind": "google", "importance": "normal",
                             "sign_in": [{"type": "password"}, {"type": "sms", "on": "mobile"}]})
    assert outcomes(result(data, "phone-lost"))["shop"] == ("back", 1, "replacement_sim", "mobile")


@pytest.mark.parametrize("path", golden_files() + persona_files(), ids=lambda p: p.stem)
def test_every_account_has_exactly_one_state_in_every_scenario(path):
    plan = parsed(load_golden(path)["plan"])
    a = analyse(plan)
    ids = [x.id for x in plan.accounts]
    for s in (a.baseline,) + a.scenarios:
        seen = [o.account for o in s.outcomes()]
        assert seen == [i for i in ids if i not in s.down]
        for o in s.outcomes():
            assert (o.days is None) == (o.state in (State.IN, State.NO_WAY_BACK))
            assert (o.route is None) == (o.state in (State.IN, State.NO_WAY_BACK))
            if o.state is State.LOCKED_OUT:
                assert o.days >= LOCKOUT_DAYS
            if o.state is State.BACK:
                assert o.days < LOCKOUT_DAYS
