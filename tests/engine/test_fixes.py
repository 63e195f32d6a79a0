"""fixes.py: every action's fix is a change to the plan, addressed by id; applying it to plan JSON
(what the page holds) and to the parsed plan (what the engine re-evaluates) gives the same plan."""
from __future__ import annotations

import json

import pytest

from esrok_recovery import evaluate_json
from esrok_recovery.fixes import (FixError, Op, _match, apply, apply_to_data, method_dict, method_match,
                                  print_codes, remove_phone_fallbacks, route_dict, route_match, spare_key,
                                  title)
from esrok_recovery.parse import parse_plan

from engine_support import base_plan, golden_files, load_golden, parsed, persona_files

SAMPLES = golden_files() + persona_files()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_each_fix_applies_the_same_to_json_and_to_the_parsed_plan(path):
    data = load_golden(path)["plan"]
    out = json.loads(evaluate_json(json.dumps(data)))
    plan = parsed(data)
    for action in out["actions"]:
        if not action["fix"]:
            continue
        ops = [Op(o["op"], o["path"], o.get("value"), o.get("field"),
                  tuple(sorted(o["match"].items())) if "match" in o else None) for o in action["fix"]]
        via_json, problems = parse_plan(apply_to_data(data, action["fix"]))
        assert problems == (), (action["id"], [str(p) for p in problems])
        assert via_json == apply(plan, ops), action["id"]


@pytest.mark.parametrize("path", golden_files() + persona_files(), ids=lambda p: p.stem)
def test_match_helpers_build_what_match_of_the_item_dict_builds(path):
    doc = load_golden(path)
    plan = parsed(doc["plan"] if "plan" in doc else doc)
    for a in plan.accounts:
        for m in a.sign_in:
            assert method_match(m) == _match(method_dict(m))
        for r in a.recovery:
            assert route_match(r) == _match(route_dict(r))


def test_op_is_built_like_a_dataclass_with_its_own_init():
    import dataclasses
    import inspect
    fields = dataclasses.fields(Op)
    params = list(inspect.signature(Op).parameters.values())
    assert [(p.name, p.default) for p in params] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default) for f in fields]
    op = Op("set", "habits", True, field="watches_alerts")
    assert op == Op("set", "habits", True, "watches_alerts", None, None)
    assert dataclasses.replace(op, value=False).value is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        op.value = False


def test_op_shapes():
    plan = parsed(base_plan())
    fix = spare_key(plan, ["mail"])
    assert fix.as_list() == [
        {"op": "add", "path": "things", "value": {"id": "spare-key", "type": "security_key",
                                                  "label": "Spare security key", "location": "home"}},
        {"op": "add", "path": "accounts/mail/sign_in", "value": {"type": "security_key", "on": "spare-key"}}]
    assert fix.title == "Register a spare security key for Mail"


def test_print_codes_reuses_a_printout_at_home_or_adds_one():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    fix = print_codes(parsed(data), ["mail"])
    assert fix.as_list() == [{"op": "set", "path": "accounts/mail", "field": "backup_codes",
                              "value": {"generated": True, "stored_in": ["paper"], "remaining": 10, "used": 0,
                                        "generated_on": "2026-11-29"}}]
    away = print_codes(parsed(data), ["mail"], away_from_home=True)
    assert away.as_list()[0]["value"]["kind"] == "trusted_person"
    assert away.title == "Give someone you trust backup codes for Mail"


def test_titles_stay_within_70_characters_and_name_accounts_plainly():
    data = base_plan()
    data["accounts"] += [{"id": f"a{i}", "name": f"A long account name {i}", "kind": "other", "importance": "normal",
                          "sign_in": [{"type": "password"}]} for i in range(5)]
    plan = parsed(data)
    assert title("Print backup codes for {}", plan, ["mail"]) == "Print backup codes for Mail"
    assert title("Print backup codes for {}", plan, ["mail", "a0"]) == \
        "Print backup codes for Mail and A long account name 0"
    t = title("Print backup codes for {}", plan, ["a0", "a1", "a2", "a3"])
    assert t == "Print backup codes for A long account name 0 and 3 more" and len(t) <= 70


def test_a_broken_op_is_refused():
    with pytest.raises(FixError):
        apply_to_data(base_plan(), [{"op": "set", "path": "accounts/nobody", "field": "alerts", "value": True}])


def _covers_by_keys(mine, theirs, account) -> bool:
    """The definition Fix.covers and Fix.covered must agree with: the other fix changes the account,
    and every one of those changes (by Op.key) is among this fix's changes to it."""
    want = frozenset(op.key for op in theirs.ops if op.account == account)
    have = frozenset(op.key for op in mine.ops if op.account == account)
    return bool(want) and want <= have


@pytest.mark.parametrize("path", golden_files() + persona_files()[::3], ids=lambda p: p.stem)
def test_covered_is_the_op_key_subset_for_every_pair_of_candidate_fixes(path):
    from esrok_recovery.measures import compute
    from esrok_recovery.rank import _candidates, _weights
    from esrok_recovery.rules import findings, make_context
    from esrok_recovery.scenarios import analyse
    doc = load_golden(path)
    plan = parsed(doc["plan"] if "plan" in doc else doc)
    analysis = analyse(plan)
    ctx = make_context(plan, analysis, compute(plan, analysis), None)
    found, _ = findings(ctx, frozenset())
    fixes = [a.fix for a in _candidates(ctx, found, {}, _weights(plan)) if a.fix is not None]
    accounts = {None} | {a.id for a in plan.accounts}
    for mine in fixes:
        for theirs in fixes:
            want = {a for a in accounts if _covers_by_keys(mine, theirs, a)}
            assert mine.covered(theirs, set(accounts)) == want, (mine.kind, theirs.kind)
            assert {a for a in accounts if mine.covers(theirs, a)} == want


def _fallback_plan(*strong_per_account, codes=True):
    data = base_plan()
    data["things"].append({"id": "key", "type": "security_key", "label": "Key"})
    accounts = []
    for n, strong in enumerate(strong_per_account):
        a = json.loads(json.dumps(data["accounts"][0]))
        a["id"], a["name"] = f"mail{n}", f"Mail {n}"
        a["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
        a["sign_in"] += [{"type": "security_key", "on": "key"} if s == "key" else {"type": "passkey", "on": "phone"} for s in strong]
        if not codes:
            del a["backup_codes"]
        accounts.append(a)
    data["accounts"] = accounts
    return parsed(data), [a["id"] for a in accounts]


@pytest.mark.parametrize("strong, codes, said", [
    ((("key",),), True, "Remove text-message codes and the recovery phone number from this account; your security "
                        "key and your backup codes remain your ways back in."),
    ((("passkey",),), False, "Remove text-message codes and the recovery phone number from this account; your "
                             "passkey remains your way in; print backup codes first so you have a way back."),
    ((("passkey", "key"),), False, "Remove text-message codes and the recovery phone number from this account; your "
                                   "passkey and security key remain your ways in; print backup codes first so you "
                                   "have a way back."),
    ((("key",), ("key",)), True, "Remove text-message codes and the recovery phone number from these accounts; your "
                                 "security key and your backup codes remain your ways back in."),
    ((("key",), ("passkey",)), True, "Remove text-message codes and the recovery phone number from these accounts; "
                                     "your passkey or security key and your backup codes remain your ways back in."),
])
def test_removing_the_phone_fallback_names_the_strong_method_the_accounts_keep(strong, codes, said):
    plan, ids = _fallback_plan(*strong, codes=codes)
    assert remove_phone_fallbacks(plan, ids).do.split(" If you would rather")[0] == said

