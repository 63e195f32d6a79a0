"""Findings -> ranked, de-duplicated actions.

Ranking is one sort key, not a chain of ifs:

    (tier order, -impact, -number of accounts, position in the rule table)

where impact = sum over the action's accounts of importance weight x (1 + the number
of loss scenarios that lock that account out). One action can close several
findings: a rule lists in ``closes`` the rules its action also resolves, and a
later action whose accounts are all covered by an earlier one that closes it is
folded into that one (its id is added to the earlier action's ``closes``).
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import IMPORTANCE_WEIGHT, TIER_ORDER, Plan, Tier
from .rules import RULE_INDEX, RULES_BY_ID, Finding


@dataclass(frozen=True)
class Action:
    rule: str
    tier: Tier
    title: str
    action: str
    why: str
    source: str
    accounts: tuple[str, ...]
    closes: tuple[str, ...]
    impact: int

    def as_dict(self) -> dict:
        return {"rule": self.rule, "tier": self.tier.value, "title": self.title, "action": self.action,
                "why": self.why, "source": self.source, "accounts": list(self.accounts),
                "closes": list(self.closes), "impact": self.impact}


def impact(plan: Plan, accounts, lockouts: dict) -> int:
    return sum(IMPORTANCE_WEIGHT[plan.account(a).importance] * (1 + len(lockouts.get(a, ()))) for a in accounts)


def sort_key(a: Action) -> tuple:
    return (TIER_ORDER[a.tier], -a.impact, -len(a.accounts), RULE_INDEX[a.rule])


def _make(plan: Plan, rule_id: str, accounts, closes, lockouts) -> Action:
    r = RULES_BY_ID[rule_id]
    accounts = tuple(sorted(accounts))
    return Action(r.id, r.tier, r.title, r.action, r.why, r.source, accounts, tuple(closes),
                  impact(plan, accounts, lockouts))


def rank_actions(plan: Plan, found: tuple[Finding, ...], lockouts: dict) -> tuple[Action, ...]:
    by_rule: dict[str, set[str]] = {}
    for f in found:
        s = by_rule.setdefault(f.rule, set())
        if f.account is not None:
            s.add(f.account)
    actions = sorted((_make(plan, rid, accts, (), lockouts) for rid, accts in by_rule.items()), key=sort_key)
    kept: list[Action] = []
    for act in actions:
        remaining = set(act.accounts)
        for i, k in enumerate(kept):
            if act.rule in RULES_BY_ID[k.rule].closes and (remaining & set(k.accounts)):
                remaining -= set(k.accounts)
                if act.rule not in k.closes:
                    kept[i] = _make(plan, k.rule, k.accounts, k.closes + (act.rule,), lockouts)
        if remaining or not act.accounts:
            kept.append(act if remaining == set(act.accounts)
                        else _make(plan, act.rule, remaining, act.closes, lockouts))
    return tuple(sorted(kept, key=sort_key))
