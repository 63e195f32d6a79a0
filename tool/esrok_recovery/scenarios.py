"""Loss scenarios: which accounts you can still get into, recover (how, how long) or not.

The plan is compiled once into a dependency graph. Every account has *options*
(ways in): sign-in combinations, backup codes, and recovery routes. An option
needs a set of *nodes* (things and accounts); recovering account A through email
account B needs B first. Reachability is the least fixpoint of

    value(node) = min over options of  combine(max(value(req) for req in option))

computed with a worklist. A value encodes both the wait and whether the way in is
direct: 0 = you can sign in right now; 2*w+1 = you get in after ``w`` days through
at least one recovery or restoration step. The encoding is monotone, so the
fixpoint is exact and order-independent. Scenarios are solved incrementally from
the baseline (nothing lost): only nodes downstream of what was lost are recomputed.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

from .model import (SECOND_FACTORS, AccountKind, AppBackup, Importance, Location, Plan,
                    RecoveryType, SignInType, StoreKind, ThingType)

KEYS = "#keys"   # suffix of the node for a phone's/device's passkey store (wiped by a reset)

# Route ranks break ties between equally fast ways in (lower first); never list order.
ROUTE_RANK = {
    "sign-in": 0, "backup codes": 1, "recovery phone": 2, "recovery email": 3,
    "recovery contact": 4, "support": 5, "replacement SIM": 6, "restore app from backup": 7,
}
#: Typical wait in days for each recovery route (see the plan-format docs).
ROUTE_WAIT = {"recovery phone": 0, "recovery email": 1, "recovery contact": 1, "replacement SIM": 1,
              "restore app from backup": 0, "backup codes": 0}

SCENARIOS = (
    ("phone-lost", "You lose your phone (lost or stolen)"),
    ("phone-reset", "Your phone is reset or the authenticator app is wiped"),
    ("number-lost", "You lose your phone number (SIM swap, number change, abroad without roaming)"),
    ("key-lost", "You lose the security key you carry"),
    ("password-manager-unavailable", "Your password manager is unavailable"),
    ("home-lost", "You lose everything kept at home (fire or flood)"),
    ("travelling", "You are travelling with only what you carry"),
)
SCENARIO_IDS = tuple(s for s, _ in SCENARIOS)
PHYSICAL = (ThingType.PHONE, ThingType.DEVICE, ThingType.SECURITY_KEY)
PHYSICAL_STORES = (StoreKind.PAPER, StoreKind.SAFE)


class Option(NamedTuple):
    """One way in. A NamedTuple rather than a dataclass: thousands are built per plan."""
    route: str
    via: str | None
    wait: int
    reqs: tuple[str, ...]
    direct: bool            # a sign-in: passes the value of its requirements through

    @property
    def rank(self) -> int:
        return ROUTE_RANK[self.route]


@dataclass(frozen=True)
class Graph:
    plan: Plan
    options: dict          # account id -> tuple[Option]
    restore: dict          # thing id -> tuple[Option] (how a lost thing comes back)
    dependents: dict       # node -> tuple of nodes whose options need it
    children: dict         # thing id -> tuple of things/keystores that sit "on" it
    things: tuple          # every thing node (including keystores)
    critical: frozenset


class Outcome(NamedTuple):
    """How an account (or a lost thing) comes back. A NamedTuple: thousands per plan."""
    account: str
    route: str
    via: str | None
    wait_days: int

    def as_dict(self) -> dict:
        return {"account": self.account, "route": self.route, "via": self.via, "wait_days": self.wait_days}


@dataclass(frozen=True)
class ScenarioResult:
    id: str
    title: str
    lost: tuple[str, ...]
    accessible: tuple[str, ...]
    recovered: tuple[Outcome, ...]
    locked_out: tuple[str, ...]
    restored: tuple[Outcome, ...]
    one_at_a_time: bool = False     # each phone/key in ``lost`` was lost on its own; worst case shown

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "lost": list(self.lost), "one_at_a_time": self.one_at_a_time,
                "accessible": list(self.accessible),
                "recovered": [o.as_dict() for o in self.recovered],
                "locked_out": list(self.locked_out),
                "restored": [{"thing": o.account, "route": o.route, "via": o.via, "wait_days": o.wait_days}
                             for o in self.restored]}


@dataclass(frozen=True)
class SinglePoint:
    thing: str
    accounts: tuple[str, ...]
    chains: tuple[tuple[str, ...], ...]     # one per account, same order

    @property
    def chain(self) -> tuple[str, ...]:
        return self.chains[0]

    def chain_to(self, account: str) -> tuple[str, ...]:
        return self.chains[self.accounts.index(account)]

    def as_dict(self) -> dict:
        return {"thing": self.thing, "accounts": list(self.accounts), "chain": list(self.chain),
                "chains": {a: list(c) for a, c in zip(self.accounts, self.chains)}}


@dataclass(frozen=True)
class Cycle:
    accounts: tuple[str, ...]
    chain: tuple[str, ...]
    scenarios: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"accounts": list(self.accounts), "chain": list(self.chain), "scenarios": list(self.scenarios)}


@dataclass(frozen=True)
class Analysis:
    graph: Graph
    baseline: ScenarioResult
    scenarios: tuple[ScenarioResult, ...]
    single_points: tuple[SinglePoint, ...]
    cycles: tuple[Cycle, ...]

    def scenario(self, sid: str) -> ScenarioResult:
        return next(s for s in self.scenarios if s.id == sid)


# ---------------------------------------------------------------------------------------------
# compile
def _store_node(plan: Plan, store_id: str) -> str:
    t = plan.thing(store_id)
    if t.kind is StoreKind.PASSWORD_MANAGER and t.via:
        return t.via
    return store_id


def _method_node(plan: Plan, m) -> str | None:
    if m.type is SignInType.PASSKEY:
        if m.via:
            return m.via
        t = plan.thing(m.on)
        return m.on + KEYS if t.type in (ThingType.PHONE, ThingType.DEVICE) else m.on
    if m.type is SignInType.EMAIL_CODE or m.type is SignInType.PASSWORD:
        return m.via
    return m.on


def account_options(plan: Plan, account) -> tuple[Option, ...]:
    """Every way into an account: sign-in combinations, backup codes, recovery routes.

    Sign-in: a passkey alone, or a password (memorised, or from a password manager) plus any
    one second step; without any second step, the password alone; without a password, any
    single method. Backup codes stand in for the second step, so they still need the password.
    Security questions are deliberately not a way in (see rule security-questions).
    """
    sign_in = account.sign_in
    pw_reqs = list(dict.fromkeys((m.via,) if m.via else () for m in sign_in if m.type is SignInType.PASSWORD))
    has_pw = bool(pw_reqs)
    if not pw_reqs:
        pw_reqs = [()]
    seconds = [m for m in sign_in if m.type in SECOND_FACTORS]
    opts: dict[Option, None] = {}
    for m in sign_in:
        if m.type is SignInType.PASSKEY:
            opts[Option("sign-in", None, 0, (_method_node(plan, m),), True)] = None
    if seconds:
        for p in pw_reqs:
            for m in seconds:
                node = _method_node(plan, m)
                opts[Option("sign-in", None, 0, p if node in p else p + (node,), True)] = None
    elif has_pw:
        for p in pw_reqs:
            opts[Option("sign-in", None, 0, p, True)] = None
    codes = account.backup_codes
    if (codes and codes.generated and codes.stored_in and codes.remaining != 0
            and (seconds or any(m.type is SignInType.PASSKEY for m in sign_in))):
        for p in pw_reqs:
            for s in codes.stored_in:
                node = _store_node(plan, s)
                opts[Option("backup codes", s, 0, p if node in p else p + (node,), False)] = None
    for r in account.recovery:
        t = r.type
        if t is RecoveryType.RECOVERY_EMAIL:
            if r.via and not r.dead:
                opts[Option("recovery email", r.via, ROUTE_WAIT["recovery email"], (r.via,), False)] = None
        elif t is RecoveryType.RECOVERY_PHONE:
            opts[Option("recovery phone", r.on, ROUTE_WAIT["recovery phone"], (r.on,), False)] = None
        elif t is RecoveryType.RECOVERY_CONTACT:
            opts[Option("recovery contact", r.on, ROUTE_WAIT["recovery contact"], (r.on,), False)] = None
        elif t is RecoveryType.SUPPORT:
            opts[Option("support", None, r.wait_days, (), False)] = None
    return tuple(opts)


def compile_plan(plan: Plan) -> Graph:
    options = {a.id: account_options(plan, a) for a in sorted(plan.accounts, key=lambda a: a.id)}  # id order
    restore: dict[str, tuple[Option, ...]] = {}
    children: dict[str, list[str]] = {}
    nodes: list[str] = []
    for t in plan.things:
        if t.type is ThingType.CODE_STORE and t.kind is StoreKind.PASSWORD_MANAGER:
            continue
        nodes.append(t.id)
        if t.type in (ThingType.PHONE, ThingType.DEVICE):
            nodes.append(t.id + KEYS)
            children.setdefault(t.id, []).append(t.id + KEYS)
        if t.on:
            children.setdefault(t.on, []).append(t.id)
        if t.type is ThingType.PHONE_NUMBER:
            reqs = (t.carrier,) if t.carrier else ()
            restore[t.id] = (Option("replacement SIM", t.carrier, ROUTE_WAIT["replacement SIM"], reqs, False),)
        elif t.type is ThingType.AUTHENTICATOR_APP and t.backup is not AppBackup.NONE:
            reqs = (t.via,) if t.via else ()
            restore[t.id] = (Option("restore app from backup", t.via, 0, reqs, False),)
    deps: dict[str, set[str]] = {}
    for owner, opts in list(options.items()) + list(restore.items()):
        for o in opts:
            for r in o.reqs:
                deps.setdefault(r, set()).add(owner)
    critical = frozenset(a.id for a in plan.accounts if a.importance is Importance.CRITICAL)
    return Graph(plan=plan, options=options, restore=restore,
                 dependents={k: tuple(sorted(v)) for k, v in deps.items()},
                 children={k: tuple(v) for k, v in children.items()}, things=tuple(nodes),
                 critical=critical)


# ---------------------------------------------------------------------------------------------
# the fixpoint
def _option_value(o: Option, value: dict) -> int | None:
    m = 0
    for r in o.reqs:
        v = value.get(r)
        if v is None:
            return None
        if v > m:
            m = v
    if o.direct:
        return m
    return (((m >> 1) + o.wait) << 1) | 1


def _solve(g: Graph, base: dict, affected: set, queue, lost: frozenset, restorable: frozenset,
           down: frozenset) -> dict:
    """Worklist fixpoint over the ``affected`` nodes; every other node keeps its ``base`` value.

    Returns the fresh values of the affected nodes that can be reached.
    """
    options = g.options
    restore = g.restore
    dependents = g.dependents
    fresh: dict[str, int] = {}
    queued = set(queue)
    queue = deque(queue)
    while queue:
        n = queue.popleft()
        queued.discard(n)
        if n in down:
            continue
        opts = options.get(n)
        if opts is None:
            if n not in restorable:
                continue
            opts = restore[n]
        best = fresh.get(n)
        improved = False
        for o in opts:
            m = 0
            for r in o.reqs:
                v = fresh.get(r) if r in affected else base.get(r)
                if v is None:
                    break
                if v > m:
                    m = v
            else:
                v = m if o.direct else ((((m >> 1) + o.wait) << 1) | 1)
                if best is None or v < best:
                    best = v
                    improved = True
        if improved:
            fresh[n] = best
            for d in dependents.get(n, ()):
                if d not in queued and d in affected:
                    queued.add(d)
                    queue.append(d)
    return fresh


def baseline_values(g: Graph) -> dict:
    value = {t: 0 for t in g.things}
    accounts = [a.id for a in g.plan.accounts]
    value.update(_solve(g, value, set(accounts), accounts, frozenset(), frozenset(), frozenset()))
    return value


def supports(g: Graph, base: dict) -> dict:
    """For every reachable account, the requirement sets of its *well-founded* optimal options.

    A Horn-style propagation from the things finalises each account the moment one of its
    optimal options has all its requirements finalised; an option supports an account when
    it is optimal and all its requirements were finalised before it. If a loss leaves one
    support untouched, the account keeps its baseline value (losing things only makes values
    worse, and that support still achieves the old one), so it need not be recomputed.
    """
    fin = dict.fromkeys(g.things, 0)
    candidates: dict[str, list[Option]] = {}
    waiting: dict[str, list[list]] = {}
    ready: deque[str] = deque()
    for owner, opts in g.options.items():
        v = base.get(owner)
        if v is None:
            continue
        best = [o for o in opts if _option_value(o, base) == v]
        candidates[owner] = best
        for o in best:
            missing = [r for r in o.reqs if r not in fin]
            if not missing:
                ready.append(owner)
            else:
                slot = [owner, len(missing)]
                for r in missing:
                    waiting.setdefault(r, []).append(slot)
    counter = 1
    while ready:
        n = ready.popleft()
        if n in fin:
            continue
        fin[n] = counter
        counter += 1
        for slot in waiting.get(n, ()):
            slot[1] -= 1
            if slot[1] == 0 and slot[0] not in fin:
                ready.append(slot[0])
    out = Supports()
    for owner, best in candidates.items():
        k = fin.get(owner)
        if k is not None:
            out[owner] = tuple(o.reqs for o in best if all(fin.get(r, counter) < k for r in o.reqs))
    out.order = sorted(out, key=fin.__getitem__)
    out.rank = {a: i for i, a in enumerate(out.order)}
    return out


class Supports(dict):
    """account -> its supports (requirement tuples); ``order`` lists accounts so that every
    support's requirements come before the account."""
    order: list
    rank: dict


def must_lose(g: Graph, sup: Supports, only: set | None = None) -> dict:
    """For every reachable account, the things whose loss *could* take away all its supports
    (a necessary condition, computed in support order): only those can be single points of
    failure, so only those need simulating."""
    parent = {c: p for p, kids in g.children.items() for c in kids}
    must: dict[str, frozenset] = {}

    def thing_must(t: str) -> frozenset:
        m = must.get(t)
        if m is None:
            chain = [t]
            while chain[-1] in parent:
                chain.append(parent[chain[-1]])
            m = must[t] = frozenset(chain)
        return m

    for a in sup.order:
        if only is not None and a not in only:
            continue
        sets = []
        for reqs in sup[a]:
            u: set = set()
            for r in reqs:
                u |= must[r] if r in g.options else thing_must(r)
            sets.append(u)
        must[a] = frozenset(set.intersection(*sets)) if sets else frozenset()
    return must


def _affected(g: Graph, start, sup: dict, within: set | None = None) -> set:
    """Nodes whose value may change after losing ``start``: those left with no intact support."""
    affected = set(start)
    stack = list(start)
    deps = g.dependents
    while stack:
        for d in deps.get(stack.pop(), ()):
            if d in affected or (within is not None and d not in within):
                continue
            s = sup.get(d)
            if s is None:
                continue        # unreachable already, or a thing that is not lost
            for reqs in s:
                for r in reqs:
                    if r in affected:
                        break
                else:
                    break       # this support is intact
            else:
                affected.add(d)
                stack.append(d)
    return affected


def _closure(g: Graph, seeds) -> set:
    """Things lost along with the seeds (numbers, apps, files and passkeys on them)."""
    lost = set(seeds)
    stack = list(seeds)
    while stack:
        for c in g.children.get(stack.pop(), ()):
            if c not in lost:
                lost.add(c)
                stack.append(c)
    return lost


def _downstream(g: Graph, start, within: set | None = None) -> set:
    """Every node whose value may change when ``start`` is lost (optionally only inside ``within``)."""
    seen = set(start)
    stack = list(start)
    deps = g.dependents
    options = g.options
    while stack:
        for d in deps.get(stack.pop(), ()):
            # a thing is only recomputed when it is itself lost (then it is in start)
            if d not in seen and d in options and (within is None or d in within):
                seen.add(d)
                stack.append(d)
    return seen


def _upstream(g: Graph, targets) -> set:
    """Every node the ``targets`` may (transitively) need, themselves included."""
    needs: dict[str, set[str]] = {}
    for owner, opts in list(g.options.items()) + list(g.restore.items()):
        needs[owner] = {r for o in opts for r in o.reqs}
    seen = set(targets)
    stack = list(targets)
    while stack:
        for r in needs.get(stack.pop(), ()):
            if r not in seen:
                seen.add(r)
                stack.append(r)
    return seen


def _loss_fresh(g: Graph, base: dict, lost: set, down=frozenset(), no_restore=frozenset(), within=None,
                sup: dict | None = None):
    start = set(lost) | set(down)
    affected = _downstream(g, start, within) if sup is None else _affected(g, start, sup, within)
    restorable = frozenset(t for t in lost if t in g.restore and t not in no_restore)
    if sup is None:
        queue = sorted(n for n in affected if n in g.options or n in restorable)
    else:   # restorable things first, then accounts in support order: few re-evaluations
        rank = sup.rank
        queue = sorted(restorable) + sorted((n for n in affected if n in g.options),
                                            key=lambda n: (rank.get(n, len(rank)), n))
    return affected, _solve(g, base, affected, queue, frozenset(lost), restorable, frozenset(down))


def solve_loss(g: Graph, base: dict, lost: set, down: frozenset = frozenset(),
               no_restore: frozenset = frozenset(), sup: dict | None = None) -> dict:
    """Values after losing ``lost`` things and ``down`` accounts, recomputed from the baseline
    (only for nodes downstream of the loss; with ``sup``, only those left without a support)."""
    affected, fresh = _loss_fresh(g, base, lost, down, no_restore, sup=sup)
    value = {k: v for k, v in base.items() if k not in affected}
    value.update(fresh)
    return value


# ---------------------------------------------------------------------------------------------
# reading results
def best_option(g: Graph, node: str, value: dict) -> tuple[int, Option] | None:
    """The quickest way in; ties go to the route rank, then via, then requirements (never list order)."""
    opts = g.options.get(node) or g.restore.get(node, ())
    best = None
    best_v = 0
    for o in opts:
        m = 0
        for r in o.reqs:
            v = value.get(r)
            if v is None:
                break
            if v > m:
                m = v
        else:
            v = m if o.direct else ((((m >> 1) + o.wait) << 1) | 1)
            if (best is None or v < best_v
                    or (v == best_v and (ROUTE_RANK[o.route], o.via or "", o.reqs)
                        < (ROUTE_RANK[best.route], best.via or "", best.reqs))):
                best, best_v = o, v
    return None if best is None else (best_v, best)


def _outcome(g: Graph, node: str, value: dict) -> Outcome:
    v, o = best_option(g, node, value)
    via = o.via
    if o.direct:
        # signing in again once something it needs is back: name the slowest requirement
        slow = sorted((r for r in o.reqs if value[r] > 0), key=lambda r: (-value[r], r))
        via = slow[0] if slow else None
    return Outcome(node, o.route, via, v >> 1)


class _View:
    """Values after a loss without copying the baseline: recomputed nodes come from ``fresh``,
    every other node keeps its baseline value."""
    __slots__ = ("base", "affected", "fresh")

    def __init__(self, base: dict, affected: set, fresh: dict):
        self.base, self.affected, self.fresh = base, affected, fresh

    def get(self, key, default=None):
        return (self.fresh if key in self.affected else self.base).get(key, default)

    def __getitem__(self, key):
        return (self.fresh if key in self.affected else self.base)[key]

    def __contains__(self, key) -> bool:
        return key in (self.fresh if key in self.affected else self.base)


def _result(g: Graph, sid: str, title: str, base: dict, variants, lost, down=frozenset()) -> ScenarioResult:
    """``variants``: a :class:`_View` and the restorable things for each way the loss can happen
    (one phone or key at a time); each account gets its worst outcome across them. Only accounts
    a variant recomputed can differ from the baseline, so only those are compared."""
    worst: dict[str, tuple] = {}
    for i, (view, _) in enumerate(variants):
        fresh = view.fresh
        for a in view.affected:
            if a not in g.options or a in down:
                continue
            v = fresh.get(a)
            cur = worst.get(a)
            if cur is None or (cur[0] is not None and (v is None or v > cur[0])):
                worst[a] = (v, i)
    accessible, recovered, locked = [], [], []
    for a in g.options:           # already in id order
        if a in down:
            continue
        if a in worst:
            v, i = worst[a]
            view = variants[i][0]
        else:
            v, view = base.get(a), base
        if v is None:
            locked.append(a)
        elif v == 0:
            accessible.append(a)
        else:
            recovered.append(_outcome(g, a, view))
    restored: dict[str, Outcome] = {}
    for view, restorable in variants:
        for t in sorted(restorable):
            if t in view:
                o = _outcome(g, t, view)
                if t not in restored or o.wait_days > restored[t].wait_days:
                    restored[t] = o
    shown_lost = sorted(x for x in lost if not x.endswith(KEYS))
    return ScenarioResult(sid, title, tuple(shown_lost), tuple(accessible), tuple(recovered), tuple(locked),
                          tuple(restored[t] for t in sorted(restored)), len(variants) > 1)


ONE_AT_A_TIME = ("phone-lost", "phone-reset", "key-lost")


def scenario_variants(plan: Plan, sid: str) -> list[tuple[set, frozenset, frozenset]]:
    """The ways a scenario can happen. Losing *a* phone or *a* key is simulated for each carried
    phone or key on its own (a family plan does not lose every phone at once); the other
    scenarios happen all at once."""
    seeds, down, no_restore = scenario_loss(plan, sid)
    if sid not in ONE_AT_A_TIME:
        return [(seeds, down, no_restore)]
    if sid == "phone-reset":
        by_phone: dict[str, set] = {}
        for x in seeds:
            phone = x[:-len(KEYS)] if x.endswith(KEYS) else plan.thing(x).on
            by_phone.setdefault(phone, set()).add(x)
        groups = [by_phone[p] for p in sorted(by_phone)]
    else:
        groups = [{x} for x in sorted(seeds)]
    return [(grp, down, no_restore) for grp in groups] or [(set(), down, no_restore)]


def scenario_loss(plan: Plan, sid: str) -> tuple[set, frozenset, frozenset]:
    """(seed things lost, accounts down, things that cannot come back) for a scenario id."""
    things = plan.things
    carried = {t.id for t in things if plan.location(t.id) is Location.CARRIED}

    def physical(t) -> bool:
        return t.type in PHYSICAL or (t.type is ThingType.CODE_STORE and t.kind in PHYSICAL_STORES)

    if sid == "phone-lost":
        return {t.id for t in things if t.type is ThingType.PHONE and t.id in carried}, frozenset(), frozenset()
    if sid == "phone-reset":
        phones = {t.id for t in things if t.type is ThingType.PHONE and t.id in carried}
        wiped = {t.id for t in things if t.on in phones and t.type is not ThingType.PHONE_NUMBER}
        return wiped | {p + KEYS for p in phones}, frozenset(), frozenset()
    if sid == "number-lost":
        nums = {t.id for t in things if t.type is ThingType.PHONE_NUMBER}
        return nums, frozenset(), frozenset(nums)
    if sid == "key-lost":
        return ({t.id for t in things if t.type is ThingType.SECURITY_KEY and t.id in carried},
                frozenset(), frozenset())
    if sid == "password-manager-unavailable":
        return set(), frozenset(a.id for a in plan.accounts if a.kind is AccountKind.PASSWORD_MANAGER), frozenset()
    if sid == "home-lost":
        return ({t.id for t in things if physical(t) and plan.location(t.id) is Location.HOME},
                frozenset(), frozenset())
    if sid == "travelling":
        away = {t.id for t in things if physical(t) and t.id not in carried}
        return away, frozenset(), frozenset(t.id for t in things)
    raise KeyError(sid)


def _spof_chains(g: Graph, thing: str, targets, value) -> tuple[tuple[str, ...], ...]:
    """Shortest paths thing -> ... -> each target account, through the things on it and the
    dependents that became unreachable (one breadth-first search for all targets)."""
    prev = {thing: None}
    q = deque([thing])
    while q:
        n = q.popleft()
        for d in tuple(g.children.get(n, ())) + tuple(g.dependents.get(n, ())):
            if d not in prev and d not in value:
                prev[d] = n
                q.append(d)
    chains = []
    for target in targets:
        path = []
        n = target
        while n is not None:
            if not n.endswith(KEYS):
                path.append(n)
            n = prev.get(n)
        chains.append(tuple(reversed(path)))
    return tuple(chains)


def single_points(g: Graph, base: dict, sup: Supports | None = None) -> tuple[SinglePoint, ...]:
    """Things whose loss alone locks you out of a critical account (only candidate things are
    simulated, and only what critical accounts need is recomputed)."""
    reachable_critical = {a for a in g.critical if a in base}
    if not reachable_critical:
        return ()
    needed = _upstream(g, reachable_critical)
    candidates = None
    if sup is not None:
        must = must_lose(g, sup, needed)
        candidates = set().union(*(must[a] for a in reachable_critical))
    out = []
    for t in g.plan.things:
        if candidates is not None and t.id not in candidates:
            continue
        lost = _closure(g, {t.id})
        if needed.isdisjoint(lost):
            continue
        no_restore = frozenset({t.id}) if t.type is ThingType.PHONE_NUMBER else frozenset()
        affected, fresh = _loss_fresh(g, base, lost, no_restore=no_restore, within=needed, sup=sup)
        hit = sorted(a for a in reachable_critical & affected if a not in fresh)
        if hit:
            value = {k: v for k, v in base.items() if k not in affected}
            value.update(fresh)
            out.append(SinglePoint(t.id, tuple(hit), _spof_chains(g, t.id, hit, value)))
    return tuple(sorted(out, key=lambda s: s.thing))


def _blocked_edges(g: Graph, locked: set, value: dict, restorable=frozenset()) -> dict:
    """A -> B when some way into A lacks nothing but locked-out accounts (B among them).

    A lost thing whose only way back needs a locked-out account (an authenticator app
    restored from a cloud backup in the account it protects) is a node too, so such
    loops are found.
    """
    edges: dict[str, set[str]] = {}
    for t in restorable:
        if t in value:
            continue
        for o in g.restore[t]:
            missing = [r for r in o.reqs if r not in value]
            if missing and all(r in locked for r in missing):
                edges.setdefault(t, set()).update(missing)
    for a in locked:
        for o in g.options[a]:
            missing = [r for r in o.reqs if r not in value]
            if missing and all(r in locked or (r in edges and r not in locked) for r in missing):
                edges.setdefault(a, set()).update(missing)
    return edges


def _sccs(nodes, edges) -> list[list[str]]:
    """Tarjan's strongly connected components, iterative, deterministic order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            n, it = work[-1]
            advanced = False
            for m in it:
                if m not in index:
                    index[m] = low[m] = counter
                    counter += 1
                    stack.append(m)
                    on_stack.add(m)
                    work.append((m, iter(sorted(edges.get(m, ())))))
                    advanced = True
                    break
                if m in on_stack:
                    low[n] = min(low[n], index[m])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[n])
            if low[n] == index[n]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == n:
                        break
                out.append(sorted(comp))
    return out


def _cycle_chain(comp: list[str], edges: dict) -> tuple[str, ...]:
    """The shortest way round the component, starting and ending at its first id."""
    start = comp[0]
    if len(comp) == 1:
        return (start, start)
    members = set(comp)
    prev: dict[str, str | None] = {start: None}
    q = deque([start])
    while q:
        n = q.popleft()
        for m in sorted(edges.get(n, ())):
            if m == start:
                path = []
                x: str | None = n
                while x is not None:
                    path.append(x)
                    x = prev[x]
                return tuple(reversed(path)) + (start,)
            if m in members and m not in prev:
                prev[m] = n
                q.append(m)
    return tuple(comp) + (start,)


def find_cycles(g: Graph, results) -> tuple[Cycle, ...]:
    """``results``: (scenario id, locked-out accounts, values, restorable things) per scenario."""
    found: dict[tuple[str, ...], tuple[tuple[str, ...], list[str]]] = {}
    for sid, locked, value, restorable in results:
        if not locked:
            continue
        edges = _blocked_edges(g, locked, value, restorable)
        for comp in _sccs(set(locked) | set(edges), edges):
            if len(comp) == 1 and comp[0] not in edges.get(comp[0], ()):
                continue
            accounts = tuple(x for x in comp if x in locked)
            if not accounts:
                continue
            if accounts not in found:
                ordered = [accounts[0]] + [x for x in comp if x != accounts[0]]
                found[accounts] = (_cycle_chain(ordered, edges), [])
            if sid not in found[accounts][1]:
                found[accounts][1].append(sid)
    return tuple(Cycle(k, chain, tuple(s)) for k, (chain, s) in sorted(found.items()))


def analyse(plan: Plan) -> Analysis:
    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    baseline = _result(g, "baseline", "Nothing lost", base, [(_View(base, set(), {}), frozenset())], ())
    results = []
    base_locked = set(baseline.locked_out)
    cyc_input = [("baseline", base_locked, base, frozenset())]
    for sid, title in SCENARIOS:
        variants = []
        all_lost: set = set()
        for seeds, down, no_restore in scenario_variants(plan, sid):
            lost = _closure(g, seeds)
            affected, fresh = _loss_fresh(g, base, lost, down, no_restore, sup=sup)
            view = _View(base, affected, fresh)
            restorable = frozenset(t for t in lost if t in g.restore and t not in no_restore)
            variants.append((view, restorable))
            all_lost |= lost | set(down)
            locked = base_locked | {a for a in affected if a in g.options and a not in fresh and a not in down}
            cyc_input.append((sid, locked, view, restorable))
        results.append(_result(g, sid, title, base, variants, all_lost, down))
    return Analysis(graph=g, baseline=baseline, scenarios=tuple(results),
                    single_points=single_points(g, base, sup), cycles=find_cycles(g, cyc_input))
