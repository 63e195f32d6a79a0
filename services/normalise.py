"""Upstream 2FA Directory and Passkeys Directory entries -> one catalogue keyed by domain.

Pure, stdlib-only and deterministic: the same input always gives the same document,
whatever the order upstream lists its services in. ``update.py`` feeds it from the
published APIs; tests feed it from fixture files. The result is validated by
``esrok_recovery.catalogue.parse_services`` and written by ``dump_catalogue``.

Upstream entry shapes (the repositories' entry format, as in their snapshots):

* 2FA Directory: ``name``, ``domain``, ``additional-domains``, ``tfa`` (sms, call, email,
  totp, u2f, custom-software, custom-hardware), ``custom-software``, ``custom-hardware``,
  ``documentation``, ``recovery``, ``categories``, ``regions`` (``-xx`` = everywhere but xx).
  Other keys (``notes``, ``img``, ``contact``, ...) are dropped on purpose.
* Passkeys Directory: ``name``, ``domain``, ``additional-domains``, ``mfa`` and
  ``passwordless`` (``"allowed"``), ``documentation``, ``recovery``, ``categories`` (a string
  or a list), ``regions``.

Merging: a passkey entry belongs to the 2FA service with the same main domain; failing
that, to the services that list its domain as an additional domain. Otherwise it is a
passkey-only service of its own (2FA methods unknown, which is not "no 2FA"); when one of
its additional domains is a 2FA service's domain (Visma's entry lists ``dinero.dk``), that
service gets its passkey facts too.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

try:
    from esrok_recovery.catalogue import (CATALOGUE_FORMAT, PASSKEY_DIRECTORY, TWO_FA_DIRECTORY, Catalogue,
                                          Method, PasskeyUse, parse_services)
except ImportError:  # a checkout without the editable install
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tool"))
    from esrok_recovery.catalogue import (CATALOGUE_FORMAT, PASSKEY_DIRECTORY, TWO_FA_DIRECTORY, Catalogue,
                                          Method, PasskeyUse, parse_services)

TFA_METHODS = {
    "sms": Method.SMS, "call": Method.CALL, "email": Method.EMAIL, "totp": Method.TOTP,
    "u2f": Method.SECURITY_KEY, "custom-software": Method.VENDOR_APP, "custom-hardware": Method.VENDOR_HARDWARE,
}
PASSKEY_FLAGS = {"mfa": PasskeyUse.SECOND_FACTOR, "passwordless": PasskeyUse.PASSWORDLESS}
PASSKEY_VALUES = ("allowed", "required")

TWO_FA_SOURCE = {
    "id": TWO_FA_DIRECTORY,
    "name": "2FA Directory",
    "url": "https://2fa.directory/",
    "repository": "https://github.com/2factorauth/twofactorauth",
    "licence": "MIT",
    "licence_url": "https://opensource.org/license/mit",
    "licence_file": "LICENSE-2fa-directory.md",
    "attribution": "Two-factor methods and links from 2FA Directory (2fa.directory), "
                   "© 2014-2020 Josh Davis, © 2021 2factorauth and contributors, MIT License.",
}
PASSKEY_SOURCE = {
    "id": PASSKEY_DIRECTORY,
    "name": "Passkeys Directory",
    "url": "https://passkeys.2fa.directory/",
    "repository": "https://github.com/2factorauth/passkeys",
    "licence": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "licence_file": "LICENSE-passkeys.md",
    "attribution": "Passkey support from the Passkeys Directory (passkeys.2fa.directory) by 2factorauth "
                   "and contributors, licensed under CC BY 4.0; Esrok merged it with 2FA Directory data "
                   "and changed its format.",
}


class UpstreamError(ValueError):
    """Upstream data that cannot be normalised; the message names the entry and field."""


def source(template: Mapping[str, str], date: str, commit: str | None = None,
           api: Iterable[str] = ()) -> dict:
    """A source record: the fixed facts above plus the data's date, commit and API URLs."""
    out = dict(template)
    out["date"] = date
    if commit:
        out["commit"] = commit
    api = list(api)
    if api:
        out["api"] = api
    order = ("id", "name", "url", "repository", "commit", "date", "api", "licence", "licence_url",
             "licence_file", "attribution")
    return {k: out[k] for k in order if k in out}


# --- reading one upstream entry ------------------------------------------------

def _str(entry: Mapping, key: str, where: str) -> str | None:
    v = entry.get(key)
    if v is None:
        return None
    if not isinstance(v, str) or not v.strip():
        raise UpstreamError(f"{where}.{key}: expected a non-empty string, got {v!r}")
    return v.strip()


def _strs(entry: Mapping, key: str, where: str, *, scalar_ok: bool = False) -> list[str]:
    v = entry.get(key)
    if v is None:
        return []
    if scalar_ok and isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise UpstreamError(f"{where}.{key}: expected a list of strings, got {v!r}")
    return [x.strip() for x in v]


def _domain(value: str, where: str) -> str:
    d = value.strip().lower().rstrip(".")
    if not d or " " in d or "/" in d:
        raise UpstreamError(f"{where}: {value!r} is not a domain name")
    return d


def _regions(codes: list[str], where: str) -> tuple[list[str], list[str]]:
    """Upstream regions: "us" = applies in us; "-jp" = applies everywhere but jp."""
    inc, exc = set(), set()
    for c in codes:
        c = c.strip().lower()
        (exc if c.startswith("-") else inc).add(c.lstrip("-"))
    return sorted(inc), sorted(exc)


def twofa_record(entry: Mapping[str, Any], where: str = "entry") -> dict:
    """One 2FA Directory entry -> a catalogue service record (plain dict, canonical order)."""
    if not isinstance(entry, Mapping):
        raise UpstreamError(f"{where}: expected an object, got {type(entry).__name__}")
    name = _str(entry, "name", where)
    raw_domain = _str(entry, "domain", where)
    if not name or not raw_domain:
        raise UpstreamError(f"{where}: needs a name and a domain")
    domain = _domain(raw_domain, f"{where}.domain")
    methods = set()
    for i, m in enumerate(_strs(entry, "tfa", where)):
        if m not in TFA_METHODS:
            raise UpstreamError(f"{where}.tfa[{i}]: unknown 2FA method {m!r} "
                                f"(known: {', '.join(TFA_METHODS)}); teach services/normalise.py about it")
        methods.add(TFA_METHODS[m])
    additional = {_domain(a, f"{where}.additional-domains") for a in _strs(entry, "additional-domains", where)}
    regions, excluded = _regions(_strs(entry, "regions", where), where)
    record = {
        "domain": domain,
        "name": name,
        "additional_domains": sorted(additional - {domain}),
        "methods": [m.value for m in Method if m in methods],
        "vendor_apps": sorted(set(_strs(entry, "custom-software", where))),
        "vendor_hardware": sorted(set(_strs(entry, "custom-hardware", where))),
        "documentation": _str(entry, "documentation", where),
        "recovery": _str(entry, "recovery", where),
        "categories": sorted({c.lower() for c in _strs(entry, "categories", where, scalar_ok=True)}),
        "regions": regions,
        "excluded_regions": excluded,
        "sources": [TWO_FA_DIRECTORY],
    }
    return record


def passkey_facts(entry: Mapping[str, Any], where: str = "entry") -> dict:
    """One Passkeys Directory entry -> its domains, uses and links (plain dict)."""
    if not isinstance(entry, Mapping):
        raise UpstreamError(f"{where}: expected an object, got {type(entry).__name__}")
    raw_domain = _str(entry, "domain", where)
    if not raw_domain:
        raise UpstreamError(f"{where}: needs a domain")
    domain = _domain(raw_domain, f"{where}.domain")
    uses = set()
    for key, use in PASSKEY_FLAGS.items():
        v = entry.get(key)
        if v is None:
            continue
        if v not in PASSKEY_VALUES:
            raise UpstreamError(f"{where}.{key}: expected \"allowed\", got {v!r}")
        uses.add(use)
    regions, excluded = _regions(_strs(entry, "regions", where), where)
    return {
        "domain": domain,
        "name": _str(entry, "name", where) or domain,
        "additional_domains": sorted({_domain(a, f"{where}.additional-domains")
                                      for a in _strs(entry, "additional-domains", where)} - {domain}),
        "passkey": [u.value for u in PasskeyUse if u in uses],
        "documentation": _str(entry, "documentation", where),
        "recovery": _str(entry, "recovery", where),
        "categories": sorted({c.lower() for c in _strs(entry, "categories", where, scalar_ok=True)}),
        "regions": regions,
        "excluded_regions": excluded,
    }


# --- merging ----------------------------------------------------------------------

def _targets(p: Mapping, services: Mapping[str, dict], claimed: Mapping[str, list[str]]) -> tuple[list[str], str]:
    """Which 2FA services a passkey entry's facts belong to, and how it matched.

    "same": its domain is the service's main domain; "claimed": its domain is an additional
    domain of those services; "related": one of its additional domains is theirs (the entry
    is still a service of its own); "none".
    """
    if p["domain"] in services:
        return [p["domain"]], "same"
    if p["domain"] in claimed:
        return sorted(claimed[p["domain"]]), "claimed"
    hits: set[str] = set()
    for a in p["additional_domains"]:
        if a in services:
            hits.add(a)
        hits.update(claimed.get(a, ()))
    return sorted(hits), ("related" if hits else "none")


def _merge_passkey(record: dict, p: Mapping, *, same_service: bool) -> None:
    record["passkey"] = [u.value for u in PasskeyUse if u.value in set(record.get("passkey", [])) | set(p["passkey"])]
    doc = p["documentation"]
    if doc and not record.get("documentation"):
        record["documentation"] = doc          # no 2FA page: the passkey page is the setup page
    elif doc and doc != record["documentation"] and not record.get("passkey_documentation"):
        record["passkey_documentation"] = doc
    if p["recovery"] and not record.get("recovery"):
        record["recovery"] = p["recovery"]
    if same_service:
        record["additional_domains"] = sorted(set(record["additional_domains"]) | set(p["additional_domains"]))
    if PASSKEY_DIRECTORY not in record["sources"]:
        record["sources"] = record["sources"] + [PASSKEY_DIRECTORY]


def merge(twofa_entries: Iterable[Mapping], passkey_entries: Iterable[Mapping], sources: list[dict]) -> dict:
    """Normalise and merge both directories into one catalogue document (plain dict)."""
    services: dict[str, dict] = {}
    for i, e in enumerate(twofa_entries):
        r = twofa_record(e, f"2FA Directory services[{i}] ({e.get('name', '?') if isinstance(e, Mapping) else '?'})")
        if r["domain"] in services:
            raise UpstreamError(f"2FA Directory services[{i}]: domain {r['domain']!r} is listed twice")
        services[r["domain"]] = r
    claimed: dict[str, list[str]] = {}
    for d, r in services.items():
        for a in r["additional_domains"]:
            claimed.setdefault(a, []).append(d)
    passkeys = [passkey_facts(e, f"Passkeys Directory services[{i}]") for i, e in enumerate(passkey_entries)]
    only: dict[str, dict] = {}
    for p in sorted(passkeys, key=lambda x: x["domain"]):
        targets, how = _targets(p, services, claimed)
        for t in targets:
            _merge_passkey(services[t], p, same_service=how == "same")
        if how in ("same", "claimed"):
            continue
        if p["domain"] in only:
            _merge_passkey(only[p["domain"]], p, same_service=True)
            continue
        only[p["domain"]] = {
            "domain": p["domain"], "name": p["name"], "additional_domains": p["additional_domains"],
            "passkey": p["passkey"], "documentation": p["documentation"], "recovery": p["recovery"],
            "categories": p["categories"], "regions": p["regions"], "excluded_regions": p["excluded_regions"],
            "sources": [PASSKEY_DIRECTORY],
        }
    records = [_clean(r) for r in sorted([*services.values(), *only.values()], key=lambda r: r["domain"])]
    return {"format": CATALOGUE_FORMAT, "sources": sources, "services": records}


def _clean(record: dict) -> dict:
    """Drop empty values (the file leaves them out) and a passkey page equal to the 2FA page."""
    if record.get("passkey_documentation") == record.get("documentation"):
        record.pop("passkey_documentation", None)
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def normalise_snapshots(entries: Mapping[str, Any], passkeys: Mapping[str, Any]) -> Catalogue:
    """The two repository snapshots (``entries.json``, ``passkeys.json``) -> a validated catalogue.

    Each snapshot is ``{"commit": ..., "commit_date": "YYYY-MM-DD", "services": [...]}``.
    """
    for label, doc in (("entries", entries), ("passkeys", passkeys)):
        if not isinstance(doc, Mapping) or not isinstance(doc.get("services"), list):
            raise UpstreamError(f"{label}: expected an object with a \"services\" list")
    sources = [source(TWO_FA_SOURCE, entries.get("commit_date"), entries.get("commit")),
               source(PASSKEY_SOURCE, passkeys.get("commit_date"), passkeys.get("commit"))]
    return validated(merge(entries["services"], passkeys["services"], sources))


def validated(doc: dict) -> Catalogue:
    """Parse a freshly normalised document; any problem is a bug or an upstream oddity: raise it."""
    catalogue, problems = parse_services(doc)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise UpstreamError(f"the normalised catalogue is invalid: {shown}{more}")
    return catalogue
