"""The one boundary: JSON text in, versioned JSON text out; never raises.

``evaluate(plan)`` is the pure core (a :class:`Plan` -> :class:`Report`); the ``*_json``
functions wrap it for the browser (Pyodide) and the CLI. Any JSON text gets a result or
field-path errors; oversized input, numbers too large, nesting too deep and lone
surrogates are all field-path errors, never a traceback.

Output format version 2 (``evaluate_json`` and ``quick_json``)::

    {"version": 2, "ok": true, "as_of": "2026-11-29" | null, "migrated_from": 1 | null,
     "measures": {
        "protection":     {"measure": "protection", "label": "Protection", "value": 45,
                           "explanation": "<one line>", "parts": {...}},
        "recoverability": {"measure": "recoverability", "label": "Recoverability", "value": 62,
                           "explanation": "<one line>", "parts": {"access", "habits", "tested"}},
        "headline": {"measure": "protection", "value": 45, "text": "<which one is lower>"}},
     "accounts": [{"id", "name", "kind", "importance", "counts_as", "because": id | null,
                   "protection": 45, "weakest_way_in": "<plain words>"}],
     "baseline": SCENARIO, "scenarios": [SCENARIO, ...],
     "single_points_of_failure": [{"thing", "accounts": [...], "chains": {account: [ids]},
                                   "scenarios": {account: scenario id}}],
     "cycles": [{"accounts", "chain", "scenarios"}],
     "actions": [ACTION, ...],            # ranked; the first "fold_after" are shown before "more"
     "fold_after": 5,
     "findings": [{"rule", "tier", "account", "detail", "claims"?, "accepted"?}],
     "tips": [{"rule", "text", "accounts", "unknown"}],       # readiness tips for facts not given
     "assumptions": [{"about", "ids", "text"}],
     "skipped": [{"question", "text"}],                          # quick check only
     "names": {id: name}}

    SCENARIO = {"id", "title", "lost": [thing ids], "down": [account ids], "one_at_a_time": bool,
                "still_in": [account ids],
                "outcomes": [{"account", "state": "back" | "locked_out" | "no_way_back", "days": n | null,
                              "route": route id | null, "route_text", "via": id | null, "text"}],
                "restored": [{"thing", "route", "via", "days"}]}
      Every account (except those the scenario makes unavailable, listed in "down") is in exactly
      one of "still_in" and "outcomes". "locked_out" means a wait of LOCKOUT_DAYS (7) days or more.

    ACTION = {"id", "rule", "tier", "title" (<= 70 characters), "problem", "do", "why", "detail",
              "source", "accounts", "effort_minutes", "measure", "raises": ["protection", ...],
              "gain": {"protection": {"from", "to", "change"}, "recoverability": {...}} | null,
              "gain_text": "Protection 40 → 75" | null, "gain_note": "<why gain is null>" | null,
              "trade_off": "<text>" | null,
              "fix": [op, ...] (fixes.py), "closes": [rule ids], "claims": [{"scenario", "account",
              "state", "days"}], "links": []}
      "gain" is measured by applying "fix" and evaluating again. It is always measured on plans of
      up to rank.MEASURE_ALL (60) accounts; on larger plans for the first rank.MEASURE_TOP (20)
      actions that have a fix. Otherwise it is null and "gain_note" says why (no fix to apply, or
      beyond the first 20 of a large plan); "gain_note" is null whenever "gain" is given.
      "links" is reserved for issue 9 (the service catalogue):
      [{"label", "url", "kind": "setup" | "recovery"}].

Errors: ``{"version": 2, "ok": false, "errors": [{"path", "message"}]}``.
"""
from __future__ import annotations

import contextlib
import gc
import json
from dataclasses import dataclass
from typing import Any

from .fields import label, plan_ui
from .measures import Measures, assumptions, compute
from .model import FORMAT_VERSION, Plan, State
from .parse import Problem, decode, loads, parse_plan
from .questions import QUESTIONS, QUESTIONS_VERSION, ROOT as ANSWERS_ROOT, plan_from_answers, read_answers
from .rank import FOLD_AFTER, Action, rank_actions
from .rules import Finding, Tip, findings, make_context
from .scenarios import Analysis, ScenarioResult, analyse
from .schema import plan_schema


def outcome_text(o, names) -> str:
    if o.state is State.IN:
        return "Still in"
    if o.state is State.NO_WAY_BACK:
        return "Locked out with no way back"
    via = f" ({names.get(o.via, o.via)})" if o.via else ""
    if o.state is State.LOCKED_OUT:
        return f"Locked out for about {o.days} days, until {o.route.until}"
    when = "the same day" if not o.days else ("in about 1 day" if o.days == 1 else f"in about {o.days} days")
    return f"Back {when} by {o.route.text}{via}"


def scenario_dict(s: ScenarioResult, names: dict) -> dict:
    still, outcomes = [], []
    for o in s.outcomes():
        if o.state is State.IN:
            still.append(o.account)
        else:
            outcomes.append({"account": o.account, "state": o.state.value, "days": o.days,
                             "route": o.route.id if o.route else None, "route_text": o.route.text if o.route else None,
                             "via": o.via, "text": outcome_text(o, names)})
    return {"id": s.id, "title": s.row.title, "lost": list(s.lost), "down": list(s.down),
            "one_at_a_time": s.row.one_at_a_time and len(s.losses) > 1, "still_in": still, "outcomes": outcomes,
            "restored": [{"thing": r.thing, "route": r.route.id, "via": r.via, "days": r.days} for r in s.restored]}


@dataclass(frozen=True)
class Report:
    plan: Plan
    measures: Measures
    actions: tuple[Action, ...]
    findings: tuple[Finding, ...]
    tips: tuple[Tip, ...]
    analysis: Analysis
    assumptions: tuple[dict, ...]
    skipped: tuple[dict, ...] = ()

    def as_dict(self) -> dict:
        plan = self.plan
        names = {t.id: t.label for t in plan.things}
        names.update({a.id: a.name for a in plan.accounts})
        m = self.measures
        head = m.headline
        other = m.recoverability if head is m.protection else m.protection
        g = self.analysis.graph
        return {
            "version": FORMAT_VERSION,
            "ok": True,
            "as_of": plan.as_of,
            "migrated_from": plan.migrated_from,
            "measures": {
                "protection": m.protection.as_dict(),
                "recoverability": m.recoverability.as_dict(),
                "headline": {"measure": head.measure.value, "value": head.value,
                             "text": f"{head.measure.value.capitalize()} is the lower of your two measures: "
                                     f"{head.value} out of 100 ({other.measure.value.capitalize()} is {other.value})."
                             if head.value != other.value else
                             f"Both measures are {head.value} out of 100."},
            },
            "accounts": [{"id": a.id, "name": a.name, "kind": a.kind.value, "kind_label": label(a.kind),
                          "importance": a.importance.value, "counts_as": g.counts_as[a.id].value,
                          "because": g.because.get(a.id), "protection": m.accounts[a.id].value,
                          "weakest_way_in": m.accounts[a.id].text} for a in plan.accounts],
            "baseline": scenario_dict(self.analysis.baseline, names),
            "scenarios": [scenario_dict(s, names) for s in self.analysis.scenarios],
            "single_points_of_failure": [{"thing": sp.thing, "accounts": list(sp.accounts),
                                          "chains": {a: list(c) for a, c in zip(sp.accounts, sp.chains)},
                                          "scenarios": dict(zip(sp.accounts, sp.scenarios))}
                                         for sp in self.analysis.single_points],
            "cycles": [{"accounts": list(c.accounts), "chain": list(c.chain), "scenarios": list(c.scenarios)}
                       for c in self.analysis.cycles],
            "actions": [a.as_dict(plan) for a in self.actions],
            "fold_after": FOLD_AFTER,
            "findings": [f.as_dict() for f in self.findings],
            "tips": [t.as_dict() for t in self.tips],
            "assumptions": list(self.assumptions),
            "skipped": list(self.skipped),
            "names": dict(sorted(names.items())),
        }


def evaluate(plan: Plan, unknown_rules=frozenset(), skipped=(), extra_assumptions=(), impacts: bool = True) -> Report:
    """The pure core. Every action's gain is measured on plans of up to rank.MEASURE_ALL accounts,
    and for the top rank.MEASURE_TOP actions of larger plans. ``impacts=False`` skips measuring on
    large plans; only the benchmark uses it, for its figure without impacts."""
    analysis = analyse(plan)
    measures = compute(plan, analysis)
    ctx = make_context(plan, analysis, measures)
    found, tips = findings(ctx, unknown_rules)
    actions = rank_actions(ctx, found, impacts)
    said = tuple(extra_assumptions) + tuple(assumptions(plan, analysis))
    return Report(plan, measures, actions, found, tips, analysis, said, tuple(skipped))


def _errors(problems) -> dict:
    return {"version": FORMAT_VERSION, "ok": False, "errors": [p.as_dict() for p in problems]}


def _dump(obj: Any) -> str:
    # ASCII-escaped: lone surrogates come out as \udxxx, never an encoding error. The output is a tree
    # built here (no cycles), so the encoder's cycle check is skipped.
    return json.dumps(obj, check_circular=False)


def _internal(e: Exception) -> str:
    return _dump(_errors([Problem("(engine)", f"the checker failed on this input ({type(e).__name__}); "
                                              f"nothing was lost. Please report it with the file")]))


@contextlib.contextmanager
def _no_cycle_collection():
    """One evaluation allocates many small objects and makes no garbage cycles worth collecting
    mid-way: pausing the cyclic collector saves up to a third of the time on large plans."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def evaluate_data(data: Any) -> dict:
    plan, problems = parse_plan(data)
    if problems:
        return _errors(problems)
    return evaluate(plan).as_dict()


def evaluate_json(plan: str) -> str:
    """Plan JSON text -> result JSON text. Invalid input gives ``ok: false`` with every problem."""
    try:
        with _no_cycle_collection():
            parsed, problems = loads(plan)
            if problems:
                return _dump(_errors(problems))
            return _dump(evaluate(parsed).as_dict())
    except Exception as e:  # a bug, not bad input: still answer in the contract's shape
        return _internal(e)



def quick_data(data: Any, check_text: bool = True) -> dict:
    answers, as_of, problems = read_answers(data, check_text)
    if problems:
        return _errors(problems)
    quick = plan_from_answers(answers, as_of)
    plan, problems = parse_plan(quick.plan)
    if problems:   # cannot happen for validated answers; reported rather than raised
        return _errors(problems)
    out = evaluate(plan, quick.unknown_rules, quick.skipped, quick.assumptions).as_dict()
    out["plan"] = quick.plan
    return out


def quick_json(answers: str) -> str:
    """Quick-check answers JSON -> the same output as evaluate_json, plus the generated ``plan``."""
    try:
        with _no_cycle_collection():
            data, problems, surrogates = decode(answers, root=ANSWERS_ROOT)
            if problems:
                return _dump(_errors(problems))
            return _dump(quick_data(data, surrogates))
    except Exception as e:
        return _internal(e)


def questions_json() -> str:
    return _dump({"version": QUESTIONS_VERSION, "questions": [q.as_dict() for q in QUESTIONS]})


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2)


def plan_ui_json() -> str:
    """The page's vocabulary (:func:`.fields.plan_ui`), as JSON text for the build's plan-ui.json."""
    return json.dumps(plan_ui(), indent=1, sort_keys=False)
