"""graph.py: ways into each account, restore options, derived importance."""
from __future__ import annotations

from esrok_recovery.graph import KEYS, Option, account_options, compile_plan, usable_codes
from esrok_recovery.model import Importance, Route

from engine_support import base_plan, parsed


def test_options_of_the_base_plan():
    plan = parsed(base_plan())
    opts = account_options(plan, plan.account("mail"))
    assert opts == (Option(Route.SIGN_IN, None, 0, ("app",), True),
                    Option(Route.BACKUP_CODES, "paper", 0, ("paper",), False),
                    Option(Route.RECOVERY_CONTACT, "mum", 1, ("mum",), False),
                    Option(Route.RECOVERY_PHONE, "mobile", 0, ("mobile",), False))


def test_a_passkey_counts_as_the_second_step_after_a_password():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "passkey", "on": "phone"}]
    plan = parsed(data)
    routes = [(o.route, o.reqs) for o in account_options(plan, plan.account("mail"))]
    assert (Route.SIGN_IN, ()) not in routes                 # the password alone is no way in
    assert (Route.SIGN_IN, ("phone" + KEYS,)) in routes
    data["accounts"][0]["sign_in"] = [{"type": "password"}]
    plan = parsed(data)
    assert (Route.SIGN_IN, ()) in [(o.route, o.reqs) for o in account_options(plan, plan.account("mail"))]


def test_backup_codes_not_recorded_are_not_counted():
    data = base_plan()
    del data["accounts"][0]["backup_codes"]
    plan = parsed(data)
    assert not usable_codes(plan.account("mail"))
    assert Route.BACKUP_CODES not in [o.route for o in account_options(plan, plan.account("mail"))]


def test_restore_options_numbers_and_backed_up_apps():
    data = base_plan()
    data["things"][2]["backup"] = "cloud"
    g = compile_plan(parsed(data))
    assert g.restore == {"mobile": (Option(Route.REPLACEMENT_SIM, None, 1, (), False),),
                         "app": (Option(Route.APP_RESTORE, None, 0, (), False),)}
    data["things"][2]["backup"] = "none"
    assert "app" not in compile_plan(parsed(data)).restore
    del data["things"][2]["backup"]          # not recorded: no backup is counted
    assert "app" not in compile_plan(parsed(data)).restore


def test_importance_propagates_to_what_can_reset_or_unlock_an_account():
    data = base_plan()
    data["things"][1]["carrier"] = "carrier"
    data["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "old"})
    data["accounts"][0]["sign_in"][0] = {"type": "password", "via": "vault"}
    data["accounts"] += [
        {"id": "old", "kind": "email", "importance": "normal", "sign_in": [{"type": "password"}],
         "recovery": [{"type": "recovery_email", "via": "older"}]},
        {"id": "older", "kind": "email", "importance": "normal", "sign_in": [{"type": "password"}]},
        {"id": "vault", "kind": "password_manager", "importance": "important", "sign_in": [{"type": "password"}]},
        {"id": "carrier", "kind": "carrier", "importance": "normal", "sign_in": [{"type": "password"}]},
        {"id": "shop", "kind": "other", "importance": "normal", "sign_in": [{"type": "password"}]},
    ]
    g = compile_plan(parsed(data))
    assert {a: i.value for a, i in g.counts_as.items()} == {
        "carrier": "critical", "mail": "critical", "old": "critical", "older": "critical", "shop": "normal",
        "vault": "critical"}
    assert g.because == {"carrier": "mail", "old": "mail", "older": "mail", "vault": "mail"}
    assert g.critical == frozenset({"carrier", "mail", "old", "older", "vault"})
    assert g.counts_as["shop"] is Importance.NORMAL


def test_codes_kept_inside_the_account_they_open_are_no_way_into_it():
    # A password manager whose backup codes sit in one of its own notes: the note needs the vault
    # open. Offered as an option, it tied with the real way back and named it ("back the same day by
    # a backup code (a note in your password manager)") beside the blocker saying they are locked in.
    data = base_plan()
    data["things"].append({"id": "note", "type": "code_store", "kind": "password_manager", "label": "Note",
                           "via": "mail"})
    data["accounts"][0]["backup_codes"]["stored_in"] = ["note"]
    data["accounts"][0]["kind"] = "password_manager"
    plan = parsed(data)
    assert [o.route for o in account_options(plan, plan.account("mail"))] == [
        Route.SIGN_IN, Route.RECOVERY_CONTACT, Route.RECOVERY_PHONE]
