"""A 0-100 readiness score with a short explanation.

The score only rewards *outcomes* and habits, never penalises the presence of a
method, so it is monotone: adding an independent, working way in can only keep or
improve every scenario outcome, and therefore never lowers the score.

    score = round(100 * (0.75 * access + 0.15 * habits + 0.10 * tested))

* access: over the baseline and the seven loss scenarios, each account earns 1 if
  you can still sign in, 0.75 if you recover it the same day, less the longer the
  wait (never below 0.25), and 0 if locked out; weighted by importance
  (critical x3, important x2, normal x1).
* habits: the share of the four habits in place.
* tested: the share of critical and important accounts whose recovery was tested
  within the last year (or at all, when the plan has no ``as_of`` date).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .model import IMPORTANCE_WEIGHT, Importance, Plan
from .scenarios import Analysis

W_ACCESS, W_HABITS, W_TESTED = 0.75, 0.15, 0.10
HABIT_NAMES = ("a lost-device playbook", "an escalation plan", "enrolling before retiring", "watching alerts")


@dataclass(frozen=True)
class Score:
    value: int
    explanation: tuple[str, ...]
    access: float
    habits: float
    tested: float

    def as_dict(self) -> dict:
        return {"value": self.value, "explanation": list(self.explanation),
                "parts": {"access": round(self.access, 4), "habits": round(self.habits, 4),
                          "tested": round(self.tested, 4)}}


def credit(wait_days: int | None, direct: bool) -> float:
    """What one account-in-a-scenario is worth: monotone in how quickly you get back in."""
    if wait_days is None:
        return 0.0
    if direct:
        return 1.0
    return max(0.25, 0.75 - 0.5 * min(wait_days, 30) / 30)


def _tested_recently(plan: Plan, date: str | None) -> bool:
    if date is None:
        return False
    if plan.as_of is None:
        return True
    return (_dt.date.fromisoformat(plan.as_of) - _dt.date.fromisoformat(date)).days <= 365


def compute(plan: Plan, analysis: Analysis) -> Score:
    weight = {a.id: IMPORTANCE_WEIGHT[a.importance] for a in plan.accounts}
    all_weight = sum(weight.values())
    total = 0.0
    got = 0.0
    locked_lines = []
    slow = 0
    for s in (analysis.baseline,) + analysis.scenarios:
        for a in s.accessible:
            got += weight[a]
        for o in s.recovered:
            got += weight[o.account] * credit(o.wait_days, False)
            if o.wait_days >= 7:
                slow += 1
        total += all_weight - sum(weight[a] for a in s.lost if a in weight)
        if s.locked_out and s.id != "baseline":
            names = ", ".join(plan.name(a) for a in s.locked_out[:4]) + (
                f" and {len(s.locked_out) - 4} more" if len(s.locked_out) > 4 else "")
            locked_lines.append((-sum(weight[a] for a in s.locked_out), s.id,
                                 f"{s.title}: locked out of {names}."))
    if analysis.baseline.locked_out:
        locked_lines.append((-10**9, "", "Today, with nothing lost, you cannot get into "
                             + ", ".join(plan.name(a) for a in analysis.baseline.locked_out) + "."))
    access = got / total if total else 0.0
    habits_on = [plan.habits.lost_device_playbook, plan.habits.escalation_plan,
                 plan.habits.enrolls_before_retiring, plan.habits.watches_alerts]
    habits = sum(habits_on) / 4
    key = [a for a in plan.accounts if a.importance in (Importance.CRITICAL, Importance.IMPORTANT)]
    tested_n = sum(1 for a in key if _tested_recently(plan, a.recovery_tested_on))
    tested = tested_n / len(key) if key else 1.0
    value = round(100 * (W_ACCESS * access + W_HABITS * habits + W_TESTED * tested))
    value = max(0, min(100, value))
    lines = [f"Access ({round(100 * access)}% of the best case, 75% of the score): across today and seven loss "
             f"scenarios, how quickly you get back into each account; critical accounts count three times, "
             f"important twice."]
    lines += [text for _, _, text in sorted(locked_lines)[:3]]
    if slow:
        lines.append(f"{slow} way(s) back rely on a support process that takes a week or more.")
    missing = [n for n, on in zip(HABIT_NAMES, habits_on) if not on]
    lines.append(f"Habits ({sum(habits_on)} of 4, 15% of the score)"
                 + (f": missing {', '.join(missing)}." if missing else ": all in place."))
    lines.append(f"Tested recovery ({tested_n} of {len(key)} critical or important accounts in the last year, "
                 f"10% of the score).")
    return Score(value, tuple(lines), access, habits, tested)
