"""score.py: 0-100, explained, monotone in how quickly you get back in."""
from __future__ import annotations

import copy

from esrok_recovery.scenarios import analyse
from esrok_recovery.score import compute, credit

from engine_support import base_plan, parsed


def score(data):
    plan = parsed(data)
    return compute(plan, analyse(plan))


def test_credit_is_monotone_in_the_wait():
    assert credit(None, False) == 0.0
    assert credit(0, True) == 1.0
    assert credit(0, False) == 0.75
    waits = [credit(w, False) for w in range(0, 60)]
    assert waits == sorted(waits, reverse=True)
    assert min(waits) == 0.25


def test_base_plan_score_and_explanation():
    s = score(base_plan())
    assert s.value == 95
    assert s.explanation == (
        "Access (94% of the best case, 75% of the score): across today and seven loss scenarios, how quickly you "
        "get back into each account; critical accounts count three times, important twice.",
        "Habits (4 of 4, 15% of the score): all in place.",
        "Tested recovery (1 of 1 critical or important accounts in the last year, 10% of the score).",
    )


def test_lockouts_and_missing_habits_are_explained():
    data = base_plan()
    data["habits"] = {}
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    s = score(data)
    assert s.value == 66
    assert "You lose your phone (lost or stolen): locked out of Mail." in s.explanation
    assert ("Habits (0 of 4, 15% of the score): missing a lost-device playbook, an escalation plan, enrolling "
            "before retiring, watching alerts.") in s.explanation


def test_adding_a_backup_never_lowers_the_score():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = []
    before = score(data).value
    better = copy.deepcopy(data)
    better["accounts"][0]["backup_codes"] = {"generated": True, "stored_in": ["paper"]}
    assert score(better).value > before
