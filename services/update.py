"""``make update-services``: refresh data/services/catalogue.json from upstream's published APIs.

    python -m services.update                      # online: the APIs below -> catalogue.json
    python -m services.update --snapshot ENTRIES.json PASSKEYS.json   # offline: repository snapshots
    python -m services.update --reformat           # rewrite the file in canonical form

Upstream publishes (checked against 2factorauth/twofactorauth scripts/APIv3.js, APIv4.js and
2factorauth/passkeys scripts/APIv1.js; nothing else is assumed):

* ``https://api.2fa.directory/v4/all.json``: ``{"<domain>": {"methods": [...], "custom-software":
  [...], "custom-hardware": [...], "documentation": url, "recovery": url, ...}}``, one key for
  the main domain and one for each additional domain, with the same facts. v4 carries no
  names, categories or regions, and does not say which domain is the main one.
* ``https://api.2fa.directory/v3/all.json``: ``[["<name>", {"domain": ..., "additional-domains":
  [...], "tfa": [...], "keywords": [categories], "regions": [...], ...}], ...]``: the same
  entries with their names, categories and regions. The two are published together from the
  same commit; the refresh takes the methods and links from v4 and the rest from v3, and
  refuses to write when they disagree about which services exist.
* ``https://passkeys-api.2fa.directory/v1/all.json``: ``{"<domain>": {"mfa": "allowed",
  "passwordless": "allowed", "documentation": url, "recovery": url, "regions": [...]}}``, one
  key per domain (additional ones repeated). It has no names or categories, and upstream also
  lists every 2FA Directory service with security keys as ``"mfa": "allowed"``. Names of
  passkey-only services already in the catalogue are kept; a new one is named by its domain.

The APIs carry no commit id, so a refreshed source records the day it was fetched as its
date and the URLs it read. Nothing is written unless every download and check succeeds.
Exit status: 0 written (or unchanged), 1 download or data problem, 2 usage.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, TextIO

from services.normalise import (PASSKEY_SOURCE, TWO_FA_SOURCE, UpstreamError, merge, normalise_snapshots,
                                source, validated)
from esrok_recovery.catalogue import PASSKEY_DIRECTORY, Catalogue, dump_catalogue, loads_services

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "data" / "services" / "catalogue.json"
TWO_FA_API = "https://api.2fa.directory"
PASSKEYS_API = "https://passkeys-api.2fa.directory"
TIMEOUT_S = 30.0
USER_AGENT = "esrok-update-services/1 (+https://github.com/2factorauth/twofactorauth#api)"
PROG = "update-services"


class UpdateError(Exception):
    """The refresh cannot go on; the message says why and what to do."""


# --- pure: API documents -> upstream entries -> catalogue ---------------------------


def twofa_entries_from_api(v3: Any, v4: Any) -> list[dict]:
    """API v3 (names, categories, regions) + v4 (methods, links) -> 2FA Directory entries."""
    if not isinstance(v3, list):
        raise UpdateError(f"2FA Directory API v3 all.json: expected a list of [name, entry] pairs, "
                          f"got {type(v3).__name__}; the API format has changed, so services/update.py needs updating")
    if not isinstance(v4, Mapping):
        raise UpdateError(f"2FA Directory API v4 all.json: expected an object keyed by domain, "
                          f"got {type(v4).__name__}; the API format has changed, so services/update.py needs updating")
    entries, covered, missing = [], set(), []
    for i, pair in enumerate(v3):
        if (not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], str)
                or not isinstance(pair[1], Mapping) or not isinstance(pair[1].get("domain"), str)):
            raise UpdateError(f"2FA Directory API v3 all.json[{i}]: expected [name, {{\"domain\": ...}}], "
                              f"got {json.dumps(pair)[:80]}")
        name, e = pair
        domain = e["domain"].strip().lower()
        facts = v4.get(domain)
        if not isinstance(facts, Mapping):
            missing.append(domain)
            continue
        extra = e.get("additional-domains") or []
        covered.update([domain, *[a.strip().lower() for a in extra if isinstance(a, str)]])
        entry = {"name": name, "domain": domain, "additional-domains": extra,
                 "categories": e.get("keywords", e.get("categories")), "regions": e.get("regions")}
        for key in ("custom-software", "custom-hardware", "documentation", "recovery"):
            entry[key] = facts.get(key)
        entry["tfa"] = facts.get("methods")
        entries.append({k: v for k, v in entry.items() if v is not None})
    stray = sorted(set(v4) - covered)
    if missing or stray:
        parts = []
        if missing:
            parts.append(f"{len(missing)} service(s) of v3 are missing from v4 ({', '.join(sorted(missing)[:5])})")
        if stray:
            parts.append(f"{len(stray)} domain(s) of v4 are not in v3 ({', '.join(stray[:5])})")
        raise UpdateError("2FA Directory API v3 and v4 disagree: " + "; ".join(parts) +
                          "; upstream may be half-way through publishing, try again in an hour")
    return entries


def passkey_entries_from_api(v1: Any, current: Catalogue | None) -> list[dict]:
    """Passkeys API v1 -> Passkeys Directory entries.

    The API repeats an entry under each of its domains and drops names and categories.
    Domains the current catalogue knows are grouped under their service's main domain
    (an additional domain shared by several services is a repeat of their main keys and
    is skipped); a passkey-only service keeps its name and categories. A domain the
    catalogue does not know becomes an entry of its own, named by its domain.
    """
    if not isinstance(v1, Mapping):
        raise UpdateError(f"Passkeys Directory API v1 all.json: expected an object keyed by domain, "
                          f"got {type(v1).__name__}; the API format has changed, so services/update.py needs updating")
    main_of: dict[str, str] = {}
    shared: set[str] = set()
    services = current.services if current is not None else ()
    for s in services:
        for d in s.additional_domains:
            if main_of.setdefault(d, s.domain) != s.domain:
                shared.add(d)
    for s in services:
        main_of[s.domain] = s.domain
        shared.discard(s.domain)
    groups: dict[str, list[str]] = {}
    for key in sorted(v1):
        facts = v1[key]
        if not isinstance(facts, Mapping):
            raise UpdateError(f"Passkeys Directory API v1 all.json[{json.dumps(key)}]: expected an object, "
                              f"got {type(facts).__name__}")
        if not facts.get("mfa") and not facts.get("passwordless"):
            continue  # listed without passkey support
        domain = key.strip().lower()
        if domain in shared:
            continue
        groups.setdefault(main_of.get(domain, domain), []).append(key)
    known = {s.domain: s for s in services}
    entries = []
    for main in sorted(groups):
        keys = groups[main]
        facts = v1[main] if main in keys else v1[keys[0]]
        service = known.get(main)
        entry: dict[str, Any] = {"name": service.name if service else main, "domain": main}
        extra = {k.strip().lower() for k in keys} - {main}
        if service is not None and service.sources == (PASSKEY_DIRECTORY,):
            extra |= set(service.additional_domains)
            entry["categories"] = list(service.categories)
        entry["additional-domains"] = sorted(extra)
        for k in ("mfa", "passwordless", "documentation", "recovery", "regions"):
            if facts.get(k) is not None:
                entry[k] = facts[k]
        entries.append(entry)
    return entries


def refresh(v3: Any, v4: Any, passkeys_v1: Any, current: Catalogue | None, today: str,
            urls: Mapping[str, list[str]]) -> Catalogue:
    """The three API documents -> a validated catalogue (sources dated ``today``)."""
    twofa = twofa_entries_from_api(v3, v4)
    passkeys = passkey_entries_from_api(passkeys_v1, current)
    sources = [source(TWO_FA_SOURCE, today, api=urls["2fa"]), source(PASSKEY_SOURCE, today, api=urls["passkeys"])]
    try:
        return validated(merge(twofa, passkeys, sources))
    except UpstreamError as e:
        raise UpdateError(f"{e}; nothing was written") from None


def summary(old: Catalogue | None, new: Catalogue) -> str:
    """One line: how many services, and what changed since ``old``."""
    total = f"{len(new):,} services"
    if old is None:
        return f"{total} (new file)"
    before = {s.domain: s for s in old.services}
    after = {s.domain: s for s in new.services}
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for d in after.keys() & before.keys() if after[d] != before[d])
    if not (added or removed or changed):
        return f"{total}, no service changed"
    return f"{total}: {added} added, {removed} removed, {changed} changed"


# --- I/O ----------------------------------------------------------------------------

def fetch_json(url: str, timeout: float = TIMEOUT_S,
               opener: Callable[..., Any] = urllib.request.urlopen) -> Any:
    """GET a JSON document; every failure becomes an UpdateError that says what to do."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with opener(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as e:
        raise UpdateError(f"{url} answered HTTP {e.code} {e.reason}; check the address, or try again later") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, ConnectionRefusedError):
            why = "connection refused"
        elif isinstance(reason, socket.gaierror):
            why = "the host name could not be resolved"
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            why = f"no answer within {timeout:g} s"
        else:
            why = str(reason)
        raise UpdateError(f"cannot reach {url} ({why}); this needs a network connection: "
                          f"connect and run make update-services again") from None
    except (TimeoutError, socket.timeout):
        raise UpdateError(f"cannot reach {url} (no answer within {timeout:g} s); "
                          f"this needs a network connection: connect and run make update-services again") from None
    except OSError as e:
        raise UpdateError(f"cannot reach {url} ({e.strerror or e}); this needs a network connection: "
                          f"connect and run make update-services again") from None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UpdateError(f"{url} did not send JSON ({e}); the API may be down or moved, try again later") from None


def read_current(path: Path) -> Catalogue | None:
    """The catalogue on disk, or None when there is none yet; a broken file is an error."""
    if not path.exists():
        return None
    catalogue, problems = loads_services(path.read_bytes())
    if problems:
        listed = "\n".join(f"{path}: {p}" for p in problems[:10])
        raise UpdateError(f"{path} is not a valid catalogue, fix it first (or delete it):\n{listed}")
    return catalogue


def write_atomically(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds it; returns whether it changed."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def _load_file(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UpdateError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UpdateError(f"{path}: not a JSON file ({e})") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Refresh data/services/catalogue.json from 2FA Directory "
                                                       "and the Passkeys Directory.")
    p.add_argument("--out", type=Path, default=CATALOGUE, help="catalogue file (default: %(default)s)")
    p.add_argument("--twofa-api", default=TWO_FA_API, metavar="URL",
                   help="2FA Directory API base, serving v3/all.json and v4/all.json (default: %(default)s)")
    p.add_argument("--passkeys-api", default=PASSKEYS_API, metavar="URL",
                   help="Passkeys Directory API base, serving v1/all.json (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per download (default: %(default)s)")
    p.add_argument("--today", help="date to record for the refreshed data (default: today)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--snapshot", nargs=2, metavar=("ENTRIES.json", "PASSKEYS.json"),
                      help="build from the two repository snapshots instead of the APIs (offline)")
    mode.add_argument("--reformat", action="store_true", help="only rewrite --out in canonical form (offline)")
    return p


def run(args: argparse.Namespace, out: TextIO) -> int:
    current = read_current(args.out)
    if args.reformat:
        if current is None:
            raise UpdateError(f"{args.out}: no such file; nothing to reformat")
        new = current
    elif args.snapshot:
        entries, passkeys = (_load_file(p) for p in args.snapshot)
        try:
            new = normalise_snapshots(entries, passkeys)
        except UpstreamError as e:
            raise UpdateError(f"{e}; nothing was written") from None
    else:
        base2, basep = args.twofa_api.rstrip("/"), args.passkeys_api.rstrip("/")
        urls = {"2fa": [f"{base2}/v3/all.json", f"{base2}/v4/all.json"], "passkeys": [f"{basep}/v1/all.json"]}
        out.write(f"{PROG}: downloading {', '.join(urls['2fa'] + urls['passkeys'])}\n")
        v3, v4, pk = (fetch_json(u, args.timeout) for u in (*urls["2fa"], *urls["passkeys"]))
        new = refresh(v3, v4, pk, current, args.today or _dt.date.today().isoformat(), urls)
    changed = write_atomically(args.out, dump_catalogue(new))
    state = "wrote" if changed else "unchanged:"
    out.write(f"{PROG}: {state} {args.out} ({summary(current, new)})\n")
    return 0


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    try:
        return run(args, out)
    except UpdateError as e:
        err.write(f"{PROG}: {e}\n")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
