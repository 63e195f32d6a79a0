"""What if a fix were applied? Both measures of the patched plan, computed incrementally.

Ranking (:mod:`.rank`) measures each action's gain by evaluating the plan with its fix
applied. Evaluating from scratch costs a whole analysis per action; here only what the fix
can change is recomputed:

* the accounts whose ways in changed, and every node downstream of them (``D``), are solved
  again, first with nothing lost, then in each scenario variant that touches them (an index
  built once per analysis says which variants touch which node), over a view of that
  variant's values: nothing is copied per variant;
* Recoverability is the old importance-weighted sum plus the change over ``D``;
* Protection recomputes the ways in of the changed accounts (and of those using a changed
  thing) and spreads the weakest value along recovery mailboxes and vaults.

A fix that adds a phone or key someone carries adds a scenario variant of its own; it is
measured by the full evaluation instead. :func:`full` is that full evaluation, and the tests
check both give the same measures on every golden, persona and generated plan.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import fixes as fx
from .graph import KEYS, Graph, account_options, thing_restore
from .measures import (IMPORTANCE_WEIGHT, UNKNOWN, W_ACCESS, W_HABITS, W_TESTED, Measures, access, compute, counted,
                       credit_units, key_accounts, key_accounts_among, tested_scores, ways_in, WayIn, PASSKEY)
from .model import HABIT_NAMES, Location, Plan, State, StoreKind, ThingType
from .scenarios import SCENARIOS, Analysis, analyse, is_lockout, state_of
from .solver import option_value, solve


@dataclass(frozen=True)
class Result:
    """What rank needs: both measures (unrounded) and, per scenario, whether an account is still
    locked out with the fix applied."""
    protection: float
    recoverability: float
    changed: set            # the accounts the fix can change
    new_base: dict          # their new values with nothing lost (an account missing: no way in)
    worst: dict             # (scenario id, account) -> its new value there, where a loss changes it
    base: Analysis | None   # the base analysis (accounts not in ``changed`` keep its outcomes)
    full: Analysis | None = None

    def still_locked(self, scenario: str, account: str) -> bool:
        """Locked out in that scenario with the fix applied (an account the scenario makes
        unavailable, such as the password manager itself, is not locked out)."""
        if self.full is not None:
            s = self.full.baseline if scenario == "baseline" else self.full.scenario(scenario)
            return account in s.baseline and account not in s.down and s.outcome(account).locked
        s = self.base.baseline if scenario == "baseline" else self.base.scenario(scenario)
        if account in self.changed:
            if account not in s.baseline or account in s.down:
                return False
            key = (scenario, account)
            return is_lockout(self.worst[key] if key in self.worst else self.new_base.get(account))
        return account in s.baseline and account not in s.down and s.outcome(account).locked


def full(plan: Plan, ops) -> Result:
    """The reference: apply the fix, then analyse and measure the whole plan again."""
    patched = fx.apply(plan, ops)
    analysis = analyse(patched, failures=False)
    m = compute(patched, analysis)
    return Result(m.protection.raw, m.recoverability.raw, set(), {}, {}, None, analysis)


class _Index:
    """Built once per analysis: which scenario variants touch which node, protection edges, sums."""

    def __init__(self, plan: Plan, analysis: Analysis, measures: Measures) -> None:
        self.touch: dict[str, list] = {}
        for row in SCENARIOS:
            for i, view in enumerate(analysis.views[row.id]):
                for n in view.affected:
                    self.touch.setdefault(n, []).append((row.id, i))
                for n in view.lost:
                    if n not in view.affected:
                        self.touch.setdefault(n, []).append((row.id, i))
        self.weight = {a.id: IMPORTANCE_WEIGHT[a.importance] for a in plan.accounts}
        self.got, self.total, _ = access(plan, analysis)
        # per account: the rows (today and each scenario) it is not unavailable in, and its credit there
        rows = [analysis.baseline] + list(analysis.scenarios)
        every = tuple(s.id for s in rows)
        self.up_rows: dict[str, tuple] = {}
        self.old_units: dict[str, int] = {}
        for a in plan.accounts:
            up = every if not any(a.id in s.down for s in rows) else tuple(s.id for s in rows if a.id not in s.down)
            self.up_rows[a.id] = up
            units = 0
            for s in rows:
                if a.id not in s.down:
                    o = s.outcome(a.id)
                    units += credit_units(o.state, o.days)
            self.old_units[a.id] = units
        self.prot = {a: p.value for a, p in measures.accounts.items()}
        self.own = {}
        self.edges: dict[str, set] = {}      # account -> accounts whose weakness it inherits
        self.rev: dict[str, set] = {}
        for a in plan.accounts:
            ways = ways_in(plan, a)
            self.own[a.id] = _own(plan, a, ways)
            for w in ways:
                if w.through is not None:
                    self.edges.setdefault(a.id, set()).add(w.through)
                    self.rev.setdefault(w.through, set()).add(a.id)
        known = counted(plan)             # an account whose strength is unknown is not counted
        self.key_ids = [a.id for a in key_accounts_among(known)]
        self.counted_ids = [a.id for a in known]
        self.total_weight = sum(self.weight[a] for a in self.counted_ids)


def _own(plan: Plan, account, ways) -> int:
    if plan.strength_unknown(account.id):
        return UNKNOWN
    local = [w.strength for w in ways if w.through is None]
    if not account.sign_in:
        local.append(0)
    return min(local) if local else PASSKEY


_INDEX: dict = {}


def index_for(plan: Plan, analysis: Analysis, measures: Measures) -> _Index:
    hit = _INDEX.get(id(analysis))
    if hit is not None and hit[0] is analysis:
        return hit[1]
    idx = _Index(plan, analysis, measures)
    _INDEX.clear()
    _INDEX[id(analysis)] = (analysis, idx)
    return idx


class _Values:
    """A variant's values after the fix: recomputed nodes from ``fresh``, accounts the fix can change
    but this variant does not touch from the new baseline, everything else from the old variant."""
    __slots__ = ("fresh", "recomputed", "d", "new_base", "old", "new_lost", "new_nodes")

    def __init__(self, fresh, recomputed, d, new_base, old, new_lost, new_nodes):
        self.fresh, self.recomputed, self.d, self.new_base, self.old = fresh, recomputed, d, new_base, old
        self.new_lost, self.new_nodes = new_lost, new_nodes

    def get(self, key, default=None):
        if key in self.recomputed:
            return self.fresh.get(key, default)
        if key in self.new_nodes:
            return default if key in self.new_lost else 0
        if key in self.d:              # an account the fix can change, untouched by this loss
            return self.new_base.get(key, default)
        return self.old.get(key, default)


def measure(plan: Plan, analysis: Analysis, measures: Measures, fix: fx.Fix) -> Result:
    """Both measures with ``fix`` applied, recomputing only what the fix can change."""
    patched = fx.apply(plan, fix.ops)
    g = analysis.graph
    idx = index_for(plan, analysis, measures)
    old_things = plan._things
    old_accounts = plan._accounts
    new_things = [t for t in patched.things if t.id not in old_things]
    changed_things = [t for t in patched.things if t.id in old_things and old_things[t.id] is not t]
    changed = [a for a in patched.accounts if old_accounts.get(a.id) is not a]   # apply shares the unchanged
    if _adds_a_variant(patched, new_things):
        return full(plan, fix.ops)
    # the patched graph: new options for changed accounts, restore options and nodes for new things
    options = dict(g.options)
    restore = dict(g.restore)
    dependents = dict(g.dependents)
    children = dict(g.children)
    nodes = list(g.things)
    new_nodes: set = set()
    for t in new_things:
        if t.type is ThingType.CODE_STORE and t.kind is StoreKind.PASSWORD_MANAGER:
            continue
        nodes.append(t.id)
        new_nodes.add(t.id)
        if t.type in (ThingType.PHONE, ThingType.DEVICE):
            nodes.append(t.id + KEYS)
            new_nodes.add(t.id + KEYS)
            children[t.id] = children.get(t.id, ()) + (t.id + KEYS,)
        if t.on:
            children[t.on] = children.get(t.on, ()) + (t.id,)
    seeds: set = set()
    links: dict = {}                      # requirement -> new owners, in order (added in one go below)
    for t in new_things + changed_things:
        r = thing_restore(t)
        if r is not None and restore.get(t.id) != r:
            restore[t.id] = r
            seeds.add(t.id)
            _link(links, t.id, r)
        elif r is None and t.id in restore:
            del restore[t.id]
            seeds.add(t.id)
    for a in changed:
        opts = account_options(patched, a)
        if opts == options[a.id]:
            continue                      # same ways in (a flag, a date, a label): nothing to solve again
        options[a.id] = opts
        seeds.add(a.id)
        _link(links, a.id, opts)
    for r, owners in links.items():
        cur = dependents.get(r, ())
        have = set(cur)
        new = tuple(x for x in owners if x not in have)
        if new:
            dependents[r] = cur + new
    g2 = Graph(patched, options, restore, dependents, children, tuple(nodes), g.critical, g.counts_as, g.because)
    # D: everything downstream of what changed
    d = set(seeds)
    stack = list(seeds)
    while stack:
        for x in dependents.get(stack.pop(), ()):
            if x not in d:
                d.add(x)
                stack.append(x)
    accounts_d = {a for a in d if a in options}
    # the new baseline over D (its accounts; things keep their values)
    base = analysis.values
    base_view = _Values({}, set(), accounts_d, {}, base, frozenset(), new_nodes)
    new_base = solve(g2, base_view, accounts_d, sorted(accounts_d))
    # the scenarios: only variants that touch D, what D's ways in need, or a new thing
    reqs: set = set()
    for a in accounts_d:
        for o in options[a]:
            reqs.update(o.reqs)
    visit: set = set()
    for n in d | reqs:
        visit.update(idx.touch.get(n, ()))
    new_loss = _new_losses(patched, new_things, analysis)
    visit.update(new_loss)
    sup = _supports_within(options, new_base, accounts_d, base_view)
    worst: dict = {}
    for key in sorted(visit, key=lambda k: (_ROW[k[0]], k[1])):
        sid, i = key
        view = analysis.views[sid][i]
        lost_new = new_loss.get(key, frozenset())
        broken_old = view.affected
        lost = view.lost
        # D accounts left with no intact support in this variant (the same pruning as the analysis)
        recomputed: set = {a for a in view.down if a in accounts_d}     # unavailable by definition
        stack = []
        for n in broken_old | lost | lost_new:
            if n in accounts_d:
                stack.append(n)
            stack.extend(x for x in dependents.get(n, ()) if x in accounts_d)
        while stack:
            a = stack.pop()
            if a in recomputed:
                continue
            supports_a = sup.get(a)
            if supports_a is None:
                continue                  # unreachable with nothing lost: stays so
            for reqs in supports_a:
                for r in reqs:
                    if r in broken_old or r in lost or r in lost_new or r in recomputed:
                        break
                else:
                    break                 # an intact support: keeps its new baseline value
            else:
                recomputed.add(a)
                stack.extend(x for x in dependents.get(a, ()) if x in accounts_d and x not in recomputed)
        for n in lost:
            if n in d and n not in accounts_d and n in restore:
                recomputed.add(n)         # a lost thing whose way back changed
        if not recomputed and not lost_new:
            continue
        recomputed |= lost_new
        values = _Values({}, recomputed, accounts_d, new_base, view, lost_new, new_nodes)
        restorable = frozenset(t for t in recomputed if t in restore and (t in view.restorable or t in lost_new))
        q = sorted(x for x in recomputed if x in restorable or x in options)
        values.fresh = solve(g2, values, recomputed, q, restorable, view.down)
        fresh = values.fresh
        for a in recomputed:
            if a in options and a not in view.down:
                v = fresh.get(a)
                cur = worst.get((sid, a), 0)
                if cur is not None and (v is None or v > cur):
                    worst[(sid, a)] = v
    # Recoverability: the old sum plus the change over D
    delta = 0
    by_account: dict = {}
    for (sid, a), v in worst.items():
        by_account.setdefault(a, []).append((sid, v))
    for a in accounts_d:
        w = idx.weight.get(a)
        if w is None:
            continue
        up = idx.up_rows[a]
        ub = _units(new_base.get(a))
        total = ub * len(up)
        for sid, v in by_account.get(a, ()):
            if sid in up:
                total += _units(v) - ub
        delta += w * (total - idx.old_units[a])
    acc = (idx.got + delta) / idx.total if idx.total else 0.0
    habits = sum(getattr(patched.habits, h) is True for h in HABIT_NAMES) / len(HABIT_NAMES)
    scores = tested_scores(patched, key_accounts(patched))
    tested = sum(scores) / len(scores) if scores else 1.0
    rec = 100 * (W_ACCESS * acc + W_HABITS * habits + W_TESTED * tested)
    prot = _protection(patched, idx, changed, changed_things, g2)
    return Result(prot, rec, accounts_d, new_base, worst, analysis)


_ROW = {r.id: i for i, r in enumerate(SCENARIOS)}
_BACK, _LOCKED_OUT = State.BACK, State.LOCKED_OUT     # bound once: _units runs for every value of every what-if


def _units(v) -> int:
    """Credit units of a solved value (as :func:`.measures.credit_units` of its state and days)."""
    st = state_of(v)
    return credit_units(st, (v >> 1) if st is _BACK or st is _LOCKED_OUT else None)


def _supports_within(options: dict, new_base: dict, accounts_d: set, outside) -> dict:
    """Well-founded optimal ways in of the accounts in D with the fix applied (as
    :func:`.solver.supports`, with every node outside D final first: nothing outside D needs D)."""
    def value(n):
        return new_base.get(n) if n in accounts_d else outside.get(n)
    fin: dict = {}
    candidates: dict = {}
    waiting: dict = {}
    ready: list = []
    for a in accounts_d:
        v = new_base.get(a)
        if v is None:
            continue
        best = [o for o in options[a] if option_value(o, _Get(value)) == v]
        candidates[a] = best
        for o in best:
            missing = [r for r in o.reqs if r in accounts_d]
            if not missing:
                ready.append(a)
            else:
                slot = [a, len(missing)]
                for r in missing:
                    waiting.setdefault(r, []).append(slot)
    counter = 1
    while ready:
        n = ready.pop()
        if n in fin:
            continue
        fin[n] = counter
        counter += 1
        for slot in waiting.get(n, ()):
            slot[1] -= 1
            if slot[1] == 0 and slot[0] not in fin:
                ready.append(slot[0])
    out = {}
    for a, best in candidates.items():
        k = fin.get(a)
        if k is not None:
            out[a] = tuple(o.reqs for o in best
                           if all(r not in accounts_d or fin.get(r, counter) < k for r in o.reqs))
    return out


class _Get:
    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn

    def get(self, key, default=None):
        v = self.fn(key)
        return default if v is None else v


def _link(links: dict, owner: str, opts) -> None:
    """Note ``owner`` as a new dependent of each requirement of ``opts`` (an ordered set per
    requirement; merged into the dependents once, so a requirement with thousands of dependents,
    such as a shared vault, is not rescanned per owner)."""
    for o in opts:
        for r in o.reqs:
            got = links.get(r)
            if got is None:
                links[r] = {owner: None}
            else:
                got[owner] = None


def _adds_a_variant(patched: Plan, new_things) -> bool:
    """A new phone or key someone carries is lost on its own in a scenario: a new variant."""
    for t in new_things:
        if t.type in (ThingType.PHONE, ThingType.SECURITY_KEY) and patched.location(t.id) is Location.CARRIED:
            return True
    return False


def _new_losses(patched: Plan, new_things, analysis: Analysis) -> dict:
    """(scenario id, variant) -> the new things (and their passkey stores) that variant loses."""
    out: dict = {}
    if not new_things:
        return out
    new_ids = {t.id for t in new_things}
    for row in SCENARIOS:
        seeds = row.loses(patched)[0] if row.id not in ("phone-lost", "key-lost") else set()
        for i, view in enumerate(analysis.views[row.id]):
            lost = set()
            grew = True
            while grew:                          # parents first: a new app on a new device goes with it
                grew = False
                for t in new_things:
                    if t.id in lost:
                        continue
                    if row.id == "phone-reset":
                        hit = t.id in seeds and (t.on + KEYS) in view.lost
                    else:
                        hit = t.id in seeds
                    if hit or (t.on is not None and (t.on in view.lost or t.on in lost)):
                        lost.add(t.id)
                        if t.type in (ThingType.PHONE, ThingType.DEVICE):
                            lost.add(t.id + KEYS)
                        grew = True
            if lost & (new_ids | {x + KEYS for x in new_ids}):
                out[(row.id, i)] = frozenset(lost)
    return out


def _protection(patched: Plan, idx: _Index, changed, changed_things, g2: Graph) -> float:
    """Protection of the patched plan from the old per-account values: ways in recomputed for the
    accounts that changed or use a changed thing, then the weakest value spread again."""
    touched = {a.id for a in changed}
    for t in changed_things:
        for x in g2.dependents.get(t.id, ()):
            if x in g2.options:
                touched.add(x)
    own = dict(idx.own)
    edges = {k: set(v) for k, v in idx.edges.items()} if touched else idx.edges
    for a in touched:
        acct = patched.account(a)
        ways = ways_in(patched, acct)
        own[a] = _own(patched, acct, ways)
        edges[a] = {w.through for w in ways if w.through is not None}
    # the region whose final value may change: touched accounts and everything that inherits from them
    rev: dict = {}
    for a, outs in edges.items():
        for b in outs:
            rev.setdefault(b, set()).add(a)
    region = set(touched)
    stack = list(touched)
    while stack:
        for a in rev.get(stack.pop(), ()):
            if a not in region:
                region.add(a)
                stack.append(a)
    prot = dict(idx.prot)
    for a in region:
        prot[a] = own[a]
    changed_any = True
    while changed_any:
        changed_any = False
        for a in region:
            for b in edges.get(a, ()):
                v = prot[b] if b in prot else own.get(b, PASSKEY)
                if v < prot[a]:
                    prot[a] = v
                    changed_any = True
    weakest = min(prot[a] for a in idx.key_ids)
    mean = sum(idx.weight[a] * prot[a] for a in idx.counted_ids) / idx.total_weight
    return 0.5 * weakest + 0.5 * mean
