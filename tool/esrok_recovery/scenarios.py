"""Loss scenarios: a table of rows, and where each account stands in each one.

Each row of :data:`SCENARIOS` names a loss (a phone, a number, a key, the password
manager, the home, a trip) and what it takes away. :func:`analyse` compiles the plan
(:mod:`.graph`), solves the baseline and every scenario incrementally (:mod:`.solver`)
and gives each account in each scenario exactly one :class:`~.model.State`: still in;
back in after fewer than :data:`~.model.LOCKOUT_DAYS` days by a named route; locked out
for about N days until a named route; or locked out with no way back. Single points of
failure and recovery loops are found in :mod:`.failures`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from .graph import KEYS, Graph, compile_plan
from .model import LOCKOUT_DAYS, LOCKOUT_STATES, AccountKind, Location, Plan, Route, State, StoreKind, ThingType
from .solver import Supports, View, _apart, _best, baseline_values, closure, loss, supports

PHYSICAL = (ThingType.PHONE, ThingType.DEVICE, ThingType.SECURITY_KEY)
PHYSICAL_STORES = (StoreKind.PAPER, StoreKind.SAFE)


def _physical(t) -> bool:
    return t.type in PHYSICAL or (t.type is ThingType.CODE_STORE and t.kind in PHYSICAL_STORES)


def places(plan: Plan) -> tuple:
    """(thing, where it is) for every physical thing, in plan order: looked up once per analysis."""
    location = plan.location
    store = ThingType.CODE_STORE
    return tuple((t, location(t.id)) for t in plan.things          # _physical(t), inlined
                 if t.type in PHYSICAL or (t.type is store and t.kind in PHYSICAL_STORES))


def _carried(plan: Plan, where: tuple | None, kind: ThingType) -> set:
    carried = Location.CARRIED
    return {t.id for t, loc in (places(plan) if where is None else where) if t.type is kind and loc is carried}


def _phone_lost(plan: Plan, where: tuple | None = None):
    return _carried(plan, where, ThingType.PHONE), frozenset(), frozenset()


def _phone_reset(plan: Plan, where: tuple | None = None):
    phones = _carried(plan, where, ThingType.PHONE)
    number = ThingType.PHONE_NUMBER
    wiped = {t.id for t in plan.things if t.on in phones and t.type is not number}
    return wiped | {p + KEYS for p in phones}, frozenset(), frozenset()


def _number_lost(plan: Plan, where: tuple | None = None):
    nums = {t.id for t in plan.things if t.type is ThingType.PHONE_NUMBER}
    return nums, frozenset(), frozenset(nums)


def _key_lost(plan: Plan, where: tuple | None = None):
    return _carried(plan, where, ThingType.SECURITY_KEY), frozenset(), frozenset()


def _vault_down(plan: Plan, where: tuple | None = None):
    return set(), frozenset(a.id for a in plan.accounts if a.kind is AccountKind.PASSWORD_MANAGER), frozenset()


def _home_lost(plan: Plan, where: tuple | None = None):
    home = Location.HOME
    return {t.id for t, loc in (places(plan) if where is None else where) if loc is home}, frozenset(), frozenset()


def _travelling(plan: Plan, where: tuple | None = None):
    carried = Location.CARRIED
    away = {t.id for t, loc in (places(plan) if where is None else where) if loc is not carried}
    return away, frozenset(), frozenset(plan._things)     # every thing's id


@dataclass(frozen=True)
class ScenarioRow:
    """One loss. ``loses(plan, where=None)`` -> (seed things lost, accounts unavailable, things
    that cannot come back); ``where``: :func:`places` of the plan, if already looked up. ``one_at_a_time``: each seed phone or key is lost on its own (a family does not lose
    every phone at once) and each account gets its worst case."""
    id: str
    title: str
    short: str            # completes "If you ...": used in sentences
    loses: Callable
    one_at_a_time: bool = False


SCENARIOS: tuple[ScenarioRow, ...] = (
    ScenarioRow("phone-lost", "You lose your phone (lost or stolen)", "lose your phone", _phone_lost, True),
    ScenarioRow("phone-reset", "Your phone is reset or the authenticator app is wiped",
                "reset your phone or wipe the authenticator app", _phone_reset, True),
    ScenarioRow("number-lost", "You lose your phone number (SIM swap, number change, abroad without roaming)",
                "lose your phone number", _number_lost),
    ScenarioRow("key-lost", "You lose the security key you carry", "lose the security key you carry", _key_lost,
                True),
    ScenarioRow("password-manager-unavailable", "Your password manager is unavailable",
                "cannot open your password manager", _vault_down),
    ScenarioRow("home-lost", "You lose everything kept at home (fire or flood)",
                "lose everything kept at home", _home_lost),
    ScenarioRow("travelling", "You are travelling with only what you carry", "travel with only what you carry",
                _travelling),
)
SCENARIOS_BY_ID = {s.id: s for s in SCENARIOS}
SCENARIO_IDS = tuple(s.id for s in SCENARIOS)
BASELINE = ScenarioRow("baseline", "Today, with nothing lost", "change nothing",
                       lambda plan, where=None: (set(), frozenset(), frozenset()))


class Outcome(NamedTuple):
    """Where one account stands in one scenario. ``days``: the wait (back, locked_out);
    ``route``: the route that brings you back or that you wait for; ``via``: the thing or
    account that route goes through (the recovery email, the lost number...)."""
    account: str
    state: State
    days: int | None
    route: Route | None
    via: str | None

    @property
    def locked(self) -> bool:
        return self.state in LOCKOUT_STATES


def state_of(value: int | None) -> State:
    if value is None:
        return _NO_WAY_BACK
    if value == 0:
        return _IN
    return _BACK if (value >> 1) < LOCKOUT_DAYS else _LOCKED_OUT


def is_lockout(value: int | None) -> bool:
    return value is None or (value & 1 == 1 and (value >> 1) >= LOCKOUT_DAYS)


_NO_WAY_BACK = State.NO_WAY_BACK
_IN = State.IN
_BACK = State.BACK
_LOCKED_OUT = State.LOCKED_OUT
_new_tuple = tuple.__new__


_DEEPEST = 6     # a route is followed through at most this many things or accounts it waits for


def outcome(g: Graph, node: str, value, memo: dict | None = None) -> Outcome:
    """Where ``node`` stands given ``value`` (plain values or a :class:`~.solver.View`); ``memo``
    (one per set of values) shares the routes of what many accounts wait for (a vault, a mailbox)."""
    if isinstance(value, View):
        look = value.fresh.get, value.affected, value.base.get
    else:
        look = value.get, frozenset(), value.get
    fget, affected, bget = look
    return _outcome(g, node, fget(node) if node in affected else bget(node), look,
                    {} if memo is None else memo)


def _outcome(g: Graph, node: str, v, look: tuple, memo: dict) -> Outcome:
    """:func:`outcome` for a node whose value ``v`` is known; ``look`` is (fresh.get, affected,
    base.get): a value is read from ``fresh`` for an affected node, else from the baseline."""
    # tuple.__new__ skips the NamedTuple's Python-level __new__: tens of thousands are built per plan
    if v is None:
        return _new_tuple(Outcome, (node, _NO_WAY_BACK, None, None, None))
    if v == 0:
        return _new_tuple(Outcome, (node, _IN, None, None, None))
    route, via, _steps = _route(g, node, look, 0, memo)
    return _new_tuple(Outcome, (node, _BACK if (v >> 1) < LOCKOUT_DAYS else _LOCKED_OUT, v >> 1, route, via))


def _route(g: Graph, node: str, look: tuple, depth: int, memo: dict) -> tuple[Route, str | None, int]:
    """The route that brings ``node`` back: its quickest option, or, for a sign-in that waits on
    something coming back (a replacement SIM, a restored app), the route of what it waits for;
    and how many steps that took.

    ``memo`` holds routes under the identity of the ways in they were found for (accounts with
    equal ways in share one tuple, :func:`~.graph.compile_plan`, and so one route): under the
    identity alone a route found without reaching the depth limit (it holds from any depth that
    leaves room for its steps), and one that reached it under (identity, depth) in ``memo[None]``.
    """
    opts = g.options.get(node) or g.restore.get(node, ())
    key = id(opts)
    hit = memo.get(key)
    if hit is not None and depth + hit[2] <= _DEEPEST:
        return hit
    deep = memo.get(None)
    if deep is not None:
        hit = deep.get((key, depth))
        if hit is not None:
            return hit
    fget, affected, bget = look
    o = _best(opts, fget, affected, bget)[1]
    if not o[4] or depth > _DEEPEST:
        out = o.route, o.via, 0
    else:
        r = None                      # the slowest requirement (ties: the smallest id)
        rv = 0
        for x in o.reqs:
            xv = fget(x) if x in affected else bget(x)
            if xv > 0 and (r is None or xv > rv or (xv == rv and x < r)):
                r, rv = x, xv
        if r is None:
            out = o.route, o.via, 0
        elif r in g.options:
            sub = _route(g, r, look, depth + 1, memo)                   # the account it waits for, and how
            out = sub[0], sub[1], sub[2] + 1
        elif r in g.restore:
            sub = _route(g, r, look, depth + 1, memo)                   # the lost thing that comes back
            out = sub[0], r, sub[2] + 1
        else:
            out = o.route, r[:-len(KEYS)] if r.endswith(KEYS) else r, 0
    if depth + out[2] <= _DEEPEST:
        memo[key] = out
    else:
        memo.setdefault(None, {})[(key, depth)] = out
    return out


class Restored(NamedTuple):
    thing: str
    route: Route
    via: str | None
    days: int


@dataclass(frozen=True)
class ScenarioResult:
    row: ScenarioRow
    lost: tuple[str, ...]               # things lost (shown), in id order
    down: tuple[str, ...]               # accounts unavailable by definition of the scenario
    changed: dict                       # account -> Outcome, where it differs from ``baseline``
    baseline: dict                      # account -> Outcome with nothing lost
    restored: tuple[Restored, ...]      # lost things that come back
    losses: tuple[frozenset, ...]       # what each variant lost (the closure of its seeds)

    @property
    def id(self) -> str:
        return self.row.id

    def outcome(self, account: str) -> Outcome:
        o = self.changed.get(account)
        return o if o is not None else self.baseline[account]

    def outcomes(self):
        """Every account's outcome, in id order (unavailable accounts left out)."""
        down = self.down
        for a, base in self.baseline.items():
            if a in down:
                continue
            o = self.changed.get(a)
            yield o if o is not None else base

    @property
    def locked_out(self) -> tuple[str, ...]:
        return tuple(o.account for o in self.outcomes() if o.locked)


@dataclass(frozen=True)
class Analysis:
    graph: Graph
    values: dict                          # baseline values
    supports: Supports
    baseline: ScenarioResult
    scenarios: tuple[ScenarioResult, ...]
    views: dict                           # scenario id -> tuple of (View, restorable) per variant
    single_points: tuple
    cycles: tuple

    def scenario(self, sid: str) -> ScenarioResult:
        return next(s for s in self.scenarios if s.id == sid)


def scenario_variants(plan: Plan, row: ScenarioRow, where: tuple | None = None) -> list[tuple[set, frozenset, frozenset]]:
    """The ways a scenario can happen: one per carried phone or key for one-at-a-time rows;
    ``where``: :func:`places` of the plan, if already looked up."""
    seeds, down, no_restore = row.loses(plan, where)
    if not row.one_at_a_time:
        return [(seeds, down, no_restore)]
    if row.id == "phone-reset":
        by_phone: dict[str, set] = {}
        things = plan._things
        for x in seeds:
            phone = x[:-len(KEYS)] if x.endswith(KEYS) else things[x].on
            group = by_phone.get(phone)
            if group is None:
                by_phone[phone] = {x}
            else:
                group.add(x)
        groups = [by_phone[p] for p in sorted(by_phone)]
    else:
        groups = [{x} for x in sorted(seeds)]
    return [(grp, down, no_restore) for grp in groups] or [(set(), down, no_restore)]


def solve_scenario(g: Graph, base: dict, sup: Supports, row: ScenarioRow, base_outcomes: dict,
                   where: tuple | None = None, keystores: frozenset | None = None):
    """(ScenarioResult, [View per variant]) for one row; ``where`` (:func:`places`) and
    ``keystores`` (the passkey-store nodes, never shown as lost) when already known."""
    worst: dict[str, tuple] = {}
    all_lost: set = set()
    down: frozenset = frozenset()
    options = g.options
    ways = scenario_variants(g.plan, row, where)
    together = None
    if len(ways) > 1 and not ways[0][1]:          # one at a time: solved in one pass if they cannot interact
        together = _apart(g, base, sup, [seeds for seeds, _down, _no in ways], ways[0][2])
    if together is not None:
        # each affected account comes from one variant alone (they cannot interact): its worst case
        # is that variant's value, with no comparing across variants
        variants, whole, origin, accounts = together
        all_lost = whole.lost
        fresh = whole.fresh
        for a in accounts:
            worst[a] = (fresh.get(a), origin[a])
    else:
        variants = [loss(g, base, sup, closure(g, seeds), down, no_restore) for seeds, down, no_restore in ways]
    for i, view in enumerate(variants if together is None else ()):
        all_lost |= view.lost
        fresh = view.fresh
        down = view.down
        for a in view.affected:
            if a not in options or a in down:
                continue
            v = fresh.get(a)
            cur = worst.get(a)
            if cur is None or (cur[0] is not None and (v is None or v > cur[0])):
                worst[a] = (v, i)
    bget = base.get
    # per variant: (fresh.get, affected, base.get) and a route memo; variants solved together share them
    looks: list = [None] * len(variants) if together is None else \
        [((whole.fresh.get, whole.affected, bget), {})] * len(variants)
    changed = {}
    for a in sorted(worst):
        v, i = worst[a]
        if v == bget(a):
            continue
        look = looks[i]
        if look is None:
            view = variants[i]
            look = looks[i] = (view.fresh.get, view.affected, bget), {}
        changed[a] = _outcome(g, a, v, look[0], look[1])
    restored: dict[str, Restored] = {}
    for i, view in enumerate(variants if together is None else (whole,)):   # solved together: one pass
        if not view.restorable:
            continue
        fresh = view.fresh
        for t in view.restorable:             # one entry per thing: the order within a view is free
            v = fresh.get(t)
            if v is not None:
                look = looks[i]
                if look is None:
                    look = looks[i] = (fresh.get, view.affected, bget), {}
                if v:                   # a way back always waits (odd value): its route, as _outcome finds it
                    route, via, _steps = _route(g, t, look[0], 0, look[1])
                    days = v >> 1
                else:
                    route = via = days = None
                if t not in restored or days > restored[t].days:
                    restored[t] = _new_tuple(Restored, (t, route, via, days))
    if keystores is None:
        keystores = frozenset(x for x in all_lost if x.endswith(KEYS))
    shown = tuple(sorted(all_lost.difference(keystores)))
    result = ScenarioResult(row, shown, tuple(sorted(down)), changed, base_outcomes,
                            tuple(restored[t] for t in sorted(restored)), tuple(v.lost for v in variants))
    return result, variants


def analyse(plan: Plan, failures: bool = True) -> Analysis:
    """Compile, solve the baseline and every scenario; find single points and loops unless
    ``failures`` is false (the what-if evaluations of :mod:`.rank` do not need them)."""
    from .failures import find_cycles, single_points   # failure finding builds on this module

    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    look, memo = (base.get, frozenset(), base.get), {}
    base_outcomes = {a: _outcome(g, a, base.get(a), look, memo) for a in g.options}
    baseline = ScenarioResult(BASELINE, (), (), {}, base_outcomes, (), (frozenset(),))
    results = []
    views = {}
    where = places(plan)
    keystores = frozenset(p + KEYS for p in g.children if p + KEYS in g.children[p])
    for row in SCENARIOS:
        result, variants = solve_scenario(g, base, sup, row, base_outcomes, where, keystores)
        results.append(result)
        views[row.id] = variants
    results_t = tuple(results)
    spofs = single_points(g, base, sup, results_t, views) if failures else ()
    cycles = find_cycles(g, base, views) if failures else ()
    return Analysis(graph=g, values=base, supports=sup, baseline=baseline, scenarios=results_t, views=views,
                    single_points=spofs, cycles=cycles)
