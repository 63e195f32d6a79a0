"""The plan compiled into a dependency graph: who needs what to get in.

Every account has *options* (ways in): sign-in combinations, backup codes and
recovery routes. An option needs a set of *nodes* (things and accounts);
recovering account A through email account B needs B first. Lost things can come
back through *restore* options (a replacement SIM, an app restored from its backup).

The graph also derives how important each account really is: an account that can
reset or unlock others counts as at least as important as the most important account
it reaches (a recovery mailbox, the identity behind synced passkeys, the carrier
behind a number, the vault holding a password or codes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .model import (IMPORTANCE_RANK, SECOND_FACTORS, AppBackup, Importance, Plan, RecoveryType, Route,
                    SignInType, StoreKind, ThingType)

KEYS = "#keys"   # suffix of the node for a phone's/device's passkey store (wiped by a reset)


class Option(NamedTuple):
    """One way in. A NamedTuple rather than a dataclass: thousands are built per plan."""
    route: Route
    via: str | None
    wait: int
    reqs: tuple[str, ...]
    direct: bool            # a sign-in: passes the value of its requirements through


@dataclass(frozen=True)
class Graph:
    plan: Plan
    options: dict          # account id -> tuple[Option]
    restore: dict          # thing id -> tuple[Option] (how a lost thing comes back)
    dependents: dict       # node -> tuple of nodes whose options need it
    children: dict         # thing id -> tuple of things/keystores that sit "on" it
    things: tuple          # every thing node (including keystores)
    critical: frozenset    # accounts that count as critical (derived importance)
    counts_as: dict        # account id -> derived Importance
    because: dict          # account id -> the account that made it count as more important


def store_node(plan: Plan, store_id: str) -> str:
    t = plan.thing(store_id)
    if t.kind is StoreKind.PASSWORD_MANAGER and t.via:
        return t.via
    return store_id


def method_node(plan: Plan, m) -> str | None:
    if m.type is SignInType.PASSKEY:
        if m.via:
            return m.via
        t = plan.thing(m.on)
        return m.on + KEYS if t.type in (ThingType.PHONE, ThingType.DEVICE) else m.on
    if m.type is SignInType.EMAIL_CODE or m.type is SignInType.PASSWORD:
        return m.via
    return m.on


def usable_codes(account) -> bool:
    """Backup codes that can be counted: recorded, generated, kept somewhere, not all used."""
    c = account.backup_codes
    return bool(c and c.generated and c.stored_in and c.remaining != 0)


def account_options(plan: Plan, account) -> tuple[Option, ...]:
    """Every way into an account: sign-in combinations, backup codes, recovery routes.

    Sign-in: a passkey alone, or a password (memorised, or from a password manager) plus any
    one second step; without any second step or passkey, the password alone (a passkey counts
    as the second step after a password, as the big providers treat it); without a password,
    any single method. Backup codes stand in for the second step, so they still need the password.
    Security questions are deliberately not a way in (see rule security-questions), and backup
    codes that are not recorded are not counted (an assumption the result states).
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
            opts[Option(Route.SIGN_IN, None, 0, (method_node(plan, m),), True)] = None
    if seconds:
        for p in pw_reqs:
            for m in seconds:
                node = method_node(plan, m)
                opts[Option(Route.SIGN_IN, None, 0, p if node in p else p + (node,), True)] = None
    elif has_pw and not any(m.type is SignInType.PASSKEY for m in sign_in):
        for p in pw_reqs:
            opts[Option(Route.SIGN_IN, None, 0, p, True)] = None
    if usable_codes(account) and (seconds or any(m.type is SignInType.PASSKEY for m in sign_in)):
        for p in pw_reqs:
            for s in account.backup_codes.stored_in:
                node = store_node(plan, s)
                opts[Option(Route.BACKUP_CODES, s, 0, p if node in p else p + (node,), False)] = None
    for r in account.recovery:
        t = r.type
        if t is RecoveryType.RECOVERY_EMAIL:
            if r.via and not r.dead:
                opts[Option(Route.RECOVERY_EMAIL, r.via, Route.RECOVERY_EMAIL.wait, (r.via,), False)] = None
        elif t is RecoveryType.RECOVERY_PHONE:
            opts[Option(Route.RECOVERY_PHONE, r.on, Route.RECOVERY_PHONE.wait, (r.on,), False)] = None
        elif t is RecoveryType.RECOVERY_CONTACT:
            opts[Option(Route.RECOVERY_CONTACT, r.on, Route.RECOVERY_CONTACT.wait, (r.on,), False)] = None
        elif t is RecoveryType.SUPPORT:
            opts[Option(Route.SUPPORT, None, r.wait_days, (), False)] = None
    return tuple(opts)


def thing_restore(t) -> tuple[Option, ...] | None:
    if t.type is ThingType.PHONE_NUMBER:
        reqs = (t.carrier,) if t.carrier else ()
        return (Option(Route.REPLACEMENT_SIM, t.carrier, Route.REPLACEMENT_SIM.wait, reqs, False),)
    if t.type is ThingType.AUTHENTICATOR_APP and t.backup in (AppBackup.CLOUD, AppBackup.EXPORT):
        reqs = (t.via,) if t.via else ()
        return (Option(Route.APP_RESTORE, t.via, Route.APP_RESTORE.wait, reqs, False),)
    return None


def compile_plan(plan: Plan) -> Graph:
    options = {a.id: account_options(plan, a) for a in plan.accounts}   # plan.accounts is in id order
    restore: dict[str, tuple[Option, ...]] = {}
    children: dict[str, list[str]] = {}
    nodes: list[str] = []
    for t in plan.things:
        if t.type is ThingType.CODE_STORE and t.kind is StoreKind.PASSWORD_MANAGER:
            continue
        nodes.append(t.id)
        if t.type is ThingType.PHONE or t.type is ThingType.DEVICE:
            nodes.append(t.id + KEYS)
            children.setdefault(t.id, []).append(t.id + KEYS)
        if t.on:
            children.setdefault(t.on, []).append(t.id)
        r = thing_restore(t)
        if r is not None:
            restore[t.id] = r
    deps: dict[str, dict[str, None]] = {}
    for owner, opts in list(options.items()) + list(restore.items()):
        for o in opts:
            for r in o.reqs:
                deps.setdefault(r, {})[owner] = None
    counts_as, because = derive_importance(plan, options, restore)
    critical = frozenset(a for a, imp in counts_as.items() if imp is Importance.CRITICAL)
    return Graph(plan=plan, options=options, restore=restore,
                 dependents={k: tuple(v) for k, v in deps.items()},
                 children={k: tuple(v) for k, v in children.items()}, things=tuple(nodes),
                 critical=critical, counts_as=counts_as, because=because)


def derive_importance(plan: Plan, options: dict, restore: dict) -> tuple[dict, dict]:
    """Each account's importance, raised to that of the most important account it can reset
    or unlock (transitively); ``because`` names that account. Linear: one upstream walk per
    importance level, each node visited once."""
    needs: dict[str, set] = {}
    for owner, opts in list(options.items()) + list(restore.items()):
        s = needs.setdefault(owner, set())
        for o in opts:
            s.update(o.reqs)
    counts_as = {a.id: a.importance for a in plan.accounts}
    because: dict[str, str] = {}
    for level in (Importance.CRITICAL, Importance.IMPORTANT):
        rank = IMPORTANCE_RANK[level]
        seen: set = set()
        for a in plan.accounts:
            if a.importance is not level:
                continue
            stack = [(a.id, a.id)]
            while stack:
                node, source = stack.pop()
                for r in sorted(needs.get(node, ())):
                    if r in seen:
                        continue
                    seen.add(r)
                    if r in counts_as and IMPORTANCE_RANK[counts_as[r]] < rank:
                        counts_as[r] = level
                        because[r] = source
                    stack.append((r, source))
    return counts_as, because
