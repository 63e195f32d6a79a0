"""The one boundary: JSON text in, versioned JSON text out; never raises.

``evaluate(plan)`` is the pure core (a :class:`Plan` -> :class:`Report`); the ``*_json``
functions wrap it for the browser (Pyodide) and the CLI. Any JSON text gets a result or
field-path errors; oversized input, numbers too large, nesting too deep and lone
surrogates are all field-path errors, never a traceback.

Input. ``evaluate_json`` takes a plan, or an *envelope* with the service
catalogue entries the plan names; ``quick_json`` takes quick-check answers, or the same envelope
around them::

    PLAN                                                   # as before: no catalogue
    {"plan": PLAN, "services": CATALOGUE | null}            # evaluate_json
    ANSWERS                                                # {"version": 1, "as_of"?, "answers": {...}}
    {"answers": ANSWERS, "services": CATALOGUE | null}      # quick_json

An envelope is an object without "version" (plans and answers always have one). CATALOGUE is a
catalogue document (:mod:`.catalogue`; the page sends ``{"format", "sources", "services": [the
entries the plan names, as they are in the browser asset]}``, the CLI the same cut from
``data/services/catalogue.json``), validated by ``catalogue.parse_services``. The engine only reads
it: no I/O. An account whose ``service`` is not among the entries gets the general advice, with no
error. Problem paths: the plan's (and the answers') keep the paths they have without the envelope
(``accounts[0].kind``, ``answers.second_step``), the catalogue's are prefixed with ``services``
(``services.services[0].methods[0]``), the envelope's own are its keys or ``(input)``.

The quick check's first answer may name a service (``questions_json()`` marks that question
``"accepts_service": true``)::

    "main_account": "email"                                 # one of its options, as before
    "main_account": {"service": "github.com", "kind"?: "other", "name"?: "GitHub"}

``kind`` and ``name`` default to the catalogue's (``catalogue.account_kind``, the service name),
or "other" and the domain when the envelope does not list the service.

Output format version 2 (``evaluate_json`` and ``quick_json``)::

    {"version": 2, "ok": true, "as_of": "2026-11-29" | null, "migrated_from": 1 | null,
     "measures": {
        "protection":     {"measure": "protection", "label": "Protection", "value": 45,
                           "explanation": "<one line>", "parts": {...}},
        "recoverability": {"measure": "recoverability", "label": "Recoverability", "value": 62,
                           "explanation": "<one line>", "parts": {"access", "habits", "tested"}},
        "headline": {"measure": "protection", "value": 45, "text": "<which one is lower>"}},
     "accounts": [{"id", "name", "kind", "kind_label", "importance", "counts_as", "because": id | null,
                   "protection": 45 | null, "weakest_way_in": "<plain words>", "service": SERVICE | null}],
       "protection" is null for an account whose strength is unknown (``sign_in_unknown``): it is not
       counted in the Protection measure, nor is a reset through it.
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
     "names": {id: name},
     "catalogue": null | {"text": "Checked against 2FA Directory and the Passkeys Directory, data of 2026-08-04.",
                          "checked": [account ids the entries list], "unknown": [account ids naming a service
                          they do not list], "sources": [{"id", "name", "url", "date", "licence", "licence_url",
                          "attribution"}], "attribution": ["<credit line>", ...]}}
      "catalogue" is null unless entries were passed in and an account names a service. Show "text"
      and every "attribution" line (with a link to each licence) wherever the facts are shown.

    SERVICE = {"domain", "known": false}                   # not among the entries passed in (or none were)
            | {"domain", "known": true, "name", "kind" (catalogue.account_kind), "methods": [catalogue
               methods], "passkey": ["second_factor" | "passwordless"], "offers": [plan sign-in types,
               strongest first], "offers_text": "<plain words>" | null, "lists_no_2fa": bool,
               "in_2fa_directory": bool, "documentation": url | null (its 2FA set-up page),
               "passkey_page": url | null, "recovery": url | null, "links": [LINK, ...]}
    LINK = {"label": "GitHub: set up two-step sign-in", "url", "kind": "setup" | "passkey" | "recovery"}
      Links are plain data for the person to follow: the page never fetches them.

    SCENARIO = {"id", "title", "lost": [thing ids], "down": [account ids], "applies": bool, "one_at_a_time": bool,
                "still_in": [account ids],
                "outcomes": [{"account", "state": "back" | "locked_out" | "no_way_back", "days": n | null,
                              "route": route id | null, "route_text", "via": id | null, "text"}],
                "restored": [{"thing", "route", "via", "days"}]}
      Every account (except those the scenario makes unavailable, listed in "down") is in exactly
      one of "still_in" and "outcomes". "locked_out" means a wait of LOCKOUT_DAYS (7) days or more.
      "applies" is false when the loss reaches nothing in the plan (no security key carried, nothing
      kept at home, no password manager): the page leaves it out of "nothing changes if ...", and
      the CLI's reports name such losses in one sentence instead of listing them with "Still in".

    ACTION = {"id", "rule", "tier", "title" (<= 70 characters), "problem", "do", "why", "detail",
              "source", "accounts", "effort_minutes", "measure", "raises": ["protection", ...],
              "gain": {"protection": {"from", "to", "change"}, "recoverability": {...}} | null,
              "gain_text": "Protection 40 → 75" | null, "gain_note": "<why gain is null>" | null,
              "trade_off": "<text>" | null,
              "fix": [op, ...] (fixes.py), "closes": [rule ids], "claims": [{"scenario", "account",
              "state", "days"}], "links": [LINK, ...]}
      "gain" is measured by applying "fix" and evaluating again. It is always measured on plans of
      up to rank.MEASURE_ALL (60) accounts; on larger plans for the first rank.MEASURE_TOP (20)
      actions that have a fix. Otherwise it is null and "gain_note" says why (no fix to apply, or
      beyond the first 20 of a large plan); "gain_note" is null whenever "gain" is given.
      "links": the pages of the action's accounts' services that its rule names (rules.Rule.links),
      each URL once; [] for accounts the catalogue does not know.

Errors: ``{"version": 2, "ok": false, "errors": [{"path", "message"}]}``.
"""
from __future__ import annotations

import contextlib
import gc
import json
from dataclasses import dataclass
from typing import Any

from .catalogue import (PASSKEY_DIRECTORY, TWO_FA_DIRECTORY, Catalogue, Service, parse_services, source_dict,
                        ASSET_SOURCE_KEYS, ROOT as CATALOGUE_ROOT, with_services)
from .fields import label, plan_ui
from .measures import Measures, assumptions, compute
from .model import FORMAT_VERSION, Plan, State
from .parse import Problem, decode, parse_plan, show
from .questions import (QUESTIONS, QUESTIONS_VERSION, ROOT as ANSWERS_ROOT, plan_from_answers,
                        read_answers)
from .rank import FOLD_AFTER, Action, rank_actions
from .rules import LINK_KINDS, Finding, Tip, _join, action_links, findings, make_context, offers, service_links
from .scenarios import Analysis, ScenarioResult, analyse
from .schema import plan_schema

# Bound once: in CPython 3.11 reading a member off an enum class (State.IN) is a slow metaclass hook.
_IN, _NO_WAY_BACK, _LOCKED_OUT = State.IN, State.NO_WAY_BACK, State.LOCKED_OUT


def outcome_text(o, names) -> str:
    if o.state is _IN:
        return "Still in"
    if o.state is _NO_WAY_BACK:
        return "Locked out with no way back"
    via = f" ({names.get(o.via, o.via)})" if o.via else ""
    if o.state is _LOCKED_OUT:
        return f"Locked out for about {o.days} days, until {o.route.until}"
    when = "the same day" if not o.days else ("in about 1 day" if o.days == 1 else f"in about {o.days} days")
    return f"Back {when} by {o.route.text}{via}"


def scenario_dict(s: ScenarioResult, names: dict, memo: dict | None = None) -> dict:
    """One scenario of the output. ``memo`` (one per report) shares the entry of an outcome that
    several scenarios give the same account (most accounts most of the time): built once; and the
    words of each kind of outcome, whichever account has it: worded once."""
    if memo is None:
        memo = {}
    still, outcomes = [], []
    add_still, add_outcome = still.append, outcomes.append
    down, changed = s.down, s.changed
    for a, o in s.baseline.items():
        if a in down:
            continue
        o = changed.get(a, o)
        if o.state is _IN:
            add_still(a)
            continue
        entry = memo.get(o)
        if entry is None:
            route = o.route
            # the words depend on the outcome but not on the account: worded once per kind of outcome.
            # Keyed by (state, days, route, via), a 4-tuple, which never equals a 5-field Outcome.
            words = o[1:]
            text = memo.get(words)
            if text is None:
                text = memo[words] = outcome_text(o, names)
            entry = memo[o] = {"account": a, "state": o.state._value_, "days": o.days,
                               "route": route.id if route else None, "route_text": route.text if route else None,
                               "via": o.via, "text": text}
        add_outcome(entry)
    return {"id": s.id, "title": s.row.title, "lost": list(s.lost), "down": list(down),
            "applies": bool(down) or any(s.losses),
            "one_at_a_time": s.row.one_at_a_time and len(s.losses) > 1, "still_in": still, "outcomes": outcomes,
            "restored": [{"thing": r.thing, "route": r.route.id, "via": r.via, "days": r.days} for r in s.restored]}


def service_facts(domain: str | None, svc: Service | None) -> dict | None:
    """An account's ``service`` in the output: None when it names none; ``{"domain", "known": false}``
    when the catalogue passed in does not list it; else what the kit and the page show."""
    if domain is None:
        return None
    if svc is None:
        return {"domain": domain, "known": False}
    ways = offers(svc)
    return {"domain": svc.domain, "known": True, "name": svc.name, "kind": svc.kind,
            "methods": [m.value for m in svc.methods], "passkey": [u.value for u in svc.passkey],
            "offers": [o.type.value for o in ways],
            "offers_text": _join(o.words for o in ways) if ways else None,
            "lists_no_2fa": svc.lists_no_2fa, "in_2fa_directory": svc.in_2fa_directory,
            "documentation": svc.documentation if svc.methods else None,
            "passkey_page": svc.passkey_documentation or (svc.documentation if svc.passkey else None),
            "recovery": svc.recovery,
            "links": service_links(svc, LINK_KINDS)}


def _checked_text(catalogue: Catalogue) -> str:
    """'Checked against 2FA Directory and the Passkeys Directory, data of 2026-08-04.'"""
    parts = [s for s in (catalogue.source(TWO_FA_DIRECTORY), catalogue.source(PASSKEY_DIRECTORY)) if s]
    parts += [s for s in catalogue.sources if s not in parts]
    if not parts:
        return "Checked against the service catalogue."
    if len({s.date for s in parts}) == 1:
        names = " and the ".join(s.name for s in parts) if len(parts) == 2 else ", ".join(s.name for s in parts)
        return f"Checked against {names}, data of {parts[0].date}."
    return "Checked against " + " and the ".join(f"{s.name} (data of {s.date})" for s in parts) + "."


def catalogue_facts(plan: Plan, catalogue: Catalogue | None, services: dict) -> dict | None:
    """The output's top-level ``catalogue``: None unless entries were passed in and an account names a
    service; else which accounts were checked, which named a service it does not list, the line to
    show ("Checked against 2FA Directory ..., data of ...") and the sources' credit lines."""
    named = [a for a in plan.accounts if a.service]
    if catalogue is None or not named:
        return None
    checked = [a.id for a in named if a.id in services]
    unknown = [a.id for a in named if a.id not in services]
    if checked:
        text = _checked_text(catalogue)
    else:
        tfa = catalogue.source(TWO_FA_DIRECTORY)
        when = f" (data of {tfa.date})" if tfa else ""
        text = (f"2FA Directory{when} does not list {', '.join(dict.fromkeys(a.service for a in named))}, "
                f"so the advice is the checklist's general advice.")
    return {"text": text, "checked": checked, "unknown": unknown,
            "sources": [source_dict(x, ASSET_SOURCE_KEYS) for x in catalogue.sources],
            "attribution": list(catalogue.attributions)}


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
    catalogue: Catalogue | None = None
    services: dict | None = None     # account id -> the catalogue's Service (the accounts it knows)

    def as_dict(self) -> dict:
        plan = self.plan
        names = {t.id: t.label for t in plan.things}
        names.update({a.id: a.name for a in plan.accounts})
        m = self.measures
        head = m.headline
        other = m.recoverability if head is m.protection else m.protection
        g = self.analysis.graph
        services = self.services or {}
        counts_as, because, protection = g.counts_as, g.because, m.accounts
        shared: dict = {}
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
            "accounts": [{"id": a.id, "name": a.name, "kind": a.kind._value_, "kind_label": label(a.kind),
                          "importance": a.importance._value_, "counts_as": counts_as[a.id]._value_,
                          "because": because.get(a.id),
                          "protection": None if plan.strength_unknown(a.id) else protection[a.id].value,
                          "weakest_way_in": protection[a.id].text,
                          "service": service_facts(a.service, services.get(a.id)) if a.service else None}
                         for a in plan.accounts],
            "baseline": scenario_dict(self.analysis.baseline, names, shared),
            "scenarios": [scenario_dict(s, names, shared) for s in self.analysis.scenarios],
            "single_points_of_failure": [{"thing": sp.thing, "accounts": list(sp.accounts),
                                          "chains": {a: list(c) for a, c in zip(sp.accounts, sp.chains)},
                                          "scenarios": dict(zip(sp.accounts, sp.scenarios))}
                                         for sp in self.analysis.single_points],
            "cycles": [{"accounts": list(c.accounts), "chain": list(c.chain), "scenarios": list(c.scenarios)}
                       for c in self.analysis.cycles],
            "actions": [dict(a.as_dict(plan), links=action_links(services, a.rule, a.accounts)) for a in self.actions],
            "fold_after": FOLD_AFTER,
            "findings": [f.as_dict() for f in self.findings],
            "tips": [t.as_dict() for t in self.tips],
            "assumptions": list(self.assumptions),
            "skipped": list(self.skipped),
            "names": dict(sorted(names.items())),
            "catalogue": catalogue_facts(plan, self.catalogue, services),
        }


def evaluate(plan: Plan, unknown_rules=frozenset(), skipped=(), extra_assumptions=(), impacts: bool = True,
             catalogue: Catalogue | None = None) -> Report:
    """The pure core. Every action's gain is measured on plans of up to rank.MEASURE_ALL accounts,
    and for the top rank.MEASURE_TOP actions of larger plans. ``impacts=False`` skips measuring on
    large plans; only the benchmark uses it, for its figure without impacts. ``catalogue``: the
    service catalogue entries (at least those the plan's accounts name), or None."""
    plan = with_services(plan, catalogue)
    analysis = analyse(plan)
    measures = compute(plan, analysis)
    ctx = make_context(plan, analysis, measures, catalogue)
    found, tips = findings(ctx, unknown_rules)
    actions = rank_actions(ctx, found, impacts)
    said = tuple(extra_assumptions) + tuple(assumptions(plan, analysis))
    return Report(plan, measures, actions, found, tips, analysis, said, tuple(skipped), catalogue, ctx.services)


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


# --- the input envelope: the plan (or the answers) with the catalogue entries it names -----------
ENVELOPE_ROOT = "(input)"
SERVICES_KEY = "services"


def is_envelope(data: Any, key: str) -> bool:
    """An envelope is an object without "version" (plans and answers always have one) that has the
    ``key`` ("plan" or "answers") holding an object, or "services"."""
    return (isinstance(data, dict) and "version" not in data
            and (SERVICES_KEY in data or isinstance(data.get(key), dict)))


def _catalogue_problems(problems) -> list[Problem]:
    out = []
    for p in problems:
        path = SERVICES_KEY if p.path == CATALOGUE_ROOT else f"{SERVICES_KEY}.{p.path}"
        out.append(Problem(path, p.message))
    return out


def open_envelope(data: Any, key: str) -> tuple[Any, Catalogue | None, tuple[Problem, ...]]:
    """``(inner document, catalogue or None, envelope problems)``. Input that is not an envelope is
    the inner document itself (a plan or answers as before, with no catalogue)."""
    if not is_envelope(data, key):
        return data, None, ()
    problems: list[Problem] = []
    for k in data:
        if k not in (key, SERVICES_KEY):
            problems.append(Problem(show(k), f'unknown key "{show(k)}"; an input envelope has "{key}" and '
                                             f'"{SERVICES_KEY}"'))
    if key not in data:
        problems.append(Problem(ENVELOPE_ROOT, f'missing required key "{key}" (the {key} to check, next to '
                                               f'"{SERVICES_KEY}")'))
    catalogue = None
    raw = data.get(SERVICES_KEY)
    if raw is not None:
        catalogue, found = parse_services(raw)
        problems += _catalogue_problems(found)
    return data.get(key), catalogue, tuple(problems)


def evaluate_data(data: Any, impacts: bool = True, check_text: bool = True) -> dict:
    """Decoded plan JSON, or an envelope ``{"plan": ..., "services": ...}`` -> the result dict."""
    inner, catalogue, envelope_problems = open_envelope(data, "plan")
    plan, problems = parse_plan(inner, check_text) if inner is not None or not envelope_problems else (None, ())
    problems = tuple(envelope_problems) + tuple(problems)
    if problems:
        return _errors(problems)
    return evaluate(plan, impacts=impacts, catalogue=catalogue).as_dict()


def evaluate_json(plan: str) -> str:
    """Plan JSON text (or an envelope with the catalogue entries it names) -> result JSON text.
    Invalid input gives ``ok: false`` with every problem."""
    try:
        with _no_cycle_collection():
            data, problems, surrogates = decode(plan)
            if problems:
                return _dump(_errors(problems))
            return _dump(evaluate_data(data, check_text=surrogates))
    except Exception as e:  # a bug, not bad input: still answer in the contract's shape
        return _internal(e)



def quick_data(data: Any, check_text: bool = True) -> dict:
    """Decoded answers JSON, or an envelope ``{"answers": ..., "services": ...}`` -> the result dict."""
    inner, catalogue, envelope_problems = open_envelope(data, "answers")
    answers, as_of, problems = (read_answers(inner, check_text) if inner is not None or not envelope_problems
                                else (None, None, ()))
    problems = tuple(envelope_problems) + tuple(problems)
    if problems:
        return _errors(problems)
    quick = plan_from_answers(answers, as_of, catalogue)
    plan, problems = parse_plan(quick.plan)
    if problems:   # cannot happen for validated answers; reported rather than raised
        return _errors(problems)
    out = evaluate(plan, quick.unknown_rules, quick.skipped, quick.assumptions, catalogue=catalogue).as_dict()
    for measure, note in quick.caveats:
        out["measures"][measure]["explanation"] += " " + note
    out["plan"] = quick.plan
    return out


def quick_json(answers: str) -> str:
    """Quick-check answers JSON (or an envelope with the catalogue entries they name) -> the same
    output as evaluate_json, plus the generated ``plan``."""
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
