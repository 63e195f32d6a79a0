"""whatif.py: the incremental what-if gives the same measures, and the same lockouts, as applying the
fix and evaluating the whole plan again, for every action of every golden, persona and generated plan."""
from __future__ import annotations

import json

import pytest
from hypothesis import given

from esrok_recovery.boundary import evaluate
from esrok_recovery.scenarios import SCENARIO_IDS
from esrok_recovery.whatif import full, measure

from engine_support import golden_files, load_golden, parsed, persona_files
from test_properties import SETTINGS, plans


def agree(plan) -> int:
    report = evaluate(plan)
    n = 0
    for a in report.actions:
        if a.fix is None:
            continue
        fast = measure(plan, report.analysis, report.measures, a.fix)
        ref = full(plan, a.fix.ops)
        assert fast.protection == pytest.approx(ref.protection, abs=1e-9), a.rule
        assert fast.recoverability == pytest.approx(ref.recoverability, abs=1e-9), a.rule
        for acct in plan.accounts:
            for sid in ("baseline",) + SCENARIO_IDS:
                assert fast.still_locked(sid, acct.id) == ref.still_locked(sid, acct.id), (a.rule, sid, acct.id)
        n += 1
    return n


@pytest.mark.parametrize("path", golden_files() + persona_files(), ids=lambda p: p.stem)
def test_incremental_what_if_matches_full_evaluation(path):
    agree(parsed(load_golden(path)["plan"]))


@pytest.mark.parametrize("mix", ["mixed", "own-phone", "household"])
def test_incremental_what_if_on_generated_plans(mix, bench):
    assert agree(parsed(bench.generate_plan(80, 5, mix))) > 0


@SETTINGS
@given(plans())
def test_incremental_what_if_on_hypothesis_plans(data):
    plan, problems = __import__("esrok_recovery.parse", fromlist=["parse_plan"]).parse_plan(data)
    agree(plan)
