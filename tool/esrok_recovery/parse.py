"""JSON-ish data -> Plan, collecting every problem with its field path.

Nothing here raises on bad input: :func:`parse_plan` returns ``(plan, ())`` or
``(None, problems)``, each problem naming the JSON path of the field and the fix,
with a "did you mean" suggestion where one is close enough (difflib).
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from .model import (FORMAT_VERSION, Account, AccountKind, AppBackup, BackupCodes, Habits,
                    Importance, Location, Plan, Recovery, RecoveryType, SignIn, SignInType,
                    StoreKind, Thing, ThingType)

ROOT = "(plan)"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_LISTED = 8


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# --- key sets (also used by schema.py, so the schema cannot drift from the parser) ---
TOP_KEYS = ("version", "as_of", "habits", "things", "accounts")
HABIT_KEYS = ("lost_device_playbook", "escalation_plan", "enrolls_before_retiring", "watches_alerts")
THING_KEYS = {
    ThingType.PHONE: ("id", "type", "label", "location"),
    ThingType.DEVICE: ("id", "type", "label", "location"),
    ThingType.SECURITY_KEY: ("id", "type", "label", "location"),
    ThingType.PHONE_NUMBER: ("id", "type", "label", "on", "carrier", "port_out_lock"),
    ThingType.AUTHENTICATOR_APP: ("id", "type", "label", "on", "backup", "via"),
    ThingType.CODE_STORE: ("id", "type", "label", "kind", "location", "on", "via"),
    ThingType.RECOVERY_CONTACT: ("id", "type", "label"),
}
ACCOUNT_KEYS = ("id", "name", "kind", "importance", "sign_in", "backup_codes", "recovery",
                "recovery_tested_on", "alerts")
CODES_KEYS = ("generated", "stored_in", "remaining", "used", "generated_on")
SIGN_IN_KEYS = {
    SignInType.PASSWORD: ("type", "via"),
    SignInType.PASSKEY: ("type", "on", "via"),
    SignInType.SECURITY_KEY: ("type", "on"),
    SignInType.TOTP: ("type", "on"),
    SignInType.PUSH: ("type", "on", "number_matching"),
    SignInType.SMS: ("type", "on"),
    SignInType.VOICE: ("type", "on"),
    SignInType.EMAIL_CODE: ("type", "via"),
}
RECOVERY_KEYS = {
    RecoveryType.RECOVERY_EMAIL: ("type", "via", "dead"),
    RecoveryType.RECOVERY_PHONE: ("type", "on"),
    RecoveryType.RECOVERY_CONTACT: ("type", "on"),
    RecoveryType.SUPPORT: ("type", "wait_days", "official_url_recorded"),
    RecoveryType.SECURITY_QUESTIONS: ("type",),
}

#: What each ``on`` may point at (thing types).
SIGN_IN_ON = {
    SignInType.PASSKEY: (ThingType.PHONE, ThingType.DEVICE, ThingType.SECURITY_KEY),
    SignInType.SECURITY_KEY: (ThingType.SECURITY_KEY,),
    SignInType.TOTP: (ThingType.AUTHENTICATOR_APP,),
    SignInType.PUSH: (ThingType.PHONE, ThingType.DEVICE),
    SignInType.SMS: (ThingType.PHONE_NUMBER,),
    SignInType.VOICE: (ThingType.PHONE_NUMBER,),
}
MAILBOX_KINDS = (AccountKind.EMAIL, AccountKind.GOOGLE, AccountKind.MICROSOFT, AccountKind.APPLE,
                 AccountKind.WORK)
SYNC_KINDS = (AccountKind.APPLE, AccountKind.GOOGLE, AccountKind.MICROSOFT,
              AccountKind.PASSWORD_MANAGER)
#: What each ``via`` may point at (account kinds).
SIGN_IN_VIA = {
    SignInType.PASSWORD: (AccountKind.PASSWORD_MANAGER,),
    SignInType.PASSKEY: SYNC_KINDS,
    SignInType.EMAIL_CODE: MAILBOX_KINDS,
}
RECOVERY_ON = {
    RecoveryType.RECOVERY_PHONE: (ThingType.PHONE_NUMBER,),
    RecoveryType.RECOVERY_CONTACT: (ThingType.RECOVERY_CONTACT,),
}


_MEMBERS: dict = {}


def _members(cls) -> dict:
    """value -> member, cached (a dict lookup is several times faster than ``cls(value)``)."""
    m = _MEMBERS.get(cls)
    if m is None:
        m = _MEMBERS[cls] = {e.value: e for e in cls}
    return m


def _jtype(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _key(path: str, key: str) -> str:
    return key if path == ROOT else f"{path}.{key}"


def _suggest(word: str, options) -> str | None:
    if not isinstance(word, str):
        return None
    hits = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return hits[0] if hits else None


def _listing(options) -> str:
    options = list(options)
    text = ", ".join(options[:MAX_LISTED])
    return text + (", ..." if len(options) > MAX_LISTED else "")


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _human(kind_or_type: Enum) -> str:
    return kind_or_type.value.replace("_", " ")


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.thing_types: dict[str, ThingType | None] = {}
        self.account_kinds: dict[str, AccountKind | None] = {}

    def err(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # --- shapes ---
    def obj(self, value: Any, path: str, allowed, required=(), context: str = "") -> dict | None:
        if not isinstance(value, dict):
            self.err(path, f"expected an object, got {_jtype(value)}")
            return None
        for k in value:
            if k in allowed:
                continue
            hint = _suggest(k, allowed)
            if context:
                msg = f'"{k}" does not apply to {context}; allowed keys: {", ".join(allowed)}'
                if hint:
                    msg += f'; did you mean "{hint}"?'
            elif hint:
                msg = f'unknown key "{k}"; did you mean "{hint}"?'
            else:
                msg = f'unknown key "{k}"; allowed keys: {", ".join(allowed)}'
            self.err(_key(path, str(k)), msg)
        for r in required:
            if r not in value:
                self.err(path, f'missing required key "{r}"')
        return value

    def lst(self, value: Any, path: str) -> list | None:
        if not isinstance(value, list):
            self.err(path, f"expected a list, got {_jtype(value)}")
            return None
        return value

    def string(self, d: dict, key: str, path: str, default=None) -> str | None:
        if key not in d:
            return default
        v = d[key]
        if type(v) is str and v and not v.isspace():
            return v
        p = _key(path, key)
        if not isinstance(v, str):
            self.err(p, f"expected a string, got {_jtype(v)}")
            return default
        if not v.strip():
            self.err(p, "must not be empty")
            return default
        return v

    def boolean(self, d: dict, key: str, path: str, default=False) -> bool:
        if key not in d:
            return default
        v = d[key]
        if not isinstance(v, bool):
            self.err(_key(path, key), f"expected true or false, got {_jtype(v)}")
            return default
        return v

    def count(self, d: dict, key: str, path: str, default=None) -> int | None:
        if key not in d:
            return default
        v = d[key]
        p = _key(path, key)
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, float) and v.is_integer() and v >= 0:
                return int(v)
            self.err(p, f"expected a whole number, got {_jtype(v)}")
            return default
        if v < 0:
            self.err(p, f"must be 0 or more, got {v}")
            return default
        return v

    def enum(self, d: dict, key: str, path: str, cls, default=None):
        if key not in d:
            return default
        v = d[key]
        member = _members(cls).get(v) if isinstance(v, str) else None
        if member is not None:
            return member
        p = _key(path, key)
        values = [e.value for e in cls]
        if not isinstance(v, str):
            self.err(p, f"expected one of {', '.join(values)}; got {_jtype(v)}")
            return default
        try:
            return cls(v)
        except ValueError:
            hint = _suggest(v, values)
            if hint:
                self.err(p, f'unknown {key} "{v}"; did you mean "{hint}"?')
            else:
                self.err(p, f'unknown {key} "{v}"; expected one of: {", ".join(values)}')
            return default

    def date(self, d: dict, key: str, path: str) -> str | None:
        v = d.get(key)
        if type(v) is str and DATE_RE.match(v):
            try:
                _dt.date.fromisoformat(v)
                return v
            except ValueError:
                pass
        v = self.string(d, key, path)
        if v is None:
            return None
        p = _key(path, key)
        if not DATE_RE.match(v):
            self.err(p, f'expected a date written YYYY-MM-DD, got "{v}"')
            return None
        try:
            _dt.date.fromisoformat(v)
        except ValueError:
            self.err(p, f'"{v}" is not a real calendar date')
            return None
        return v

    # --- references ---
    def thing_ref(self, d: dict, key: str, path: str, allowed_types, what: str) -> str | None:
        ref = d.get(key)
        if type(ref) is str:   # fast path: a known thing of an allowed type
            t = self.thing_types.get(ref, False)
            if t is not False and (t is None or not allowed_types or t in allowed_types):
                return ref
        ref = self.string(d, key, path)
        if ref is None:
            return None
        return self.thing_id(ref, _key(path, key), allowed_types, what)

    def thing_id(self, ref: Any, p: str, allowed_types, what: str) -> str | None:
        if not isinstance(ref, str):
            self.err(p, f"expected a string, got {_jtype(ref)}")
            return None
        if ref not in self.thing_types:
            self.err(p, self._missing("thing", ref, self.thing_types))
            return None
        t = self.thing_types[ref]
        if t is not None and allowed_types and t not in allowed_types:
            wanted = " or ".join(x.value for x in allowed_types)
            self.err(p, f'"{ref}" is {_article(t.value)}, but {what} needs {_article(wanted)}')
            return None
        return ref

    def account_ref(self, d: dict, key: str, path: str, allowed_kinds, what: str) -> str | None:
        ref = d.get(key)
        if type(ref) is str:   # fast path: a known account of an allowed kind
            k = self.account_kinds.get(ref, False)
            if k is not False and (k is None or not allowed_kinds or k in allowed_kinds):
                return ref
        ref = self.string(d, key, path)
        if ref is None:
            return None
        p = _key(path, key)
        if ref not in self.account_kinds:
            self.err(p, self._missing("account", ref, self.account_kinds))
            return None
        k = self.account_kinds[ref]
        if k is not None and allowed_kinds and k not in allowed_kinds:
            wanted = ", ".join(x.value for x in allowed_kinds)
            self.err(p, f'"{ref}" is {_article(k.value)} account, but {what} needs an account of kind: {wanted}')
            return None
        return ref

    def _missing(self, noun: str, ref: str, known: dict) -> str:
        hint = _suggest(ref, known)
        if hint:
            return f'no {noun} with id "{ref}"; did you mean "{hint}"?'
        if known:
            return f'no {noun} with id "{ref}"; known {noun}s: {_listing(known)}'
        return f'no {noun} with id "{ref}"; the plan has no {noun}s'


def _collect_ids(r: _Reader, things: list, accounts: list) -> None:
    """First pass: every id (valid or not) so references can be checked and suggested."""
    seen: dict[str, str] = {}
    for group, items, key in (("things", things, "type"), ("accounts", accounts, "kind")):
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            ident = item["id"]
            path = f"{group}[{i}].id"
            if not ID_RE.match(ident):
                r.err(path, f'invalid id "{ident}": use up to 64 letters, digits, "-", "_" or "." '
                            f'(no spaces), starting with a letter or digit')
                continue
            if ident in seen:
                r.err(path, f'duplicate id "{ident}" (already used at {seen[ident]}); '
                            f'ids must be unique across things and accounts')
                continue
            seen[ident] = path
            value = item.get(key)
            if group == "things":
                r.thing_types[ident] = _members(ThingType).get(value) if isinstance(value, str) else None
            else:
                r.account_kinds[ident] = _members(AccountKind).get(value) if isinstance(value, str) else None


def _thing(r: _Reader, raw: Any, path: str) -> Thing | None:
    d = r.obj(raw, path, ("id", "type", "label", "location", "on", "via", "carrier", "port_out_lock",
                          "backup", "kind"), ("id", "type"))
    if d is None:
        return None
    ttype = r.enum(d, "type", path, ThingType)
    if ttype is None:
        return None
    allowed = THING_KEYS[ttype]
    for k in d:
        if k not in allowed and k in ("location", "on", "via", "carrier", "port_out_lock", "backup", "kind"):
            r.err(_key(path, k), f'"{k}" does not apply to {_article(ttype.value)}; '
                                 f'allowed keys: {", ".join(allowed)}')
    ident = d.get("id") if isinstance(d.get("id"), str) else None
    label = r.string(d, "label", path, default=ident)
    location = r.enum(d, "location", path, Location) if "location" in allowed else None
    on = via = carrier = None
    kind = None
    port = False
    backup = AppBackup.NONE
    if ttype is ThingType.PHONE_NUMBER:
        on = r.thing_ref(d, "on", path, (ThingType.PHONE, ThingType.DEVICE), "a phone number")
        carrier = r.account_ref(d, "carrier", path, (AccountKind.CARRIER,), "a phone number's carrier")
        port = r.boolean(d, "port_out_lock", path)
    elif ttype is ThingType.AUTHENTICATOR_APP:
        if "on" not in d:
            r.err(path, 'missing required key "on" (the phone or device the app runs on)')
        on = r.thing_ref(d, "on", path, (ThingType.PHONE, ThingType.DEVICE), "an authenticator app")
        backup = r.enum(d, "backup", path, AppBackup, default=AppBackup.NONE)
        via = r.account_ref(d, "via", path, (), "an authenticator app's cloud backup")
        if via is not None and backup is not AppBackup.CLOUD:
            r.err(_key(path, "via"), '"via" names the account holding a cloud backup; set "backup": "cloud" '
                                     'or remove "via"')
    elif ttype is ThingType.CODE_STORE:
        if "kind" not in d:
            r.err(path, 'missing required key "kind"')
        kind = r.enum(d, "kind", path, StoreKind)
        if kind is StoreKind.PASSWORD_MANAGER:
            if "via" not in d:
                r.err(path, 'missing required key "via" (the password-manager account holding the codes)')
            via = r.account_ref(d, "via", path, (AccountKind.PASSWORD_MANAGER,), "a password-manager code store")
            for k in ("on", "location"):
                if k in d:
                    r.err(_key(path, k), f'"{k}" does not apply to a password_manager store; use "via"')
        elif kind is StoreKind.DEVICE_FILE:
            if "on" not in d:
                r.err(path, 'missing required key "on" (the phone or device holding the file)')
            on = r.thing_ref(d, "on", path, (ThingType.PHONE, ThingType.DEVICE), "a device_file store")
            for k in ("via", "location"):
                if k in d:
                    r.err(_key(path, k), f'"{k}" does not apply to a device_file store; use "on"')
        elif kind is not None:
            for k in ("on", "via"):
                if k in d:
                    r.err(_key(path, k), f'"{k}" does not apply to a {kind.value} store; use "location"')
    if ident is None or not ID_RE.match(ident):
        return None
    return Thing(id=ident, type=ttype, label=label or ident, location=location, on=on, via=via,
                 carrier=carrier, port_out_lock=port, backup=backup, kind=kind)


# --- fast paths ---------------------------------------------------------------------------------
# Plans are usually valid, and a 1000-account plan has thousands of sign-in methods and routes.
# Each fast path accepts only input the full path below would accept unchanged, and builds the
# same object; anything unusual falls through to the full path, which explains every problem.
# tests/engine/test_parse.py checks both paths agree (FAST_PATHS = False turns them off).
FAST_PATHS = True
_SIGN_IN_KEYSETS = {k: frozenset(v) for k, v in SIGN_IN_KEYS.items()}
_RECOVERY_KEYSETS = {k: frozenset(v) for k, v in RECOVERY_KEYS.items()}
_ACCOUNT_KEYSET = frozenset(ACCOUNT_KEYS)


def _sign_in_fast(r: _Reader, d: Any) -> SignIn | None:
    if type(d) is not dict:
        return None
    t = d.get("type")
    stype = _members(SignInType).get(t) if type(t) is str else None
    if stype is None or not d.keys() <= _SIGN_IN_KEYSETS[stype]:
        return None
    on = d.get("on")
    via = d.get("via")
    if (on is None and "on" in d) or (via is None and "via" in d):
        return None
    things = r.thing_types
    accounts = r.account_kinds
    if stype is SignInType.PASSKEY:
        if (on is None) == (via is None):
            return None
        if on is not None and (type(on) is not str or things.get(on, False) not in SIGN_IN_ON[stype]):
            return None
        if via is not None and (type(via) is not str or accounts.get(via, False) not in SYNC_KINDS):
            return None
    elif stype in SIGN_IN_ON:
        if type(on) is not str or things.get(on, False) not in SIGN_IN_ON[stype]:
            return None
    elif stype is SignInType.EMAIL_CODE:
        if type(via) is not str or accounts.get(via, False) not in MAILBOX_KINDS:
            return None
    elif via is not None and (type(via) is not str or accounts.get(via, False) is not AccountKind.PASSWORD_MANAGER):
        return None
    nm = d.get("number_matching", False)
    if type(nm) is not bool:
        return None
    return SignIn(stype, on, via, nm)


def _recovery_fast(r: _Reader, d: Any) -> Recovery | None:
    if type(d) is not dict:
        return None
    t = d.get("type")
    rtype = _members(RecoveryType).get(t) if type(t) is str else None
    if rtype is None or not d.keys() <= _RECOVERY_KEYSETS[rtype]:
        return None
    if d.get("via", "") is None or d.get("on", "") is None:
        return None
    if rtype is RecoveryType.RECOVERY_EMAIL:
        via = d.get("via")
        dead = d.get("dead", False)
        if type(dead) is not bool:
            return None
        if via is None:
            return Recovery(rtype, None, None, True, 0, False) if dead else None
        if type(via) is not str or r.account_kinds.get(via, False) not in MAILBOX_KINDS:
            return None
        return Recovery(rtype, via, None, dead, 0, False)
    if rtype in RECOVERY_ON:
        on = d.get("on")
        if type(on) is not str or r.thing_types.get(on, False) not in RECOVERY_ON[rtype]:
            return None
        return Recovery(rtype, None, on, False, 0, False)
    if rtype is RecoveryType.SUPPORT:
        wait = d.get("wait_days")
        url = d.get("official_url_recorded", False)
        if type(wait) is not int or wait < 0 or type(url) is not bool:
            return None
        return Recovery(rtype, None, None, False, wait, url)
    return Recovery(rtype)


def _sign_in(r: _Reader, raw: Any, path: str) -> SignIn | None:
    if FAST_PATHS:
        fast = _sign_in_fast(r, raw)
        if fast is not None:
            return fast
    d = r.obj(raw, path, ("type", "on", "via", "number_matching"), ("type",))
    if d is None:
        return None
    stype = r.enum(d, "type", path, SignInType)
    if stype is None:
        return None
    allowed = SIGN_IN_KEYS[stype]
    for k in d:
        if k not in allowed and k in ("on", "via", "number_matching"):
            r.err(_key(path, k), f'"{k}" does not apply to {stype.value} sign-in; allowed keys: {", ".join(allowed)}')
    on = via = None
    what = f"{stype.value} sign-in"
    if stype is SignInType.PASSKEY:
        if ("on" in d) == ("via" in d):
            r.err(path, 'a passkey needs exactly one of "on" (the phone, device or security key it is bound to) '
                        'or "via" (the account it syncs through)')
    elif stype in SIGN_IN_ON and "on" not in d:
        r.err(path, f'missing required key "on" ({_article(" or ".join(t.value for t in SIGN_IN_ON[stype]))})')
    elif stype is SignInType.EMAIL_CODE and "via" not in d:
        r.err(path, 'missing required key "via" (the email account the codes go to)')
    if "on" in allowed:
        on = r.thing_ref(d, "on", path, SIGN_IN_ON.get(stype, ()), what)
    if "via" in allowed:
        via = r.account_ref(d, "via", path, SIGN_IN_VIA.get(stype, ()), what)
    nm = r.boolean(d, "number_matching", path) if stype is SignInType.PUSH else False
    return SignIn(type=stype, on=on, via=via, number_matching=nm)


def _recovery(r: _Reader, raw: Any, path: str) -> Recovery | None:
    if FAST_PATHS:
        fast = _recovery_fast(r, raw)
        if fast is not None:
            return fast
    d = r.obj(raw, path, ("type", "via", "on", "dead", "wait_days", "official_url_recorded"), ("type",))
    if d is None:
        return None
    rtype = r.enum(d, "type", path, RecoveryType)
    if rtype is None:
        return None
    allowed = RECOVERY_KEYS[rtype]
    for k in d:
        if k not in allowed and k in ("via", "on", "dead", "wait_days", "official_url_recorded"):
            r.err(_key(path, k), f'"{k}" does not apply to {rtype.value}; allowed keys: {", ".join(allowed)}')
    what = rtype.value.replace("_", " ")
    via = on = None
    dead = False
    wait = 0
    url = False
    if rtype is RecoveryType.RECOVERY_EMAIL:
        dead = r.boolean(d, "dead", path)
        if "via" not in d and not dead:
            r.err(path, 'missing required key "via" (the email account), or set "dead": true for an address '
                        'that no longer works')
        via = r.account_ref(d, "via", path, MAILBOX_KINDS, "a recovery email")
    elif rtype in RECOVERY_ON:
        if "on" not in d:
            r.err(path, f'missing required key "on" ({_article(RECOVERY_ON[rtype][0].value)})')
        on = r.thing_ref(d, "on", path, RECOVERY_ON[rtype], _article(what))
    elif rtype is RecoveryType.SUPPORT:
        if "wait_days" not in d:
            r.err(path, 'missing required key "wait_days" (how many days the provider\'s recovery process '
                        'typically takes; 0 if same day)')
        wait = r.count(d, "wait_days", path, default=0) or 0
        url = r.boolean(d, "official_url_recorded", path)
    return Recovery(type=rtype, via=via, on=on, dead=dead, wait_days=wait, official_url_recorded=url)


def _codes(r: _Reader, raw: Any, path: str) -> BackupCodes | None:
    d = r.obj(raw, path, CODES_KEYS, ("generated",))
    if d is None:
        return None
    generated = r.boolean(d, "generated", path)
    stored: list[str] = []
    if "stored_in" in d:
        items = r.lst(d["stored_in"], _key(path, "stored_in"))
        for j, _ in enumerate(items or ()):
            ref = r.thing_id(items[j], f"{_key(path, 'stored_in')}[{j}]", (ThingType.CODE_STORE,),
                             "storing backup codes")
            if ref is not None and ref not in stored:
                stored.append(ref)
    remaining = r.count(d, "remaining", path)
    used = r.count(d, "used", path, default=0) or 0
    on = r.date(d, "generated_on", path)
    if "generated" in d and d["generated"] is False and (stored or remaining):
        r.err(_key(path, "generated"), '"generated" is false but codes are listed; set it to true or remove '
                                       '"stored_in" and "remaining"')
    return BackupCodes(generated=generated, stored_in=tuple(sorted(stored)), remaining=remaining, used=used,
                       generated_on=on)


def _account_fast(r: _Reader, d: Any, path: str) -> Account | None:
    if type(d) is not dict or not d.keys() <= _ACCOUNT_KEYSET:
        return None
    ident = d.get("id")
    if type(ident) is not str or ident not in r.account_kinds:
        return None
    kind = _members(AccountKind).get(d.get("kind")) if type(d.get("kind")) is str else None
    importance = _members(Importance).get(d.get("importance")) if type(d.get("importance")) is str else None
    name = d.get("name", ident)
    alerts = d.get("alerts", False)
    tested = d.get("recovery_tested_on")
    sign_in = d.get("sign_in", ())
    recovery = d.get("recovery", ())
    if (kind is None or importance is None or type(name) is not str or not name or name.isspace()
            or type(alerts) is not bool or type(sign_in) not in (list, tuple) or type(recovery) not in (list, tuple)):
        return None
    if tested is not None or "recovery_tested_on" in d:
        if type(tested) is not str or not DATE_RE.match(tested):
            return None
        try:
            _dt.date.fromisoformat(tested)
        except ValueError:
            return None
    n = len(r.problems)
    methods = []
    for j, m in enumerate(sign_in):
        x = _sign_in_fast(r, m) if FAST_PATHS else None
        methods.append(x if x is not None else _sign_in(r, m, f"{path}.sign_in[{j}]"))
    routes = []
    for j, m in enumerate(recovery):
        x = _recovery_fast(r, m) if FAST_PATHS else None
        routes.append(x if x is not None else _recovery(r, m, f"{path}.recovery[{j}]"))
    codes = _codes(r, d["backup_codes"], _key(path, "backup_codes")) if "backup_codes" in d else None
    if len(r.problems) != n:
        return None
    if len(methods) > 1:
        methods.sort(key=_sign_in_key)
    if len(routes) > 1:
        routes.sort(key=_recovery_key)
    return Account(ident, name, kind, importance, tuple(methods), codes, tuple(routes), tested, alerts)


def _account(r: _Reader, raw: Any, path: str) -> Account | None:
    if FAST_PATHS and type(raw) is dict and raw.keys() <= _ACCOUNT_KEYSET:
        n = len(r.problems)
        fast = _account_fast(r, raw, path)
        if fast is not None or len(r.problems) != n:
            return fast
    d = r.obj(raw, path, ACCOUNT_KEYS, ("id", "kind", "importance"))
    if d is None:
        return None
    ident = d.get("id") if isinstance(d.get("id"), str) else None
    if "id" in d and ident is None:
        r.err(_key(path, "id"), f"expected a string, got {_jtype(d['id'])}")
    name = r.string(d, "name", path, default=ident)
    kind = r.enum(d, "kind", path, AccountKind)
    importance = r.enum(d, "importance", path, Importance)
    sign_in: list[SignIn] = []
    if "sign_in" in d:
        sp = _key(path, "sign_in")
        for j, m in enumerate(r.lst(d["sign_in"], sp) or ()):
            s = _sign_in(r, m, f"{sp}[{j}]")
            if s is not None:
                sign_in.append(s)
    recovery: list[Recovery] = []
    if "recovery" in d:
        rp = _key(path, "recovery")
        for j, m in enumerate(r.lst(d["recovery"], rp) or ()):
            x = _recovery(r, m, f"{rp}[{j}]")
            if x is not None:
                recovery.append(x)
    codes = _codes(r, d["backup_codes"], _key(path, "backup_codes")) if "backup_codes" in d else None
    tested = r.date(d, "recovery_tested_on", path)
    alerts = r.boolean(d, "alerts", path)
    if ident is None or not ID_RE.match(ident) or kind is None or importance is None:
        return None
    return Account(id=ident, name=name or ident, kind=kind, importance=importance,
                   sign_in=tuple(sorted(sign_in, key=_sign_in_key)), backup_codes=codes,
                   recovery=tuple(sorted(recovery, key=_recovery_key)), recovery_tested_on=tested, alerts=alerts)


def parse_plan(data: Any) -> tuple[Plan | None, tuple[Problem, ...]]:
    """Validate decoded JSON and build a :class:`Plan`; never raises on bad data."""
    r = _Reader()
    d = r.obj(data, ROOT, TOP_KEYS, ())
    if d is None:
        return None, tuple(r.problems)
    if "version" not in d:
        r.err(ROOT, f'missing required key "version" (use {FORMAT_VERSION})')
    elif d["version"] != FORMAT_VERSION or isinstance(d["version"], bool):
        r.err("version", f"unsupported version {json.dumps(d['version'])}; this engine reads version {FORMAT_VERSION}")
    as_of = r.date(d, "as_of", ROOT)
    habits = Habits()
    if "habits" in d:
        h = r.obj(d["habits"], "habits", HABIT_KEYS)
        if h is not None:
            habits = Habits(**{k: r.boolean(h, k, "habits") for k in HABIT_KEYS})
    raw_things = r.lst(d.get("things", []), "things") or []
    if "accounts" not in d:
        r.err(ROOT, 'missing required key "accounts" (a list with at least one account)')
        raw_accounts: list = []
    else:
        raw_accounts = r.lst(d["accounts"], "accounts") or []
        if isinstance(d["accounts"], list) and not raw_accounts:
            r.err("accounts", "add at least one account")
    _collect_ids(r, raw_things, raw_accounts)
    things = [t for t in (_thing(r, x, f"things[{i}]") for i, x in enumerate(raw_things)) if t is not None]
    accounts = [a for a in (_account(r, x, f"accounts[{i}]") for i, x in enumerate(raw_accounts))
                if a is not None]
    if r.problems:
        return None, tuple(r.problems)
    # every list in a fixed order, so list order never changes a result
    return Plan(version=FORMAT_VERSION, as_of=as_of, habits=habits, things=tuple(sorted(things, key=_ident)),
                accounts=tuple(sorted(accounts, key=_ident))), ()


def _ident(x) -> str:
    return x.id


def _sign_in_key(m: SignIn) -> tuple:
    return (m.type, m.on or "", m.via or "", m.number_matching)   # str-valued enums sort by value


def _recovery_key(r: Recovery) -> tuple:
    return (r.type, r.via or "", r.on or "", r.dead, r.wait_days, r.official_url_recorded)


def loads(text: Any, parse: Callable[[Any], tuple] = parse_plan, root: str = ROOT):
    """Decode JSON text then parse; bad JSON becomes one problem with line and column."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            return None, (Problem(root, f"the file is not UTF-8 text (byte {e.start})"),)
    if not isinstance(text, str):
        return None, (Problem(root, f"expected JSON text, got {type(text).__name__}"),)
    if not text.strip():
        return None, (Problem(root, "the input is empty; expected a JSON object"),)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except _BadConstant as e:
        return None, (Problem(root, f"invalid JSON: {e.args[0]} is not allowed"),)
    except json.JSONDecodeError as e:
        return None, (Problem(root, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"),)
    except RecursionError:
        return None, (Problem(root, "invalid JSON: nested too deeply"),)
    return parse(data)


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str):
    raise _BadConstant(name)
