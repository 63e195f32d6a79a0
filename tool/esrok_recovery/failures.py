"""Failure finding: single points of failure and recovery loops.

A *single point of failure* is one thing whose loss alone locks you out (no way back,
or a wait of :data:`~.model.LOCKOUT_DAYS` days or more) of an account that counts as
critical. Only things some scenario can lose are candidates, so every single point
shows up, with its scenario, in the loss results. Candidates are pruned with the
supports (a thing that leaves one optimal way in intact cannot change anything) and by
the scenario results (a wider loss that leaves every possible victim in rules a thing
out); a scenario variant that lost exactly the same is reused as it is; the rest are
solved together where they cannot interact. Each simulation is a
:class:`~.solver.View` over the baseline: nothing is copied per candidate.

A *loop* is a set of accounts that can only come back through each other.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .graph import KEYS, Graph
from .model import LOCKOUT_DAYS, ThingType
from .scenarios import is_lockout
from .solver import Supports, apart, closure, loss, upstream


@dataclass(frozen=True)
class SinglePoint:
    thing: str
    accounts: tuple[str, ...]
    chains: tuple[tuple[str, ...], ...]     # one per account, same order
    scenarios: tuple[str, ...]              # one per account: the first scenario that shows the lockout

    def chain_to(self, account: str) -> tuple[str, ...]:
        return self.chains[self.accounts.index(account)]

    def scenario_for(self, account: str) -> str:
        return self.scenarios[self.accounts.index(account)]


@dataclass(frozen=True)
class Cycle:
    accounts: tuple[str, ...]
    chain: tuple[str, ...]
    scenarios: tuple[str, ...]


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


def _chains(g: Graph, thing: str, targets, view, within=None) -> tuple[tuple[str, ...], ...]:
    """Shortest paths thing -> ... -> each target account, through the things on it and the
    accounts it locks out (one breadth-first search for all targets). With ``within``, an
    account outside it counts with its baseline value, as in a loss solved ``within`` it."""
    prev = {thing: None}
    q = deque([thing])
    lost = view.lost
    options = g.options
    children, dependents = g.children, g.dependents
    base = view.base
    while q:
        n = q.popleft()
        for d in children.get(n, ()) + dependents.get(n, ()):
            if d in prev:
                continue
            if d in lost or (d in options and is_lockout(view.get(d) if within is None or d in within
                                                         else base.get(d))):
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


def _left_in(wider: list, kept: set, accounts: list) -> bool:
    """Whether some wider loss (a variant's view) that cannot restore anything in ``kept``
    leaves every one of ``accounts`` in (not locked out)."""
    for w in wider:
        if w is None or not kept.isdisjoint(w.restorable):
            continue
        affected, fresh, base = w.affected, w.fresh, w.base
        for a in accounts:
            v = fresh.get(a) if a in affected else base.get(a)      # w.get(a), without the method call
            if v is None or (v & 1 and (v >> 1) >= LOCKOUT_DAYS):   # is_lockout(v), inlined
                break
        else:
            return True
    return False


def _same_loss(wider: list, lost: set, kept: set):
    """The view of a variant that lost exactly ``lost`` (it holds the thing, so it holds all of
    ``lost``: the same size is enough), with nothing unavailable and exactly the rest restorable."""
    for w in wider:
        if (w is not None and not w.down and len(w.lost) == len(lost)
                and len(w.restorable) == len(lost) - len(kept) and kept.isdisjoint(w.restorable)):
            return w
    return None


def single_points(g: Graph, base: dict, sup: Supports, scenarios, views: dict | None = None
                  ) -> tuple[SinglePoint, ...]:
    """Things whose loss alone locks you out of an account that counts as critical.

    ``views`` (scenario id -> the views of its variants, as :func:`~.scenarios.analyse` keeps
    them) spare most simulations: a variant that lost exactly what the thing takes with it,
    nothing unavailable and the same things restorable *is* that loss (a phone or a key lost
    one at a time); and a variant that lost at least that, with nothing restorable that the
    thing's loss cannot restore, is no better for any account, so an account it leaves in
    cannot be locked out by the thing alone.
    """
    reachable = {a for a in g.critical if not is_lockout(base.get(a))}
    if not reachable:
        return ()
    needed = upstream(g, reachable)
    must = must_lose(g, sup, needed)
    victims: dict[str, list] = {}           # thing -> the reachable accounts it might lock out
    for a in reachable:
        for x in must[a]:
            v = victims.get(x)
            if v is None:
                victims[x] = [a]
            else:
                v.append(a)
    lost_in: dict[str, list] = {}           # candidate -> the scenarios (in order) where some variant loses it
    wider: dict[str, list] = {}             # candidate -> the views of the variants that lose it
    candidates = victims.keys()
    for s in scenarios:
        variants = views.get(s.id) if views is not None else None
        for i, lost in enumerate(s.losses):
            view = variants[i] if variants else None
            for x in candidates & lost:
                seen = lost_in.get(x)
                if seen is None:
                    lost_in[x] = [s]
                    wider[x] = [view]
                else:
                    if seen[-1] is not s:
                        seen.append(s)
                    wider[x].append(view)
    restore, children = g.restore, g.children
    todo = []                               # (thing, its view or None, read within needed?)
    alone: dict[bool, list] = {True: [], False: []}     # to simulate: numbers (not restored), others
    for t in g.plan.things:
        tid = t.id
        wide = wider.get(tid)
        if wide is None:
            continue
        lost = closure(g, (tid,)) if tid in children else {tid}
        if needed.isdisjoint(lost):
            continue
        number = t.type is ThingType.PHONE_NUMBER
        kept = {x for x in lost if x not in restore or (number and x == tid)}     # what cannot come back
        if _left_in(wide, kept, victims[tid]):
            continue
        view = _same_loss(wide, lost, kept)
        todo.append([tid, view, view is not None])
        if view is None:
            alone[number].append(todo[-1])
    for number, items in alone.items():
        together = apart(g, base, sup, [(item[0],) for item in items],
                         frozenset(item[0] for item in items) if number else frozenset()) if len(items) > 1 else None
        for i, item in enumerate(items):
            if together is not None:
                item[1], item[2] = together[0][i], True     # solved everywhere: read within needed
            else:
                tid = item[0]
                item[1] = loss(g, base, sup, closure(g, (tid,)), no_restore=frozenset({tid}) if number else frozenset(),
                               within=needed)
    out = []
    for tid, view, wide_view in todo:
        fresh = view.fresh
        hit = sorted(a for a in reachable & view.affected if is_lockout(fresh.get(a)))
        if not hit:
            continue
        where = []
        places = lost_in[tid]
        for a in hit:
            where.append(next((s.id for s in places if s.outcome(a).locked), ""))
        out.append(SinglePoint(tid, tuple(hit), _chains(g, tid, hit, view, needed if wide_view else None),
                               tuple(where)))
    return tuple(out)


def _blocked_edges(g: Graph, locked: set, value, restorable=frozenset()) -> dict:
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


def find_cycles(g: Graph, base: dict, views: dict) -> tuple[Cycle, ...]:
    """Loops of accounts with no way back except through each other, today or in a scenario."""
    accounts = g.options
    base_locked = {a for a in accounts if base.get(a) is None}
    runs = [("baseline", base_locked, base, frozenset())]
    for sid, variants in views.items():
        for view in variants:
            fresh, down = view.fresh, view.down
            new = [a for a in view.affected if a in accounts and a not in fresh and a not in down]
            if not new and not base_locked:
                continue                # nothing locked, no loop (most variants)
            locked = (base_locked - down).union(new)
            runs.append((sid, locked, view, view.restorable))
    found: dict[tuple[str, ...], tuple[tuple[str, ...], list[str]]] = {}
    for sid, locked, value, restorable in runs:
        if not locked:
            continue
        edges = _blocked_edges(g, locked, value, restorable)
        for comp in _sccs(set(locked) | set(edges), edges):
            if len(comp) == 1 and comp[0] not in edges.get(comp[0], ()):
                continue
            members = tuple(x for x in comp if x in locked)
            if not members:
                continue
            if members not in found:
                ordered = [members[0]] + [x for x in comp if x != members[0]]
                found[members] = (_cycle_chain(ordered, edges), [])
            if sid not in found[members][1]:
                found[members][1].append(sid)
    return tuple(Cycle(k, chain, tuple(s)) for k, (chain, s) in sorted(found.items()))
