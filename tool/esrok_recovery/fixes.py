"""Fixes: every action's remedy, written as a change to the plan.

A fix is a short list of :class:`Op` (JSON-ready, addressed by id, never by list
position, so the page can apply it to the plan it holds)::

    {"op": "add",    "path": "things",                "value": {<a thing>}}
    {"op": "add",    "path": "accounts/<id>/sign_in",  "value": {<a sign-in method>}}
    {"op": "add",    "path": "accounts/<id>/recovery", "value": {<a recovery route>}}
    {"op": "remove", "path": "accounts/<id>/sign_in",  "match": {<fields the item has>}}
    {"op": "remove", "path": "accounts/<id>/recovery", "match": {...}}
    {"op": "set",    "path": "accounts/<id>" | "things/<id>" | "habits", "field": <name>, "value": <JSON>}
    {"op": "set",    "path": "accounts/<id>/sign_in", "match": {...}, "field": <name>, "value": <JSON>}

A ``"set"`` whose value is null removes the field (it goes back to its default).

:func:`apply_to_data` applies ops to plan JSON (what the page holds); :func:`apply` applies
them to a parsed :class:`~.model.Plan` (what the engine re-evaluates). Both go through the
same field table, and a test checks they agree.

The remedies (:func:`print_codes`, :func:`spare_key`, :func:`upgrade_to_passkey`...) build a
:class:`Fix`: a kind, plain words, and the ops per account. Two findings whose fixes give an
account the same ops share one root cause, and fold into one action.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from .fields import SHAPES
from .model import (FORMAT_VERSION, READS_VERSIONS, PHISHING_RESISTANT, PHONE_CODES, SECOND_FACTORS, Account, AccountKind, Habits, Plan,
                    RecoveryType, SignInType, StoreKind, ThingType)
from .parse import ROOT, _Reader, _build_codes, _build_recovery, _build_sign_in, _build_thing, _recovery_key, _sign_in_key


@dataclass(frozen=True, init=False)
class Op:
    op: str                       # add | remove | set
    path: str
    value: Any = None
    field: str | None = None
    match: tuple | None = None    # sorted (key, value) pairs of the item to match
    account: str | None = None    # the account the op is for (None: shared, such as a new thing)

    def __init__(self, op: str, path: str, value: Any = None, field: str | None = None, match: tuple | None = None,
                 account: str | None = None) -> None:
        # The fields, in the order above. Ranking a large plan builds tens of thousands of ops: set
        # directly, they cost half what the generated frozen __init__ (a setattr per field) costs.
        d = self.__dict__
        d["op"] = op
        d["path"] = path
        d["value"] = value
        d["field"] = field
        d["match"] = match
        d["account"] = account

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.match is not None:
            out["match"] = dict(self.match)
        if self.field is not None:
            out["field"] = self.field
        if self.op != "remove":
            out["value"] = self.value
        return out

    @property
    def key(self) -> tuple:
        """What makes two ops the same change (values are built in a fixed key order, so repr is
        canonical). Worked out when first asked: most ops of a large plan are never compared."""
        d = self.__dict__
        k = d.get("_key")
        if k is None:
            k = d["_key"] = (self.op, self.path, self.field, repr(self.value), self.match)
        return k


@dataclass(frozen=True)
class Fix:
    kind: str                         # the remedy: print-codes, spare-key, upgrade-to-passkey, ...
    title: str                        # imperative, plain, at most 70 characters
    do: str                           # what to do, in full
    ops: tuple[Op, ...]

    @property
    def keys(self) -> frozenset:
        d = self.__dict__
        k = d.get("_keys")
        if k is None:
            k = d["_keys"] = frozenset(op.key for op in self.ops)
        return k

    def _by_account(self) -> dict:
        """Its ops grouped by the account they are for (None: shared, such as a new thing), once."""
        d = self.__dict__
        by = d.get("_by")
        if by is None:
            by = d["_by"] = {}
            for op in self.ops:
                by.setdefault(op.account, []).append(op)
        return by

    def ops_for(self, account: str | None) -> list:
        """The ops for ``account`` (None: the shared ones)."""
        return self._by_account().get(account, ())

    def _cached(self, name: str, work):
        d = self.__dict__
        hit = d.get(name)
        if hit is None:
            hit = d[name] = work(self.ops)
        return hit

    def touched(self) -> set:
        """The accounts this fix changes (worked out once)."""
        return self._cached("_accounts", _accounts)

    def covered(self, other: "Fix", accounts: set) -> set:
        """The accounts among ``accounts`` where this fix :meth:`covers` ``other``, worked out for all
        at once. An op of ``other`` that is one of this fix's own Op objects (remedies share them, see
        :func:`_codes_op`) is made by it; one whose :func:`_shape` none of this fix's ops has is not;
        only the accounts with other ops are compared op by op. (Each fix's ops by object id, their
        shapes and their accounts are worked out once, when first needed.)"""
        mine = self._cached("_ids", _by_object)
        theirs = other._cached("_ids", _by_object)
        if mine.keys().isdisjoint(theirs):      # no op in common: compare the kinds of change first
            shapes = self._cached("_shapes", _shapes)
            if shapes.isdisjoint(other._cached("_shapes", _shapes)):
                return set()
            odd_ops, sure = other.ops, set()
            odd = accounts & other._cached("_accounts", _accounts)
        else:
            odd_ops = [theirs[i] for i in theirs.keys() - mine.keys()]
            odd = {x.account for x in odd_ops} & accounts
            sure = (accounts & other._cached("_accounts", _accounts)) - odd
            if not odd:
                return sure
            shapes = self._cached("_shapes", _shapes)
        not_made = {x.account for x in odd_ops if x.account in odd and _shape(x) not in shapes}
        return sure | {a for a in odd - not_made if self.covers(other, a)}

    def covers(self, other: "Fix", account: str | None) -> bool:
        """True when ``other`` changes ``account`` and this fix makes every one of those changes too
        (the same :attr:`Op.key`): two findings whose fixes do so share a root cause there."""
        theirs = other.ops_for(account)
        if not theirs:
            return False
        mine = self.ops_for(account)
        return all(any(_same(x, y) for y in mine) for x in theirs)

    def as_list(self) -> list[dict]:
        return [op.as_dict() for op in self.ops]


def _same(x: Op, y: Op) -> bool:
    """``x.key == y.key``, the cheap parts first: ops of two fixes mostly differ in kind or path
    (and remedies share one Op object for the same change, see :func:`_codes_op`)."""
    return x is y or (x.path == y.path and x.op == y.op and x.field == y.field and x.match == y.match
                      and x.key == y.key)


#: An op's shape: what change it makes and where, leaving its value out: (op, path, field, match).
#: Equal :attr:`Op.key` means equal shape, so two fixes with no shape in common make no change in
#: common, and an op whose shape a fix lacks is not made by it. Read in C (attrgetter), with no
#: string work: a large plan's fixes have tens of thousands of ops.
_shape = attrgetter("op", "path", "field", "match")


def _shapes(ops) -> set:
    return set(map(_shape, ops))


def _by_object(ops) -> dict:
    # zip and map run in C: a fix of a large plan has thousands of ops
    return dict(zip(map(id, ops), ops))


_account_of = attrgetter("account")


def _accounts(ops) -> set:
    return set(map(_account_of, ops))


def _memo(plan: Plan) -> dict:
    """What the remedies work out from ``plan``, kept on it for the next remedy. A plan is frozen,
    so none of it goes stale; a plan changed by :func:`apply` is a new plan and starts empty."""
    d = plan.__dict__
    memo = d.get("_fixes_memo")
    if memo is None:
        memo = d["_fixes_memo"] = {}
    return memo


def _match(d: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in d.items() if v is not None))


# Members read per account or per method, bound once (reading one off its enum class is a slow
# metaclass hook in CPython 3.11).
_PASSKEY, _R_EMAIL = SignInType.PASSKEY, RecoveryType.RECOVERY_EMAIL


def method_dict(m) -> dict:
    out: dict[str, Any] = {"type": m.type.value}
    for k in ("on", "via"):
        if getattr(m, k):
            out[k] = getattr(m, k)
    return out


def route_dict(r) -> dict:
    out: dict[str, Any] = {"type": r.type.value}
    for k in ("via", "on"):
        if getattr(r, k):
            out[k] = getattr(r, k)
    if r.type is RecoveryType.RECOVERY_EMAIL and r.dead:
        out["dead"] = True
    return out


def method_match(m) -> tuple:
    """What an op matches a sign-in method by: ``_match(method_dict(m))``, built directly (its
    keys in sorted order: on, type, via)."""
    out = (("on", m.on),) if m.on else ()
    out += (("type", m.type._value_),)      # _value_: .value is a Python-level property
    return out + (("via", m.via),) if m.via else out


def route_match(r) -> tuple:
    """What an op matches a recovery route by: ``_match(route_dict(r))``, built directly (its keys
    in sorted order: dead, on, type, via)."""
    out = (("dead", True),) if r.type is _R_EMAIL and r.dead else ()
    if r.on:
        out += (("on", r.on),)
    out += (("type", r.type._value_),)
    return out + (("via", r.via),) if r.via else out


# --- applying ops ----------------------------------------------------------------------------
class FixError(ValueError):
    """An op does not fit the plan (a test failure, never shown to a person)."""


def _split(path: str) -> list[str]:
    return path.split("/")


def _matches(item: dict, match: tuple) -> bool:
    return all(item.get(k) == v for k, v in match)


def apply_to_data(data: dict, ops) -> dict:
    """Apply ops to plan JSON (a dict in the plan format); returns a new dict, written in the
    current format version (a version 1 plan reads the same as version 2)."""
    d = copy.deepcopy(data)
    if d.get("version") in READS_VERSIONS:
        d["version"] = FORMAT_VERSION
    for op in ops:
        if isinstance(op, Op):
            op = op.as_dict()
        parts = _split(op["path"])
        match = _match(op["match"]) if "match" in op else None
        if parts == ["things"] and op["op"] == "add":
            d.setdefault("things", []).append(copy.deepcopy(op["value"]))
            continue
        if parts == ["habits"]:
            d.setdefault("habits", {})[op["field"]] = op["value"]
            continue
        value = copy.deepcopy(op.get("value"))
        group = {"things": d.get("things", []), "accounts": d.get("accounts", [])}.get(parts[0])
        if group is None or len(parts) < 2:
            raise FixError(f"unknown path {op['path']}")
        item = next((x for x in group if isinstance(x, dict) and x.get("id") == parts[1]), None)
        if item is None:
            raise FixError(f"no {parts[0][:-1]} {parts[1]}")
        if len(parts) == 2:
            _set(item, op["field"], value)
            continue
        lst = item.setdefault(parts[2], [])
        if op["op"] == "add":
            lst.append(value)
        elif op["op"] == "remove":
            item[parts[2]] = [x for x in lst if not _matches(x, match)]
        else:
            for x in lst:
                if _matches(x, match):
                    _set(x, op["field"], value)
    return d


def _set(item: dict, name: str, value) -> None:
    """``"set"`` with a null value removes the field (it goes back to its default)."""
    if value is None:
        item.pop(name, None)
    else:
        item[name] = value


def _reader(plan: Plan, extra_things=()) -> _Reader:
    r = _Reader()
    r.thing_types = {t.id: t.type for t in plan.things}
    r.thing_types.update({t.id: t.type for t in extra_things})
    r.account_kinds = {a.id: a.kind for a in plan.accounts}
    return r


def _value(shape: str, name: str, value: Any, r: _Reader):
    for f in SHAPES[shape].fields + tuple(f for v in SHAPES[shape].variants for f in v.fields):
        if f.name == name:
            if f.kind.value == "object":
                return f.key, _build_codes(r, value, ROOT)
            return f.key, r.value(f, value, ROOT) if value is not None else None
    raise FixError(f"unknown field {name} of {shape}")


def apply(plan: Plan, ops) -> Plan:
    """Apply ops to a parsed plan; every value is read through the field table (like a plan file).
    Unchanged things and accounts are shared with the original plan."""
    things = dict(plan._things)
    accounts = dict(plan._accounts)
    habits = plan.habits
    r = _reader(plan)
    added = False
    for op in ops:
        if op.path == "things" and op.op == "add":
            r.thing_types[op.value["id"]] = ThingType(op.value["type"])
            t = _build_thing(r, op.value, ROOT)
            if t is None:
                raise FixError(f"bad thing {op.value}: {r.problems}")
            things[t.id] = t
            added = True
            continue
        if op.path == "habits":
            habits = replace(habits, **{op.field: op.value})
            continue
        parts = _split(op.path)
        if parts[0] == "things":
            key, v = _value("thing", op.field, op.value, r)
            things[parts[1]] = replace(things[parts[1]], **{key: v})
            continue
        a = accounts[parts[1]]
        if len(parts) == 2:
            key, v = _value("account", op.field, op.value, r)
            accounts[a.id] = replace(a, **{key: v})
            continue
        lst = parts[2]
        build = _build_sign_in if lst == "sign_in" else _build_recovery
        todict = method_dict if lst == "sign_in" else route_dict
        items = list(getattr(a, lst))
        if op.op == "add":
            x = build(r, op.value, ROOT)
            if x is None:
                raise FixError(f"bad {lst} {op.value}: {r.problems}")
            items.append(x)
        elif op.op == "remove":
            items = [x for x in items if not _matches(todict(x), op.match)]
        else:
            shape = "sign_in" if lst == "sign_in" else "recovery"
            key, v = _value(shape, op.field, op.value, r)
            items = [replace(x, **{key: v}) if _matches(todict(x), op.match) else x for x in items]
        items.sort(key=_sign_in_key if lst == "sign_in" else _recovery_key)
        accounts[a.id] = replace(a, **{lst: tuple(items)})
    new_things = tuple(sorted(things.values(), key=_by_id)) if added else \
        tuple(things[t.id] for t in plan.things)
    return Plan(version=plan.version, as_of=plan.as_of, habits=habits, things=new_things,
                accounts=tuple(accounts[a.id] for a in plan.accounts))


def _by_id(x) -> str:
    return x.id


# --- helpers for remedies -------------------------------------------------------------------------
def new_id(plan: Plan, base: str, taken=()) -> str:
    ident, n = base, 2
    while plan.has_thing(ident) or plan.has_account(ident) or ident in taken:
        ident = f"{base}-{n}"
        n += 1
    return ident


def title(text: str, plan: Plan, accounts) -> str:
    """The action's title with its accounts, kept within 70 characters: ``text`` either holds
    "{}" where the accounts go ("Switch {} to a passkey") or gets " for <accounts>" appended."""
    accounts = list(accounts)
    if not accounts:
        return text.replace(" {}", "").replace("{} ", "")[:70]
    fill = (lambda who: text.format(who)) if "{}" in text else (lambda who: f"{text} for {who}")
    for limit in (2, 1):
        t = fill(plan.names(accounts, limit))
        if len(t) <= 70:
            return t
    t = fill("your accounts" if len(accounts) > 1 else "this account")
    return t if len(t) <= 70 else t[:69] + "…"


def second_steps(a: Account):
    return [m for m in a.sign_in if m.type in SECOND_FACTORS]


def has_second_or_passkey(a: Account) -> bool:
    for m in a.sign_in:
        if m.type in SECOND_FACTORS or m.type is _PASSKEY:
            return True
    return False


def _phone_for(plan: Plan, a: Account) -> str | None:
    """The phone (or device) the account's second step already lives on, else the first phone."""
    for m in a.sign_in:
        if m.on:
            dev = plan.device_of(m.on)
            if dev and plan.thing(dev).type is ThingType.PHONE:
                return dev
    memo = _memo(plan)       # the first phone, else the first device: looked up once per plan
    if "first_phone" not in memo:
        phones = (t.id for t in plan.things if t.type is ThingType.PHONE)
        devices = (t.id for t in plan.things if t.type is ThingType.DEVICE)
        memo["first_phone"] = next(phones, None) or next(devices, None)
    return memo["first_phone"]


def _codes_op(plan: Plan, account: str, store: str) -> Op:
    """A fresh set of backup codes for ``account``, kept in ``store`` (and where the account's codes
    already are). Several rules print codes for the same account: they share one Op (:func:`_memo`)."""
    memo = _memo(plan)
    op = memo.get(("codes", account, store))
    if op is None:
        c = plan.account(account).backup_codes
        kept = c.stored_in if c and c.generated and c.remaining != 0 else ()
        value: dict[str, Any] = {"generated": True, "stored_in": sorted(set(kept) | {store}) if kept else [store],
                                 "remaining": 10, "used": 0}
        if plan.as_of:
            value["generated_on"] = plan.as_of
        op = memo[("codes", account, store)] = Op("set", f"accounts/{account}", value, field="backup_codes",
                                                  account=account)
    return op


# --- remedies -----------------------------------------------------------------------------------
def print_codes(plan: Plan, accounts, away_from_home: bool = False) -> Fix | None:
    """Print backup codes (at home, or with someone you trust when home is what is at risk)."""
    store, add_store = _code_store(plan, away_from_home)
    memo = _memo(plan)
    made = memo.get(("print", store))       # account -> its op (one dict per store, looked up by id alone)
    if made is None:
        made = memo[("print", store)] = {}
    account = plan._accounts.__getitem__
    codes: list[Op] = []
    for i in accounts:
        op = made.get(i)
        if op is None:   # False: no second step or passkey for a backup code to stand in for
            op = made[i] = has_second_or_passkey(account(i)) and _codes_op(plan, i, store)
        if op:
            codes.append(op)
    if not codes:
        return None
    ops = [add_store] + codes if add_store is not None else codes
    where = "give a copy to someone you trust" if away_from_home else "keep the printout at home, away from your phone"
    return Fix("print-codes-elsewhere" if away_from_home else "print-codes",
               title("Give someone you trust backup codes for {}" if away_from_home else "Print backup codes for {}",
                     plan, list(map(_account_of, codes))),
               f"Generate a fresh set of backup codes, print them and {where}. A backup code stands in for the "
               f"second step when the phone, number or key is gone.", tuple(ops))


def _code_store(plan: Plan, away_from_home: bool) -> tuple[str, Op | None]:
    """Where printed codes go: the plan's paper or safe at home (a trusted person's copy when home is
    what is at risk), else a new one, with the op that adds it (worked out once per plan)."""
    memo = _memo(plan)
    hit = memo.get(("store", away_from_home))
    if hit is not None:
        return hit
    if away_from_home:
        existing = next((t.id for t in plan.things if t.type is ThingType.CODE_STORE
                         and t.kind is StoreKind.TRUSTED_PERSON), None)
    else:
        existing = next((t.id for t in plan.things if t.type is ThingType.CODE_STORE
                         and t.kind in (StoreKind.PAPER, StoreKind.SAFE) and plan.location(t.id).value == "home"), None)
    add = None
    if existing is None:
        existing = new_id(plan, "trusted-person-codes" if away_from_home else "printed-codes")
        value = ({"id": existing, "type": "code_store", "kind": "trusted_person", "label": "Codes with someone you trust"}
                 if away_from_home else
                 {"id": existing, "type": "code_store", "kind": "paper", "label": "Printed backup codes",
                  "location": "home"})
        add = Op("add", "things", value)
    hit = memo[("store", away_from_home)] = (existing, add)
    return hit


def spare_key(plan: Plan, accounts) -> Fix:
    """A second key, kept away from the first: at home when the first key is carried, elsewhere
    (at work, with someone you trust) when the first key already stays at home."""
    key = new_id(plan, "spare-key")
    first = {m.on for a in accounts for m in plan.account(a).sign_in
             if m.type is SignInType.SECURITY_KEY and m.on and plan.has_thing(m.on)}
    at_home = any(plan.location(k).value == "home" for k in first)
    where = "elsewhere" if at_home else "home"
    ops = [Op("add", "things", {"id": key, "type": "security_key", "label": "Spare security key", "location": where})]
    ops += [Op("add", f"accounts/{a}/sign_in", {"type": "security_key", "on": key}, account=a) for a in accounts]
    on = "this account" if len(accounts) == 1 else "each of these accounts"
    keep = ("keep it away from home (at work, or with someone you trust), so one fire or burglary cannot take both keys"
            if at_home else "keep it at home (or with someone you trust), away from the key you carry")
    return Fix("spare-key", title("Register a spare security key", plan, accounts),
               f"Buy a second security key, register it on {on} and {keep}.", tuple(ops))


def weaker_methods(a: Account) -> list:
    return [m for m in a.sign_in if m.type in SECOND_FACTORS and m.type not in PHISHING_RESISTANT]


def upgrade_to_passkey(plan: Plan, accounts, security_key: bool = False) -> Fix:
    """Add a passkey (on the phone that does the second step today) and turn off the weaker methods.
    ``security_key``: register a security key instead (for services that take keys, not passkeys)."""
    ops: list[Op] = []
    key = None
    off: dict = {}
    words = {SignInType.SMS: "text-message codes", SignInType.VOICE: "voice-call codes",
             SignInType.EMAIL_CODE: "emailed codes", SignInType.TOTP: "app codes", SignInType.PUSH: "push prompts"}
    recovery_phone = RecoveryType.RECOVERY_PHONE
    for i in accounts:
        a = plan.account(i)
        weaker = weaker_methods(a)
        for m in weaker:
            off[words.get(m.type, "codes")] = None
        numbers = [r for r in a.recovery if r.type is recovery_phone]
        if numbers:
            off["the recovery phone number"] = None
        for m in a.sign_in:
            if m.type in PHISHING_RESISTANT:
                break
        else:                                   # no phishing-resistant method yet: add one
            phone = None if security_key else _phone_for(plan, a)
            if phone is None:
                if key is None:
                    key = new_id(plan, "security-key")
                    ops.append(Op("add", "things", {"id": key, "type": "security_key", "label": "Security key",
                                                    "location": "carried"}))
                ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "security_key", "on": key}, account=i))
            else:
                ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "passkey", "on": phone}, account=i))
        for m in weaker:
            ops.append(Op("remove", f"accounts/{i}/sign_in", match=method_match(m), account=i))
        for r in numbers:
            ops.append(Op("remove", f"accounts/{i}/recovery", match=route_match(r), account=i))
    order = list(words.values()) + ["codes", "the recovery phone number"]
    items = [w for w in order if w in off]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
    codes = all(plan.account(i).backup_codes is not None and plan.account(i).backup_codes.generated for i in accounts)
    then = f", then turn off the weaker ways in: {listed}" if listed else ""
    if security_key:
        keep = ("Keep your backup codes." if codes else
                "Print backup codes too, so you can still get in if the key is lost.")
        return Fix("upgrade-to-security-key", title("Switch {} to a security key", plan, accounts),
                   f"Register a security key{then}. {keep}", tuple(ops))
    keep = ("Keep your backup codes." if codes else
            "Print backup codes too, so you can still get in if the device with the passkey is lost.")
    return Fix("upgrade-to-passkey", title("Switch {} to a passkey", plan, accounts),
               f"Add a passkey (or a security key){then}. {keep}", tuple(ops))


#: Sign-in codes weaker than an authenticator app or the service's own app (the Protection ladder).
CODES = frozenset({SignInType.SMS, SignInType.VOICE, SignInType.EMAIL_CODE})


def _app_on_phone(plan: Plan, ops: list) -> tuple[str, str]:
    """The authenticator app to use (an existing one, else a new one on the first phone): (app, phone)."""
    app = next((t for t in plan.things if t.type is ThingType.AUTHENTICATOR_APP), None)
    if app is not None:
        return app.id, app.on
    made = {op.value["id"]: op.value for op in ops if op.path == "things"}
    for ident, value in made.items():
        if value["type"] == "authenticator_app":
            return ident, value["on"]
    phone = _device(plan, ops)
    app_id = new_id(plan, "authenticator", set(made) | {phone})
    ops.append(Op("add", "things", {"id": app_id, "type": "authenticator_app", "label": "Authenticator app",
                                    "on": phone, "backup": "none"}))
    return app_id, phone


def _device(plan: Plan, ops: list) -> str:
    """The first phone (or device) of the plan, or a new phone added to ``ops``."""
    phone = next((t.id for t in plan.things if t.type in (ThingType.PHONE, ThingType.DEVICE)), None)
    if phone is not None:
        return phone
    made = [op.value for op in ops if op.path == "things" and op.value["type"] in ("phone", "device")]
    if made:
        return made[0]["id"]
    phone = new_id(plan, "phone", {op.value["id"] for op in ops if op.path == "things"})
    ops.append(Op("add", "things", {"id": phone, "type": "phone", "label": "Your phone", "location": "carried"}))
    return phone


def _number(plan: Plan, ops: list) -> str:
    """The first phone number of the plan, or a new one (on the first phone) added to ``ops``."""
    number = next((t.id for t in plan.things if t.type is ThingType.PHONE_NUMBER), None)
    if number is not None:
        return number
    made = [op.value for op in ops if op.path == "things" and op.value["type"] == "phone_number"]
    if made:
        return made[0]["id"]
    phone = _device(plan, ops)
    number = new_id(plan, "mobile", {op.value["id"] for op in ops if op.path == "things"})
    ops.append(Op("add", "things", {"id": number, "type": "phone_number", "label": "Your mobile number",
                                    "on": phone}))
    return number


def switch_to_app(plan: Plan, accounts, method: SignInType, app_name: str = "") -> Fix:
    """Add app codes (TOTP) or the service's own app's prompts (push), and turn off the weaker codes
    (text message, voice call, email)."""
    ops: list[Op] = []
    for i in accounts:
        a = plan.account(i)
        if method is SignInType.TOTP:
            app, _ = _app_on_phone(plan, ops)
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "totp", "on": app}, account=i))
        else:
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "push", "on": _device(plan, ops)}, account=i))
        for m in a.sign_in:
            if m.type in CODES:
                ops.append(Op("remove", f"accounts/{i}/sign_in", match=method_match(m), account=i))
    if method is SignInType.TOTP:
        return Fix("switch-to-app-codes", title("Switch {} to an authenticator app", plan, accounts),
                   "Set up an authenticator app as the second step, then turn off text-message, voice and email "
                   "codes. Keep your backup codes.", tuple(ops))
    app = app_name or "the service's own app"
    return Fix("switch-to-app-prompts", title("Switch {} to sign-in prompts in its app", plan, accounts),
               f"Approve sign-ins in {app} instead, with number matching where it is offered, then turn off "
               f"text-message, voice and email codes. Keep your backup codes.", tuple(ops))


def _print_codes(plan: Plan, accounts, ops: list) -> None:
    """Add to ``ops``: a new sheet of printed codes kept at home, and codes on it for ``accounts``."""
    store = new_id(plan, "printed-codes", {op.value["id"] for op in ops if op.path == "things"})
    ops.append(Op("add", "things", {"id": store, "type": "code_store", "kind": "paper",
                                    "label": "Printed backup codes", "location": "home"}))
    for i in accounts:
        ops.append(_codes_op(plan, i, store))


def turn_on(plan: Plan, accounts, method: SignInType, what: str, passkey_second: bool = True) -> Fix | None:
    """For accounts signing in with a password alone: turn on ``method`` (the strongest the service
    offers; ``what`` names it in plain words), then print the backup codes. ``passkey_second``: False
    when the service takes passkeys only instead of the password (none is named as a second step)."""
    if method is SignInType.TOTP:
        return add_app_codes(plan, accounts, passkey_second=passkey_second)
    ops: list[Op] = []
    for i in accounts:
        if method is SignInType.PASSKEY:
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "passkey", "on": _device(plan, ops)}, account=i))
        elif method is SignInType.SECURITY_KEY:
            key = next((op.value["id"] for op in ops if op.path == "things"
                        and op.value["type"] == "security_key"), None)
            if key is None:
                key = new_id(plan, "security-key", {op.value["id"] for op in ops if op.path == "things"})
                ops.append(Op("add", "things", {"id": key, "type": "security_key", "label": "Security key",
                                                "location": "carried"}))
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "security_key", "on": key}, account=i))
        elif method is SignInType.PUSH:
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "push", "on": _device(plan, ops)}, account=i))
        elif method in (SignInType.SMS, SignInType.VOICE):
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": method.value, "on": _number(plan, ops)},
                          account=i))
        else:
            return None   # email codes need a mailbox the plan names: left to the generic advice
    _print_codes(plan, accounts, ops)
    return Fix("turn-on-second-step", title("Turn on a second sign-in step for {}", plan, accounts),
               f"Turn on two-step sign-in with {what}, then print the backup codes the service offers and keep "
               f"them at home.", tuple(ops))


def remove_phone_fallbacks(plan: Plan, accounts) -> Fix:
    ops: list[Op] = []
    what: dict = {}
    for i in accounts:
        a = plan.account(i)
        for m in a.sign_in:
            if m.type in PHONE_CODES:
                ops.append(Op("remove", f"accounts/{i}/sign_in", match=method_match(m), account=i))
                what["text-message codes" if m.type is SignInType.SMS else "voice-call codes"] = None
        for r in a.recovery:
            if r.type is RecoveryType.RECOVERY_PHONE:
                ops.append(Op("remove", f"accounts/{i}/recovery", match=route_match(r), account=i))
                what["the recovery phone number"] = None
    order = ["text-message codes", "voice-call codes", "the recovery phone number"]
    items = [w for w in order if w in what] or ["text-message and voice codes and the recovery phone number"]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    one = len(accounts) == 1
    codes = all(plan.account(i).backup_codes is not None and plan.account(i).backup_codes.generated for i in accounts)
    strong = _strong_methods(plan, accounts)
    remain = (f"{strong} and your backup codes remain your ways back in" if codes else
              f"{strong} {'remain your ways' if ' and ' in strong else 'remains your way'} in; print backup codes "
              f"first so you have a way back")
    them = "it" if len(items) == 1 and items[0] == "the recovery phone number" else "them"
    return Fix("remove-phone-fallback", title("Remove the phone-number fallback from {}", plan, accounts),
               f"Remove {listed} from {'this account' if one else 'these accounts'}; {remain}. "
               f"If you would rather keep {them}, mark this step as a "
               f"trade-off you accept (“Trade-offs accepted” in your plan) and it will not be raised again.",
               tuple(ops))


def strong_methods(kinds, owner: str = "your ") -> str:
    """The phishing-resistant methods in ``kinds`` in the person's terms: "your security key", "your
    passkey", "your passkey and security key"; with ``owner="a "``, "a passkey and a security key"."""
    kinds = set(kinds) & PHISHING_RESISTANT
    if kinds == {SignInType.SECURITY_KEY}:
        return f"{owner}security key"
    if kinds == {SignInType.PASSKEY}:
        return f"{owner}passkey"
    if kinds == PHISHING_RESISTANT:
        return f"{owner}passkey and {'a ' if owner == 'a ' else ''}security key"
    return f"{owner}passkey or security key"


def _strong_methods(plan: Plan, accounts) -> str:
    """What stays when the phone fallback goes: the accounts' own strong methods, or either when
    the accounts differ."""
    kinds = [{m.type for m in plan.account(i).sign_in if m.type in PHISHING_RESISTANT} for i in accounts]
    return strong_methods(kinds[0] if kinds and all(k == kinds[0] for k in kinds) else ())


def add_app_codes(plan: Plan, accounts, with_codes: bool = True, passkey_second: bool = True) -> Fix:
    """Turn on a second step with an authenticator app (on the first phone), and print codes."""
    ops: list[Op] = []
    app = next((t.id for t in plan.things if t.type is ThingType.AUTHENTICATOR_APP), None)
    if app is None:
        phone = next((t.id for t in plan.things if t.type in (ThingType.PHONE, ThingType.DEVICE)), None)
        if phone is None:
            phone = new_id(plan, "phone")
            ops.append(Op("add", "things", {"id": phone, "type": "phone", "label": "Your phone",
                                            "location": "carried"}))
        app = new_id(plan, "authenticator", (phone,))
        ops.append(Op("add", "things", {"id": app, "type": "authenticator_app", "label": "Authenticator app",
                                        "on": phone, "backup": "none"}))
    for i in accounts:
        ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "totp", "on": app}, account=i))
    if with_codes:
        _print_codes(plan, accounts, ops)
    return Fix("turn-on-second-step", title("Turn on a second sign-in step for {}", plan, accounts),
               f"Turn on two-step sign-in with an authenticator app "
               f"({'a passkey or security key' if passkey_second else 'a security key, where offered,'} is even "
               f"better), then print the backup codes the service offers and keep them at home.", tuple(ops))


def second_app_device(plan: Plan, accounts) -> Fix:
    dev = new_id(plan, "second-device")
    app = new_id(plan, "second-authenticator", (dev,))
    ops = [Op("add", "things", {"id": dev, "type": "device", "label": "Second device", "location": "home"}),
           Op("add", "things", {"id": app, "type": "authenticator_app", "label": "Authenticator on the second device",
                                "on": dev, "backup": "none"})]
    ops += [Op("add", f"accounts/{a}/sign_in", {"type": "totp", "on": app}, account=a) for a in accounts]
    return Fix("second-authenticator", title("Put the authenticator for {} on a second device", plan, accounts),
               "Set the authenticator up on a second device too (or register a security key). If you export the "
               "codes instead, export them only to a place you can reach without this phone.", tuple(ops))


def set_field(plan: Plan, kind: str, targets, field_name: str, value, fix_kind: str, fix_title: str, do: str,
              accounts=None) -> Fix:
    """Set one field on things or accounts (``targets``: (path id, account the op is for))."""
    ops = tuple(Op("set", f"{kind}/{t}", value, field=field_name, account=acct) for t, acct in targets)
    return Fix(fix_kind, fix_title, do, ops)


def written_password(plan: Plan, accounts) -> Fix | None:
    """For accounts whose password exists only in a password manager: a written copy in the
    emergency kit, so the account does not fall with the vault."""
    ops = []
    todo = []
    for i in accounts:
        a = plan.account(i)
        pws = [m for m in a.sign_in if m.type is SignInType.PASSWORD]
        if pws and all(m.via for m in pws):
            ops.append(Op("add", f"accounts/{i}/sign_in", {"type": "password", "reused": False}, account=i))
            todo.append(i)
    if not ops:
        return None
    return Fix("written-password", title("Keep a written copy of the password for {}", plan, todo),
               "Write this password into a printed emergency kit kept at home, so the account does not depend on "
               "opening the password manager.", tuple(ops))


def recovery_contact(plan: Plan, accounts) -> Fix:
    c = new_id(plan, "recovery-contact")
    ops = [Op("add", "things", {"id": c, "type": "recovery_contact", "label": "Recovery contact"})]
    ops += [Op("add", f"accounts/{a}/recovery", {"type": "recovery_contact", "on": c}, account=a) for a in accounts]
    return Fix("recovery-contact", title("Set up a recovery contact", plan, accounts),
               "Choose a person you trust and set them up as a recovery contact where the service offers it.",
               tuple(ops))


def _mailbox_index(plan: Plan) -> list:
    """(mailbox id, the accounts it signs in or recovers through), computed once per plan."""
    memo = _memo(plan)
    index = memo.get("mailboxes")
    if index is None:
        index = memo["mailboxes"] = []
        for b in plan.accounts:
            if b.kind in (AccountKind.EMAIL, AccountKind.GOOGLE, AccountKind.MICROSOFT, AccountKind.APPLE):
                uses = {r.via for r in b.recovery if r.via} | {m.via for m in b.sign_in if m.via}
                index.append((b.id, uses))
    return index


def independent_mailbox(plan: Plan, account: Account, protection: dict | None = None) -> str | None:
    """A mailbox in the plan that does not depend on ``account`` and is at least as well
    protected (when Protection values are given): the best protected such mailbox."""
    own = protection.get(account.id) if protection else None
    mine = {r.via for r in account.recovery if r.via}
    index = _mailbox_index(plan)
    if protection:   # best protected first, ties by id; stop at the first that fits
        memo = _memo(plan)
        key = ("mailboxes by protection", id(protection))
        order = memo.get(key)
        if order is None or order[0] is not protection:
            order = memo[key] = (protection, sorted(index, key=lambda bu: (-protection[bu[0]].value, bu[0])))
        index = order[1]
    for b, uses in index:
        if b == account.id or account.id in uses or b in mine:
            continue
        if own is not None and protection[b].value < own.value:
            return None if protection else None
        return b
    return None


def replace_route(plan: Plan, items, fix_kind: str, fix_title: str, do: str, protection=None,
                  add_mailbox: bool = True) -> Fix:
    """Remove routes (``items``: (account id, route)) and, with ``add_mailbox``, add an independent
    mailbox where one exists."""
    ops: list[Op] = []
    for i, r in items:
        a = plan.account(i)
        ops.append(Op("remove", f"accounts/{i}/recovery", match=route_match(r), account=i))
        other = independent_mailbox(plan, a, protection) if add_mailbox else None
        if other and not any(x.type is RecoveryType.RECOVERY_EMAIL and x.via == other for x in a.recovery):
            ops.append(Op("add", f"accounts/{i}/recovery", {"type": "recovery_email", "via": other}, account=i))
    return Fix(fix_kind, fix_title, do, tuple(ops))


def habit(plan: Plan, name: str, fix_title: str, do: str) -> Fix:
    return Fix(f"habit-{name}", fix_title, do, (Op("set", "habits", True, field=name),))


__all__ = ["Op", "Fix", "apply", "apply_to_data", "print_codes", "spare_key", "upgrade_to_passkey", "switch_to_app",
           "turn_on",
           "remove_phone_fallbacks", "add_app_codes", "second_app_device", "set_field", "recovery_contact",
           "replace_route", "habit", "new_id", "title", "Habits"]
