"""The service catalogue: what each online service offers for sign-in, as data.

Pure and stdlib-only, like the rest of the engine: nothing here reads files or the
network. The catalogue comes from 2FA Directory and its Passkeys Directory
(data/services/README.md); the CLI reads the project's copy through
``catalogue_file.load_catalogue`` and the browser passes only the entries a plan names.

The document (``data/services/catalogue.json``, the browser asset and every subset)::

    {"format": 1,
     "sources": [{"id": "2fa-directory", "name": ..., "date": "2026-08-04", "licence": ...,
                  "attribution": ..., ...}, ...],
     "services": [{"domain": "github.com", "name": "GitHub",
                   "methods": ["sms", "totp", "security_key", "vendor_app"],
                   "vendor_apps": ["GitHub Mobile"], "passkey": ["second_factor", "passwordless"],
                   "documentation": "https://...", "recovery": "https://...",
                   "categories": ["developer"], "sources": ["2fa-directory", "passkeys"]}, ...],
     "common": [{"domain": "mail.google.com", "label": "Google Account (Gmail)",
                 "aliases": ["google", "gmail"]}, ...]}        # browser asset only

A key is left out when its value is empty. :func:`parse_services` validates a document
and reports every problem with its field path (``services[12].methods[0]``), using the
plan parser's :class:`~esrok_recovery.parse.Problem`; it never raises on bad data.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Iterable, Mapping

from .model import AccountKind, Plan, SignInType
from .parse import DOMAIN_RE, Problem, _jtype, domain_key

CATALOGUE_FORMAT = 1
ROOT = "(catalogue)"

#: Source ids with a meaning for the facts (see :class:`Service`).
TWO_FA_DIRECTORY = "2fa-directory"
PASSKEY_DIRECTORY = "passkeys"


class Method(str, Enum):
    """A second-factor method a service offers (2FA Directory's ``tfa`` list, renamed)."""

    SMS = "sms"
    CALL = "call"
    EMAIL = "email"
    TOTP = "totp"
    SECURITY_KEY = "security_key"        # upstream "u2f": FIDO U2F / WebAuthn keys
    VENDOR_APP = "vendor_app"            # upstream "custom-software", e.g. a push app
    VENDOR_HARDWARE = "vendor_hardware"  # upstream "custom-hardware", e.g. an OTP card

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


class PasskeyUse(str, Enum):
    """How a service accepts a passkey (Passkeys Directory's ``mfa`` / ``passwordless``)."""

    SECOND_FACTOR = "second_factor"
    PASSWORDLESS = "passwordless"


METHOD_LABELS = {
    Method.SMS: "text message (SMS) codes",
    Method.CALL: "voice call codes",
    Method.EMAIL: "email codes",
    Method.TOTP: "authenticator app codes (TOTP)",
    Method.SECURITY_KEY: "security keys",
    Method.VENDOR_APP: "the service's own app",
    Method.VENDOR_HARDWARE: "the service's own hardware token",
}

#: The plan's ``sign_in`` type(s) closest to each method (model.SignInType values; a
#: test keeps them in step). A vendor app is usually a push prompt; a vendor hardware
#: token has no plan equivalent.
SIGN_IN_TYPES: Mapping[Method, tuple[str, ...]] = {
    Method.SMS: ("sms",),
    Method.CALL: ("voice",),
    Method.EMAIL: ("email_code",),
    Method.TOTP: ("totp",),
    Method.SECURITY_KEY: ("security_key",),
    Method.VENDOR_APP: ("push",),
    Method.VENDOR_HARDWARE: (),
}
PASSKEY_SIGN_IN_TYPE = "passkey"

#: The plan's account kind (model.AccountKind values) of a service, by its main domain: the
#: domain itself or a parent domain listed here ("chat.google.com" -> "google"). Checked first.
KIND_BY_DOMAIN: Mapping[str, str] = {
    "google.com": "google", "youtube.com": "google", "nest.com": "google",
    "apple.com": "apple", "icloud.com": "apple",
    "microsoft.com": "microsoft", "microsoft": "microsoft", "outlook.com": "microsoft", "live.com": "microsoft",
    "office.com": "microsoft", "xbox.com": "microsoft",
    "1password.com": "password_manager", "bitwarden.com": "password_manager", "dashlane.com": "password_manager",
    "keepersecurity.com": "password_manager", "lastpass.com": "password_manager", "nordpass.com": "password_manager",
    "passpack.com": "password_manager", "roboform.com": "password_manager", "truekey.com": "password_manager",
    "okta.com": "work", "onelogin.com": "work", "jumpcloud.com": "work",
}
#: Then by category: the first of these the service lists (upstream category ids), else "other".
KIND_BY_CATEGORY: tuple[tuple[str, str], ...] = (
    ("email", "email"), ("banking", "bank"), ("universities", "school"), ("social", "social"))
OTHER_KIND = "other"

#: Upstream spellings, for a helpful message when a raw upstream value is pasted in.
UPSTREAM_METHOD_NAMES = {"u2f": Method.SECURITY_KEY, "custom-software": Method.VENDOR_APP,
                         "custom-hardware": Method.VENDOR_HARDWARE}


@dataclass(frozen=True, slots=True)
class Source:
    """Where the facts come from, and the credit the data's licence asks for."""

    id: str
    name: str
    date: str                      # YYYY-MM-DD: the upstream commit date, or the day of an API refresh
    licence: str                   # e.g. "MIT", "CC BY 4.0"
    attribution: str               # the line to show wherever the data is shown
    url: str | None = None         # the project's home page
    repository: str | None = None
    commit: str | None = None      # upstream commit of a snapshot; None after an API refresh
    api: tuple[str, ...] = ()      # API URLs an API refresh read
    licence_url: str | None = None
    licence_file: str | None = None  # file name of the licence text next to catalogue.json


@dataclass(frozen=True, slots=True)
class Service:
    """What the catalogue knows about one service (keyed by its main domain)."""

    domain: str
    name: str
    sources: tuple[str, ...]
    additional_domains: tuple[str, ...] = ()
    methods: tuple[Method, ...] = ()           # in Method order
    vendor_apps: tuple[str, ...] = ()
    vendor_hardware: tuple[str, ...] = ()
    passkey: tuple[PasskeyUse, ...] = ()       # in PasskeyUse order
    documentation: str | None = None           # the service's page on setting up 2FA
    passkey_documentation: str | None = None   # its passkey page, when different
    recovery: str | None = None                # its account-recovery page
    categories: tuple[str, ...] = ()           # upstream category ids, e.g. "banking"
    regions: tuple[str, ...] = ()              # ISO 3166 codes where it applies; () = everywhere
    excluded_regions: tuple[str, ...] = ()     # codes where it does not apply

    @property
    def domains(self) -> tuple[str, ...]:
        return (self.domain, *self.additional_domains)

    @property
    def in_2fa_directory(self) -> bool:
        """True when 2FA Directory lists the service, so ``methods`` is known (maybe empty)."""
        return TWO_FA_DIRECTORY in self.sources

    @property
    def lists_no_2fa(self) -> bool:
        """2FA Directory lists the service with no second factor, and no passkey serves as one.

        A service only in the Passkeys Directory is *unknown*, not "no 2FA"."""
        return self.in_2fa_directory and not self.methods and PasskeyUse.SECOND_FACTOR not in self.passkey

    @property
    def passkey_second_factor(self) -> bool:
        return PasskeyUse.SECOND_FACTOR in self.passkey

    @property
    def passkey_passwordless(self) -> bool:
        return PasskeyUse.PASSWORDLESS in self.passkey

    @property
    def passkey_instead_of_password(self) -> bool:
        """The service takes a passkey only instead of the password, never as a second step after it:
        adding one leaves the password a way in of its own (:func:`with_services`)."""
        return self.passkey_passwordless and not self.passkey_second_factor

    def offers(self, method: Method | str) -> bool:
        return Method(method) in self.methods

    @property
    def kind(self) -> str:
        """The plan's account kind for this service (:data:`KIND_BY_DOMAIN`, then :data:`KIND_BY_CATEGORY`)."""
        return account_kind(self.domain, self.categories)

    @property
    def sign_in_types(self) -> tuple[str, ...]:
        """The plan's sign-in types this service offers as a way in besides the password (in the
        plan's SignInType order): its methods through :data:`SIGN_IN_TYPES`, and "passkey"."""
        offered = {t for m in self.methods for t in SIGN_IN_TYPES[m]}
        if self.passkey:
            offered.add(PASSKEY_SIGN_IN_TYPE)
        return tuple(t for t in _SIGN_IN_ORDER if t in offered)

    @property
    def supports_passkey(self) -> bool:
        return bool(self.passkey)

    def as_dict(self, fields: Iterable[str] | None = None) -> dict:
        """The record (keys in SERVICE_KEYS order, empty values left out); ``fields`` keeps only those keys."""
        keep = SERVICE_KEYS if fields is None else tuple(k for k in SERVICE_KEYS if k in set(fields))
        out: dict = {}
        for key in keep:
            value = getattr(self, key)
            if value is None or value == ():
                continue
            if isinstance(value, tuple):
                value = [v.value if isinstance(v, Enum) else v for v in value]
            out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class CommonChoice:
    """A service offered before any typing in the picker, with the label and extra search words."""

    domain: str
    label: str
    aliases: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        out = {"domain": self.domain, "label": self.label}
        if self.aliases:
            out["aliases"] = list(self.aliases)
        return out


@dataclass(frozen=True)
class Catalogue:
    """A validated catalogue: services sorted by domain, with a lookup by any of their domains."""

    sources: tuple[Source, ...]
    services: tuple[Service, ...]
    common: tuple[CommonChoice, ...] = ()
    format: int = CATALOGUE_FORMAT
    _index: Mapping[str, Service | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Service | None] = {}
        for s in self.services:
            for d in s.additional_domains:
                index[d] = None if d in index else s   # claimed twice: ambiguous
        for s in self.services:
            index[s.domain] = s                        # a main domain always wins
        object.__setattr__(self, "_index", index)

    def get(self, domain: str) -> Service | None:
        """The service whose main or (unambiguous) additional domain this is; accepts URLs and ``www.``."""
        key = domain_key(domain)
        if key is None:
            return None
        found = self._index.get(key)
        if found is None and key.startswith("www."):
            found = self._index.get(key[4:])
        return found

    def __len__(self) -> int:
        return len(self.services)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    @property
    def attributions(self) -> tuple[str, ...]:
        """The credit lines to show wherever the data is shown (tool, kit, pages)."""
        return tuple(s.attribution for s in self.sources)

    def as_dict(self, fields: Iterable[str] | None = None) -> dict:
        out: dict = {"format": self.format, "sources": [source_dict(s) for s in self.sources],
                     "services": [s.as_dict(fields) for s in self.services]}
        if self.common:
            out["common"] = [c.as_dict() for c in self.common]
        return out


def with_services(plan: Plan, catalogue: Catalogue | None) -> Plan:
    """The plan as its accounts' services make sign-in work, for the measures and the loss table:
    an account whose service takes a passkey only instead of the password gets
    ``passkey_instead_of_password`` (a passkey there is one more way in, the password alone still
    gets in). The same plan object when the catalogue changes nothing."""
    if catalogue is None:
        return plan
    changed = False
    accounts = []
    for a in plan.accounts:
        svc = catalogue.get(a.service) if a.service else None
        flag = svc is not None and svc.passkey_instead_of_password
        if flag != a.passkey_instead_of_password:
            a = replace(a, passkey_instead_of_password=flag)
            changed = True
        accounts.append(a)
    if not changed:
        return plan
    return Plan(version=plan.version, as_of=plan.as_of, habits=plan.habits, things=plan.things,
                accounts=tuple(accounts), migrated_from=plan.migrated_from)


def account_kind(domain: str, categories: Iterable[str] = ()) -> str:
    """The plan's account kind for a service's main domain and categories; "other" when none fits."""
    labels = domain.split(".")
    for i in range(len(labels)):
        kind = KIND_BY_DOMAIN.get(".".join(labels[i:]))
        if kind is not None:
            return kind
    cats = set(categories)
    return next((kind for cat, kind in KIND_BY_CATEGORY if cat in cats), OTHER_KIND)


_SIGN_IN_ORDER = tuple(t.value for t in SignInType)   # the plan's vocabulary, in its own order


# --- key sets (the order is the order in the file) ---
TOP_KEYS = ("format", "sources", "services", "common", "account_kinds", "sign_in_types")
SOURCE_KEYS = ("id", "name", "url", "repository", "commit", "date", "api", "licence", "licence_url",
               "licence_file", "attribution")
SOURCE_REQUIRED = ("id", "name", "date", "licence", "attribution")
SERVICE_KEYS = ("domain", "name", "additional_domains", "methods", "vendor_apps", "vendor_hardware", "passkey",
                "documentation", "passkey_documentation", "recovery", "categories", "regions",
                "excluded_regions", "sources")
SERVICE_REQUIRED = ("domain", "name", "sources")
COMMON_KEYS = ("domain", "label", "aliases")

#: What the browser asset keeps of each service: what the picker, the search and the
#: advice use (no regions, no passkey page; the kit links the 2FA and recovery pages).
ASSET_FIELDS = ("domain", "name", "additional_domains", "methods", "vendor_apps", "vendor_hardware", "passkey",
                "documentation", "passkey_documentation", "recovery", "categories", "sources")
ASSET_SOURCE_KEYS = ("id", "name", "url", "date", "licence", "licence_url", "attribution")

#: Offered first by the picker (quick check: "which account would hurt most to lose?"),
#: in this order; ``aliases`` are extra search words ("microsoft" finds Outlook.com).
COMMON_SERVICES: tuple[CommonChoice, ...] = (
    CommonChoice("mail.google.com", "Google Account (Gmail)", ("google", "google account", "youtube")),
    CommonChoice("appleid.apple.com", "Apple Account", ("apple id", "icloud", "iphone")),
    CommonChoice("outlook.com", "Microsoft account (Outlook.com, Hotmail)",
                 ("microsoft", "microsoft account", "hotmail", "live", "msn")),
    CommonChoice("facebook.com", "Facebook", ("meta",)),
    CommonChoice("instagram.com", "Instagram", ()),
    CommonChoice("whatsapp.com", "WhatsApp", ()),
    CommonChoice("amazon.com", "Amazon", ()),
    CommonChoice("paypal.com", "PayPal", ()),
    CommonChoice("x.com", "X (Twitter)", ("twitter",)),
    CommonChoice("linkedin.com", "LinkedIn", ()),
    CommonChoice("yahoo.com", "Yahoo", ("yahoo mail",)),
    CommonChoice("proton.me", "Proton (Proton Mail)", ("protonmail", "proton mail")),
    CommonChoice("github.com", "GitHub", ()),
    CommonChoice("dropbox.com", "Dropbox", ()),
    CommonChoice("1password.com", "1Password", ()),
    CommonChoice("bitwarden.com", "Bitwarden", ()),
)

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CATEGORY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REGION_RE = re.compile(r"^[a-z]{2}$")
ID_RE = CATEGORY_RE
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s\x00-\x1f\x7f]*)?$")
MAX_LISTED = 8


# --- helpers ------------------------------------------------------------------

def source_dict(s: Source, keys: Iterable[str] = SOURCE_KEYS) -> dict:
    out: dict = {}
    for key in keys:
        value = getattr(s, key)
        if value is None or value == ():
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def _listing(options) -> str:
    options = list(options)
    return ", ".join(options[:MAX_LISTED]) + (", ..." if len(options) > MAX_LISTED else "")


def _suggest(word: Any, options) -> str | None:
    if not isinstance(word, str):
        return None
    hits = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return hits[0] if hits else None


# --- the parser ---------------------------------------------------------------

class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def err(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def obj(self, value: Any, path: str, allowed, required) -> dict | None:
        if not isinstance(value, dict):
            self.err(path, f"expected an object, got {_jtype(value)}; write it as {{...}}")
            return None
        for k in value:
            if k in allowed:
                continue
            hint = _suggest(k, allowed)
            key_path = k if path == ROOT else f"{path}.{k}"
            if hint:
                self.err(key_path, f'unknown key "{k}"; did you mean "{hint}"?')
            else:
                self.err(key_path, f'unknown key "{k}"; allowed keys: {", ".join(allowed)}')
        for r in required:
            if r not in value:
                self.err(path, f'missing required key "{r}"; add it')
        return value

    def text(self, d: dict, key: str, path: str) -> str | None:
        if key not in d:
            return None
        v = d[key]
        p = f"{path}.{key}" if path != ROOT else key
        if not isinstance(v, str):
            self.err(p, f"expected a string, got {_jtype(v)}; write it in double quotes")
            return None
        if not v.strip():
            self.err(p, "must not be empty; write the value or remove the key")
            return None
        if v != v.strip() or any(ord(c) < 32 for c in v):
            self.err(p, f"{json.dumps(v)} has surrounding spaces or control characters; remove them")
            return None
        return v

    def items(self, d: dict, key: str, path: str, check, what: str, *, required: bool = False) -> list:
        """A list of values, each passed through ``check(value, item_path)`` (None = rejected)."""
        if key not in d:
            return []
        v = d[key]
        p = f"{path}.{key}"
        if not isinstance(v, list):
            self.err(p, f"expected a list of {what}, got {_jtype(v)}; write it as [...]")
            return []
        if not v:
            self.err(p, f"must list at least one of the {what}" if required else
                     f"is an empty list; remove the key when there are no {what}")
            return []
        out, seen = [], set()
        for i, item in enumerate(v):
            value = check(item, f"{p}[{i}]")
            if value is None:
                continue
            if value in seen:
                self.err(f"{p}[{i}]", f"{json.dumps(item, ensure_ascii=False)} is listed twice; remove the repeat")
                continue
            seen.add(value)
            out.append(value)
        return out

    # --- item checks (return the parsed value, or None after reporting) ---
    def domain(self, v: Any, p: str) -> str | None:
        if isinstance(v, str) and DOMAIN_RE.match(v):
            return v
        if not isinstance(v, str):
            self.err(p, f'expected a domain name in a string, got {_jtype(v)}; write it like "example.com"')
            return None
        key = domain_key(v)
        if key and key != v:
            self.err(p, f'"{v}" is not a bare domain name; write "{key}"')
        else:
            self.err(p, f'"{v}" is not a domain name; write a lower-case host name such as "example.com"')
        return None

    def word(self, v: Any, p: str) -> str | None:
        if isinstance(v, str) and v.strip() and v == v.strip() and not any(ord(c) < 32 for c in v):
            return v
        if not isinstance(v, str):
            self.err(p, f"expected a string, got {_jtype(v)}; write it in double quotes")
        else:
            self.err(p, f"{json.dumps(v)} is empty or has surrounding spaces; write the name alone")
        return None

    def pattern(self, regex, example: str, what: str):
        def check(v: Any, p: str) -> str | None:
            if isinstance(v, str) and regex.match(v):
                return v
            if not isinstance(v, str):
                self.err(p, f'expected {what} in a string, got {_jtype(v)}; write it like "{example}"')
            else:
                self.err(p, f'"{v}" is not {what}; write it like "{example}"')
            return None
        return check

    def member(self, cls, what: str, upstream: Mapping[str, Enum] | None = None):
        values = [e.value for e in cls]

        def check(v: Any, p: str):
            if isinstance(v, str):
                try:
                    return cls(v)
                except ValueError:
                    pass
                if upstream and v in upstream:
                    self.err(p, f'"{v}" is 2FA Directory\'s name; write "{upstream[v].value}"')
                    return None
                hint = _suggest(v, values)
                if hint:
                    self.err(p, f'unknown {what} "{v}"; did you mean "{hint}"?')
                else:
                    self.err(p, f'unknown {what} "{v}"; use one of: {", ".join(values)}')
                return None
            self.err(p, f"expected a string, got {_jtype(v)}; use one of: {', '.join(values)}")
            return None
        return check

    def link(self, v: Any, p: str) -> str | None:
        if isinstance(v, str) and URL_RE.match(v):
            return v
        self.err(p, f"{json.dumps(v, ensure_ascii=False)} is not a web address; write a full https:// link")
        return None

    def url(self, d: dict, key: str, path: str) -> str | None:
        v = self.text(d, key, path)
        if v is None:
            return None
        if not URL_RE.match(v):
            self.err(f"{path}.{key}", f'"{v}" is not a web address; write a full https:// link, or remove the key')
            return None
        return v

    def date(self, d: dict, key: str, path: str) -> str | None:
        v = self.text(d, key, path)
        if v is None:
            return None
        if DATE_RE.match(v):
            try:
                _dt.date.fromisoformat(v)
                return v
            except ValueError:
                pass
        self.err(f"{path}.{key}", f'"{v}" is not a date; write it as YYYY-MM-DD')
        return None


def _source(r: _Reader, raw: Any, path: str) -> Source | None:
    d = r.obj(raw, path, SOURCE_KEYS, SOURCE_REQUIRED)
    if d is None:
        return None
    n = len(r.problems)
    sid = r.text(d, "id", path)
    if sid is not None and not ID_RE.match(sid):
        r.err(f"{path}.id", f'"{sid}" is not an id; use lower-case words joined by "-", like "2fa-directory"')
        sid = None
    values = {k: r.text(d, k, path) for k in ("name", "licence", "attribution", "repository", "licence_file")}
    commit = r.text(d, "commit", path)
    if commit is not None and not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        r.err(f"{path}.commit", f'"{commit}" is not a git commit id; write the hex id, or remove the key')
    urls = {k: r.url(d, k, path) for k in ("url", "licence_url")}
    api = tuple(r.items(d, "api", path, r.link, "web addresses"))
    date = r.date(d, "date", path)
    if len(r.problems) > n or sid is None or date is None:
        return None
    return Source(id=sid, name=values["name"], date=date, licence=values["licence"],
                  attribution=values["attribution"], url=urls["url"], repository=values["repository"],
                  commit=commit, api=api, licence_url=urls["licence_url"], licence_file=values["licence_file"])


def _service(r: _Reader, raw: Any, path: str, source_ids: Mapping[str, None]) -> Service | None:
    d = r.obj(raw, path, SERVICE_KEYS, SERVICE_REQUIRED)
    if d is None:
        return None
    n = len(r.problems)
    domain = r.domain(d["domain"], f"{path}.domain") if "domain" in d else None
    name = r.text(d, "name", path)
    additional = r.items(d, "additional_domains", path, r.domain, "domain names")
    if domain is not None and domain in additional:
        r.err(f"{path}.additional_domains[{additional.index(domain)}]",
              f'"{domain}" is the main domain; remove it from additional_domains')
    before = len(r.problems)
    methods = r.items(d, "methods", path, r.member(Method, "method", UPSTREAM_METHOD_NAMES), "methods")
    methods_ok = len(r.problems) == before
    vendor_apps = r.items(d, "vendor_apps", path, r.word, "app names")
    vendor_hardware = r.items(d, "vendor_hardware", path, r.word, "device names")
    passkey = r.items(d, "passkey", path, r.member(PasskeyUse, "passkey use"), "passkey uses")
    docs = {k: r.url(d, k, path) for k in ("documentation", "passkey_documentation", "recovery")}
    categories = r.items(d, "categories", path, r.pattern(CATEGORY_RE, "banking", "a category id"), "categories")
    regions = r.items(d, "regions", path, r.pattern(REGION_RE, "de", "a two-letter country code"), "regions")
    excluded = r.items(d, "excluded_regions", path, r.pattern(REGION_RE, "de", "a two-letter country code"),
                       "regions")

    def known_source(v: Any, p: str) -> str | None:
        if isinstance(v, str) and v in source_ids:
            return v
        hint = _suggest(v, list(source_ids))
        shown = json.dumps(v, ensure_ascii=False)
        if hint:
            r.err(p, f'unknown source {shown}; did you mean "{hint}"?')
        else:
            r.err(p, f"unknown source {shown}; the catalogue's sources are: {_listing(source_ids) or 'none'}")
        return None
    sources = r.items(d, "sources", path, known_source, f"sources ({_listing(source_ids)})", required=True)
    for code in sorted(set(regions) & set(excluded)):
        r.err(f"{path}.excluded_regions", f'"{code}" is both in regions and excluded_regions; keep one')
    for key, method in (("vendor_apps", Method.VENDOR_APP), ("vendor_hardware", Method.VENDOR_HARDWARE)):
        if key in d and method not in methods and methods_ok:
            r.err(f"{path}.{key}", f'names {key.replace("_", " ")} but methods has no "{method.value}"; '
                                   f'add "{method.value}" to methods or remove {key}')
    if sources:
        if (methods or vendor_apps or vendor_hardware) and TWO_FA_DIRECTORY not in sources:
            r.err(f"{path}.sources", f'lists methods but not "{TWO_FA_DIRECTORY}"; add "{TWO_FA_DIRECTORY}" '
                                     f"to sources (the methods come from 2FA Directory)")
        if passkey and PASSKEY_DIRECTORY not in sources:
            r.err(f"{path}.sources", f'lists passkey support but not "{PASSKEY_DIRECTORY}"; '
                                     f'add "{PASSKEY_DIRECTORY}" to sources')
    if len(r.problems) > n or domain is None or name is None or not sources:
        return None
    return Service(
        domain=domain, name=name, sources=tuple(sorted(sources, key=list(source_ids).index)),
        additional_domains=tuple(sorted(additional)),
        methods=tuple(m for m in Method if m in methods),
        vendor_apps=tuple(sorted(vendor_apps)), vendor_hardware=tuple(sorted(vendor_hardware)),
        passkey=tuple(u for u in PasskeyUse if u in passkey),
        documentation=docs["documentation"], passkey_documentation=docs["passkey_documentation"],
        recovery=docs["recovery"], categories=tuple(sorted(categories)), regions=tuple(sorted(regions)),
        excluded_regions=tuple(sorted(excluded)))


def _common(r: _Reader, raw: Any, path: str, domains: set[str]) -> CommonChoice | None:
    d = r.obj(raw, path, COMMON_KEYS, ("domain", "label"))
    if d is None:
        return None
    n = len(r.problems)
    domain = r.domain(d["domain"], f"{path}.domain") if "domain" in d else None
    if domain is not None and domain not in domains:
        r.err(f"{path}.domain", f'"{domain}" is not a service in this catalogue; use a listed main domain')
    label = r.text(d, "label", path)
    aliases = r.items(d, "aliases", path, r.word, "search words")
    if len(r.problems) > n or domain is None or label is None:
        return None
    return CommonChoice(domain, label, tuple(aliases))


def _table(r: _Reader, raw: Any, path: str, keys: list[str], what: str, check, items: str) -> None:
    """A derived table of the browser asset (``account_kinds``, ``sign_in_types``): checked, not kept."""
    if not isinstance(raw, dict):
        r.err(path, f"expected an object, got {_jtype(raw)}; write it as {{...}}")
        return
    for k in raw:
        if k not in keys:
            hint = _suggest(k, keys)
            r.err(f"{path}.{k}", f'unknown {what} "{k}"' + (f'; did you mean "{hint}"?' if hint
                                                              else f"; use one of: {_listing(keys)}"))
            continue
        r.items(raw, k, path, check, items)


def parse_services(data: Any) -> tuple[Catalogue | None, tuple[Problem, ...]]:
    """Validate a decoded catalogue document; ``(catalogue, ())`` or ``(None, problems)``.

    Every problem names the JSON path of the field and how to fix it. Services come
    back sorted by domain, their lists in a canonical order.
    """
    r = _Reader()
    d = r.obj(data, ROOT, TOP_KEYS, ("format", "sources", "services"))
    if d is None:
        return None, tuple(r.problems)
    fmt = d.get("format")
    if "format" in d and (fmt != CATALOGUE_FORMAT or isinstance(fmt, bool)):
        r.err("format", f"unsupported format {json.dumps(fmt)}; this engine reads format {CATALOGUE_FORMAT}")
    sources: list[Source] = []
    raw_sources = d.get("sources", [])
    if not isinstance(raw_sources, list):
        r.err("sources", f"expected a list of sources, got {_jtype(raw_sources)}; write it as [...]")
        raw_sources = []
    elif "sources" in d and not raw_sources:
        r.err("sources", "add at least one source (where the facts come from, with its licence)")
    source_ids: dict[str, None] = {}
    for i, raw in enumerate(raw_sources):
        s = _source(r, raw, f"sources[{i}]")
        if s is None:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                source_ids[raw["id"]] = None  # still known, so services are not flagged twice
            continue
        if s.id in source_ids:
            r.err(f"sources[{i}].id", f'"{s.id}" is listed twice; give each source its own id')
            continue
        source_ids[s.id] = None
        sources.append(s)
    raw_services = d.get("services", [])
    if not isinstance(raw_services, list):
        r.err("services", f"expected a list of services, got {_jtype(raw_services)}; write it as [...]")
        raw_services = []
    services: list[Service] = []
    first: dict[str, int] = {}
    for i, raw in enumerate(raw_services):
        s = _service(r, raw, f"services[{i}]", source_ids)
        if s is None:
            continue
        if s.domain in first:
            r.err(f"services[{i}].domain", f'"{s.domain}" is listed twice (also services[{first[s.domain]}]); '
                                           f"merge the two entries")
            continue
        first[s.domain] = i
        services.append(s)
    common: list[CommonChoice] = []
    if "common" in d:
        raw_common = d["common"]
        if not isinstance(raw_common, list):
            r.err("common", f"expected a list, got {_jtype(raw_common)}; write it as [...]")
        else:
            known = {s.domain for s in services} | {
                raw.get("domain") for raw in raw_services if isinstance(raw, dict)} - {None}
            seen: set[str] = set()
            for i, raw in enumerate(raw_common):
                c = _common(r, raw, f"common[{i}]", known)
                if c is None:
                    continue
                if c.domain in seen:
                    r.err(f"common[{i}].domain", f'"{c.domain}" is listed twice; remove the repeat')
                    continue
                seen.add(c.domain)
                common.append(c)
    if "account_kinds" in d:
        _table(r, d["account_kinds"], "account_kinds", [k.value for k in AccountKind if k.value != OTHER_KIND],
               "account kind", r.domain, "domain names")
    if "sign_in_types" in d:
        _table(r, d["sign_in_types"], "sign_in_types", [m.value for m in Method] + [PASSKEY_SIGN_IN_TYPE],
               "method", r.member(SignInType, "sign-in type"), "sign-in types")
    if r.problems:
        return None, tuple(r.problems)
    return Catalogue(sources=tuple(sources), services=tuple(sorted(services, key=lambda s: s.domain)),
                     common=tuple(common)), ()


def loads_services(text: Any) -> tuple[Catalogue | None, tuple[Problem, ...]]:
    """Decode JSON text, then :func:`parse_services`; bad JSON is one problem with line and column."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            return None, (Problem(ROOT, f"the file is not UTF-8 text (byte {e.start}); save it as UTF-8"),)
    if not isinstance(text, str):
        return None, (Problem(ROOT, f"expected JSON text, got {type(text).__name__}"),)
    if not text.strip():
        return None, (Problem(ROOT, "the input is empty; expected a JSON object"),)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return None, (Problem(ROOT, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}; fix the syntax"),)
    except RecursionError:
        return None, (Problem(ROOT, "invalid JSON: nested too deeply"),)
    return parse_services(data)


# --- output -------------------------------------------------------------------

def dump_catalogue(catalogue: Catalogue) -> str:
    """The canonical text of ``data/services/catalogue.json``: sorted, one service per line.

    A refresh therefore shows up in ``git diff`` as one changed line per changed service.
    """
    head = {"format": catalogue.format, "sources": [source_dict(s) for s in catalogue.sources]}
    lines = ["{", f'"format": {head["format"]},', '"sources": [']
    lines.append(",\n".join(json.dumps(s, ensure_ascii=False, indent=None) for s in head["sources"]))
    lines.append("],")
    if catalogue.common:
        lines.append('"common": [')
        lines.append(",\n".join(json.dumps(c.as_dict(), ensure_ascii=False) for c in catalogue.common))
        lines.append("],")
    lines.append('"services": [')
    lines.append(",\n".join(json.dumps(s.as_dict(), ensure_ascii=False) for s in catalogue.services))
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def subset(catalogue: Catalogue, domains: Iterable[str]) -> Catalogue:
    """Only the services that these domains name (main or additional, URLs accepted), with the sources.

    Unknown domains are skipped; each service appears once. This is what a plan needs.
    """
    picked: dict[str, Service] = {}
    for d in domains:
        s = catalogue.get(d)
        if s is not None:
            picked[s.domain] = s
    return Catalogue(sources=catalogue.sources, services=tuple(sorted(picked.values(), key=lambda s: s.domain)))


def with_common(catalogue: Catalogue, common: Iterable[CommonChoice] = COMMON_SERVICES) -> Catalogue:
    """The catalogue plus the picker's common choices; a choice whose domain is missing is left out."""
    kept = tuple(c for c in common if catalogue.get(c.domain) is not None
                 and catalogue.get(c.domain).domain == c.domain)
    return Catalogue(sources=catalogue.sources, services=catalogue.services, common=kept)


def account_kinds(catalogue: Catalogue) -> dict[str, list[str]]:
    """``{kind: [main domains]}`` for every service whose account kind is not "other" (the
    browser asset's ``account_kinds``: the picker pre-fills an account's kind from it)."""
    out: dict[str, list[str]] = {k.value: [] for k in AccountKind if k.value != OTHER_KIND}
    for s in catalogue.services:
        kind = s.kind
        if kind != OTHER_KIND:
            out[kind].append(s.domain)
    return {k: v for k, v in out.items() if v}


def sign_in_table() -> dict[str, list[str]]:
    """``{method: [plan sign-in types]}`` plus ``"passkey": ["passkey"]`` (the browser asset's
    ``sign_in_types``): what each catalogue method is in the plan's sign-in vocabulary."""
    out = {m.value: list(SIGN_IN_TYPES[m]) for m in Method if SIGN_IN_TYPES[m]}
    out["passkey"] = [PASSKEY_SIGN_IN_TYPE]
    return out


def browser_asset(catalogue: Catalogue, common: Iterable[CommonChoice] = COMMON_SERVICES) -> str:
    """The trimmed catalogue the browser loads (picker, search, advice): compact JSON text.

    It is itself a catalogue document (``parse_services`` reads it back): the fields in
    ASSET_FIELDS, the sources' credit lines and dates, the picker's common choices, and two
    tables in the plan's vocabulary, so the page restates nothing:

    * ``account_kinds``: ``{"bank": ["ally.com", ...], "google": [...], ...}``, the plan's account
      kind of every service that is not "other" (:func:`account_kind`);
    * ``sign_in_types``: ``{"sms": ["sms"], "call": ["voice"], ..., "passkey": ["passkey"]}``: a
      service offers, besides a password, the sign-in types of its ``methods`` (a method missing
      from the table has none: vendor_hardware), and "passkey" when its ``passkey`` list is not empty.

    The page passes the engine the ``services`` entries a plan names exactly as they are here
    (with the asset's ``format`` and ``sources``); the two tables are not needed there.
    """
    trimmed = with_common(catalogue, common)
    doc = {"format": trimmed.format,
           "sources": [source_dict(s, ASSET_SOURCE_KEYS) for s in trimmed.sources],
           "common": [c.as_dict() for c in trimmed.common],
           "account_kinds": account_kinds(trimmed),
           "sign_in_types": sign_in_table(),
           "services": [s.as_dict(ASSET_FIELDS) for s in trimmed.services]}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
