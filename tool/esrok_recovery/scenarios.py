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


@dataclass(frozen=True)
class Option:
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


@dataclass(frozen=True)
class Outcome:
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

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "lost": list(self.lost),
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
    pw = [m for m in account.sign_in if m.type is SignInType.PASSWORD]
    passkeys = [m for m in account.sign_in if m.type is SignInType.PASSKEY]
    seconds = [m for m in account.sign_in if m.type in SECOND_FACTORS]
    pw_reqs = sorted({(m.via,) if m.via else () for m in pw}) or [()]
    opts: set[Option] = set()
    for m in passkeys:
        opts.add(Option("sign-in", None, 0, (_method_node(plan, m),), True))
    if seconds:
        for p in pw_reqs:
            for m in seconds:
                opts.add(Option("sign-in", None, 0, tuple(sorted(set(p + (_method_node(plan, m),)))), True))
    elif pw:
        for p in pw_reqs:
            opts.add(Option("sign-in", None, 0, p, True))
    codes = account.backup_codes
    if (codes and codes.generated and codes.stored_in and codes.remaining != 0
            and (seconds or passkeys)):
        for p in pw_reqs:
            for s in codes.stored_in:
                node = _store_node(plan, s)
                opts.add(Option("backup codes", s, 0, tuple(sorted(set(p + (node,)))), False))
    for r in account.recovery:
        if r.type is RecoveryType.RECOVERY_EMAIL and r.via and not r.dead:
            opts.add(Option("recovery email", r.via, ROUTE_WAIT["recovery email"], (r.via,), False))
        elif r.type is RecoveryType.RECOVERY_PHONE and r.on:
            opts.add(Option("recovery phone", r.on, ROUTE_WAIT["recovery phone"], (r.on,), False))
        elif r.type is RecoveryType.RECOVERY_CONTACT and r.on:
            opts.add(Option("recovery contact", r.on, ROUTE_WAIT["recovery contact"], (r.on,), False))
        elif r.type is RecoveryType.SUPPORT:
            opts.add(Option("support", None, r.wait_days, (), False))
        # security questions are deliberately not a way in (see rule security-questions).
    return tuple(sorted(opts, key=lambda o: (o.rank, o.wait, o.via or "", o.reqs)))


def compile_plan(plan: Plan) -> Graph:
    options = {a.id: account_options(plan, a) for a in plan.accounts}
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


def _solve(g: Graph, value: dict, queue, lost: frozenset, restorable: frozenset, down: frozenset) -> dict:
    options = g.options
    restore = g.restore
    dependents = g.dependents
    queued = set(queue)
    queue = deque(queue)
    while queue:
        n = queue.popleft()
        queued.discard(n)
        if n in down:
            continue
        opts = options.get(n)
        if opts is None:
            if n not in lost or n not in restorable:
                continue
            opts = restore[n]
        best = value.get(n)
        improved = False
        for o in opts:
            m = 0
            ok = True
            for r in o.reqs:
                v = value.get(r)
                if v is None:
                    ok = False
                    break
                if v > m:
                    m = v
            if not ok:
                continue
            v = m if o.direct else ((((m >> 1) + o.wait) << 1) | 1)
            if best is None or v < best:
                best = v
                improved = True
        if improved:
            value[n] = best
            for d in dependents.get(n, ()):
                if d not in queued:
                    queued.add(d)
                    queue.append(d)
    return value


def baseline_values(g: Graph) -> dict:
    value = {t: 0 for t in g.things}
    return _solve(g, value, [a.id for a in g.plan.accounts], frozenset(), frozenset(), frozenset())


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


def _downstream(g: Graph, start) -> set:
    seen = set(start)
    stack = list(start)
    deps = g.dependents
    while stack:
        for d in deps.get(stack.pop(), ()):
            if d not in seen:
                seen.add(d)
                stack.append(d)
    return seen


def solve_loss(g: Graph, base: dict, lost: set, down: frozenset = frozenset(),
               no_restore: frozenset = frozenset()) -> dict:
    """Values after losing ``lost`` things and ``down`` accounts, recomputed from the baseline."""
    affected = _downstream(g, set(lost) | set(down))
    value = {k: v for k, v in base.items() if k not in affected}
    restorable = frozenset(t for t in lost if t in g.restore and t not in no_restore)
    queue = sorted(n for n in affected if n in g.options or n in restorable)
    return _solve(g, value, queue, frozenset(lost), restorable, frozenset(down))


# ---------------------------------------------------------------------------------------------
# reading results
def best_option(g: Graph, node: str, value: dict) -> tuple[int, Option] | None:
    opts = g.options.get(node) or g.restore.get(node, ())
    best = None
    for o in opts:
        v = _option_value(o, value)
        if v is None:
            continue
        key = (v, o.rank, o.via or "", o.reqs)
        if best is None or key < best[0]:
            best = (key, o)
    return None if best is None else (best[0][0], best[1])


def _outcome(g: Graph, node: str, value: dict) -> Outcome:
    v, o = best_option(g, node, value)
    via = o.via
    if o.direct:
        # signing in again once something it needs is back: name the slowest requirement
        slow = sorted((r for r in o.reqs if value[r] > 0), key=lambda r: (-value[r], r))
        via = slow[0] if slow else None
    return Outcome(node, o.route, via, v >> 1)


def _result(g: Graph, sid: str, title: str, value: dict, lost, restorable=frozenset(),
            down=frozenset()) -> ScenarioResult:
    accessible, recovered, locked = [], [], []
    for a in sorted(g.options):
        if a in down:
            continue
        v = value.get(a)
        if v is None:
            locked.append(a)
        elif v == 0:
            accessible.append(a)
        else:
            recovered.append(_outcome(g, a, value))
    restored = tuple(_outcome(g, t, value) for t in sorted(restorable) if t in value)
    shown_lost = sorted(x for x in lost if not x.endswith(KEYS))
    return ScenarioResult(sid, title, tuple(shown_lost), tuple(accessible), tuple(recovered), tuple(locked),
                          restored)


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


def _spof_chain(g: Graph, thing: str, target: str, value: dict) -> tuple[str, ...]:
    """Shortest path thing -> ... -> account through things on it and unreachable dependents."""
    prev = {thing: None}
    q = deque([thing])
    while q:
        n = q.popleft()
        if n == target:
            break
        for d in tuple(g.children.get(n, ())) + tuple(g.dependents.get(n, ())):
            if d not in prev and d not in value:
                prev[d] = n
                q.append(d)
    path = []
    n = target
    while n is not None:
        if not n.endswith(KEYS):
            path.append(n)
        n = prev.get(n)
    return tuple(reversed(path))


def single_points(g: Graph, base: dict) -> tuple[SinglePoint, ...]:
    out = []
    if not g.critical:
        return ()
    plan = g.plan
    reachable_critical = {a for a in g.critical if a in base}
    for t in plan.things:
        if t.type is ThingType.CODE_STORE and t.kind is StoreKind.PASSWORD_MANAGER:
            continue
        lost = _closure(g, {t.id})
        affected = _downstream(g, lost)
        if not (affected & reachable_critical):
            continue
        no_restore = frozenset({t.id}) if t.type is ThingType.PHONE_NUMBER else frozenset()
        value = solve_loss(g, base, lost, no_restore=no_restore)
        hit = sorted(a for a in reachable_critical & affected if a not in value)
        if hit:
            out.append(SinglePoint(t.id, tuple(hit), tuple(_spof_chain(g, t.id, a, value) for a in hit)))
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
            found[accounts][1].append(sid)
    return tuple(Cycle(k, chain, tuple(s)) for k, (chain, s) in sorted(found.items()))


def analyse(plan: Plan) -> Analysis:
    g = compile_plan(plan)
    base = baseline_values(g)
    baseline = _result(g, "baseline", "Nothing lost", base, ())
    results = []
    cyc_input = [("baseline", set(baseline.locked_out), base, frozenset())]
    for sid, title in SCENARIOS:
        seeds, down, no_restore = scenario_loss(plan, sid)
        lost = _closure(g, seeds)
        value = solve_loss(g, base, lost, down, no_restore)
        restorable = frozenset(t for t in lost if t in g.restore and t not in no_restore)
        res = _result(g, sid, title, value, lost | set(down), restorable, down)
        results.append(res)
        cyc_input.append((sid, set(res.locked_out), value, restorable))
    return Analysis(graph=g, baseline=baseline, scenarios=tuple(results),
                    single_points=single_points(g, base), cycles=find_cycles(g, cyc_input))
