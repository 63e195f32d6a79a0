"""JSON text -> Plan, generated from the field table, collecting every problem with its field path.

Nothing here raises on bad input: :func:`parse_plan` returns ``(plan, ())`` or
``(None, problems)``, each problem naming the JSON path of the field and the fix,
with a "did you mean" suggestion (of the expected type) where one is close enough.

Both readers come from :data:`.fields.SHAPES`. Each shape (and variant) gets, at import, a
generated reader that reads a plainly valid object and reports nothing; any object it refuses
goes through the careful walk (``_Reader.read``), which words every problem. Plans of format
version 1 are read the same way (fields new in version 2 are refused there) and marked
``migrated_from=1``.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from .fields import SHAPES, Field, Kind, Shape, Variant, all_keys
from .model import (FORMAT_VERSION, NEVER, READS_VERSIONS, Account, AccountKind, BackupCodes, Habits, Plan,
                    Recovery, SignIn, Thing, ThingType, from_attributes)

ROOT = "(plan)"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A host name as the service catalogue keys services ("github.com"): lower case, at least one dot.
DOMAIN_RE = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$")
MAX_LISTED = 8
#: Plans larger than this are refused before decoding (about 20,000 accounts).
MAX_INPUT_CHARS = 10_000_000
#: Integers with more digits than this are refused with their field path.
MAX_INT_DIGITS = 15
#: The largest whole number a count (days, codes) may be.
MAX_COUNT = 100_000
_SURROGATE_HINT = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}|[\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Huge:
    """A JSON number too large to be a plan value (kept so its field path can be reported)."""
    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number with {self.digits} digits>"


def _parse_int(s: str):
    return int(s) if len(s) <= MAX_INT_DIGITS else Huge(len(s.lstrip("-")))


def _parse_float(s: str):
    v = float(s)
    if v != v or v in (float("inf"), float("-inf")):
        return Huge(len(s))
    return v


def show(text: Any) -> str:
    """User text quoted in a message, always printable (lone surrogates become \\udxxx)."""
    s = str(text)
    if _SURROGATE.search(s):
        s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s if len(s) <= 80 else s[:77] + "..."


def _jtype(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Huge):
        return f"a number with {value.digits} digits"
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


def _suggest(word: Any, options) -> str | None:
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


_MEMBERS: dict = {}


def _members(cls) -> dict:
    m = _MEMBERS.get(cls)
    if m is None:
        m = _MEMBERS[cls] = {e.value: e for e in cls}
    return m


def domain_key(text: Any) -> str | None:
    """A domain as the catalogue keys it: lower case, no scheme, path, port or trailing dot.

    ``"https://GitHub.com/login"`` -> ``"github.com"``; anything that is not a host name -> None.
    (``overrides/assets/javascripts/service-search.js`` has the same rules as ``domainKey``.)
    """
    if not isinstance(text, str):
        return None
    t = text.strip().lower()
    if "://" in t:
        t = t.split("://", 1)[1]
    t = re.split(r"[/?#]", t, maxsplit=1)[0]
    t = t.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return t if DOMAIN_RE.match(t) else None


def _real_date(v: str) -> bool:
    try:
        _dt.date.fromisoformat(v)
        return True
    except ValueError:
        return False


# --- compiled shapes --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Compiled:
    shape: Shape
    variant: Variant | None
    fields: dict            # name -> Field
    allowed: frozenset
    required: frozenset     # names always required
    what: str               # "a phone_number", "sms sign-in": used in messages
    required_when: tuple    # fields required when another field has a value
    start: dict             # attributes known before the walk (the tag's member)


_COMPILED: dict = {}
_BY_TAG: dict = {}
_GOOD_DATES: set = set()    # dates already found to be real calendar dates
_MISS = object()


def _compiled(shape: Shape, variant: Variant | None) -> _Compiled:
    key = (shape.name, variant.value if variant else None)
    c = _COMPILED.get(key)
    if c is None:
        fields = {f.name: f for f in shape.fields + (variant.fields if variant else ())}
        if variant is None:
            what = shape.label.lower()
        elif shape.name == "thing":
            what = _article(variant.value.value)
        elif shape.name == "sign_in":
            what = f"{variant.value.value} sign-in"
        else:
            what = variant.value.value
        start = {fields[shape.tag].key: variant.value} if variant is not None else {}
        c = _COMPILED[key] = _Compiled(shape, variant, fields, frozenset(fields),
                                       frozenset(f.name for f in fields.values() if f.required), what,
                                       tuple(f for f in fields.values() if f.required_when), start)
    return c


_PLAIN: dict = {}


def _plain(shape: Shape) -> _Compiled:
    c = _PLAIN[shape.name] = _compiled(shape, None)
    return c


def _by_tag(shape: Shape) -> dict:
    """Tag value (as written in the plan) -> the compiled variant."""
    d = _BY_TAG.get(shape.name)
    if d is None:
        d = _BY_TAG[shape.name] = {v.value.value: _compiled(shape, v) for v in shape.variants}
    return d


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.thing_types: dict[str, ThingType | None] = {}
        self.account_kinds: dict[str, AccountKind | None] = {}
        self.version = FORMAT_VERSION
        self.check_text = False
        self.memo: dict = {}

    def err(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # --- objects ---
    def read(self, raw: Any, path: str, shape: Shape) -> dict | None:
        """Read one object of ``shape``: attribute -> value, or None when it cannot be built."""
        d = _FAST[shape.name](self, raw)   # the generated reader: valid objects, nothing reported
        if d is not None:
            return d
        if type(raw) is not dict:
            self.err(path, f"expected an object, got {_jtype(raw)}")
            return None
        variant = None
        tag_name = shape.tag
        if tag_name:
            v = raw.get(tag_name)
            c = _by_tag(shape).get(v) if type(v) is str else None
            if c is None:                   # missing or unknown: the careful path explains it
                if tag_name not in raw:
                    self.err(path, f'missing required key "{tag_name}"')
                    return None
                tag = _compiled(shape, None).fields[tag_name]
                member = self.value(tag, raw[tag_name], _key(path, tag_name))
                if member is None:
                    return None
                variant = shape.variant(member)
                c = _compiled(shape, variant)
            else:
                variant = c.variant
        else:
            c = _PLAIN.get(shape.name) or _plain(shape)
        problems = self.problems
        n = len(problems)
        keys = raw.keys()
        if not keys <= c.allowed:
            self._unknown_keys(raw, path, c)
        out: dict[str, Any] = dict(c.start)
        fields = c.fields
        version = self.version
        for name, v in raw.items():
            f = fields.get(name)
            if f is None or name == tag_name:
                continue                      # the tag, or an unknown key reported above
            if f.since > version:
                self.err(_key(path, name), f'"{name}" is new in plan format version {f.since}; set "version": '
                                           f'{f.since} to use it')
                continue
            if f.when and raw.get(f.when[0]) not in f.when[1]:
                self.err(_key(path, name), f'"{name}" applies only when "{f.when[0]}" is '
                                           f'{" or ".join(chr(34) + x + chr(34) for x in f.when[1])}; '
                                           f'remove "{name}" or change "{f.when[0]}"')
                continue
            value = self.value(f, v, _key(path, name))
            if value is not None:
                out[f.key] = value
        if not c.required <= keys:
            for name, f in c.fields.items():
                if f.required and name not in raw:
                    self.err(path, f'missing required key "{name}"' + (f" ({f.hint})" if f.hint else ""))
        for f in c.required_when:
            if f.name not in raw and raw.get(f.required_when[0]) in f.required_when[1]:
                self.err(path, f'missing required key "{f.name}"' + (f" ({f.hint})" if f.hint else ""))
        if variant is not None:
            for group in variant.one_of:
                if sum(1 for k in group if k in raw) != 1:
                    self.err(path, f'{c.what} needs exactly one of {" or ".join(chr(34) + k + chr(34) for k in group)}: '
                                   + "; ".join(f'"{k}" ({c.fields[k].help[:1].lower() + c.fields[k].help[1:-1]})'
                                               for k in group))
            for name, other, value in variant.unless:
                if name not in raw and raw.get(other) is not value:
                    f = c.fields[name]
                    self.err(path, f'missing required key "{name}" ({f.hint}), or set "{other}": '
                                   f'{json.dumps(value)}')
        return out if len(problems) == n else None

    def _unknown_keys(self, raw: dict, path: str, c: _Compiled) -> None:
        elsewhere = set(all_keys(c.shape))
        allowed = list(c.fields)
        for k in raw:
            if k in c.allowed:
                continue
            hint = _suggest(k, allowed)
            if k in elsewhere:
                msg = f'"{show(k)}" does not apply to {c.what}; allowed keys: {", ".join(allowed)}'
                if hint:
                    msg += f'; did you mean "{hint}"?'
            elif hint:
                msg = f'unknown key "{show(k)}"; did you mean "{hint}"?'
            else:
                msg = f'unknown key "{show(k)}"; allowed keys: {", ".join(allowed)}'
            self.err(_key(path, show(k)), msg)

    # --- values ---
    def value(self, f: Field, v: Any, p: str):
        kind = f.kind
        if kind is Kind.BOOL:
            if v is True or v is False:
                return v
            self.err(p, f"expected true or false, got {_jtype(v)}")
        elif kind is Kind.ENUM:
            member = _members(f.enum).get(v) if type(v) is str else None
            if member is not None:
                return member
            values = [e.value for e in f.enum]
            if not isinstance(v, str):
                self.err(p, f"expected one of {', '.join(values)}; got {_jtype(v)}")
            else:
                hint = _suggest(v, values)
                self.err(p, f'unknown {f.name} "{show(v)}"; ' + (f'did you mean "{hint}"?' if hint
                                                                 else f'expected one of: {", ".join(values)}'))
        elif kind is Kind.THING:
            return self.thing_ref(v, p, f.refs, f)
        elif kind is Kind.ACCOUNT:
            return self.account_ref(v, p, f.refs, f.name)
        elif kind is Kind.TEXT or kind is Kind.ID:
            if type(v) is str and v and not v.isspace():
                if self.check_text and _SURROGATE.search(v):
                    self.err(p, "contains a character that is not valid text (a lone surrogate); retype it")
                    return None
                return v
            if not isinstance(v, str):
                self.err(p, f"expected a string, got {_jtype(v)}")
            else:
                self.err(p, "must not be empty")
        elif kind is Kind.COUNT:
            if type(v) is int and 0 <= v <= MAX_COUNT:
                return v
            if isinstance(v, float) and v.is_integer() and v >= 0:
                return int(v)
            if isinstance(v, Huge):
                self.err(p, f"a number with {v.digits} digits is too large; expected a whole number such as 14")
            elif isinstance(v, bool) or not isinstance(v, int):
                self.err(p, f"expected a whole number, got {_jtype(v)}")
            elif v > MAX_COUNT:
                self.err(p, f"must be at most {MAX_COUNT}, got {v}")
            else:
                self.err(p, f"must be 0 or more, got {v}")
        elif kind is Kind.DOMAIN:
            if type(v) is str and DOMAIN_RE.match(v):
                return v
            if not isinstance(v, str):
                self.err(p, f"expected a string, got {_jtype(v)}")
            elif domain_key(v):
                self.err(p, f'"{show(v)}" is not written as a domain; write "{domain_key(v)}"')
            else:
                self.err(p, f'"{show(v)}" is not a domain; write the service\'s web address, like "github.com", '
                            f'or leave "{f.name}" out')
        elif kind is Kind.DATE or kind is Kind.DATE_OR_NEVER:
            if type(v) is str and DATE_RE.match(v) and _real_date(v):
                return v
            if kind is Kind.DATE_OR_NEVER and v == NEVER:
                return v
            if not isinstance(v, str):
                self.err(p, f"expected a date written YYYY-MM-DD, got {_jtype(v)}")
            elif not DATE_RE.match(v):
                extra = f' or "{NEVER}"' if kind is Kind.DATE_OR_NEVER else ""
                self.err(p, f'expected a date written YYYY-MM-DD{extra}, got "{show(v)}"')
            else:
                self.err(p, f'"{v}" is not a real calendar date')
        elif kind is Kind.OBJECT:
            return _BUILD[f.shape](self, v, p)
        elif kind is Kind.LIST:
            if type(v) is not list:
                self.err(p, f"expected a list, got {_jtype(v)}")
                return None
            build = _BUILD[f.shape]
            out = []
            for j, item in enumerate(v):
                x = build(self, item, f"{p}[{j}]")
                if x is not None:
                    out.append(x)
            return out
        elif kind is Kind.THINGS:
            if type(v) is not list:
                self.err(p, f"expected a list, got {_jtype(v)}")
                return None
            out = []
            for j, item in enumerate(v):
                ref = self.thing_ref(item, f"{p}[{j}]", f.refs, f)
                if ref is not None and ref not in out:
                    out.append(ref)
            return tuple(sorted(out))
        elif kind is Kind.RULES:
            return self.rule_ids(v, p)
        elif kind is Kind.VERSION:
            if type(v) is int and v in READS_VERSIONS:
                return v
            shown = (_jtype(v) if isinstance(v, (dict, list)) else repr(v) if isinstance(v, Huge)
                     else json.dumps(show(v)) if isinstance(v, str) else json.dumps(v))
            self.err(p, f"unsupported version {shown}; this engine reads versions "
                        f"{' and '.join(str(x) for x in READS_VERSIONS)}")
        return None

    def rule_ids(self, v: Any, p: str):
        from .rules import RULES_BY_ID   # the rule table imports the analysis; load it only when needed
        if type(v) is not list:
            self.err(p, f"expected a list, got {_jtype(v)}")
            return None
        out = []
        for j, item in enumerate(v):
            if type(item) is str and item in RULES_BY_ID:
                if item not in out:
                    out.append(item)
                continue
            hint = _suggest(item, RULES_BY_ID)
            self.err(f"{p}[{j}]", f'no rule with id "{show(item)}"' + (f'; did you mean "{hint}"?' if hint else
                                                                        "; see How the checklist decides"))
        return tuple(sorted(out))

    # --- references ---
    def thing_ref(self, ref: Any, p: str, allowed_types, f: Field | None = None) -> str | None:
        t = self.thing_types.get(ref, False) if type(ref) is str else False
        if t is not False and (t is None or not allowed_types or t in allowed_types):
            return ref
        if not isinstance(ref, str):
            self.err(p, f"expected a string, got {_jtype(ref)}")
            return None
        if t is False:
            self.err(p, self._missing("thing", ref, self.thing_types, allowed_types))
            return None
        wanted = " or ".join(x.value for x in allowed_types)
        what = f.name if f is not None else p.rsplit(".", 1)[-1]
        self.err(p, f'"{show(ref)}" is {_article(t.value)}, but "{what}" here needs {_article(wanted)}')
        return None

    def account_ref(self, ref: Any, p: str, allowed_kinds, what: str = "via") -> str | None:
        k = self.account_kinds.get(ref, False) if type(ref) is str else False
        if k is not False and (k is None or not allowed_kinds or k in allowed_kinds):
            return ref
        if not isinstance(ref, str):
            self.err(p, f"expected a string, got {_jtype(ref)}")
            return None
        if k is False:
            self.err(p, self._missing("account", ref, self.account_kinds, allowed_kinds))
            return None
        wanted = ", ".join(x.value for x in allowed_kinds)
        self.err(p, f'"{show(ref)}" is {_article(k.value)} account, but "{what}" here needs an account of kind: '
                    f'{wanted}')
        return None

    def _missing(self, noun: str, ref: str, known: dict, allowed) -> str:
        """'no thing with id ...', suggesting only ids of the types the field accepts."""
        fitting = [i for i, t in known.items() if not allowed or t in allowed]
        hint = _suggest(ref, fitting)
        if hint:
            return f'no {noun} with id "{show(ref)}"; did you mean "{hint}"?'
        if fitting:
            return f'no {noun} with id "{show(ref)}"; {noun}s it can name: {_listing(fitting)}'
        if known:
            kinds = "type" if noun == "thing" else "kind"
            return (f'no {noun} with id "{show(ref)}"; the plan has no {noun} of {kinds} '
                    f'{" or ".join(x.value for x in allowed)} yet')
        return f'no {noun} with id "{show(ref)}"; the plan has no {noun}s'


# --- builders: attribute dicts -> model objects ---------------------------------------------------
# Each shape has a *make* step, ``(attributes, raw) -> object or None``, shared by the careful
# builders below and the generated readers: None means the object cannot be built, and the careful
# builder says why (or, for a bad id, ``_collect_ids`` already has).
_NEW_THING, _NEW_SIGNIN, _NEW_RECOVERY, _NEW_BACKUPCODES, _NEW_ACCOUNT, _NEW_HABITS = (
    from_attributes(c) for c in (Thing, SignIn, Recovery, BackupCodes, Account, Habits))


def _make_thing(d: dict, raw: dict) -> Thing | None:
    ident = d["id"]
    if not ID_RE.match(ident):
        return None
    if "label" not in d:
        d["label"] = ident
    return _NEW_THING(d)


def _sign_in_key(m: SignIn) -> tuple:
    return (m.type, m.on or "", m.via or "", m.number_matching is True, m.reused is True)


def _recovery_key(x: Recovery) -> tuple:
    return (x.type, x.via or "", x.on or "", x.dead, x.wait_days, x.official_url_recorded is True)


def _codes_contradict(d: dict, raw: dict) -> bool:
    return raw.get("generated") is False and bool(d.get("stored_in") or d.get("remaining"))


def _make_codes(d: dict, raw: dict) -> BackupCodes | None:
    return None if _codes_contradict(d, raw) else _NEW_BACKUPCODES(d)


def _make_account(d: dict, raw: dict) -> Account | None:
    ident = d["id"]
    if not ID_RE.match(ident):
        return None
    if "name" not in d:
        d["name"] = ident
    # every list in a fixed order, so list order never changes a result
    methods = d.get("sign_in")
    if methods is not None:
        d["sign_in"] = tuple(sorted(methods, key=_sign_in_key)) if len(methods) > 1 else tuple(methods)
    routes = d.get("recovery")
    if routes is not None:
        d["recovery"] = tuple(sorted(routes, key=_recovery_key)) if len(routes) > 1 else tuple(routes)
    return _NEW_ACCOUNT(d)


_MAKE: dict[str, Callable] = {"thing": _make_thing, "sign_in": lambda d, raw: _NEW_SIGNIN(d),
                              "recovery": lambda d, raw: _NEW_RECOVERY(d), "backup_codes": _make_codes,
                              "account": _make_account, "habits": lambda d, raw: _NEW_HABITS(d)}


def _build_thing(r: _Reader, raw: Any, path: str) -> Thing | None:
    d = r.read(raw, path, SHAPES["thing"])
    return None if d is None else _make_thing(d, raw)   # a bad id is reported by _collect_ids


def _build_sign_in(r: _Reader, raw: Any, path: str) -> SignIn | None:
    d = r.read(raw, path, SHAPES["sign_in"])
    return None if d is None else _NEW_SIGNIN(d)


def _build_recovery(r: _Reader, raw: Any, path: str) -> Recovery | None:
    d = r.read(raw, path, SHAPES["recovery"])
    return None if d is None else _NEW_RECOVERY(d)


def _build_codes(r: _Reader, raw: Any, path: str) -> BackupCodes | None:
    d = r.read(raw, path, SHAPES["backup_codes"])
    if d is None:
        return None
    if _codes_contradict(d, raw):
        r.err(_key(path, "generated"), '"generated" is false but codes are listed; set it to true or remove '
                                       '"stored_in" and "remaining"')
        return None
    return _NEW_BACKUPCODES(d)


def _build_account(r: _Reader, raw: Any, path: str) -> Account | None:
    d = r.read(raw, path, SHAPES["account"])
    return None if d is None else _make_account(d, raw)   # a bad id is reported by _collect_ids


def _build_habits(r: _Reader, raw: Any, path: str) -> Habits | None:
    d = r.read(raw, path, SHAPES["habits"])
    return None if d is None else _NEW_HABITS(d)


_BUILD: dict[str, Callable] = {"thing": _build_thing, "sign_in": _build_sign_in, "recovery": _build_recovery,
                               "backup_codes": _build_codes, "account": _build_account, "habits": _build_habits}


# --- generated readers: the fast path for valid objects ---------------------------------------------
# ``_Reader.read`` is a generic walk over the field table: for every key it looks up the field, checks
# its version and conditions and calls a converter, about 5 µs an object. From the same table, each
# shape (and each variant of a tagged shape) gets, at import, a reader specialised to its fields, as
# ``model.from_attributes`` generates constructors and cattrs generates structuring functions. A
# generated reader returns the attribute dict when every key and value is plainly valid, and None
# otherwise, *without reporting anything*; ``_Reader.read`` then walks the object carefully, which
# finds and words every problem exactly as before. So valid input is read fast, and bad input gets
# the same messages and paths it always got.
#
# The generated checks accept only what the careful walk accepts without a problem, and give the same
# value (``tests/engine/test_parse.py`` compares the two on mutated plans); they may refuse more
# (a count written 14.0, say), which only sends that object down the careful walk.

def _fast_date(v: str, never: bool) -> bool:
    """Is ``v`` a date the careful walk accepts (cached, as its converter does)?"""
    if v in _GOOD_DATES or (never and v == NEVER):
        return True
    if DATE_RE.match(v) and _real_date(v):
        if len(_GOOD_DATES) < 10_000:
            _GOOD_DATES.add(v)
        return True
    return False


def _fast_things(types: dict, v: list, refs: frozenset):
    """A list of thing ids of the types ``refs`` allows -> sorted unique tuple, or None."""
    for x in v:
        t = types.get(x, False) if type(x) is str else False
        if t is False or not (t is None or not refs or t in refs):
            return None
    return tuple(sorted(set(v)))


def _fast_rules(v: list):
    """A list of rule ids -> sorted unique tuple, or None."""
    if not v:
        return ()
    from .rules import RULES_BY_ID   # the rule table imports the analysis; load it only when needed
    for x in v:
        if type(x) is not str or x not in RULES_BY_ID:
            return None
    return tuple(sorted(set(v)))


def _check(f: Field, env: dict, i: int) -> list[str]:
    """Source lines that check ``v`` (the value of field ``f``, present) and set ``v`` to what the careful
    converter returns for it, or ``return None`` when it is anything but plainly valid."""
    k = f.kind
    fail = "return None"
    if k is Kind.BOOL:
        return [f"if v is not True and v is not False: {fail}"]
    if k is Kind.TEXT or k is Kind.ID:
        return [f"if type(v) is not str or not v or v.isspace() or (r.check_text and _SURROGATE.search(v)): {fail}"]
    if k is Kind.ENUM:
        env[f"_members{i}"] = {e.value: e for e in f.enum}
        return [f"v = _members{i}.get(v) if type(v) is str else None", f"if v is None: {fail}"]
    if k is Kind.THING or k is Kind.ACCOUNT:
        known = "r.thing_types" if k is Kind.THING else "r.account_kinds"
        env[f"_refs{i}"] = frozenset(f.refs)
        allowed = f" or not (t is None or t in _refs{i})" if f.refs else ""
        return [f"t = {known}.get(v, False) if type(v) is str else False", f"if t is False{allowed}: {fail}"]
    if k is Kind.COUNT:
        return [f"if type(v) is not int or not 0 <= v <= {MAX_COUNT}: {fail}"]
    if k is Kind.DATE or k is Kind.DATE_OR_NEVER:
        return [f"if type(v) is not str or not _fast_date(v, {k is Kind.DATE_OR_NEVER}): {fail}"]
    if k is Kind.DOMAIN:
        return [f"if type(v) is not str or not DOMAIN_RE.match(v): {fail}"]
    if k is Kind.THINGS:
        env[f"_refs{i}"] = frozenset(f.refs)
        return [f"v = _fast_things(r.thing_types, v, _refs{i}) if type(v) is list else None", f"if v is None: {fail}"]
    if k is Kind.RULES:
        return [f"v = _fast_rules(v) if type(v) is list else None", f"if v is None: {fail}"]
    if k is Kind.OBJECT:
        return [f"v = _quick[{f.shape!r}](r, v)", f"if v is None: {fail}"]
    if k is Kind.LIST:
        return [f"if type(v) is not list: {fail}",
                f"v = [_quick[{f.shape!r}](r, x) for x in v]",
                f"if None in v: {fail}"]
    raise TypeError(f"no generated check for {k}")   # VERSION: the plan's own field, read carefully


def _reader_source(c: _Compiled, env: dict) -> str:
    """The source of ``read(r, raw) -> attribute dict | None`` for one shape or variant."""
    lines = ["def read(r, raw):",
             "    if type(raw) is not dict or not raw.keys() <= _allowed: return None",
             "    d = dict(_start)",
             "    get = raw.get"]
    env["_allowed"] = c.allowed
    env["_start"] = c.start
    for i, (name, f) in enumerate(c.fields.items()):
        if name == c.shape.tag:
            continue                      # chose this reader; its member is in _start
        lines.append(f"    v = get({name!r}, _MISS)")
        if f.required:
            lines.append("    if v is _MISS: return None")
            body, indent = [], "    "
        else:
            lines.append("    if v is not _MISS:")
            indent = "        "
        if f.since > 1:
            lines.append(f"{indent}if r.version < {f.since}: return None")
        if f.when:
            env[f"_when{i}"] = tuple(f.when[1])
            lines.append(f"{indent}if get({f.when[0]!r}) not in _when{i}: return None")
        lines += [indent + x for x in _check(f, env, i)]
        lines.append(f"{indent}d[{f.key!r}] = v")
        if f.required_when:
            env[f"_required_when{i}"] = tuple(f.required_when[1])
            lines.append(f"    elif get({f.required_when[0]!r}) in _required_when{i}: return None")
    if c.variant is not None:
        for group in c.variant.one_of:
            lines.append(f"    if ({' + '.join(f'({k!r} in raw)' for k in group)}) != 1: return None")
        for name, other, value in c.variant.unless:
            env[f"_unless_{name}"] = value
            lines.append(f"    if {name!r} not in raw and get({other!r}) is not _unless_{name}: return None")
    lines.append("    return d")
    return "\n".join(lines)


def _generate_reader(c: _Compiled):
    env: dict = {"_MISS": _MISS, "_SURROGATE": _SURROGATE, "DOMAIN_RE": DOMAIN_RE, "_fast_date": _fast_date,
                 "_fast_things": _fast_things, "_fast_rules": _fast_rules, "_quick": _QUICK}
    source = _reader_source(c, env)
    exec(source, env)   # noqa: S102 - source built above from the field table
    read = env["read"]
    name = c.shape.name + (f"_{c.variant.value.value}" if c.variant else "")
    read.__name__ = read.__qualname__ = f"read_{name}"
    read.__doc__ = source          # what it checks, for a reader of a traceback or a profile
    return read


def _shape_reader(shape: Shape):
    """``read(r, raw)`` for a shape: picks the variant's generated reader by the tag."""
    if not shape.tag:
        return _generate_reader(_compiled(shape, None))
    by_tag = {v.value.value: _generate_reader(_compiled(shape, v)) for v in shape.variants}
    tag = shape.tag

    def read(r, raw):
        if type(raw) is not dict:
            return None
        v = raw.get(tag)
        variant = by_tag.get(v) if type(v) is str else None
        return None if variant is None else variant(r, raw)
    read.__name__ = read.__qualname__ = f"read_{shape.name}"
    return read


def _quick_builder(name: str):
    """``build(r, raw) -> object | None``: the generated reader and the shape's make step; None (with
    nothing reported) unless the object is plainly valid."""
    read, make = _FAST[name], _MAKE[name]

    def build_each(r, raw):
        d = read(r, raw)
        return None if d is None else make(d, raw)

    def build_shared(r, raw):
        # A flat object (a sign-in method, a recovery route) written the same way twice reads the
        # same: read it once per plan. The key holds each value's type (1 is not True).
        if type(raw) is not dict:
            return None
        values = tuple(raw.values())
        key = (name, tuple(raw), values, tuple(map(type, values)))
        memo = r.memo
        try:
            x = memo.get(key)
        except TypeError:               # a list or an object among the values: not plainly valid
            return None
        if x is None:
            d = read(r, raw)
            if d is None:
                return None
            x = make(d, raw)
            if x is not None:
                memo[key] = x
        return x
    # Only shapes of plain values are shared: things have unique ids, and a list value (accounts'
    # methods, codes' "stored_in") cannot be a key.
    fields = SHAPES[name].fields + tuple(f for v in SHAPES[name].variants for f in v.fields)
    flat = name != "thing" and not any(f.kind in (Kind.LIST, Kind.OBJECT, Kind.THINGS, Kind.RULES) for f in fields)
    build = build_shared if flat else build_each
    build.__name__ = build.__qualname__ = f"quick_{name}"
    return build


#: shape name -> generated ``read(r, raw)`` (the fast path of ``_Reader.read``)
_FAST: dict[str, Callable] = {}
#: shape name -> ``build(r, raw)`` for nested objects inside a generated reader
_QUICK: dict[str, Callable] = {}
for _name, _shape in SHAPES.items():
    if _name != "plan":                    # the plan itself is read by parse_plan
        _FAST[_name] = _shape_reader(_shape)
        _QUICK[_name] = _quick_builder(_name)


def _collect_ids(r: _Reader, things: list, accounts: list) -> None:
    """First pass: every id (valid or not) so references can be checked and suggested."""
    seen: dict[str, tuple] = {}
    thing_types = _members(ThingType)
    account_kinds = _members(AccountKind)
    for group, items, key in (("things", things, "type"), ("accounts", accounts, "kind")):
        for i, item in enumerate(items):
            if type(item) is not dict or type(item.get("id")) is not str:
                continue
            ident = item["id"]
            if not ID_RE.match(ident):
                r.err(f"{group}[{i}].id", f'invalid id "{show(ident)}": use up to 64 letters, digits, "-", "_" '
                                          f'or "." (no spaces), starting with a letter or digit')
                continue
            if ident in seen:
                first = "{}[{}].id".format(*seen[ident])
                r.err(f"{group}[{i}].id", f'duplicate id "{ident}" (already used at {first}); '
                                          f'ids must be unique across things and accounts')
                continue
            seen[ident] = (group, i)   # its path, written out only for a duplicate
            value = item.get(key)
            if group == "things":
                r.thing_types[ident] = thing_types.get(value) if type(value) is str else None
            else:
                r.account_kinds[ident] = account_kinds.get(value) if type(value) is str else None


def _ident(x) -> str:
    return x.id


def parse_plan(data: Any, check_text: bool = True) -> tuple[Plan | None, tuple[Problem, ...]]:
    """Validate decoded JSON and build a :class:`Plan`; never raises on bad data.

    ``check_text``: look for lone surrogates in every string (``loads`` turns it off when
    the JSON text cannot contain any).
    """
    r = _Reader()
    r.check_text = check_text
    if type(data) is not dict:
        r.err(ROOT, f"expected an object, got {_jtype(data)}")
        return None, tuple(r.problems)
    shape = SHAPES["plan"]
    fields = {f.name: f for f in shape.fields}
    for k in data:
        if k not in fields:
            hint = _suggest(k, fields)
            r.err(_key(ROOT, show(k)), f'unknown key "{show(k)}"; ' + (f'did you mean "{hint}"?' if hint else
                                                                      f'allowed keys: {", ".join(fields)}'))
    if "version" not in data:
        r.err(ROOT, f'missing required key "version" (use {FORMAT_VERSION})')
    else:
        v = r.value(fields["version"], data["version"], "version")
        if v is not None:
            r.version = v
    as_of = r.value(fields["as_of"], data["as_of"], "as_of") if "as_of" in data else None
    habits = (_build_habits(r, data["habits"], "habits") if "habits" in data else None) or Habits()
    raw_things = data.get("things", [])
    if type(raw_things) is not list:
        r.err("things", f"expected a list, got {_jtype(raw_things)}")
        raw_things = []
    if "accounts" not in data:
        r.err(ROOT, 'missing required key "accounts" (a list with at least one account)')
        raw_accounts: list = []
    else:
        raw_accounts = data["accounts"]
        if type(raw_accounts) is not list:
            r.err("accounts", f"expected a list, got {_jtype(raw_accounts)}")
            raw_accounts = []
        elif not raw_accounts:
            r.err("accounts", "add at least one account")
    _collect_ids(r, raw_things, raw_accounts)
    # each object through its generated reader first; the careful builder (which names the path) only
    # for those it refuses
    quick_thing, quick_account = _QUICK["thing"], _QUICK["account"]
    things = [t for t in (quick_thing(r, x) or _build_thing(r, x, f"things[{i}]") for i, x in enumerate(raw_things))
              if t is not None]
    accounts = [a for a in (quick_account(r, x) or _build_account(r, x, f"accounts[{i}]")
                            for i, x in enumerate(raw_accounts)) if a is not None]
    if r.problems:
        return None, tuple(r.problems)
    # every list in a fixed order, so list order never changes a result
    return Plan(version=FORMAT_VERSION, as_of=as_of, habits=habits, things=tuple(sorted(things, key=_ident)),
                accounts=tuple(sorted(accounts, key=_ident)),
                migrated_from=r.version if r.version != FORMAT_VERSION else None), ()


def decode(text: Any, root: str = ROOT) -> tuple[Any, tuple[Problem, ...], bool]:
    """JSON text -> (data, problems, may_hold_surrogates). Bad JSON, oversized input, numbers
    too large and nesting too deep become one problem each, never an exception."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            return None, (Problem(root, f"the file is not UTF-8 text (byte {e.start})"),), False
    if not isinstance(text, str):
        return None, (Problem(root, f"expected JSON text, got {type(text).__name__}"),), False
    if len(text) > MAX_INPUT_CHARS:
        return None, (Problem(root, f"the input is {len(text) / 1e6:.1f} million characters; the checker reads "
                                    f"plans of up to {MAX_INPUT_CHARS // 1_000_000} million (about 20,000 "
                                    f"accounts). Split the plan into smaller files"),), False
    if not text.strip():
        return None, (Problem(root, "the input is empty; expected a JSON object"),), False
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int, parse_float=_parse_float)
    except _BadConstant as e:
        return None, (Problem(root, f"invalid JSON: {e.args[0]} is not allowed"),), False
    except json.JSONDecodeError as e:
        return None, (Problem(root, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"),), False
    except RecursionError:
        return None, (Problem(root, "the JSON is nested too deeply (a plan is at most 5 levels deep); "
                                    "check the file is a recovery plan"),), False
    except (ValueError, MemoryError) as e:
        return None, (Problem(root, f"invalid JSON: {show(e)}"),), False
    return data, (), _may_hold_surrogates(text)


def _may_hold_surrogates(text: str) -> bool:
    """Could the decoded data hold a lone surrogate (written raw, or as a \\ud800 escape)?"""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return True
    return "\\u" in text and bool(_SURROGATE_HINT.search(text))


def loads(text: Any) -> tuple[Plan | None, tuple[Problem, ...]]:
    """Decode JSON text, then parse it as a plan."""
    data, problems, surrogates = decode(text)
    if problems:
        return None, problems
    return parse_plan(data, check_text=surrogates)


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str):
    raise _BadConstant(name)
