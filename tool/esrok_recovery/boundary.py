"""The one boundary: JSON text in, versioned JSON text out; never raises.

``evaluate(plan)`` is the pure core (a :class:`Plan` -> :class:`Report`); the
``*_json`` functions wrap it for the browser (Pyodide) and the CLI.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .model import FORMAT_VERSION, Plan
from .parse import Problem, loads, parse_plan
from .questions import QUESTIONS, ROOT as ANSWERS_ROOT, plan_from_answers, read_answers
from .rank import Action, rank_actions
from .rules import Finding, findings, make_context
from .scenarios import Analysis, analyse
from .schema import plan_schema
from .score import Score, compute


@dataclass(frozen=True)
class Report:
    plan: Plan
    score: Score
    actions: tuple[Action, ...]
    findings: tuple[Finding, ...]
    analysis: Analysis

    def as_dict(self) -> dict:
        names = {t.id: t.label for t in self.plan.things}
        names.update({a.id: a.name for a in self.plan.accounts})
        return {
            "version": FORMAT_VERSION,
            "ok": True,
            "as_of": self.plan.as_of,
            "score": self.score.as_dict(),
            "actions": [a.as_dict() for a in self.actions],
            "findings": [f.as_dict() for f in self.findings],
            "scenarios": [s.as_dict() for s in self.analysis.scenarios],
            "baseline": self.analysis.baseline.as_dict(),
            "single_points_of_failure": [s.as_dict() for s in self.analysis.single_points],
            "cycles": [c.as_dict() for c in self.analysis.cycles],
            "names": dict(sorted(names.items())),
        }


def evaluate(plan: Plan) -> Report:
    analysis = analyse(plan)
    ctx = make_context(plan, analysis)
    found = findings(ctx)
    actions = rank_actions(plan, found, ctx.lockouts)
    return Report(plan, compute(plan, analysis), actions, found, analysis)


def _errors(problems) -> dict:
    return {"version": FORMAT_VERSION, "ok": False, "errors": [p.as_dict() for p in problems]}


def _dump(obj: Any) -> str:
    return json.dumps(obj)   # ASCII-escaped: measurably faster, and JSON.parse reads it the same


def evaluate_data(data: Any) -> dict:
    plan, problems = parse_plan(data)
    if problems:
        return _errors(problems)
    return evaluate(plan).as_dict()


def evaluate_json(plan: str) -> str:
    """Plan JSON text -> result JSON text. Invalid input gives ``ok: false`` with every problem."""
    try:
        parsed, problems = loads(plan)
        if problems:
            return _dump(_errors(problems))
        return _dump(evaluate(parsed).as_dict())
    except Exception as e:  # a bug, not bad input: still answer in the contract's shape
        return _dump(_errors([Problem("(engine)", f"internal error: {type(e).__name__}: {e}; please report it")]))


def quick_data(data: Any) -> dict:
    answers, as_of, problems = read_answers(data)
    if problems:
        return _errors(problems)
    plan_dict = plan_from_answers(answers, as_of)
    out = evaluate_data(plan_dict)
    out["plan"] = plan_dict
    return out


def quick_json(answers: str) -> str:
    """Quick-check answers JSON -> the same output as evaluate_json, plus the generated ``plan``."""
    try:
        data, problems = loads(answers, parse=lambda d: (d, ()), root=ANSWERS_ROOT)
        if problems:
            return _dump(_errors(problems))
        return _dump(quick_data(data))
    except Exception as e:
        return _dump(_errors([Problem("(engine)", f"internal error: {type(e).__name__}: {e}; please report it")]))


def questions_json() -> str:
    return _dump({"version": FORMAT_VERSION, "questions": [q.as_dict() for q in QUESTIONS]})


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2)
