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
    options: dict          # account id -> tuple[Option] (accounts with equal ways in share one tuple)
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


_PASSWORD = SignInType.PASSWORD
_PASSKEY = SignInType.PASSKEY
_EMAIL_CODE = SignInType.EMAIL_CODE
_DEVICES = (ThingType.PHONE, ThingType.DEVICE)
_R_SIGN_IN = Route.SIGN_IN
_R_CODES = Route.BACKUP_CODES
_R_EMAIL = Route.RECOVERY_EMAIL
_R_PHONE = Route.RECOVERY_PHONE
_R_CONTACT = Route.RECOVERY_CONTACT
_R_SUPPORT = Route.SUPPORT
_T_EMAIL = RecoveryType.RECOVERY_EMAIL
_T_PHONE = RecoveryType.RECOVERY_PHONE
_T_CONTACT = RecoveryType.RECOVERY_CONTACT
_T_SUPPORT = RecoveryType.SUPPORT
_PM = StoreKind.PASSWORD_MANAGER
_RANK_EMAIL, _WAIT_EMAIL = _R_EMAIL.rank, _R_EMAIL.wait
_RANK_PHONE, _WAIT_PHONE = _R_PHONE.rank, _R_PHONE.wait
_RANK_CONTACT, _WAIT_CONTACT = _R_CONTACT.rank, _R_CONTACT.wait
_RANK_SUPPORT = _R_SUPPORT.rank


def account_options(plan: Plan, account) -> tuple[Option, ...]:
    """Every way into an account: sign-in combinations, backup codes, recovery routes.

    Sign-in: a passkey alone, or a password (memorised, or from a password manager) plus any
    one second step; without any second step or passkey, the password alone (a passkey counts
    as the second step after a password, as the big providers treat it, unless the service takes
    passkeys only instead of the password: then the password alone stays a way in beside the
    passkey, :meth:`~.model.Account.password_alone_gets_in`); without a password, any single method. Backup codes stand in for the second step, so they still need the password.
    Security questions are deliberately not a way in (see rule security-questions), and backup
    codes that are not recorded are not counted (an assumption the result states).
    """
    return _from_keys(_option_keys(plan, account))


#: Routes by rank: an option key names its route by rank (an int hashes in C, a Route in Python).
_ROUTE_OF_RANK = {r.rank: r for r in Route}
_new_tuple = tuple.__new__


def _from_keys(keys: tuple) -> tuple[Option, ...]:
    """The options an :func:`_option_keys` key stands for, in order (each key is the option with
    its route's rank in place of the route; built without the NamedTuple's Python ``__new__``)."""
    routes = _ROUTE_OF_RANK
    return tuple([_new_tuple(Option, (routes[k[0]], k[1], k[2], k[3], k[4])) for k in keys])


def _option_keys(plan: Plan, account) -> tuple:
    """:func:`account_options` as keys equal for equal options, hashed without hashing a
    :class:`~.model.Route` (a Python-level hash): (route rank, via, wait, requirements, direct)
    each, in order, each listed once. Accounts with equal keys share one options tuple
    (:func:`compile_plan`), built once."""
    things = plan._things
    pw_reqs: list = []
    seconds: list = []          # the node each second step needs
    keys: dict = {}             # the keys in order, each once (a dict keeps the first place)
    has_passkey = False
    for m in account.sign_in:
        t = m.type
        if t is _PASSWORD:
            p = (m.via,) if m.via else ()
            if p not in pw_reqs:
                pw_reqs.append(p)
        elif t is _PASSKEY:
            has_passkey = True
            if m.via:
                node = m.via
            else:
                node = m.on + KEYS if things[m.on].type in _DEVICES else m.on
            keys[(0, None, 0, (node,), True)] = None
        elif t in SECOND_FACTORS:
            seconds.append(m.via if t is _EMAIL_CODE else m.on)
    has_pw = bool(pw_reqs)
    if not has_pw:
        pw_reqs = [()]
    if seconds:
        for p in pw_reqs:
            for node in seconds:
                keys[(0, None, 0, p if node in p else p + (node,), True)] = None
    elif has_pw and (not has_passkey or account.passkey_instead_of_password):
        for p in pw_reqs:
            keys[(0, None, 0, p, True)] = None
    c = account.backup_codes
    if c is not None and c.generated and c.stored_in and c.remaining != 0 and (seconds or has_passkey):
        rank = _R_CODES.rank
        for p in pw_reqs:
            for st in c.stored_in:
                t = things[st]
                node = t.via if t.kind is _PM and t.via else st
                if node == account.id:
                    continue     # codes kept inside this very account cannot open it
                keys[(rank, st, 0, p if node in p else p + (node,), False)] = None
    for r in account.recovery:
        t = r.type
        if t is _T_EMAIL:
            if r.via and not r.dead:
                keys[(_RANK_EMAIL, r.via, _WAIT_EMAIL, (r.via,), False)] = None
        elif t is _T_PHONE:
            keys[(_RANK_PHONE, r.on, _WAIT_PHONE, (r.on,), False)] = None
        elif t is _T_CONTACT:
            keys[(_RANK_CONTACT, r.on, _WAIT_CONTACT, (r.on,), False)] = None
        elif t is _T_SUPPORT:
            keys[(_RANK_SUPPORT, None, r.wait_days, (), False)] = None
    return tuple(keys)


def thing_restore(t) -> tuple[Option, ...] | None:
    if t.type is ThingType.PHONE_NUMBER:
        reqs = (t.carrier,) if t.carrier else ()
        return (Option(Route.REPLACEMENT_SIM, t.carrier, Route.REPLACEMENT_SIM.wait, reqs, False),)
    if t.type is ThingType.AUTHENTICATOR_APP and t.backup in (AppBackup.CLOUD, AppBackup.EXPORT):
        reqs = (t.via,) if t.via else ()
        return (Option(Route.APP_RESTORE, t.via, Route.APP_RESTORE.wait, reqs, False),)
    return None


def compile_plan(plan: Plan) -> Graph:
    shared: dict = {}           # equal ways in are one tuple, so results can be shared by identity
    options = {}
    for a in plan.accounts:     # plan.accounts is in id order
        key = _option_keys(plan, a)
        opts = shared.get(key)
        if opts is None:
            opts = shared[key] = _from_keys(key)
        options[a.id] = opts
    restore: dict[str, tuple[Option, ...]] = {}
    ways_back: dict = {}        # (type, carrier, via, backup) -> the one tuple of that way back, or None
    children: dict[str, list[str]] = {}
    nodes: list[str] = []
    phone, device, store, number, app = (ThingType.PHONE, ThingType.DEVICE, ThingType.CODE_STORE,
                                         ThingType.PHONE_NUMBER, ThingType.AUTHENTICATOR_APP)
    for t in plan.things:
        tt = t.type
        if tt is store and t.kind is StoreKind.PASSWORD_MANAGER:
            continue
        nodes.append(t.id)
        if tt is phone or tt is device:
            nodes.append(t.id + KEYS)
            children.setdefault(t.id, []).append(t.id + KEYS)
        if t.on:
            children.setdefault(t.on, []).append(t.id)
        if tt is number or tt is app:
            # equal ways back share one tuple too (every number of one carrier comes back the same
            # way), so a route found for one is found for all (routes are memoised by identity);
            # thing_restore reads exactly these fields
            shape = (tt, t.carrier, t.via, t.backup)
            r = ways_back.get(shape, False)
            if r is False:
                r = ways_back[shape] = thing_restore(t)
            if r is not None:
                restore[t.id] = r
    deps: dict[str, dict[str, None]] = {}
    needs: dict[str, list] = {}
    listed: dict = {}           # id(options tuple) -> what it needs: equal ways in list it once
    for group in (options, restore):
        for owner, opts in group.items():
            mine = listed.get(id(opts))
            if mine is None:        # every requirement once, in order
                seen: dict = {}
                for o in opts:
                    for r in o[3]:
                        seen[r] = None
                mine = listed[id(opts)] = list(seen)
            needs[owner] = mine
            for r in mine:
                d = deps.get(r)
                if d is None:
                    deps[r] = {owner: None}
                else:
                    d[owner] = None
    counts_as, because = derive_importance(plan, options, restore, needs)
    critical = frozenset(a for a, imp in counts_as.items() if imp is Importance.CRITICAL)
    return Graph(plan=plan, options=options, restore=restore,
                 dependents={k: tuple(v) for k, v in deps.items()},
                 children={k: tuple(v) for k, v in children.items()}, things=tuple(nodes),
                 critical=critical, counts_as=counts_as, because=because)


def derive_importance(plan: Plan, options: dict, restore: dict, needs: dict | None = None) -> tuple[dict, dict]:
    """Each account's importance, raised to that of the most important account it can reset
    or unlock (transitively); ``because`` names that account. Linear: one upstream walk per
    importance level, each node visited once."""
    if needs is None:
        needs = {}
        for group in (options, restore):
            for owner, opts in group.items():
                needs[owner] = list({r: None for o in opts for r in o.reqs})
    counts_as = {a.id: a.importance for a in plan.accounts}
    because: dict[str, str] = {}
    for level in (Importance.CRITICAL, Importance.IMPORTANT):
        rank = IMPORTANCE_RANK[level]
        seen: set = set()
        for a in plan.accounts:         # in id order: the first account to reach a node is its "because"
            if a.importance is not level:
                continue
            source = a.id
            # One walk per account, every node it reaches that no earlier walk reached: that set does
            # not depend on the order the walk takes, so requirements are taken as they are listed.
            stack = [source]
            while stack:
                for r in needs[stack.pop()]:
                    if r in seen:
                        continue
                    seen.add(r)
                    if r in counts_as and IMPORTANCE_RANK[counts_as[r]] < rank:
                        counts_as[r] = level
                        because[r] = source
                    if needs.get(r):        # nothing to walk from a node that needs nothing
                        stack.append(r)
    return counts_as, because
