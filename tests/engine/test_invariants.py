"""One story, no contradictions (issue section 3), over every golden plan, every persona and
hypothesis-generated plans:

* every action whose text speaks of a lockout names the scenario and the account, and the loss
  results show that lockout (its claims);
* every single point of failure appears, with its scenario, in the loss results;
* if nothing is locked out anywhere, no action, finding or explanation says anything is;
* no action makes a measure worse without saying so (checked by applying its fix and evaluating
  the whole plan again).
"""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given

from esrok_recovery import evaluate_json
from esrok_recovery.fixes import apply_to_data
from esrok_recovery.scenarios import SCENARIOS_BY_ID

from engine_support import golden_files, load_golden, persona_files
from test_properties import SETTINGS, plans

LOCKOUT_WORDS = re.compile(r"locked out|lock(s)? you out|lockout", re.I)


def lockouts(out: dict) -> dict:
    found = {}
    for s in [out["baseline"]] + out["scenarios"]:
        for o in s["outcomes"]:
            if o["state"] in ("locked_out", "no_way_back"):
                found[(s["id"], o["account"])] = (o["state"], o["days"])
    return found


def check(out: dict) -> None:
    assert out["ok"], out.get("errors")
    locked = lockouts(out)
    names = out["names"]
    for a in out["actions"]:
        text = " ".join(x for x in (a["title"], a["do"], a["detail"], a["why"], a["trade_off"] or "") if x)
        for c in a["claims"]:
            assert locked.get((c["scenario"], c["account"])) == (c["state"], c["days"]), (a["id"], c)
        if LOCKOUT_WORDS.search(text):
            assert a["claims"], (a["id"], text)
            if LOCKOUT_WORDS.search(a["detail"]):   # it names a lockout the output shows: scenario and account
                def named(c):
                    lead = "today" if c["scenario"] == "baseline" else SCENARIOS_BY_ID[c["scenario"]].short
                    return lead in a["detail"].lower() and names[c["account"]] in a["detail"]
                assert any(named(c) for c in a["claims"]), (a["id"], a["detail"])
    for f in out["findings"]:
        for c in f.get("claims", []):
            assert locked.get((c["scenario"], c["account"])) == (c["state"], c["days"]), (f["rule"], c)
        if LOCKOUT_WORDS.search(f["detail"]):
            assert f.get("claims"), (f["rule"], f["detail"])
    for sp in out["single_points_of_failure"]:
        for acct in sp["accounts"]:
            sid = sp["scenarios"][acct]
            assert (sid, acct) in locked
            scenario = next(s for s in out["scenarios"] if s["id"] == sid)
            assert sp["thing"] in scenario["lost"]
    if not locked:
        everything = [out["measures"]["recoverability"]["explanation"]] + [f["detail"] for f in out["findings"]]
        everything += [" ".join([a["title"], a["do"], a["detail"], a["why"]]) for a in out["actions"]]
        assert not any(LOCKOUT_WORDS.search(t) for t in everything)
    else:
        assert LOCKOUT_WORDS.search(out["measures"]["recoverability"]["explanation"])


def check_trade_offs(data: dict, out: dict) -> None:
    for a in out["actions"]:
        if not a["fix"]:
            continue
        after = json.loads(evaluate_json(json.dumps(apply_to_data(data, a["fix"]))))
        assert after["ok"], (a["id"], after.get("errors"))
        for m in ("protection", "recoverability"):
            drop = after["measures"][m]["value"] < out["measures"][m]["value"]
            if drop:
                assert a["trade_off"] and f"lowers {m.capitalize()}" in a["trade_off"], (a["id"], m)
            assert a["gain"][m]["to"] == after["measures"][m]["value"], (a["id"], m)


SAMPLES = golden_files() + persona_files()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_no_contradictions_in_goldens_and_personas(path):
    data = load_golden(path)["plan"]
    out = json.loads(evaluate_json(json.dumps(data)))
    check(out)
    check_trade_offs(data, out)


@SETTINGS
@given(plans())
def test_no_contradictions_in_generated_plans(data):
    out = json.loads(evaluate_json(json.dumps(data)))
    check(out)
    check_trade_offs(data, out)
