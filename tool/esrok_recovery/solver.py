"""The solver: which nodes can be reached, how, and after how long.

Reachability is the least fixpoint of

    value(node) = min over options of  combine(max(value(req) for req in option))

computed with a worklist. A value encodes both the wait and whether the way in is
direct: 0 = you can sign in right now; 2*w+1 = you get in after ``w`` days through at
least one recovery or restoration step. The encoding is monotone, so the fixpoint is
exact and order-independent. Losses are solved incrementally from the baseline
(nothing lost): only nodes downstream of what was lost are recomputed, and a result is
a :class:`View` over the baseline, never a copy of it. Accounts nothing depends on are
valued once, after the rest (:func:`settle`), and one-at-a-time losses that cannot
interact (a phone each) are solved in one pass (:func:`apart`).
"""
from __future__ import annotations

from collections import deque

from .graph import KEYS, Graph, Option


def option_value(o: Option, value) -> int | None:
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


def solve(g: Graph, base, affected: set, queue, restorable: frozenset = frozenset(),
          down: frozenset = frozenset()) -> dict:
    """Worklist fixpoint over the ``affected`` nodes; every other node keeps its ``base`` value.

    Returns the fresh values of the affected nodes that can be reached.
    """
    options = g.options
    restore = g.restore
    deps = g.dependents.get
    fresh: dict[str, int] = {}
    fget = fresh.get
    bget = base.get
    queued = set(queue)
    discard = queued.discard
    queue = deque(queue)
    pop = queue.popleft
    push = queue.append
    while queue:
        n = pop()
        discard(n)
        if n in down:
            continue
        opts = options.get(n)
        if opts is None:
            if n not in restorable:
                continue
            opts = restore[n]
        best = fget(n)
        m = least(opts, fget, affected, bget)
        if m is not None and (best is None or m < best):
            fresh[n] = m
            for d in deps(n, ()):
                if d not in queued and d in affected:
                    queued.add(d)
                    push(d)
    return fresh


def baseline_values(g: Graph) -> dict:
    value = dict.fromkeys(g.things, 0)
    deps = g.dependents
    needed = [a for a in g.options if a in deps]
    value.update(solve(g, value, set(needed), needed))
    settle(g, value, (), value, [a for a in g.options if a not in deps], value)
    return value


def settle(g: Graph, fresh: dict, affected, base, leaves, into: dict, down=frozenset()) -> None:
    """Put into ``into`` the values of ``leaves``: accounts nothing depends on, so each is
    evaluated once, after everything it needs is final (read from ``fresh`` if ``affected``,
    else from ``base``); accounts with the very same ways in share one evaluation."""
    value_shared(g.options, leaves, fresh, affected, base, into, down)


def value_shared(options: dict, nodes, fresh: dict, affected, base, into: dict, skip=frozenset()) -> None:
    """Put into ``into`` each of ``nodes``' best value (:func:`least`), skipping ``skip``. Nodes
    whose options are one shared tuple (equal ways in, or equal ways back) are valued once."""
    fget, bget = fresh.get, base.get
    done: dict[int, int | None] = {}
    for n in nodes:
        if n in skip:
            continue
        opts = options[n]
        key = id(opts)
        if key in done:
            best = done[key]
        else:
            best = done[key] = least(opts, fget, affected, bget)
        if best is not None:
            into[n] = best


def least(opts, fget, affected, bget) -> int | None:
    """The best :func:`option_value` among ``opts``, reading a requirement from ``fget`` if it
    is in ``affected``, else from ``bget``; None if no option can be taken."""
    best = None
    for _route, _via, wait, reqs, direct in opts:
        m = 0
        for r in reqs:
            v = fget(r) if r in affected else bget(r)
            if v is None:
                break
            if v > m:
                m = v
        else:
            if not direct:
                m = (((m >> 1) + wait) << 1) | 1
            if best is None or m < best:
                best = m
    return best


class Supports(dict):
    """account -> its supports (requirement tuples); ``order`` lists accounts so that every
    support's requirements come before the account; ``rank`` numbers every account in that
    order, then the others (no support) by id, so one lookup sorts a worklist."""
    order: list
    rank: dict


def supports(g: Graph, base: dict) -> Supports:
    """For every reachable account, the requirement sets of its *well-founded* optimal options.

    A Horn-style propagation from the things finalises each account the moment one of its
    optimal options has all its requirements finalised; an option supports an account when
    it is optimal and all its requirements were finalised before it. If a loss leaves one
    support untouched, the account keeps its baseline value (losing things only makes values
    worse, and that support still achieves the old one), so it need not be recomputed.
    """
    fin = dict.fromkeys(g.things, 0)
    deps = g.dependents
    candidates: dict[str, list[Option]] = {}
    waiting: dict[str, list[list]] = {}
    ready: deque[str] = deque()
    get = base.get
    unreachable = []
    optimal: dict[int, list] = {}      # equal ways in (one tuple) have the same optimal options
    for owner, opts in g.options.items():
        v = get(owner)
        if v is None:
            unreachable.append(owner)
            continue
        best = optimal.get(id(opts))
        if best is None:
            best = optimal[id(opts)] = []
            for o in opts:
                m = 0
                for r in o[3]:
                    x = get(r)
                    if x is None:
                        break
                    if x > m:
                        m = x
                else:
                    if not o[4]:
                        m = (((m >> 1) + o[2]) << 1) | 1
                    if m == v:
                        best.append(o)
        candidates[owner] = best
        if owner not in deps:
            for o in best:
                for r in o[3]:
                    if r not in fin:
                        break
                else:
                    continue
                break
            else:
                # A leaf whose optimal ways in need only things (most accounts of some plans): each of
                # them supports it from the start and nothing waits for it, so it skips the propagation.
                # Numbered 0 like the things, it comes first in ``order``; the relative order of the
                # others does not change, and only theirs matters (worklists never hold leaves).
                fin[owner] = 0
                continue
        for o in best:
            missing = [r for r in o[3] if r not in fin]
            if not missing:
                ready.append(owner)
            else:
                slot = [owner, len(missing)]
                for r in missing:
                    w = waiting.get(r)
                    if w is None:
                        waiting[r] = [slot]
                    else:
                        w.append(slot)
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
    fget = fin.get
    for owner, best in candidates.items():
        k = fget(owner)
        if k is None:
            continue
        if k == 0:                      # a leaf supported from the start (above)
            out[owner] = tuple([o[3] for o in best])
            continue
        sup = []
        for o in best:
            for r in o[3]:
                if fget(r, counter) >= k:
                    break
            else:
                sup.append(o[3])
        out[owner] = tuple(sup)
    out.order = sorted(out, key=fin.__getitem__)
    rank = out.rank = {a: i for i, a in enumerate(out.order)}
    last = len(rank)
    for owner in candidates:            # reachable, but no well-founded support: after every ranked one
        if owner not in rank:
            unreachable.append(owner)
    for i, a in enumerate(sorted(unreachable)):
        rank[a] = last + i
    return out


def closure(g: Graph, seeds) -> set:
    """Things lost along with the seeds (numbers, apps, files and passkeys on them)."""
    lost = set(seeds)
    children = g.children
    stack = [x for x in lost if x in children]
    while stack:
        for c in children[stack.pop()]:
            if c not in lost:
                lost.add(c)
                if c in children:
                    stack.append(c)
    return lost


def affected_by(g: Graph, start, sup: dict, within: set | None = None) -> set:
    """Nodes whose value may change after losing ``start``: those left with no intact support."""
    affected = set(start)
    _spread(g, affected, sup, within)
    return affected


def _spread(g: Graph, affected: set, sup: dict, within: set | None) -> list:
    """Add to ``affected`` every node left with no intact support; return the nodes added (only
    accounts have supports) in the order found."""
    added = []
    stack = list(affected)
    deps = g.dependents.get
    sget = sup.get
    pop = stack.pop
    while stack:
        ds = deps(pop())
        if ds is None:
            continue
        for d in ds:
            if d in affected or (within is not None and d not in within):
                continue
            s = sget(d)
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
                added.append(d)
    return added


def upstream(g: Graph, targets) -> set:
    """Every node the ``targets`` may (transitively) need, themselves included."""
    seen = set(targets)
    stack = list(targets)
    options, restore = g.options, g.restore
    while stack:
        n = stack.pop()
        for o in options.get(n) or restore.get(n, ()):
            for r in o.reqs:
                if r not in seen:
                    seen.add(r)
                    stack.append(r)
    return seen


def loss(g: Graph, base: dict, sup: Supports, lost: set, down=frozenset(), no_restore=frozenset(),
         within=None) -> "View":
    """Values after losing ``lost`` things (closed under :func:`closure`) and ``down`` accounts,
    as a view over the baseline."""
    down = frozenset(down)
    if not down:
        deps, restore = g.dependents, g.restore
        for n in lost:
            if n in deps or n in restore:
                break
        else:                           # nothing needs what was lost, and none of it comes back
            lost = frozenset(lost)
            return View(base, lost, {}, frozenset(), lost, down)
    affected = set(lost)
    if down:
        accounts = [a for a in down if a not in affected]
        affected.update(down)
        accounts += _spread(g, affected, sup, within)
    else:
        accounts = _spread(g, affected, sup, within)
    restorable = g.restore.keys() & lost
    if restorable and no_restore:
        restorable -= no_restore
    restorable = frozenset(restorable)
    fresh = _values(g, base, sup, affected, accounts, restorable, down)
    return View(base, affected, fresh, restorable, frozenset(lost), down)


def _values(g: Graph, base: dict, sup: Supports, affected: set, accounts: list, restorable, down) -> dict:
    """The fresh values of the ``accounts`` and ``restorable`` things among ``affected``."""
    if not accounts and not restorable:
        return {}
    deps = g.dependents
    leaves = []                         # solved after the rest, which never reads them
    needed = []
    for a in accounts:
        (needed if a in deps else leaves).append(a)
    accounts = needed
    rank = sup.rank.__getitem__
    if len(accounts) > 1:               # worklist order (leaves are valued one by one: any order)
        accounts.sort(key=rank)
    queue = (sorted(restorable) + accounts) if restorable else accounts
    if not accounts and _settled(g, restorable, affected):
        fresh = {}                      # the restorable things need nothing affected: one pass
        value_shared(g.restore, queue, fresh, affected, base, fresh)
    elif leaves:
        fresh = solve(g, base, affected.difference(leaves), queue, restorable, down)
    else:
        fresh = solve(g, base, affected, queue, restorable, down)
    if leaves:
        settle(g, fresh, affected, base, leaves, fresh, down)
    return fresh


def apart(g: Graph, base: dict, sup: Supports, groups, no_restore=frozenset()) -> tuple[list, View] | None:
    """The views of losing each group of seeds on its own, solved in one pass, and the view of
    losing them all at once; or None when two groups might interact (see :func:`_apart`)."""
    got = _apart(g, base, sup, groups, no_restore)
    return None if got is None else got[:2]


def _apart(g: Graph, base: dict, sup: Supports, groups, no_restore=frozenset()) -> tuple | None:
    """The views of losing each group of seeds on its own (a phone, a key: one at a time), all
    solved in one pass, with the view of losing them all at once; or None when two groups might
    interact (then solve each with :func:`loss`).

    Every affected node gets the group it comes from. The groups cannot interact when no thing
    is lost by two of them and no affected node has a way in (or back) that needs a node another
    group affected: then each group affects, alone, exactly the nodes that come from it, and
    every value is the one that group alone gives. Each view holds the shared fresh values,
    read only for its own affected nodes.

    Returns (views, whole, origin, accounts): ``origin`` maps every affected node to its group's
    index, ``accounts`` lists the affected accounts (what a caller needs to take each account's
    worst case without going through the views).
    """
    origin: dict[str, int] = {}
    losts = []
    for i, seeds in enumerate(groups):
        lost = closure(g, seeds)
        for x in lost:
            if x in origin:
                return None
            origin[x] = i
        losts.append(lost)
    accounts = []                       # spread as :func:`_spread` does, each node from its group
    stack = list(origin)
    deps = g.dependents.get
    sget = sup.get
    while stack:
        n = stack.pop()
        ds = deps(n)
        if ds is None:
            continue
        i = origin[n]
        for d in ds:
            k = origin.get(d)
            if k is not None:
                if k != i:
                    return None         # d needs what two groups affected
                continue
            s = sget(d)
            if s is None:
                continue
            for reqs in s:
                for r in reqs:
                    if r in origin:
                        break
                else:
                    break               # this support is intact
            else:
                origin[d] = i
                stack.append(d)
                accounts.append(d)
    affected = set(origin)
    restore = g.restore
    restorable = restore.keys() & origin.keys()
    if restorable and no_restore:
        restorable -= no_restore
    options = g.options
    for group, nodes in ((options, accounts), (restore, restorable)):
        for n in nodes:
            i = origin[n]
            for o in group[n]:
                for r in o[3]:
                    k = origin.get(r)
                    if k is not None and k != i:
                        return None
    restorable = frozenset(restorable)
    down = frozenset()
    fresh = _values(g, base, sup, affected, accounts, restorable, down)
    parts = [set(lost) for lost in losts]
    for d in accounts:
        parts[origin[d]].add(d)
    back: list = [()] * len(losts)
    for t in restorable:
        i = origin[t]
        back[i] = back[i] + (t,)
    views = [View(base, parts[i], fresh, frozenset(back[i]), frozenset(losts[i]), down) for i in range(len(losts))]
    return views, View(base, affected, fresh, restorable, frozenset().union(*losts), down), origin, accounts


def _settled(g: Graph, restorable, affected) -> bool:
    """Whether no way back of these things needs an affected node (their values are then final
    from the baseline, with no worklist)."""
    restore = g.restore
    for t in restorable:
        for o in restore[t]:
            for r in o[3]:
                if r in affected:
                    return False
    return True


class View:
    """Values after a loss without copying the baseline: the ``affected`` nodes come from
    ``fresh`` (no entry: no way in), every other node keeps its baseline value. Views solved
    together (:func:`apart`) share one ``fresh``; each reads it for its own affected nodes only."""
    __slots__ = ("base", "affected", "fresh", "restorable", "lost", "down")

    def __init__(self, base: dict, affected: set, fresh: dict, restorable=frozenset(), lost=frozenset(),
                 down=frozenset()):
        self.base, self.affected, self.fresh = base, affected, fresh
        self.restorable, self.lost, self.down = restorable, lost, down

    def get(self, key, default=None):
        return (self.fresh if key in self.affected else self.base).get(key, default)

    def __getitem__(self, key):
        return (self.fresh if key in self.affected else self.base)[key]

    def __contains__(self, key) -> bool:
        return key in (self.fresh if key in self.affected else self.base)


def best_option(g: Graph, node: str, value) -> tuple[int, Option] | None:
    """The quickest way in; ties go to the route rank, then via, then requirements (never list order)."""
    opts = g.options.get(node) or g.restore.get(node, ())
    if isinstance(value, View):
        return _best(opts, value.fresh.get, value.affected, value.base.get)
    return _best(opts, value.get, (), value.get)


def _best(opts, fget, affected, bget) -> tuple[int, Option] | None:
    """:func:`best_option` over ``opts``, reading a requirement from ``fget`` if it is in
    ``affected``, else from ``bget`` (a view's two layers, without a method call per read)."""
    best = None
    best_v = 0
    for o in opts:
        m = 0
        for r in o[3]:
            v = fget(r) if r in affected else bget(r)
            if v is None:
                break
            if v > m:
                m = v
        else:
            v = m if o[4] else ((((m >> 1) + o[2]) << 1) | 1)
            if (best is None or v < best_v
                    or (v == best_v and (o.route.rank, o.via or "", o.reqs)
                        < (best.route.rank, best.via or "", best.reqs))):
                best, best_v = o, v
    return None if best is None else (best_v, best)


def slowest_requirement(o: Option, value) -> str | None:
    """For a direct sign-in that waits on something coming back: the requirement it waits for."""
    slow = sorted((r for r in o.reqs if value[r] > 0), key=lambda r: (-value[r], r))
    for r in slow:
        return r[:-len(KEYS)] if r.endswith(KEYS) else r
    return None
