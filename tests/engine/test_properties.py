"""Properties (hypothesis) the issue asks for:

* determinism, and account and list order do not change the result;
* adding a second step to an account that has none never lowers Protection;
* replacing text messages with an app, a passkey or a security key never lowers Protection;
* for one critical account, Protection rises strictly: none < text message < app < key;
* adding an independent working way back never adds a lockout and never lowers Recoverability;
* a passkey beside a password that still gets in alone (a service taking passkeys only instead of the password)
  never lowers Recoverability and never raises Protection, and no action claims otherwise;
* adding a recovery route weaker than the account's own sign-in lowers Protection, and the result says why;
* removing every method of a critical account yields a blocker;
* no "test your backup" action is offered for an account with no backup way in, and none outranks the
  action that creates its missing backup codes;
* every generated valid plan evaluates without exception; every invalid one gives field errors, never a traceback.
"""
from __future__ import annotations

import copy
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esrok_recovery import evaluate_json

# ESROK_HYPOTHESIS_EXAMPLES=1000 for a deeper local run; the default keeps the suite quick.
SETTINGS = settings(max_examples=int(os.environ.get("ESROK_HYPOTHESIS_EXAMPLES", "80")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
LOCATIONS = ["carried", "home", "elsewhere"]
MAILBOX = ["email", "google", "microsoft", "apple", "work"]
SYNC = ["apple", "google", "microsoft", "password_manager"]
KINDS = ["email", "password_manager", "apple", "google", "microsoft", "carrier", "bank", "work", "school", "social",
         "other"]


@st.composite
def plans(draw) -> dict:
    things: list[dict] = []
    n_accounts = draw(st.integers(1, 5))
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(n_accounts)]
    accts = [f"a{i}" for i in range(n_accounts)]
    by_kind = lambda ks: [a for a, k in zip(accts, kinds) if k in ks]  # noqa: E731
    phones = [f"p{i}" for i in range(draw(st.integers(0, 2)))]
    devices = [f"d{i}" for i in range(draw(st.integers(0, 1)))]
    for p in phones:
        things.append({"id": p, "type": "phone", "location": draw(st.sampled_from(LOCATIONS))})
    for d in devices:
        things.append({"id": d, "type": "device", "location": draw(st.sampled_from(LOCATIONS))})
    numbers = []
    for i, p in enumerate(phones):
        if draw(st.booleans()):
            n = {"id": f"n{i}", "type": "phone_number", "on": p}
            for fact in ("port_out_lock", "sim_pin", "voicemail_pin"):
                v = draw(st.sampled_from([None, True, False]))
                if v is not None:
                    n[fact] = v
            carriers = by_kind(["carrier"])
            if carriers and draw(st.booleans()):
                n["carrier"] = draw(st.sampled_from(carriers))
            things.append(n)
            numbers.append(n["id"])
    apps = []
    for i, host in enumerate(phones + devices):
        if draw(st.booleans()):
            app = {"id": f"app{i}", "type": "authenticator_app", "on": host,
                   "backup": draw(st.sampled_from(["none", "cloud", "export"]))}
            if app["backup"] == "cloud" and draw(st.booleans()):
                app["via"] = draw(st.sampled_from(accts))
            things.append(app)
            apps.append(app["id"])
    keys = [f"k{i}" for i in range(draw(st.integers(0, 2)))]
    for k in keys:
        things.append({"id": k, "type": "security_key", "location": draw(st.sampled_from(LOCATIONS))})
    stores = []
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["paper", "safe", "trusted_person", "password_manager", "device_file"]))
        s = {"id": f"s{i}", "type": "code_store", "kind": kind}
        if kind == "password_manager":
            pms = by_kind(["password_manager"])
            if not pms:
                continue
            s["via"] = draw(st.sampled_from(pms))
        elif kind == "device_file":
            if not phones + devices:
                continue
            s["on"] = draw(st.sampled_from(phones + devices))
        else:
            s["location"] = draw(st.sampled_from(LOCATIONS))
        things.append(s)
        stores.append(s["id"])
    contacts = [f"c{i}" for i in range(draw(st.integers(0, 1)))]
    things += [{"id": c, "type": "recovery_contact"} for c in contacts]

    def method() -> dict | None:
        options = ["password"]
        if by_kind(["password_manager"]):
            options.append("password_pm")
        if phones + devices + keys:
            options.append("passkey_on")
        if by_kind(SYNC):
            options.append("passkey_via")
        if keys:
            options.append("security_key")
        if apps:
            options.append("totp")
        if phones + devices:
            options.append("push")
        if numbers:
            options += ["sms", "voice"]
        if by_kind(MAILBOX):
            options.append("email_code")
        c = draw(st.sampled_from(options))
        if c == "password":
            reused = draw(st.sampled_from([None, True, False]))
            return {"type": "password"} if reused is None else {"type": "password", "reused": reused}
        if c == "password_pm":
            return {"type": "password", "via": draw(st.sampled_from(by_kind(["password_manager"])))}
        if c == "passkey_on":
            return {"type": "passkey", "on": draw(st.sampled_from(phones + devices + keys))}
        if c == "passkey_via":
            return {"type": "passkey", "via": draw(st.sampled_from(by_kind(SYNC)))}
        if c == "security_key":
            return {"type": "security_key", "on": draw(st.sampled_from(keys))}
        if c == "totp":
            return {"type": "totp", "on": draw(st.sampled_from(apps))}
        if c == "push":
            return {"type": "push", "on": draw(st.sampled_from(phones + devices)), "number_matching": draw(st.booleans())}
        if c in ("sms", "voice"):
            return {"type": c, "on": draw(st.sampled_from(numbers))}
        return {"type": "email_code", "via": draw(st.sampled_from(by_kind(MAILBOX)))}

    def recovery() -> dict:
        options = ["support", "questions", "dead"]
        if by_kind(MAILBOX):
            options.append("email")
        if numbers:
            options.append("phone")
        if contacts:
            options.append("contact")
        c = draw(st.sampled_from(options))
        if c == "support":
            return {"type": "support", "wait_days": draw(st.integers(0, 40)),
                    "official_url_recorded": draw(st.booleans())}
        if c == "questions":
            return {"type": "security_questions"}
        if c == "dead":
            return {"type": "recovery_email", "dead": True}
        if c == "email":
            return {"type": "recovery_email", "via": draw(st.sampled_from(by_kind(MAILBOX)))}
        if c == "phone":
            return {"type": "recovery_phone", "on": draw(st.sampled_from(numbers))}
        return {"type": "recovery_contact", "on": draw(st.sampled_from(contacts))}

    accounts = []
    for a, kind in zip(accts, kinds):
        acct = {"id": a, "name": a.upper(), "kind": kind,
                "importance": draw(st.sampled_from(["critical", "important", "normal"])),
                "sign_in": [m for m in (method() for _ in range(draw(st.integers(0, 3)))) if m],
                "recovery": [recovery() for _ in range(draw(st.integers(0, 2)))],
                "alerts": draw(st.booleans())}
        if not acct["sign_in"] and draw(st.booleans()):
            acct["sign_in"] = [{"type": "password"}]
        if stores and draw(st.booleans()):
            acct["backup_codes"] = {"generated": True,
                                    "stored_in": draw(st.lists(st.sampled_from(stores), min_size=1, max_size=2,
                                                               unique=True)),
                                    "remaining": draw(st.integers(0, 10)), "used": draw(st.integers(0, 5))}
        elif draw(st.booleans()):
            acct["backup_codes"] = {"generated": False}
        if draw(st.booleans()):
            acct["recovery_tested_on"] = draw(st.sampled_from(["2023-01-15", "2026-06-01", "2026-11-29", "never"]))
        accounts.append(acct)
    return {"version": 2, "as_of": "2026-11-29",
            "habits": {h: v for h in ("lost_device_playbook", "escalation_plan", "enrolls_before_retiring",
                                      "watches_alerts") if (v := draw(st.sampled_from([None, True, False]))) is not None},
            "things": things, "accounts": accounts}


def ev(data: dict) -> dict:
    return json.loads(evaluate_json(json.dumps(data)))


def locked(out: dict) -> dict:
    res = {}
    for s in [out["baseline"]] + out["scenarios"]:
        res[s["id"]] = {o["account"] for o in s["outcomes"] if o["state"] in ("locked_out", "no_way_back")}
    return res


def protection(out: dict, account: str) -> int:
    return next(a["protection"] for a in out["accounts"] if a["id"] == account)


@SETTINGS
@given(plans())
def test_valid_plans_evaluate_without_exception_and_deterministically(data):
    text = json.dumps(data)
    first = evaluate_json(text)
    out = json.loads(first)
    assert out["ok"] is True, out.get("errors")
    for m in ("protection", "recoverability"):
        assert 0 <= out["measures"][m]["value"] <= 100
    assert evaluate_json(text) == first


@SETTINGS
@given(plans(), st.randoms(use_true_random=False))
def test_account_and_list_order_do_not_change_the_result(data, rnd):
    shuffled = copy.deepcopy(data)
    rnd.shuffle(shuffled["things"])
    rnd.shuffle(shuffled["accounts"])
    for a in shuffled["accounts"]:
        rnd.shuffle(a["sign_in"])
        rnd.shuffle(a["recovery"])
        if a.get("backup_codes", {}).get("stored_in"):
            rnd.shuffle(a["backup_codes"]["stored_in"])
    assert evaluate_json(json.dumps(shuffled)) == evaluate_json(json.dumps(data))


@SETTINGS
@given(plans(), st.data())
def test_adding_an_independent_working_way_back_never_hurts_recoverability(data, extra):
    before = ev(data)
    better = copy.deepcopy(data)
    acct = better["accounts"][extra.draw(st.integers(0, len(better["accounts"]) - 1))]
    where = extra.draw(st.sampled_from(LOCATIONS))
    second = {"security_key", "totp", "push", "sms", "voice", "email_code", "passkey"}
    has_second_step = any(m["type"] in second for m in acct["sign_in"])
    has_password = any(m["type"] == "password" for m in acct["sign_in"])
    # independent ways in: another second step or passkey beside an existing one, backup codes, a recovery
    # contact. (A first second step is not one: it adds a requirement to the password; a passkey counts as
    # the second step after a password.)
    how = extra.draw(st.sampled_from(["codes", "contact"] + (["key", "passkey"] if has_second_step else [])
                                     + (["passkey"] if not has_password else [])))
    if how in ("passkey", "key"):
        better["things"].append({"id": "zz-key", "type": "security_key", "location": where})
        acct["sign_in"].append({"type": "passkey" if how == "passkey" else "security_key", "on": "zz-key"})
    elif how == "contact":
        better["things"].append({"id": "zz-friend", "type": "recovery_contact"})
        acct["recovery"].append({"type": "recovery_contact", "on": "zz-friend"})
    else:
        better["things"].append({"id": "zz-paper", "type": "code_store", "kind": "paper", "location": where})
        codes = acct.get("backup_codes")
        if codes and codes.get("generated"):
            codes["stored_in"] = codes.get("stored_in", []) + ["zz-paper"]
            codes["remaining"] = codes.get("remaining") or 10
        else:
            acct["backup_codes"] = {"generated": True, "stored_in": ["zz-paper"], "remaining": 10}
    after = ev(better)
    assert after["ok"]
    old, new = locked(before), locked(after)
    assert all(new[s] <= old[s] for s in old), (old, new)
    assert after["measures"]["recoverability"]["value"] >= before["measures"]["recoverability"]["value"]


#: A service taking passkeys only instead of the password: one listing no 2FA (Canadian Tire, Home Depot) and one
#: with second steps the account does not use.
PASSKEY_INSTEAD = [{"domain": "example.com", "name": "Example", "passkey": ["passwordless"],
                    "sources": ["2fa-directory", "passkeys"]},
                   {"domain": "example.com", "name": "Example", "methods": ["totp", "security_key"],
                    "passkey": ["passwordless"], "sources": ["2fa-directory", "passkeys"]}]
SOURCES = [{"id": "2fa-directory", "name": "2FA Directory", "date": "2026-08-04", "licence": "MIT",
            "attribution": "From 2FA Directory."},
           {"id": "passkeys", "name": "Passkeys Directory", "date": "2026-08-04", "licence": "CC BY 4.0",
            "attribution": "From the Passkeys Directory."}]


@SETTINGS
@given(plans(), st.data())
def test_a_passkey_beside_a_password_that_still_works_alone_never_lowers_recoverability_nor_claims_protection(
        data, pick):
    data = copy.deepcopy(data)
    acct = pick.draw(st.sampled_from(data["accounts"]))
    passwords = [m for m in acct["sign_in"] if m["type"] == "password"]
    acct["sign_in"] = passwords or [{"type": "password", "reused": pick.draw(st.booleans())}]
    acct["service"] = "example.com"
    for other in data["accounts"]:
        if other is not acct:
            other.pop("service", None)
    catalogue = {"format": 1, "sources": SOURCES, "services": [pick.draw(st.sampled_from(PASSKEY_INSTEAD))]}
    before = ev({"plan": data, "services": catalogue})
    holders = [t["id"] for t in data["things"] if t["type"] in ("phone", "device", "security_key")]
    if not holders or pick.draw(st.booleans()):
        data["things"].append({"id": "zz-key", "type": "security_key", "location": pick.draw(st.sampled_from(LOCATIONS))})
        holders = ["zz-key"]
    acct["sign_in"].append({"type": "passkey", "on": pick.draw(st.sampled_from(holders))})
    after = ev({"plan": data, "services": catalogue})
    assert before["ok"] and after["ok"]
    # the password alone still gets in: the account's weakest way in, and every measure of Protection, stay put
    mine = lambda out: next((a["protection"], a["weakest_way_in"]) for a in out["accounts"] if a["id"] == acct["id"])  # noqa: E731
    assert mine(after) == mine(before)
    assert after["measures"]["protection"]["value"] == before["measures"]["protection"]["value"]
    # one more way in never lowers Recoverability, nor adds a lockout
    assert after["measures"]["recoverability"]["value"] >= before["measures"]["recoverability"]["value"]
    old, new = locked(before), locked(after)
    assert all(new[s] <= old[s] for s in old), (old, new)
    # and the action offering that passkey claims no Protection and costs nothing
    for a in before["actions"]:
        if any(op["op"] == "add" and op["path"] == f"accounts/{acct['id']}/sign_in" and op["value"]["type"] == "passkey"
               for op in a["fix"]) and a["gain"] is not None and a["accounts"] == [acct["id"]]:
            assert a["gain"]["protection"]["change"] == 0, a
            assert a["gain"]["recoverability"]["change"] >= 0 and a["trade_off"] is None, a
            assert a["tier"] == "readiness" and "protection" not in a["raises"], a


@SETTINGS
@given(plans(), st.data())
def test_adding_a_second_step_to_an_account_without_one_never_lowers_protection(data, pick):
    data = copy.deepcopy(data)
    candidates = [a for a in data["accounts"]
                  if a["sign_in"] and all(m["type"] == "password" for m in a["sign_in"])]
    if not candidates:
        return
    acct = pick.draw(st.sampled_from(candidates))
    before = ev(data)
    data["things"].append({"id": "zz-app", "type": "authenticator_app", "on": "zz-phone", "backup": "none"})
    data["things"].append({"id": "zz-phone", "type": "phone"})
    data["things"].append({"id": "zz-num", "type": "phone_number", "on": "zz-phone"})
    data["things"].append({"id": "zz-key", "type": "security_key"})
    step = pick.draw(st.sampled_from([{"type": "sms", "on": "zz-num"}, {"type": "totp", "on": "zz-app"},
                                      {"type": "security_key", "on": "zz-key"}, {"type": "passkey", "on": "zz-key"}]))
    acct["sign_in"].append(step)
    after = ev(data)
    assert protection(after, acct["id"]) >= protection(before, acct["id"])
    assert after["measures"]["protection"]["value"] >= before["measures"]["protection"]["value"]


@SETTINGS
@given(plans(), st.data())
def test_replacing_text_messages_with_an_app_passkey_or_key_never_lowers_protection(data, pick):
    data = copy.deepcopy(data)
    users = [a for a in data["accounts"] if any(m["type"] in ("sms", "voice") for m in a["sign_in"])]
    if not users:
        return
    acct = pick.draw(st.sampled_from(users))
    before = ev(data)
    data["things"].append({"id": "zz-phone", "type": "phone"})
    data["things"].append({"id": "zz-app", "type": "authenticator_app", "on": "zz-phone", "backup": "none"})
    data["things"].append({"id": "zz-key", "type": "security_key"})
    new = pick.draw(st.sampled_from([{"type": "totp", "on": "zz-app"}, {"type": "passkey", "on": "zz-phone"},
                                     {"type": "security_key", "on": "zz-key"}]))
    acct["sign_in"] = [m for m in acct["sign_in"] if m["type"] not in ("sms", "voice")] + [new]
    after = ev(data)
    assert protection(after, acct["id"]) >= protection(before, acct["id"])
    assert after["measures"]["protection"]["value"] >= before["measures"]["protection"]["value"]


@SETTINGS
@given(st.sampled_from([None, True, False]), st.sampled_from(["memorised", "vault"]),
       st.sampled_from(["none", "support", "codes", "contact"]), st.booleans())
def test_one_critical_account_protection_rises_strictly_with_the_second_step(reused, where, back, port_lock):
    def plan(step):
        pw = {"type": "password"}
        if reused is not None:
            pw["reused"] = reused
        if where == "vault":
            pw["via"] = "vault"
        acct = {"id": "main", "kind": "email", "importance": "critical", "sign_in": [pw] + ([step] if step else []),
                "recovery": []}
        if back == "support":
            acct["recovery"] = [{"type": "support", "wait_days": 14}]
        elif back == "contact":
            acct["recovery"] = [{"type": "recovery_contact", "on": "friend"}]
        elif back == "codes":
            acct["backup_codes"] = {"generated": True, "stored_in": ["paper"], "remaining": 10}
        accounts = [acct]
        if where == "vault":
            accounts.append({"id": "vault", "kind": "password_manager", "importance": "important",
                             "sign_in": [{"type": "password"}, {"type": "security_key", "on": "key"}]})
        return {"version": 2, "things": [
            {"id": "phone", "type": "phone"}, {"id": "num", "type": "phone_number", "on": "phone",
                                               "port_out_lock": port_lock},
            {"id": "app", "type": "authenticator_app", "on": "phone", "backup": "none"},
            {"id": "key", "type": "security_key"}, {"id": "paper", "type": "code_store", "kind": "paper"},
            {"id": "friend", "type": "recovery_contact"}], "accounts": accounts}
    values = [protection(ev(plan(s)), "main") for s in (
        None, {"type": "sms", "on": "num"}, {"type": "totp", "on": "app"}, {"type": "security_key", "on": "key"})]
    assert values[0] < values[1] < values[2] < values[3], values


@SETTINGS
@given(plans(), st.data())
def test_a_recovery_route_weaker_than_the_sign_in_lowers_protection_and_says_why(data, pick):
    data = copy.deepcopy(data)
    acct = data["accounts"][pick.draw(st.integers(0, len(data["accounts"]) - 1))]
    data["things"] += [{"id": "zz-key", "type": "security_key"}, {"id": "zz-phone", "type": "phone"},
                       {"id": "zz-num", "type": "phone_number", "on": "zz-phone"}]
    acct["sign_in"] = [{"type": "password", "reused": False}, {"type": "security_key", "on": "zz-key"}]
    acct["recovery"] = [r for r in acct["recovery"] if r["type"] == "support"]
    acct["importance"] = "critical"
    before = ev(data)
    acct["recovery"].append({"type": "recovery_phone", "on": "zz-num"})
    after = ev(data)
    assert protection(after, acct["id"]) < protection(before, acct["id"])
    weakest = next(a["weakest_way_in"] for a in after["accounts"] if a["id"] == acct["id"])
    assert weakest.startswith("a reset by text message to zz-num")
    assert any(f["rule"] == "weak-fallback" and f["account"] == acct["id"] for f in after["findings"])
    assert after["measures"]["protection"]["value"] <= before["measures"]["protection"]["value"]


@SETTINGS
@given(plans(), st.data())
def test_removing_every_method_of_a_critical_account_yields_a_blocker(data, pick):
    data = copy.deepcopy(data)
    acct = data["accounts"][pick.draw(st.integers(0, len(data["accounts"]) - 1))]
    acct["importance"] = "critical"
    acct["sign_in"] = []
    out = ev(data)
    assert any(f["tier"] == "blocker" and f["account"] == acct["id"] for f in out["findings"])
    assert any(a["tier"] == "blocker" and acct["id"] in a["accounts"] for a in out["actions"])


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


BAD_VALUES = [None, -1, 3.5, "", "zzz", [], {}, True, "phne", {"x": 1}, [None]]


@SETTINGS
@given(plans(), st.data())
def test_invalid_plans_yield_validation_errors_never_tracebacks(data, pick):
    data = copy.deepcopy(data)
    how = pick.draw(st.sampled_from(["replace", "delete", "unknown-key", "version", "dangling", "negative"]))
    paths = [p for p in _paths(data) if p]
    if how == "replace":
        path = pick.draw(st.sampled_from(paths))
        node = data
        for k in path[:-1]:
            node = node[k]
        value = pick.draw(st.sampled_from([v for v in BAD_VALUES if v != node[path[-1]]
                                           and not (isinstance(node[path[-1]], bool) and isinstance(v, bool))]))
        if isinstance(node[path[-1]], (dict, list)) and value in ({}, []) and type(value) is type(node[path[-1]]):
            value = "zzz"
        node[path[-1]] = value
        # some replacements are still valid (e.g. a label for another string): only require no traceback
        out = ev(data)
        assert "(engine)" not in {e["path"] for e in out.get("errors", [])}
        return
    if how == "delete":
        data["accounts"][0].pop(pick.draw(st.sampled_from(["id", "kind", "importance"])))
    elif how == "unknown-key":
        data["accounts"][0]["colour"] = "red"
    elif how == "version":
        data["version"] = pick.draw(st.sampled_from([0, 3, "1", None, True]))
    elif how == "dangling":
        data["accounts"][0]["recovery"].append({"type": "recovery_phone", "on": "no-such-number"})
    else:
        data["accounts"][0]["backup_codes"] = {"generated": True, "remaining": -3}
    out = ev(data)
    assert out["ok"] is False and out["errors"]
    assert all(e["path"] and e["message"] for e in out["errors"])
    assert "(engine)" not in {e["path"] for e in out["errors"]}


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=20)


@SETTINGS
@given(st.fixed_dictionaries({"version": st.just(2)}, optional={"accounts": JSON, "things": JSON, "habits": JSON,
                                                                "as_of": JSON}) | JSON)
def test_arbitrary_json_never_crashes_the_parser(data):
    out = ev(data)
    assert out["ok"] is False
    assert "(engine)" not in {e["path"] for e in out["errors"]}


SECOND_STEPS = {"security_key", "totp", "push", "sms", "voice", "email_code", "passkey"}
TEST_RULES = {"recovery-never-tested", "recovery-test-stale"}


def _has_something_to_test(data: dict, acct: dict) -> bool:
    """Written from the plan JSON, independently of the engine: a backup way in that a test could confirm."""
    steps = [m for m in acct["sign_in"] if m["type"] in SECOND_STEPS]
    if not steps:
        return True            # nothing to lose but the password: its own recovery is what a test checks
    if (acct.get("backup_codes") or {}).get("generated"):
        return True
    if len({m.get("on") or m.get("via") for m in steps}) > 1:
        return True
    things = {t["id"]: t for t in data["things"]}
    if any(m["type"] == "totp" and things.get(m.get("on"), {}).get("backup") in ("cloud", "export") for m in steps):
        return True
    numbers = {m.get("on") for m in steps if m["type"] in ("sms", "voice")}
    for r in acct["recovery"]:
        if r["type"] == "recovery_email" and r.get("via") and not r.get("dead") and r["via"] != acct["id"]:
            return True
        if r["type"] == "recovery_contact" or (r["type"] == "recovery_phone" and r.get("on") not in numbers):
            return True
    return False


@SETTINGS
@given(plans(), st.data())
def test_no_test_action_for_a_backup_that_does_not_exist(data, pick):
    data = copy.deepcopy(data)
    # make "never tested" common, so the property has something to bite on
    for a in data["accounts"]:
        if pick.draw(st.booleans()):
            a["recovery_tested_on"] = "never"
    out = ev(data)
    accounts = {a["id"]: a for a in data["accounts"]}
    actions = out["actions"]
    for i, act in enumerate(actions):
        if act["rule"] not in TEST_RULES:
            continue
        for acc in act["accounts"]:
            assert _has_something_to_test(data, accounts[acc]), (acc, act["title"])
            # creating the missing backup codes for this account ranks before testing
            if not (accounts[acc].get("backup_codes") or {}).get("generated"):
                for j, other in enumerate(actions):
                    if any(op["path"] == f"accounts/{acc}" and op.get("field") == "backup_codes" for op in other["fix"]):
                        assert j < i, (other["title"], act["title"])


def test_sam_is_not_told_to_test_a_backup_he_does_not_have():
    from engine_support import PERSONA_DIR
    doc = json.loads((PERSONA_DIR / "sms-only-sam.json").read_text(encoding="utf-8"))
    out = ev(doc["plan"])
    assert not any(a["rule"] in TEST_RULES for a in out["actions"])
    first = out["actions"][0]
    assert first["title"] == "Print backup codes for Email"
    # once the codes exist, testing them is offered, and ranks after them
    after = copy.deepcopy(doc["plan"])
    after["things"].append({"id": "paper", "type": "code_store", "kind": "paper", "location": "home"})
    after["accounts"][0]["backup_codes"] = {"generated": True, "stored_in": ["paper"], "remaining": 10}
    assert any(a["rule"] == "recovery-never-tested" for a in ev(after)["actions"])
