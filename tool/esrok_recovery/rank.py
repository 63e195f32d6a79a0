"""Findings -> actions, ranked by measured impact, one action per root cause.

Every finding's rule gives a fix (a change to the plan, :mod:`.fixes`). For each rule, the
findings on all its accounts make one *candidate* action (split when accounts need different
remedies). The engine applies each candidate's fix to the plan and evaluates the plan again
(:func:`.whatif.measure`): the measured change of Protection and Recoverability is the action's
gain. Ranking is one sort key:

    (tier order, gained / not measured / measured at no gain, -(Protection gain + Recoverability gain),
     effort in minutes, rule order)

Folding, walking the ranked candidates: a finding folds under an earlier action when that
action's fix resolves it. A finding about a lockout is resolved when, with the fix applied,
none of the lockouts it speaks of is left (measured); any other finding when the earlier fix
gives its account the same changes or more, or when the earlier rule's ``closes`` names it.
Folded rule ids join the action's ``closes``. What is left of a candidate stays an action of
its own, measured again.

Budget: every candidate is measured on plans of up to :data:`MEASURE_ALL` accounts; on
larger plans the :data:`MEASURE_TOP` candidates with a fix that come first by tier and by the
number and importance of the accounts they touch are measured, the rest keep ``gain: null``
and say why in ``gain_note`` (:func:`gain_note`), as does an action without a fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from operator import attrgetter

from . import fixes as fx
from . import whatif
from .measures import Measures, shown
from .model import IMPORTANCE_WEIGHT, TIER_ORDER, Measure, Plan, Tier
from .rules import RULE_INDEX, RULES_BY_ID, Claim, Context, Finding
from .scenarios import SCENARIOS_BY_ID

MEASURE_ALL = 60
MEASURE_TOP = 20
FOLD_AFTER = 5
LATER_PAIRS = 3    # later steps tried as the one to do first when a step would close a way back


@dataclass(frozen=True)
class Gain:
    protection: tuple[float, float]      # (before, after), unrounded
    recoverability: tuple[float, float]

    def delta(self, m: Measure) -> float:
        b, a = self.protection if m is Measure.PROTECTION else self.recoverability
        return a - b

    @property
    def total(self) -> float:
        return self.delta(Measure.PROTECTION) + self.delta(Measure.RECOVERABILITY)

    def raises(self) -> list[str]:
        return [m.value for m in Measure if round(self.delta(m), 6) > 0]

    def lowers(self) -> list[Measure]:
        return [m for m in Measure if round(self.delta(m), 6) < 0]

    def text(self) -> str:
        """'Protection 40 → 75', 'Recoverability 62 → 81', both, or 'No change in either measure'."""
        parts = []
        for m in Measure:
            b, a = self.protection if m is Measure.PROTECTION else self.recoverability
            if round(a - b, 6) == 0:
                continue
            if shown(a) == shown(b):
                parts.append(f"{m.value.capitalize()} {'slightly up' if a > b else 'slightly down'} ({shown(a)})")
            else:
                parts.append(f"{m.value.capitalize()} {shown(b)} → {shown(a)}")
        return ", ".join(parts) if parts else "No change in either measure"

    def as_dict(self) -> dict:
        return {m.value: {"from": shown(getattr(self, m.value)[0]), "to": shown(getattr(self, m.value)[1]),
                          "change": round(self.delta(m), 2)} for m in Measure}


@dataclass(frozen=True)
class Action:
    rule: str
    tier: Tier
    accounts: tuple[str, ...]
    fix: fx.Fix | None
    findings: tuple[Finding, ...]
    closes: tuple[str, ...]
    gain: Gain | None
    trade_off: str | None = None
    weight: int = 0                 # importance weight of its accounts (orders unmeasured actions)

    @property
    def title(self) -> str:
        if self.fix is not None:
            return self.fix.title
        r = RULES_BY_ID[self.rule]
        return r.do_title or r.title

    @property
    def claims(self) -> tuple[Claim, ...]:
        out: dict = {}
        for f in self.findings:
            for c in f.claims:
                out[c] = None
        return tuple(out)

    def with_(self, **kw) -> "Action":
        d = dict(rule=self.rule, tier=self.tier, accounts=self.accounts, fix=self.fix, findings=self.findings,
                 closes=self.closes, gain=self.gain, trade_off=self.trade_off, weight=self.weight)
        d.update(kw)
        return Action(**d)

    def as_dict(self, plan: Plan) -> dict:
        r = RULES_BY_ID[self.rule]
        detail = next((f.detail for f in self.findings if f.rule == self.rule), "")
        title = self.title if self.fix is not None or "{}" not in r.do_title else fx.title(r.do_title, plan,
                                                                                               self.accounts)
        return {
            "id": self.rule, "rule": self.rule, "tier": self.tier.value, "title": title, "problem": r.title,
            "do": self.fix.do if self.fix is not None else r.action, "why": r.why, "detail": detail,
            "source": r.source, "accounts": list(self.accounts), "effort_minutes": r.effort,
            "measure": r.measure.value if r.measure else None,
            "raises": self.gain.raises() if self.gain else ([r.measure.value] if r.measure else []),
            "gain": self.gain.as_dict() if self.gain else None,
            "gain_text": self.gain.text() if self.gain else None,
            "gain_note": None if self.gain else gain_note(self.fix is not None, len(plan.accounts), r.unmeasured),
            "trade_off": self.trade_off,
            "fix": self.fix.as_list() if self.fix is not None else [],
            "closes": list(self.closes),
            "claims": [c.as_dict() for c in self.claims],
            "links": [],
        }


def gain_note(has_fix: bool, accounts: int, why: str = "") -> str:
    """Why an action shows no measured gain (its ``gain`` is null); ``why``: its rule's own words for
    a step without a fix (:attr:`.rules.Rule.unmeasured`), if it has them."""
    if not has_fix:
        return why or "Not measured: this step changes nothing the plan records, so its effect cannot be worked out."
    return (f"Not measured: with more than {MEASURE_ALL} accounts, only the first {MEASURE_TOP} steps are measured, "
            f"to keep the check fast. This one is ranked by its tier and by how many and how important the "
            f"accounts it touches are.")


@dataclass(frozen=True)
class Measured:
    gain: Gain
    result: whatif.Result

    def resolves(self, claims) -> bool:
        """True when none of the claimed lockouts is left with the fix applied."""
        return not any(self.result.still_locked(c.scenario, c.account) for c in claims)


def _gain(before: Measures, after: whatif.Result) -> Gain:
    return Gain((before.protection.raw, after.protection), (before.recoverability.raw, after.recoverability))


#: A finding's account, read in C (map over thousands of findings, no Python call per finding).
_account_of = attrgetter("account")


def _weights(plan: Plan) -> dict:
    """Each account's importance weight, by id."""
    return {a.id: IMPORTANCE_WEIGHT[a.importance] for a in plan.accounts}


def _weight(weights: dict, accounts) -> int:
    return sum(map(weights.__getitem__, accounts))


def sort_key(a: Action) -> tuple:
    """Blockers first; within a tier, the steps with a measured gain (the larger first; ties: less
    effort, a smaller change), then the unmeasured ones (by the weight of the accounts they touch),
    then those measured to change nothing or to cost more than they give: a step whose effect is not
    known may still help, one measured at no gain does not."""
    if a.gain is not None:   # equal gains: the quicker, then the smaller change first
        total = round(a.gain.total, 6)
        return (TIER_ORDER[a.tier], 0 if total > 0 else 2, -total, RULES_BY_ID[a.rule].effort,
                len(a.fix.ops) if a.fix else 0, RULE_INDEX[a.rule])
    return (TIER_ORDER[a.tier], 1, -a.weight, RULES_BY_ID[a.rule].effort, 0, RULE_INDEX[a.rule])


def _fixes(ctx: Context, rule, accounts, memo: dict) -> list[tuple]:
    """(fix, accounts) pairs: a rule's fix may split its accounts by remedy (a list of fixes).

    ``memo`` holds the pairs already worked out in this ranking, by fix function and accounts: a
    rule's fix is a function of the context and the accounts alone, and two rules often share one
    (``sms-on-critical`` and ``not-phishing-resistant`` both switch the same accounts to a passkey)."""
    key = (rule.fix, accounts)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = _split_fix(rule.fix(ctx, list(accounts)) if rule.fix is not None else None, accounts)
    return hit


def _split_fix(fix, accounts) -> list[tuple]:
    if isinstance(fix, list):
        out = []
        for f in fix:
            touched = set(map(_account_of, f.ops))
            group = tuple(a for a in accounts if a in touched)
            if f.ops and group:
                out.append((f, group))
        done = {a for _, g in out for a in g}
        left = tuple(a for a in accounts if a not in done)
        if left or not out:
            out.append((None, left))
        return out
    if fix is not None and not fix.ops:
        fix = None
    return [(fix, accounts)]


def _candidates(ctx: Context, found, memo: dict, weights: dict) -> list[Action]:
    by_rule: dict[str, list[Finding]] = {}
    for f in found:             # tens of thousands on a large plan: no list made per finding
        if not f.accepted:
            fs = by_rule.get(f.rule)
            if fs is None:
                by_rule[f.rule] = [f]
            else:
                fs.append(f)
    out = []
    for rid, fs in by_rule.items():
        rule = RULES_BY_ID[rid]
        on = set(map(_account_of, fs))
        accounts = tuple(sorted(on)) if None not in on else tuple(sorted(on - {None}))
        for fix, group in _fixes(ctx, rule, accounts, memo):
            if group is accounts and None not in on:   # the usual case: one fix for all its findings
                mine = tuple(fs)
            else:
                members = set(group)
                mine = tuple(f for f in fs if f.account in members or not accounts)
            out.append(Action(rid, rule.tier, group, fix, mine, (), None, None, _weight(weights, group)))
    return out


def _folded(k: Action, km: Measured | None, act: Action, left: list, left_accounts: set,
            kacc: set, patched=None) -> tuple[list, list]:
    """Split the findings ``left`` of candidate ``act`` (on ``left_accounts``) into those the kept
    action ``k`` (whose accounts are ``kacc``) resolves, and the rest. A finding about a lockout is
    resolved when the measured fix ``km`` leaves none of its lockouts; any other finding on one of
    ``k``'s accounts (or on none) when ``k``'s rule closes ``act``'s, or when ``k``'s fix gives the
    account the same changes as ``act``'s fix, or more (:meth:`.fixes.Fix.covered`, for all the
    accounts at once), or when ``act``'s rule has an ``until`` that ``k``'s fix makes hold for the
    account (``patched()``: the plan with ``k``'s fix applied)."""
    closes = act.rule in RULES_BY_ID[k.rule].closes
    compare = not closes and act.fix is not None and k.fix is not None
    until = RULES_BY_ID[act.rule].until if k.fix is not None and patched is not None else None
    if km is None and not closes and not compare and until is None:
        return [], left
    near = left_accounts & kacc
    if None in left_accounts:
        near.add(None)
    resolved = near if closes else k.fix.covered(act.fix, near) if compare and near else set()
    # only accounts the fix changes can stop firing (the rule fired on the others as they are)
    open_ = ((near - resolved) & k.fix.touched()) - {None} if until is not None else ()
    if open_:
        after = patched()
        resolved = resolved | {x for x in open_ if until(after.account(x))}
    if km is None:
        if not resolved:
            return [], left
        if resolved >= left_accounts:
            return left, []
    folded, rest = [], []
    for f in left:
        hit = km.resolves(f.claims) if f.claims and km is not None else f.account in resolved
        (folded if hit else rest).append(f)
    return folded, rest


def rank_actions(ctx: Context, found: tuple[Finding, ...], impacts: bool = True) -> tuple[Action, ...]:
    """Rank, fold and measure. Plans of up to MEASURE_ALL accounts measure every candidate; larger
    plans measure the MEASURE_TOP candidates with a fix that come first by tier and weight; the
    rest keep ``gain: null`` and are ranked by tier and the number and importance of their accounts.
    ``impacts=False`` measures nothing on a large plan (for the benchmark's figure without impacts)."""
    plan = ctx.plan
    before = ctx.measures
    memo: dict = {}
    weights = _weights(plan)
    cands = _candidates(ctx, found, memo, weights)
    if len(plan.accounts) > MEASURE_ALL:
        cands.sort(key=lambda a: (TIER_ORDER[a.tier], -a.weight, RULE_INDEX[a.rule]))
        budget = {id(a) for a in [c for c in cands if c.fix is not None][:MEASURE_TOP]} if impacts else set()
    else:
        budget = {id(a) for a in cands}
    cache: dict = {}

    def measure(fix) -> Measured:
        key = fix.keys
        if key not in cache:
            cache[key] = Measured(_gain(before, result := whatif.measure(plan, ctx.analysis, before, fix)), result)
        return cache[key]

    patched: dict = {}
    # A rule's ``until`` is asked on plans of up to MEASURE_ALL accounts, as gains are measured: on a
    # plan of 5,000 accounts it applied about 36 fixes to thousands of accounts each (+25-40 % of
    # bench/engine.py's mixed figure without impacts, even on only the accounts asked about).
    small = len(plan.accounts) <= MEASURE_ALL

    def applied(fix) -> Plan:
        """The plan with ``fix`` applied (once per fix, when a rule's ``until`` asks)."""
        key = fix.keys
        if key not in patched:
            patched[key] = fx.apply(plan, fix.ops)
        return patched[key]

    cands = [a.with_(gain=measure(a.fix).gain) if a.fix is not None and id(a) in budget else a for a in cands]
    cands.sort(key=sort_key)
    kept: list[Action] = []
    kept_accounts: list[set] = []
    for act in cands:
        left = list(act.findings)
        left_accounts = set(map(_account_of, left))
        for i, k in enumerate(kept):
            km = measure(k.fix) if k.fix is not None and k.gain is not None else None
            folded, left = _folded(k, km, act, left, left_accounts, kept_accounts[i],
                                   partial(applied, k.fix) if small else None)
            if folded:
                left_accounts = set(map(_account_of, left))
                kept[i] = k.with_(findings=k.findings + tuple(folded),
                                  closes=k.closes if act.rule in k.closes or act.rule == k.rule
                                  else k.closes + (act.rule,))
            if not left:
                break
        if not left:
            continue
        remaining = tuple(a for a in act.accounts if a in left_accounts)
        if remaining != act.accounts:
            pairs = _fixes(ctx, RULES_BY_ID[act.rule], remaining, memo)
            fix = pairs[0][0] if len(pairs) == 1 else None
            gain = measure(fix).gain if fix is not None and act.gain is not None else None
            act = act.with_(accounts=remaining, fix=fix, findings=tuple(left), gain=gain,
                            weight=_weight(weights, remaining))
        kept.append(act)
        kept_accounts.append(set(act.accounts))
    kept.sort(key=sort_key)
    if impacts and len(plan.accounts) > MEASURE_ALL:
        # folding may have absorbed measured candidates: measure the next ones so MEASURE_TOP show a gain
        room = MEASURE_TOP - sum(k.gain is not None for k in kept)
        if room > 0:
            for i, k in enumerate(kept):
                if room <= 0:
                    break
                if k.gain is None and k.fix is not None:
                    kept[i] = k.with_(gain=measure(k.fix).gain)
                    room -= 1
            kept.sort(key=sort_key)
    return tuple(_with_trade_offs(ctx, kept, measure))


def _with_trade_offs(ctx: Context, actions: list[Action], measure) -> list[Action]:
    """Say so when an action lowers a measure: which losses it would leave without a way back, and
    which other step, done first, avoids the cost."""
    out = []
    small = len(ctx.plan.accounts) <= MEASURE_ALL
    for i, act in enumerate(actions):
        if act.gain is None or not act.gain.lowers():
            out.append(act)
            continue
        mine = set(act.accounts)
        notes = []
        for m in act.gain.lowers():
            b, a = act.gain.protection if m is Measure.PROTECTION else act.gain.recoverability
            note = (f"On its own this lowers {m.value.capitalize()} {shown(b)} → {shown(a)}" if shown(a) < shown(b)
                    else f"On its own this lowers {m.value.capitalize()} slightly ({shown(a)})")
            if m is Measure.RECOVERABILITY and small:
                note += _losses_it_opens(ctx, act, measure(act.fix).result)
            # another step that, done before it, keeps what this one would cost: an earlier one, or
            # for a way back it would close, one of the next LATER_PAIRS steps on the same accounts
            earlier = [o for o in actions[:i] if o.fix is not None and o.gain is not None]
            later = [o for o in actions[i + 1:] if o.fix is not None and o.gain is not None
                     and not mine.isdisjoint(o.accounts)][:LATER_PAIRS] if m is Measure.RECOVERABILITY else []
            for other in (earlier + later if small else ()):
                both = measure(fx.Fix("combined", "", "", other.fix.ops + act.fix.ops)).gain
                if both.delta(m) >= other.gain.delta(m) - 1e-6:
                    note += f"; do “{other.title}” first and it costs no {m.value.capitalize()}"
                    break
            else:
                if m is Measure.RECOVERABILITY and small:
                    note += _codes_first(ctx, act, measure)
            notes.append(note)
        out.append(act.with_(trade_off=". ".join(notes) + "."))
    return out


def _codes_first(ctx: Context, act: Action, measure) -> str:
    """For a step that would close a way back and that no listed step pairs with: backup codes,
    printed at home or given to someone you trust, that keep at least half of what it costs when
    made first (the one that keeps most, measured with the step): '; do “Give someone you trust
    backup codes for Email” first and it lowers Recoverability only to 95' (or 'costs no
    Recoverability'); '' if neither does, or either would cost Protection, or the figure shown would
    stay the same."""
    before, alone = act.gain.recoverability
    best = None
    for away in (False, True):
        codes = fx.print_codes(ctx.plan, act.accounts, away_from_home=away)
        if codes is None:
            continue
        both = measure(fx.Fix("combined", "", "", codes.ops + act.fix.ops)).gain
        after = both.recoverability[1]
        if (after > alone + 1e-6 and 2 * (after - alone) >= before - alone
                and both.protection[1] >= act.gain.protection[1] - 1e-6 and (best is None or after > best[1])):
            best = (codes, after)
    if best is None:
        return ""
    codes, after = best
    if after >= before - 1e-6:
        return f"; do “{codes.title}” first and it costs no Recoverability"
    if shown(after) <= shown(alone):
        return ""   # no figure the person sees would change
    lower = f"only to {shown(after)}" if shown(after) < shown(before) else "only slightly"
    return f"; do “{codes.title}” first and it lowers Recoverability {lower}"


def _losses_it_opens(ctx: Context, act: Action, result: whatif.Result) -> str:
    """' (with it, Email has no way back within a week if you lose everything kept at home, or travel
    with only what you carry)': the losses that would leave accounts of the action without a way
    back once its fix is applied, where today there is one (two groups of accounts at most); ''
    if none."""
    opened: dict[str, list] = {}
    for s in ctx.analysis.scenarios:
        for acct in act.accounts:
            if acct in s.baseline and not s.outcome(acct).locked and result.still_locked(s.id, acct):
                opened.setdefault(acct, []).append(s.row.id)
    if not opened:
        return ""
    plan = ctx.plan
    by_losses: dict[tuple, list] = {}
    for acct, sids in opened.items():
        by_losses.setdefault(tuple(sids), []).append(acct)
    parts = [f"{plan.names(accts)} {'has' if len(accts) == 1 else 'have'} no way back within a week if you "
             f"{_losses(sids)}" for sids, accts in list(by_losses.items())[:2]]
    more = sum(len(accts) for accts in list(by_losses.values())[2:])
    tail = f"; and {more} more {'account' if more == 1 else 'accounts'} in other losses" if more else ""
    return f" (with it, {'; '.join(parts)}{tail})"


_PHONE_PAIR = {"phone-lost", "phone-reset"}


def _losses(sids: tuple) -> str:
    """'lose or reset your phone, or travel with only what you carry'."""
    shorts = [SCENARIOS_BY_ID[sid].short for sid in sids if sid not in _PHONE_PAIR]
    if _PHONE_PAIR <= set(sids):
        shorts.insert(0, "lose or reset your phone")
    elif _PHONE_PAIR & set(sids):
        shorts.insert(0, SCENARIOS_BY_ID[next(sid for sid in sids if sid in _PHONE_PAIR)].short)
    return shorts[0] if len(shorts) == 1 else ", ".join(shorts[:-1]) + ", or " + shorts[-1]

