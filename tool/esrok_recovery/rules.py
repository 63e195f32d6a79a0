"""The rule table. One row per rule: id, tier, the measure it raises, effort, named predicate,
the fix (a change to the plan), plain words, why, source.

Account rules' predicates take ``(ctx, account)``; plan rules' take ``(ctx)``. A predicate
returns ``None`` when the rule does not apply, a :class:`Detail` (text, and the lockouts it
speaks of) or a plain string when it does, and :class:`Unknown` when the fact it needs was
not given: that becomes a readiness *tip*, never an action (ask before advising).

Fixes come from :mod:`.fixes`. The page "How the checklist decides" is generated from
:data:`RULES`.
"""
from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from . import fixes as fx
from .catalogue import METHOD_LABELS, PASSKEY_DIRECTORY, SIGN_IN_TYPES, TWO_FA_DIRECTORY, Method, Service
from .graph import usable_codes
from .model import (LAPSING_MAILBOXES, LAPSING_NUMBERS, NEVER, PHISHING_RESISTANT, PHONE_CODES, SECOND_FACTORS,
                    TESTED_RECENTLY_DAYS, TESTED_RECENTLY_MONTHS, Account, AccountKind, AppBackup, Importance,
                    Measure, Plan, RecoveryType, SignInType, State, StoreKind, ThingType, Tier)
from .measures import CONTACT, PASSKEY, PUSH_MATCHED, SECOND_BASE, Measures, backup_way
from .scenarios import SCENARIOS, Analysis, ScenarioResult

# Enum members are read through plain-class copies here: in CPython 3.11 an enum class's metaclass
# defines __getattr__, which makes every ``SignInType.SMS`` a slow attribute hook (about 0.14 µs
# against 0.03 µs), and the predicates below read members once per account per rule. The copies hold
# the very same member objects.
def _members(cls) -> type:
    return type(f"_{cls.__name__}", (), dict(cls.__members__))


_SignIn, _Recovery, _Importance, _State, _StoreKind, _ThingType, _AccountKind, _AppBackup = (
    _members(c) for c in (SignInType, RecoveryType, Importance, State, StoreKind, ThingType, AccountKind, AppBackup))

NIST = "NIST SP 800-63B-4"
OWASP_MFA = "OWASP Multifactor Authentication Cheat Sheet"
CISA_MOBILE = "CISA Mobile Communications Best Practice Guidance (Dec 2024)"
CISA_PR = "CISA, Implementing Phishing-Resistant MFA (Oct 2022)"
DIRECTORY = "what the service offers: 2FA Directory and the Passkeys Directory"


class Scope(str, enum.Enum):
    ACCOUNT = "account"
    PLAN = "plan"


class Unknown(str):
    """A predicate's answer when the fact it needs was not given (the text names the fact)."""


# Facts a predicate may find not given, as fixed texts: made once, not once per account.
_UNSAID_REUSED = Unknown("whether its password is used anywhere else")
_UNSAID_CODES = Unknown("whether this account's backup codes are saved")
_UNSAID_PORT_LOCK = Unknown("whether your number has a carrier PIN or port-out lock")
_UNSAID_NUMBER_MATCHING = Unknown("whether push prompts use number matching")
_UNSAID_ENROLS_FIRST = Unknown("whether you enrol a new phone or key before retiring the old one")
_UNSAID_TESTED = Unknown("when recovery was last tested")
_UNSAID_SUPPORT_PAGE = Unknown("whether the provider's official recovery page is written down")
_UNSAID_ALERTS = Unknown("whether security alerts are on")
_UNSAID_SCREEN_LOCK = Unknown("whether your phone locks with a PIN, fingerprint or face")
_UNSAID_SIM_PIN = Unknown("whether your SIM has a PIN")
_UNSAID_VOICEMAIL_PIN = Unknown("whether your voicemail has a PIN")


class Claim(NamedTuple):
    """A lockout an action speaks of; the output shows the same lockout in the loss table."""
    scenario: str
    account: str
    state: State
    days: int | None

    def as_dict(self) -> dict:
        return {"scenario": self.scenario, "account": self.account, "state": self.state._value_, "days": self.days}


class Detail(NamedTuple):
    text: str
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    tier: Tier
    scope: Scope
    predicate: Callable
    title: str                      # the problem, in plain words (docs, findings)
    action: str                     # what to do, in plain words
    why: str
    source: str
    measure: Measure | None = None  # the measure the fix is meant to raise (None: readiness)
    effort: int = 15                # minutes, for a person doing it for the first time
    fix: Callable | None = None     # (ctx, account ids) -> fixes.Fix | None
    do_title: str = ""              # the action's title when there is no fix ("{}": its accounts)
    tip: str = ""                   # shown when the fact it needs is not recorded
    closes: tuple[str, ...] = ()    # other rules its fix always resolves
    uses: frozenset = frozenset()   # if set: only accounts using one of these types can trigger it
    counts_as: frozenset = frozenset()  # if set: only accounts whose derived importance is one of these
    service: bool = False           # only accounts whose service the catalogue knows can trigger it
    links: tuple[str, ...] = ()     # the service pages its action links, when the catalogue knows them:
                                    # "setup" (2FA set-up), "passkey", "recovery" (see :func:`service_links`)
    lacks: bool = False             # its finding says what the account's sign-in lacks: it waits, as a tip,
                                    # on an account whose methods may not all be listed (sign_in_unknown)
    unmeasured: str = ""            # why its step is not measured when it has no fix (else the general note)
    until: Callable | None = None   # (account) -> bool, plan facts only: it never fires on an account where this
                                    # holds, so an earlier step whose fix makes it hold there resolves its finding


@dataclass(frozen=True)
class Context:
    plan: Plan
    analysis: Analysis
    measures: Measures
    lockouts: dict          # account id -> tuple[(ScenarioResult, Outcome)] over the scenarios (not today)
    spofs: dict             # account id -> tuple of SinglePoint
    cycles: dict            # account id -> tuple of Cycle
    types: dict             # account id -> every sign-in and recovery type it uses: cheap early exits
    counts_as: dict         # account id -> derived Importance
    because: dict           # account id -> the account that raised its importance
    numbers: dict = field(default_factory=dict)   # account id -> the phone numbers it uses (if any)
    devices: dict = field(default_factory=dict)   # thing id -> the phone or device it sits on (filled lazily)
    services: dict = field(default_factory=dict)   # account id -> catalogue.Service (accounts it knows)
    catalogue: Any = None   # the catalogue.Catalogue passed in (its sources date the facts), or None
    scenarios: dict = field(default_factory=dict)  # scenario id -> ScenarioResult ("baseline" too)

    def scenario(self, sid: str) -> ScenarioResult:
        """A scenario by id: a lookup, where Analysis.scenario walks the list (rules ask per account)."""
        return self.scenarios[sid]


def make_context(plan: Plan, analysis: Analysis, measures: Measures, catalogue=None) -> Context:
    """``catalogue``: a :class:`~.catalogue.Catalogue` holding (at least) the services the plan's
    accounts name; the service-aware rules use the accounts it knows, the others ignore it."""
    lockouts: dict[str, list] = {}
    for s in analysis.scenarios:
        for a, o in s.changed.items():
            if o.locked:
                lockouts.setdefault(a, []).append((s, o))
    for a, o in analysis.baseline.baseline.items():
        if o.locked:   # locked out today: locked out in every scenario too
            for s in analysis.scenarios:
                if a not in s.changed and a not in s.down:
                    lockouts.setdefault(a, []).append((s, o))
    for v in lockouts.values():
        v.sort(key=lambda so: SCENARIO_ORDER[so[0].id])
    spofs: dict[str, list] = {}
    for sp in analysis.single_points:
        for a in sp.accounts:
            spofs.setdefault(a, []).append(sp)
    cycles: dict[str, list] = {}
    for c in analysis.cycles:
        for a in c.accounts:
            cycles.setdefault(a, []).append(c)
    types = {a.id: frozenset([m.type for m in a.sign_in] + [r.type for r in a.recovery]) for a in plan.accounts}
    numbers = {a.id: _numbers_used(a) for a in plan.accounts if not types[a.id].isdisjoint(_NUMBERS)}
    g = analysis.graph
    services = {}
    if catalogue is not None:
        for a in plan.accounts:
            if a.service:
                found = catalogue.get(a.service)
                if found is not None:
                    services[a.id] = found
    return Context(plan, analysis, measures, {k: tuple(v) for k, v in lockouts.items()},
                   {k: tuple(v) for k, v in spofs.items()}, {k: tuple(v) for k, v in cycles.items()}, types,
                   g.counts_as, g.because, numbers, services=services, catalogue=catalogue,
                   scenarios={**{sc.id: sc for sc in analysis.scenarios}, "baseline": analysis.baseline})


SCENARIO_ORDER = {s.id: i for i, s in enumerate(SCENARIOS)}
SCENARIO_ORDER["baseline"] = -1


# --- small helpers -----------------------------------------------------------------------------
def _uses(*kinds) -> frozenset:
    return frozenset(kinds)


_TOTP = _uses(_SignIn.TOTP)
_KEYS = _uses(_SignIn.SECURITY_KEY, _SignIn.PASSKEY)
_PHONE_CODES = _uses(_SignIn.SMS, _SignIn.VOICE)
_NUMBERS = _uses(_SignIn.SMS, _SignIn.VOICE, _Recovery.RECOVERY_PHONE)
_EMAIL_CODE = _uses(_SignIn.EMAIL_CODE)
_PUSH = _uses(_SignIn.PUSH)
_QUESTIONS = _uses(_Recovery.SECURITY_QUESTIONS)
_RECOVERY_EMAIL = _uses(_Recovery.RECOVERY_EMAIL)
_SUPPORT = _uses(_Recovery.SUPPORT)
_PASSKEY = _uses(_SignIn.PASSKEY)
#: Second steps and passkeys (:func:`_ways`): what stands between a stranger and the account.
_WAYS = SECOND_FACTORS | _PASSKEY
_ADDRESSES = _uses(_Recovery.RECOVERY_EMAIL, _Recovery.RECOVERY_PHONE, _Recovery.RECOVERY_CONTACT)

WORDS = {_SignIn.SMS: "text-message codes", _SignIn.VOICE: "voice-call codes",
         _SignIn.TOTP: "app codes", _SignIn.PUSH: "push prompts",
         _SignIn.SECURITY_KEY: "a security key", _SignIn.PASSKEY: "a passkey",
         _SignIn.EMAIL_CODE: "email codes", _SignIn.PASSWORD: "a password"}


def _seconds(a: Account):
    return [m for m in a.sign_in if m.type in SECOND_FACTORS]


def _ways(a: Account):
    """Second steps and passkeys: the things that stand between a stranger and the account."""
    return [m for m in a.sign_in if m.type in SECOND_FACTORS or m.type is _SignIn.PASSKEY]


def _locks(a: Account):
    """What stands between a stranger with the password and the account: its second steps, and its
    passkeys unless the service takes them only instead of the password (then the password alone
    still gets in, :meth:`~.model.Account.password_alone_gets_in`)."""
    if a.passkey_instead_of_password:
        return [m for m in a.sign_in if m.type in SECOND_FACTORS]
    return _ways(a)


def _q(plan: Plan, ident: str | None) -> str:
    return plan.name(ident) if ident else "?"


def _describe(plan: Plan, m) -> str:
    target = m.on or m.via
    return f"{WORDS[m.type]} ({_q(plan, target)})" if target else WORDS[m.type]


def _stores(plan: Plan, a: Account):
    return [plan.thing(s) for s in a.backup_codes.stored_in] if a.backup_codes else []


def _numbers_used(a: Account) -> list[str]:
    nums = [m.on for m in a.sign_in if m.type in PHONE_CODES]
    nums += [r.on for r in a.recovery if r.type is _Recovery.RECOVERY_PHONE]
    return sorted(set(n for n in nums if n))


def _age_days(plan: Plan, date: str) -> int | None:
    if not plan.as_of:
        return None
    return (_dt.date.fromisoformat(plan.as_of) - _dt.date.fromisoformat(date)).days


def _counts(ctx: Context, a: Account, *levels: Importance) -> bool:
    return ctx.counts_as[a.id] in levels   # members compare by identity first: no string comparison


def _why_critical(ctx: Context, a: Account) -> str:
    """', which counts as critical because it can reset or unlock X' when derived, else ''."""
    src = ctx.because.get(a.id)
    if src is None:
        return ""
    return (f" ({a.name} counts as {ctx.counts_as[a.id].value} because it can reset or unlock "
            f"{ctx.plan.account(src).name})")


def _chain_text(plan: Plan, chain, longest: int = 8) -> str:
    if len(chain) > longest:
        names = [plan.name(x) for x in chain[:3]] + [f"… ({len(chain) - 5} more)"] + [plan.name(x) for x in chain[-2:]]
    else:
        names = [plan.name(x) for x in chain]
    return " → ".join(names)


def lockout_sentence(plan: Plan, s: ScenarioResult | None, o) -> str:
    """'If you lose your phone, you are locked out of Bank for about 14 days, until the provider's
    support process.' (or 'Today, ...')."""
    lead = "Today" if s is None or s.id == "baseline" else f"If you {s.row.short}"
    name = plan.name(o.account)
    if o.state is _State.NO_WAY_BACK:
        return f"{lead}, you are locked out of {name} with no way back"
    return f"{lead}, you are locked out of {name} for about {o.days} days, until {o.route.until}"


_new_tuple = tuple.__new__     # builds a NamedTuple without its Python-level __new__ (thousands per plan)


def _claim(s: ScenarioResult, o) -> Claim:
    return _new_tuple(Claim, (s.id, o.account, o.state, o.days))


def _lockout_places(ctx: Context, a: Account) -> set:
    return {s.id for s, _ in ctx.lockouts.get(a.id, ())}


# --- the service catalogue (2FA Directory and its Passkeys Directory) --------------------------
# Accounts that name a service the catalogue knows (``ctx.services``) get advice about what that
# service offers: which stronger methods, whether it has 2FA at all, its passkey and recovery
# pages. An account naming a service the catalogue does not know is checked as if it named none.

class Offer(NamedTuple):
    """A way in a service offers besides the password, in the plan's vocabulary."""
    type: SignInType
    strength: int        # on the Protection ladder (measures.py)
    words: str           # "security keys", "GitHub's own app (GitHub Mobile)"


#: Second steps at least this strong are phishing-resistant: nothing the catalogue lists beats them.
PHISHING_RESISTANT_STRENGTH = SECOND_BASE[_SignIn.SECURITY_KEY]
_METHOD_OF = {t: m for m, types in SIGN_IN_TYPES.items() for t in types}


def _svc(ctx: Context, a: Account) -> Service | None:
    return ctx.services.get(a.id)


def _lists_methods(ctx: Context, a: Account) -> bool:
    """The catalogue knows the account's service and 2FA Directory lists it: its methods are known
    (an empty list meaning no 2FA), so generic "switch to a passkey or key" advice defers to it."""
    svc = ctx.services.get(a.id)
    return svc is not None and svc.in_2fa_directory


def data_of(ctx: Context, source: str = TWO_FA_DIRECTORY) -> str:
    """' (data of 2026-08-04)': the date of the catalogue source the facts come from."""
    found = ctx.catalogue.source(source) if ctx.catalogue is not None else None
    return f" (data of {found.date})" if found else ""


def _strength(m) -> int:
    if m.type is _SignIn.PASSKEY:
        return PASSKEY
    if m.type is _SignIn.PUSH and m.number_matching:
        return PUSH_MATCHED
    return SECOND_BASE.get(m.type, 0)


def _method_words(svc: Service, m: Method) -> str:
    if m is Method.VENDOR_APP:
        return f"{svc.name}'s own app" + (f" ({', '.join(svc.vendor_apps)})" if svc.vendor_apps else "")
    return METHOD_LABELS[m]


def offers(svc: Service) -> list[Offer]:
    """The ways in the service offers besides a password, strongest first (ties in catalogue order)."""
    out = [Offer(_SignIn.PASSKEY, PASSKEY, "passkeys")] if svc.passkey else []
    for m in svc.methods:
        for t in SIGN_IN_TYPES[m]:
            t = SignInType(t)
            out.append(Offer(t, SECOND_BASE[t], _method_words(svc, m)))
    return sorted(out, key=lambda o: -o.strength)


def second_steps(svc: Service) -> list[Offer]:
    """What the service offers that works as a second step after the password, strongest first: its
    passkeys only when it takes them as a second step (taken only instead of the password, a passkey
    leaves the password a way in of its own)."""
    return [o for o in offers(svc) if not (o.type is _SignIn.PASSKEY and svc.passkey_instead_of_password)]


def _join(words) -> str:
    words = list(dict.fromkeys(words))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _better(ctx: Context, a: Account) -> list[Offer]:
    """What the account's service offers that beats every second step it uses (none once it uses a
    passkey or a security key)."""
    svc = _svc(ctx, a)
    if svc is None:
        return []
    best = max((_strength(m) for m in _locks(a)), default=0)
    if best >= PHISHING_RESISTANT_STRENGTH:
        return []
    return [o for o in second_steps(svc) if o.strength > best]


def _offers_text(ctx: Context, a: Account) -> str:
    """'; GitHub offers passkeys, security keys, ...' for a password-only account, else ''."""
    svc = _svc(ctx, a)
    if svc is None or not offers(svc):
        return ""
    return f"; {svc.name} offers {_join(o.words for o in offers(svc))}{data_of(ctx)}"


def _lists_no_2fa(ctx: Context, a: Account) -> bool:
    svc = _svc(ctx, a)
    return svc is not None and svc.lists_no_2fa


def _passkey_uses(svc: Service) -> str:
    if svc.passkey_passwordless and svc.passkey_second_factor:
        return "instead of the password or as a second step"
    return "instead of the password" if svc.passkey_passwordless else "as a second step"


def service_links(svc: Service, kinds) -> list[dict]:
    """The service's own pages, for an action or the kit: ``[{"label", "url", "kind"}]`` in the
    order of ``kinds`` ("setup": its 2FA set-up page; "passkey": its passkey page; "recovery": its
    account-recovery page), each URL once. Links are data: the page never fetches them."""
    urls = {"setup": svc.documentation if svc.methods else None,
            "passkey": svc.passkey_documentation or (svc.documentation if svc.passkey else None),
            "recovery": svc.recovery}
    labels = {"setup": f"{svc.name}: set up two-step sign-in", "passkey": f"{svc.name}: set up a passkey",
              "recovery": f"{svc.name}: recover your account"}
    out, seen = [], set()
    for kind in kinds:
        url = urls[kind]
        if url and url not in seen:
            seen.add(url)
            out.append({"label": labels[kind], "url": url, "kind": kind})
    return out


LINK_KINDS = ("setup", "passkey", "recovery")


def action_links(services: dict, rule_id: str, accounts) -> list[dict]:
    """An action's ``links``: the pages its rule names (:attr:`Rule.links`) of each account's service
    (``services``: account id -> Service, as in :attr:`Context.services`)."""
    if not services:
        return []         # no catalogue entries: nothing to link (an action can name thousands of accounts)
    kinds = RULES_BY_ID[rule_id].links
    out, seen = [], set()
    for i in accounts:
        svc = services.get(i)
        if svc is None:
            continue
        for link in service_links(svc, kinds):
            if link["url"] not in seen:
                seen.add(link["url"])
                out.append(link)
    return out


def _password_only_in_vault(a: Account) -> bool:
    pws = [m for m in a.sign_in if m.type is _SignIn.PASSWORD]
    return bool(pws) and all(m.via for m in pws)


def _backup_way(ctx: Context, accounts, places: dict) -> list:
    """A way back that survives the loss, chosen per account and grouped by remedy: a written copy
    of a password that lives only in the password manager (when the manager is what is lost),
    printed codes (with someone you trust when home or a trip is what is lost), or else a recovery
    contact. ``places``: account -> the scenario ids where it is locked out."""
    groups: dict[tuple, list] = {}
    for i in accounts:
        a = ctx.plan.account(i)
        where = places.get(i, set())
        if "password-manager-unavailable" in where and _password_only_in_vault(a):
            key = ("password",)
        elif fx.has_second_or_passkey(a):
            key = ("codes", bool(where & {"home-lost", "travelling"}))
        elif _password_only_in_vault(a):
            key = ("password",)
        else:
            key = ("contact",)
        groups.setdefault(key, []).append(i)
    out = []
    for key, ids in groups.items():
        if key[0] == "password":
            out.append(fx.written_password(ctx.plan, ids))
        elif key[0] == "codes":
            out.append(fx.print_codes(ctx.plan, ids, away_from_home=key[1]))
        else:
            out.append(fx.recovery_contact(ctx.plan, ids))
    return [f for f in out if f is not None]


# --- blockers ----------------------------------------------------------------------------------
def has_no_sign_in_method(ctx: Context, a: Account):
    if not a.sign_in:
        return "no sign-in method is recorded for this account"
    return None


def cannot_get_in_today(ctx: Context, a: Account):
    if not a.sign_in:
        return None
    o = ctx.analysis.baseline.outcome(a.id)
    if o.state is _State.IN:
        return None
    if o.locked:
        return Detail(lockout_sentence(ctx.plan, None, o) + ".", (Claim("baseline", a.id, o.state, o.days),))
    return f"you cannot sign in as usual today; the way in is {o.route.text}, after about {o.days} days" \
        if o.days else f"you cannot sign in as usual today; the way in is {o.route.text}"


def critical_password_only(ctx: Context, a: Account):
    if _counts(ctx, a, _Importance.CRITICAL) and a.sign_in and not _locks(a) and not _lists_no_2fa(ctx, a):
        return "signs in with a password alone" + _why_critical(ctx, a) + _offers_text(ctx, a)
    return None


def critical_reused_password(ctx: Context, a: Account):
    if not _counts(ctx, a, _Importance.CRITICAL):
        return None
    pw = [m for m in a.sign_in if m.type is _SignIn.PASSWORD]
    if any(m.reused for m in pw):
        if not a.password_alone_gets_in():
            return None          # a second step still guards it: reused-password-behind-second-step
        return "its password is also used on another site" + _why_critical(ctx, a)
    if any(m.reused is None for m in pw):
        return _UNSAID_REUSED
    return None


def reused_password_behind_second_step(ctx: Context, a: Account):
    if not _counts(ctx, a, _Importance.CRITICAL) or a.password_alone_gets_in():
        return None
    if any(m.type is _SignIn.PASSWORD and m.reused for m in a.sign_in):
        return "its password is also used on another site, so only the second step still guards it" + \
            _why_critical(ctx, a)
    return None


def _vault_circle(ctx: Context, a: Account) -> str | None:
    """How the password manager ``a`` guards its own keys, or None."""
    if a.kind is not _AccountKind.PASSWORD_MANAGER:
        return None
    plan = ctx.plan
    stores = _stores(plan, a)
    if stores and all(s.kind is _StoreKind.PASSWORD_MANAGER and s.via == a.id for s in stores):
        return f"its backup codes are kept only in {_q(plan, stores[0].id)}, inside the vault they unlock"
    for m in a.sign_in:
        if m.type is _SignIn.PASSWORD and m.via == a.id:
            return "its master password is stored inside the vault it opens"
        if m.type is _SignIn.TOTP and plan.thing(m.on).via == a.id:
            return f"its authenticator codes are backed up in {a.name} itself ({_q(plan, m.on)})"
        if m.type is _SignIn.PASSKEY and m.via == a.id:
            return "its passkey is synced through the vault it unlocks"
    return None


def vault_holds_its_own_keys(ctx: Context, a: Account):
    """A blocker when the simulation locks the person out of the vault; else the durability rule below."""
    locked = ctx.lockouts.get(a.id)
    if not locked:
        return None
    text = _vault_circle(ctx, a)
    if text is None:
        return None
    s, o = locked[0]
    return Detail(f"{text}. " + lockout_sentence(ctx.plan, s, o) + ".", tuple(_claim(s2, o2) for s2, o2 in locked))


def vault_keys_inside_but_covered(ctx: Context, a: Account):
    if a.id in ctx.lockouts:
        return None
    text = _vault_circle(ctx, a)
    if text is None:
        return None
    return f"{text}. For now another way back covers for it: after every loss in the simulation you get back in"


def in_recovery_cycle(ctx: Context, a: Account):
    cycles = ctx.cycles.get(a.id)
    if not cycles:
        return None
    c = cycles[0]
    claims = []
    for sid in c.scenarios:
        s = ctx.scenario(sid)
        o = s.outcome(a.id)
        if o.locked and a.id not in s.down:
            claims.append(Claim(sid, a.id, o.state, o.days))
    chain = _chain_text(ctx.plan, c.chain)
    first = claims[0] if claims else None
    if first is None:
        return None
    lead = "today" if first.scenario == "baseline" else \
        f"if you {ctx.scenario(first.scenario).row.short}"
    if len(c.accounts) == 1:
        text = f"{chain}: the only way back needs {a.name} itself, so {lead} you are locked out with no way back"
    else:
        text = f"{chain}: each way back needs another account in the loop first, so {lead} you are locked out of " \
               f"{a.name} with no way back"
    return Detail(text, tuple(claims))


def only_number_for_everything(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PHONE_CODES):
        return None
    ways = _ways(a)
    if len(ways) != 1 or ways[0].type not in PHONE_CODES or usable_codes(a):
        return None
    number = ways[0].on
    routes = 0   # live recovery addresses and contacts: each must be this same number
    for r in a.recovery:
        if r.type in _ADDRESSES and not r.dead:
            if r.type is not _Recovery.RECOVERY_PHONE or r.on != number:
                return None
            routes += 1
    if not routes:
        return None
    s = ctx.scenario("number-lost")
    o = s.outcome(a.id)
    if not o.locked:
        return None
    return Detail(f"{_q(ctx.plan, number)} is both the only second step and the only recovery route. "
                  + lockout_sentence(ctx.plan, s, o) + ".", (_claim(s, o),))


def synced_passkey_on_weak_identity(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PASSKEY):
        return None
    if not a.sign_in or not all(m.type is _SignIn.PASSKEY and m.via for m in a.sign_in):
        return None
    if usable_codes(a) or any(not r.dead and r.type is not _Recovery.SECURITY_QUESTIONS for r in a.recovery):
        return None
    for ident in sorted({m.via for m in a.sign_in}):
        idacct = ctx.plan.account(ident)
        locked = ctx.lockouts.get(ident)
        if locked:
            s, o = locked[0]
            mine = s.outcome(a.id)
            claims = tuple(_claim(s2, o2) for s2, o2 in locked) + ((_claim(s, mine),) if mine.locked else ())
            return Detail(f"synced passkeys through {idacct.name} are the only way in. "
                          + lockout_sentence(ctx.plan, s, o) + ".", claims)
        if not usable_codes(idacct) and len([r for r in idacct.recovery if not r.dead]) < 2:
            return (f"synced passkeys through {idacct.name} are the only way in, and {idacct.name} has no backup "
                    f"codes and fewer than two recovery routes")
    return None


def single_point_of_failure(ctx: Context, a: Account):
    sps = ctx.spofs.get(a.id)
    if not sps:
        return None
    sp = sps[0]
    s = ctx.scenario(sp.scenario_for(a.id))
    o = s.outcome(a.id)
    claims = []
    for p in sps:
        s2 = ctx.scenario(p.scenario_for(a.id))
        c = _claim(s2, s2.outcome(a.id))
        if c not in claims:
            claims.append(c)
    names = " or ".join(_q(ctx.plan, p.thing) for p in sps[:3])
    chain = _chain_text(ctx.plan, sp.chain_to(a.id))
    return Detail(f"losing {names} alone is enough ({chain}). " + lockout_sentence(ctx.plan, s, o) + ".",
                  tuple(claims))


def locked_out_in_a_scenario(ctx: Context, a: Account):
    if not _counts(ctx, a, _Importance.CRITICAL, _Importance.IMPORTANT):
        return None
    found = ctx.lockouts.get(a.id)
    if not found:
        return None
    s, o = max(found, key=lambda so: (so[1].state is _State.NO_WAY_BACK, so[1].days or 0, -SCENARIO_ORDER[so[0].id]))
    more = len(found) - 1
    tail = f" (and in {more} more loss{'es' if more > 1 else ''})" if more else ""
    return Detail(lockout_sentence(ctx.plan, s, o) + tail + ".", tuple(_claim(s2, o2) for s2, o2 in found))


def _fix_lockout(ctx: Context, accounts):
    return _backup_way(ctx, accounts, {i: _lockout_places(ctx, ctx.plan.account(i)) for i in accounts})


def _fix_spof(ctx: Context, accounts):
    return _backup_way(ctx, accounts, {i: {sp.scenario_for(i) for sp in ctx.spofs.get(i, ())} for i in accounts})


def _fix_cycle(ctx: Context, accounts):
    picks: dict[str, set] = {}
    for i in accounts:
        for cyc in ctx.cycles[i]:
            pick = next((x for x in cyc.accounts if fx.has_second_or_passkey(ctx.plan.account(x))), cyc.accounts[0])
            picks.setdefault(pick, set()).update(cyc.scenarios)
    return _backup_way(ctx, sorted(picks), picks)


# --- durability --------------------------------------------------------------------------------
def codes_missing(ctx: Context, a: Account):
    if not _ways(a):
        return None
    c = a.backup_codes
    if c is None:
        return _UNSAID_CODES
    if not c.generated:
        return "backup codes were never generated"
    if not c.stored_in:
        return "backup codes were generated but where they are kept is not recorded"
    if c.remaining == 0:
        return "every backup code has been used"
    return None


def one_second_step_without_codes(ctx: Context, a: Account):
    ways = _ways(a)
    if len(ways) != 1 or a.backup_codes is None or usable_codes(a):
        return None
    return f"the only way in beyond a password is {_describe(ctx.plan, ways[0])}, and there are no usable backup codes"


def codes_share_the_phone(ctx: Context, a: Account):
    stores = _stores(ctx.plan, a)
    if not stores or not all(s.kind is _StoreKind.DEVICE_FILE for s in stores):
        return None
    factor_devices = {ctx.plan.device_of(m.on) for m in _seconds(a) if m.on}
    shared = [s for s in stores if ctx.plan.device_of(s.on) in factor_devices]
    if len(shared) == len(stores):
        store, dev = _q(ctx.plan, shared[0].id), _q(ctx.plan, ctx.plan.device_of(shared[0].on))
        where = store if store.endswith(f" on {dev}") else f"{store} on {dev}"   # "a file on your phone"
        return f"the backup codes are only in {where}, the same device that receives the second step"
    return None


def totp_only_on_one_phone(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_TOTP):
        return None
    unknown = None
    for m in a.sign_in:
        if m.type is _SignIn.TOTP:
            app = ctx.plan.thing(m.on)
            if app.backup is _AppBackup.NONE:
                return (f"the codes in {_q(ctx.plan, app.id)} exist only on {_q(ctx.plan, app.on)}, "
                        f"with no backup or export")
            if app.backup is None:
                unknown = Unknown(f"whether {app.label} is backed up")
    return unknown


def one_security_key(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_KEYS):
        return None
    keys = {m.on for m in a.sign_in if m.type in PHISHING_RESISTANT
            and m.on and ctx.plan.thing(m.on).type is _ThingType.SECURITY_KEY}
    if len(keys) == 1 and not any(m.type is _SignIn.PASSKEY and (m.via or ctx.plan.thing(m.on).type
                                                                    is not _ThingType.SECURITY_KEY)
                                  for m in a.sign_in):
        return f"only one security key is registered ({_q(ctx.plan, next(iter(keys)))})"
    return None


def sms_on_critical(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PHONE_CODES) or not _counts(ctx, a, _Importance.CRITICAL):
        return None
    if _lists_methods(ctx, a):   # stronger-method-available says what this service offers instead
        return None
    if any(m.type in PHISHING_RESISTANT for m in a.sign_in):
        return None   # a passkey or key is there already: weak-fallback says to turn the phone codes off
    for m in a.sign_in:
        if m.type in PHONE_CODES:
            return f"signs in with {_describe(ctx.plan, m)}" + _why_critical(ctx, a)
    return None


def number_without_port_lock(ctx: Context, a: Account):
    nums = ctx.numbers.get(a.id)
    if not nums:
        return None
    thing = ctx.plan.thing
    locks = [thing(n).port_out_lock for n in nums]
    if False in locks:   # (None == False is false: only recorded "no")
        return f"{', '.join(_q(ctx.plan, n) for n, lock in zip(nums, locks) if lock is False)} has no carrier PIN " \
               f"or port-out lock"
    return _UNSAID_PORT_LOCK if None in locks else None


def email_as_second_step(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_EMAIL_CODE) or _lists_methods(ctx, a):
        return None
    for m in a.sign_in:
        if m.type is _SignIn.EMAIL_CODE:
            return f"uses {_describe(ctx.plan, m)} as a second step"
    return None


def push_without_number_matching(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PUSH):
        return None
    for m in a.sign_in:
        if m.type is _SignIn.PUSH and m.number_matching is False:
            return f"approves sign-ins with a plain yes/no prompt on {_q(ctx.plan, m.on)}"
    if any(m.type is _SignIn.PUSH and m.number_matching is None for m in a.sign_in):
        return _UNSAID_NUMBER_MATCHING
    return None


def critical_without_phishing_resistance(ctx: Context, a: Account):
    if _lists_methods(ctx, a):   # stronger-method-available names what this service offers
        return None
    if _counts(ctx, a, _Importance.CRITICAL) and _ways(a) and not any(m.type in PHISHING_RESISTANT for m in a.sign_in):
        return "no passkey or security key is registered" + _why_critical(ctx, a)
    return None


def important_password_only(ctx: Context, a: Account):
    if _counts(ctx, a, _Importance.IMPORTANT) and a.sign_in and not _locks(a) and not _lists_no_2fa(ctx, a):
        return "signs in with a password alone" + _why_critical(ctx, a) + _offers_text(ctx, a)
    return None


def counts_security_questions(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_QUESTIONS):
        return None
    return "security questions are listed as a recovery route"


def used_codes_not_replaced(ctx: Context, a: Account):
    c = a.backup_codes
    if c and c.generated and c.used > 0 and c.remaining != 0:
        used = "1 backup code" if c.used == 1 else f"{c.used} backup codes"
        left = "" if c.remaining is None else f"; {c.remaining} left"
        return f"{used} used since the set was generated{left}"
    return None


def dead_recovery_email(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_RECOVERY_EMAIL):
        return None
    if any(r.type is _Recovery.RECOVERY_EMAIL and r.dead for r in a.recovery):
        return "a recovery email address no longer works"
    return None


def recovery_email_loops_back(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_RECOVERY_EMAIL):
        return None
    g = ctx.analysis.graph
    for r in a.recovery:
        if r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead:
            if r.via == a.id:
                return "the recovery email is this account itself"
            opts = g.options[r.via]
            if opts and all(a.id in o.reqs for o in opts):
                return f"the recovery email {_q(ctx.plan, r.via)} can only be reached through this account"
    return None


def recovery_address_strength_unknown(ctx: Context, a: Account):
    plan = ctx.plan
    for r in a.recovery:
        # a work or school address gets "replace it" (recovery-address-may-lapse), not "protect it"
        if r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead and r.via != a.id \
                and plan.strength_unknown(r.via) and plan.account(r.via).kind not in LAPSING_MAILBOXES:
            other = plan.name(r.via)
            return (f"a reset through {other} gets into this account, and not every way {other} signs in is "
                    f"recorded, so Protection cannot count it")
    return None


def recovery_address_may_lapse(ctx: Context, a: Account):
    plan = ctx.plan
    for r in a.recovery:
        if r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead:
            k = plan.account(r.via).kind
            if k in LAPSING_MAILBOXES:
                return f"the recovery email {plan.name(r.via)} is a {k.value} address, which stops working when " \
                       f"you leave"
    for n in ctx.numbers.get(a.id, ()):
        k = plan.thing(n).number_kind
        if k in LAPSING_NUMBERS:
            what = {"prepaid": "a prepaid number, which the carrier can reassign after a few months without use",
                    "travel": "a travel or temporary SIM, which stops working after the trip",
                    "work": "a work number, which stops working when you leave",
                    "someone_else": "someone else's number: they receive your codes, and it goes when they "
                                    "change it"}[k.value]
            return f"{plan.name(n)} is {what}"
    return None


def no_independent_way_back(ctx: Context, a: Account):
    if not _counts(ctx, a, _Importance.CRITICAL) or not a.sign_in:
        return None
    if usable_codes(a) or a.backup_codes is None:
        return None
    for r in a.recovery:
        if r.type in (_Recovery.RECOVERY_PHONE, _Recovery.RECOVERY_CONTACT):
            return None
        if r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead:
            return None
    return "no backup codes, recovery address or recovery contact: only the provider's support process is left"


def weak_fallback(ctx: Context, a: Account):
    if not any(m.type in PHISHING_RESISTANT for m in a.sign_in):
        return None
    weak = [_describe(ctx.plan, m) for m in a.sign_in if m.type in PHONE_CODES]
    weak += [f"a recovery phone ({_q(ctx.plan, r.on)})" for r in a.recovery if r.type is _Recovery.RECOVERY_PHONE]
    if weak:
        have = fx.strong_methods({m.type for m in a.sign_in}, "a ")
        return (f"it has {have}, but someone can still get in without {'them' if ' and ' in have else 'it'} "
                f"through {_join(weak)}")
    return None


def retires_before_enrolling(ctx: Context):
    v = ctx.plan.habits.enrolls_before_retiring
    if v is False:
        return "you do not always enrol a new phone or key before retiring the old one"
    return _UNSAID_ENROLS_FIRST if v is None else None


# --- what the service offers (the catalogue) ---------------------------------------------------
def stronger_method_offered(ctx: Context, a: Account):
    better = _better(ctx, a) if _locks(a) else []
    if not better:
        return None
    svc = _svc(ctx, a)
    using = max(_locks(a), key=_strength)
    text = (f"signs in with {_describe(ctx.plan, using)}; {svc.name} also offers "
            f"{_join(o.words for o in better)}, all stronger{data_of(ctx)}")
    if svc.passkey_instead_of_password:
        text += "; the Passkeys Directory lists its passkeys as a replacement for the password, not a second step"
    return text


def passkey_offered(ctx: Context, a: Account):
    svc = _svc(ctx, a)
    if svc is None or not svc.passkey or svc.passkey_instead_of_password or not a.sign_in or _ways(a):
        return None   # with a second step in use, stronger-method-available speaks of passkeys
    if critical_password_only(ctx, a) or important_password_only(ctx, a):
        return None   # they advise the strongest step the service offers, a passkey among them
    return (f"{svc.name} accepts a passkey {_passkey_uses(svc)}, and you sign in with a password alone"
            f"{data_of(ctx, PASSKEY_DIRECTORY)}")


def passkey_instead_offered(ctx: Context, a: Account):
    """A service that takes a passkey only instead of the password: a passkey there is one more way
    in, and the password alone still gets in (the measures count it so), so it is no lock."""
    svc = _svc(ctx, a)
    if svc is None or not svc.passkey_instead_of_password or not a.sign_in or _ways(a):
        return None
    if critical_password_only(ctx, a) or important_password_only(ctx, a):
        return None   # they advise turning on the second step the service offers
    return (f"{svc.name} accepts a passkey instead of the password, not as a second step, so the password "
            f"would still get in on its own{data_of(ctx, PASSKEY_DIRECTORY)}")


def service_lists_no_2fa(ctx: Context, a: Account):
    if not _lists_no_2fa(ctx, a) or _locks(a) or not _counts(ctx, a, _Importance.CRITICAL, _Importance.IMPORTANT):
        return None
    pws = [m for m in a.sign_in if m.type is _SignIn.PASSWORD]
    if not pws or all(m.via and m.reused is False for m in pws):
        return None
    if _counts(ctx, a, _Importance.CRITICAL) and any(m.reused for m in pws):
        return None   # reused-password-critical says it first
    svc = _svc(ctx, a)
    text = f"2FA Directory lists no second sign-in step for {svc.name}{data_of(ctx)}"
    if svc.passkey_passwordless:
        text += "; it does accept a passkey instead of the password"
    mailboxes = _reset_mailboxes(ctx.plan, a)
    if mailboxes:
        text += f"; {_join(ctx.plan.name(m) for m in mailboxes)} can reset its password"
    return text


def _reset_mailboxes(plan: Plan, a: Account) -> list[str]:
    return list(dict.fromkeys(r.via for r in a.recovery if r.type is _Recovery.RECOVERY_EMAIL and r.via
                              and not r.dead and r.via != a.id))


def recovery_page_known(ctx: Context, a: Account):
    svc = _svc(ctx, a)
    if svc is None or not svc.recovery:
        return None
    if any(r.type is _Recovery.SUPPORT and r.official_url_recorded is False for r in a.recovery):
        return f"{svc.name}'s official recovery page is known but not saved with your plan"
    return None


def method_not_listed(ctx: Context, a: Account):
    svc = _svc(ctx, a)
    if svc is None:
        return None
    offered = {t for m in svc.methods for t in SIGN_IN_TYPES[m]}
    missing, passkey_missing = [], False
    for m in a.sign_in:
        if m.type is _SignIn.PASSKEY:
            passkey_missing = passkey_missing or not svc.passkey
        elif m.type in SECOND_FACTORS and svc.in_2fa_directory and m.type.value not in offered:
            method = Method(_METHOD_OF[m.type.value])
            missing.append(f"{svc.name}'s own app (push prompts)" if method is Method.VENDOR_APP
                           else METHOD_LABELS[method])
    parts = []
    if missing:
        parts.append(f"2FA Directory does not list {_join(missing).replace(' and ', ' or ')} for {svc.name}"
                     f"{data_of(ctx)}")
    if passkey_missing:
        parts.append(f"the Passkeys Directory does not list passkeys for {svc.name}"
                     f"{data_of(ctx, PASSKEY_DIRECTORY)}")
    if not parts:
        return None
    return "; ".join(parts) + ": check your settings"


# --- readiness ---------------------------------------------------------------------------------
def codes_only_in_vault(ctx: Context, a: Account):
    stores = _stores(ctx.plan, a)
    if stores and a.kind is not _AccountKind.PASSWORD_MANAGER and all(
            s.kind is _StoreKind.PASSWORD_MANAGER for s in stores):
        return f"the only copy of the backup codes is in {_q(ctx.plan, stores[0].via)}"
    return None


def never_tested(ctx: Context, a: Account):
    if not _counts(ctx, a, _Importance.CRITICAL, _Importance.IMPORTANT):
        return None
    tested = a.recovery_tested_on
    if tested is not None and tested != NEVER:
        return None           # tested on a date: recovery-test-stale judges it
    if not backup_way(ctx.plan, a):
        return None           # nothing to test yet: the rules about the missing backup speak first
    return "recovery has never been tested" if tested == NEVER else _UNSAID_TESTED


def test_is_stale(ctx: Context, a: Account):
    if a.recovery_tested_on in (None, NEVER) or not backup_way(ctx.plan, a):
        return None
    age = _age_days(ctx.plan, a.recovery_tested_on)
    if age is not None and age > TESTED_RECENTLY_DAYS:
        return f"recovery was last tested {age} days ago ({a.recovery_tested_on})"
    return None


CONTACT_KINDS = (_AccountKind.EMAIL, _AccountKind.APPLE, _AccountKind.GOOGLE, _AccountKind.MICROSOFT,
                 _AccountKind.PASSWORD_MANAGER, _AccountKind.SOCIAL)


def critical_without_recovery_contact(ctx: Context, a: Account):
    if (_counts(ctx, a, _Importance.CRITICAL) and a.kind in CONTACT_KINDS and not usable_codes(a)
            and not any(r.type is _Recovery.RECOVERY_CONTACT for r in a.recovery)):
        own = ctx.measures.accounts.get(a.id)
        if own is not None and own.value > CONTACT and a.id not in ctx.lockouts:
            return None   # a contact would be a weaker way in, and every loss already leaves a way back
        return "no recovery contact is set up, and no backup codes either"
    return None


def support_url_missing(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_SUPPORT):
        return None
    svc = _svc(ctx, a)
    if svc is not None and svc.recovery:   # the catalogue's link is the official page (the kit prints it)
        return None
    for r in a.recovery:
        if r.type is _Recovery.SUPPORT and r.official_url_recorded is False:
            return "the official recovery page is not written down"
    if any(r.type is _Recovery.SUPPORT and r.official_url_recorded is None for r in a.recovery):
        return _UNSAID_SUPPORT_PAGE
    return None


def critical_alerts_off(ctx: Context, a: Account):
    if not _counts(ctx, a, _Importance.CRITICAL):
        return None
    if a.alerts is False:
        return "security alerts are not turned on or not reaching you"
    return _UNSAID_ALERTS if a.alerts is None else None


def _habit(name: str, text: str, unknown: str):
    def predicate(ctx: Context):
        v = getattr(ctx.plan.habits, name)
        if v is False:
            return text
        return Unknown(unknown) if v is None else None
    return predicate


no_escalation_plan = _habit("escalation_plan", "no written order of recovery routes with how long each takes",
                            "whether you have written down which recovery route to try first")
no_escalation_plan.__name__ = "no_escalation_plan"
no_lost_device_playbook = _habit("lost_device_playbook", "no written steps for the day a phone or key goes missing",
                                 "whether you have written steps for a lost phone or key")
no_lost_device_playbook.__name__ = "no_lost_device_playbook"
not_watching_alerts = _habit("watches_alerts", "sign-in and recovery alerts are not watched",
                             "whether you read sign-in and recovery alerts")
not_watching_alerts.__name__ = "not_watching_alerts"


def _devices_holding_a_way_in(ctx: Context, a: Account) -> list[str]:
    out = []
    known = ctx.devices
    for m in a.sign_in:
        if m.on and m.type is not _SignIn.SECURITY_KEY:
            dev = known.get(m.on, "")
            if dev == "":
                dev = known[m.on] = ctx.plan.device_of(m.on)
            if dev and dev not in out:
                out.append(dev)
    return out


def phone_without_screen_lock(ctx: Context, a: Account):
    devices = _devices_holding_a_way_in(ctx, a)
    locks = [ctx.plan.thing(d).screen_lock for d in devices]
    if False in locks:
        return f"{_q(ctx.plan, devices[locks.index(False)])} has no screen lock, yet it holds a way into this account"
    return _UNSAID_SCREEN_LOCK if None in locks else None


def sim_without_pin(ctx: Context, a: Account):
    nums = ctx.numbers.get(a.id)
    if not nums:
        return None
    pins = [ctx.plan.thing(n).sim_pin for n in nums]
    if False in pins:
        return f"the SIM of {_q(ctx.plan, nums[pins.index(False)])} has no PIN"
    return _UNSAID_SIM_PIN if None in pins else None


def voicemail_without_pin(ctx: Context, a: Account):
    nums = ctx.numbers.get(a.id)
    if not nums:
        return None
    pins = [ctx.plan.thing(n).voicemail_pin for n in nums]
    if False in pins:
        return f"the voicemail of {_q(ctx.plan, nums[pins.index(False)])} has no PIN"
    return _UNSAID_VOICEMAIL_PIN if None in pins else None


# --- fixes ---------------------------------------------------------------------------------------
def _fix_codes(ctx: Context, accounts):
    return fx.print_codes(ctx.plan, accounts)


def _fix_upgrade(ctx: Context, accounts):
    return fx.upgrade_to_passkey(ctx.plan, accounts)


def _fix_second_step(ctx: Context, accounts):
    """Turn on a second step: the strongest the account's service offers (the catalogue), else an
    authenticator app."""
    known = [i for i in accounts if ctx.services.get(i) is not None and second_steps(ctx.services[i])]
    rest = [i for i in accounts if i not in known]
    out = [fx.add_app_codes(ctx.plan, rest)] if rest else []
    for t, (ids, o) in _grouped(ctx, known, lambda i: second_steps(ctx.services[i])[0]).items():
        words = {_SignIn.PASSKEY: "a passkey", _SignIn.SECURITY_KEY: "a security key",
                 _SignIn.TOTP: "an authenticator app", _SignIn.SMS: "text-message codes",
                 _SignIn.VOICE: "voice-call codes"}.get(t, o.words)
        fix = fx.turn_on(ctx.plan, ids, t, words,
                         passkey_second=not any(ctx.services[i].passkey_instead_of_password for i in ids))
        if fix is not None:   # a service offering only email codes: no change the plan can name
            out.append(fix)
    return out[0] if len(out) == 1 else out


def _fix_reused(ctx: Context, accounts):
    plan = ctx.plan
    vault = next((a.id for a in plan.accounts if a.kind is _AccountKind.PASSWORD_MANAGER and a.id not in accounts),
                 None)
    ops = []
    for i in accounts:
        for m in plan.account(i).sign_in:
            if m.type is _SignIn.PASSWORD and m.reused:
                match = fx._match(fx.method_dict(m))
                ops.append(fx.Op("set", f"accounts/{i}/sign_in", False, field="reused", match=match, account=i))
    where = "in your password manager" if vault else "in a password manager"
    return fx.Fix("unique-password", fx.title("Change to a unique password", plan, accounts),
                  f"Change the password to a new one used nowhere else, generated and stored {where}.", tuple(ops))


def _fix_vault(ctx: Context, accounts):
    plan = ctx.plan
    ops = list(fx.print_codes(plan, accounts).ops) if any(fx.has_second_or_passkey(plan.account(i))
                                                          for i in accounts) else []
    for i in accounts:
        for m in plan.account(i).sign_in:
            if m.type is _SignIn.PASSWORD and m.via == i:
                ops.append(fx.Op("set", f"accounts/{i}/sign_in", None, field="via",
                                 match=fx._match(fx.method_dict(m)), account=i))
    return fx.Fix("vault-keys-outside", fx.title("Keep the vault's keys outside it", plan, accounts),
                  "Keep the password manager's master password, second step and backup codes outside the vault: "
                  "a printed emergency kit at home and a separate authenticator or key.", tuple(ops))


def _fix_port(ctx: Context, accounts):
    owner: dict = {}
    numbers, thing = ctx.numbers, ctx.plan.thing
    for i in accounts:
        for n in numbers.get(i, ()):     # _numbers_used(account), worked out once in make_context
            if thing(n).port_out_lock is False:
                owner.setdefault(n, i)
    return fx.set_field(ctx.plan, "things", [(n, owner[n]) for n in sorted(owner)], "port_out_lock", True,
                        "port-out-lock",
                        "Ask your carrier for a PIN and a port-out lock",
                        "Ask your mobile carrier to set an account PIN and a number-transfer (port-out) lock.")


def _fix_number_matching(ctx: Context, accounts):
    ops = []
    for i in accounts:
        for m in ctx.plan.account(i).sign_in:
            if m.type is _SignIn.PUSH and m.number_matching is False:
                ops.append(fx.Op("set", f"accounts/{i}/sign_in", True, field="number_matching",
                                 match=fx._match(fx.method_dict(m)), account=i))
    return fx.Fix("number-matching", fx.title("Turn on number matching", ctx.plan, accounts),
                  "Turn on number matching for push sign-in (or switch to a passkey).", tuple(ops))


def _fix_email_code(ctx: Context, accounts):
    base = fx.add_app_codes(ctx.plan, accounts, with_codes=False)
    ops = list(base.ops)
    for i in accounts:
        for m in ctx.plan.account(i).sign_in:
            if m.type is _SignIn.EMAIL_CODE:
                ops.append(fx.Op("remove", f"accounts/{i}/sign_in", match=fx._match(fx.method_dict(m)), account=i))
    return fx.Fix("replace-email-codes", fx.title("Replace email codes with an app", ctx.plan, accounts),
                  "Replace email codes with an authenticator app, a passkey or a security key where offered.",
                  tuple(ops))


def _remove_routes(ctx: Context, accounts, which: Callable, kind: str, title: str, do: str,
                   add_mailbox: bool = True):
    items = [(i, r) for i in accounts for r in ctx.plan.account(i).recovery if which(ctx, r)]
    return fx.replace_route(ctx.plan, items, kind, fx.title(title, ctx.plan, accounts), do,
                            ctx.measures.accounts, add_mailbox)


def _fix_questions(ctx: Context, accounts):
    return _remove_routes(ctx, accounts, lambda c, r: r.type is _Recovery.SECURITY_QUESTIONS,
                          "remove-questions", "Stop relying on security questions",
                          "Remove the security questions where the service allows it; if it forces them, use random "
                          "answers kept in your password manager.", add_mailbox=False)


def _fix_regenerate(ctx: Context, accounts):
    ops = []
    for i in accounts:
        c = ctx.plan.account(i).backup_codes
        value = {"generated": True, "stored_in": list(c.stored_in), "remaining": 10, "used": 0}
        if ctx.plan.as_of:
            value["generated_on"] = ctx.plan.as_of
        ops.append(fx.Op("set", f"accounts/{i}", value, field="backup_codes", account=i))
    return fx.Fix("regenerate-codes", fx.title("Generate a fresh set of backup codes", ctx.plan, accounts),
                  "Generate a new set of backup codes and replace every stored copy.", tuple(ops))


def _fix_dead(ctx: Context, accounts):
    return _remove_routes(ctx, accounts, lambda c, r: r.type is _Recovery.RECOVERY_EMAIL and r.dead,
                          "replace-dead-address", "Replace the dead recovery address",
                          "Replace the address that no longer works with one you can open today and that does not "
                          "depend on this account.")


def _loops(ctx: Context, r, owner=None) -> bool:
    return r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead


def _fix_loop(ctx: Context, accounts):
    g = ctx.analysis.graph
    items = []
    for i in accounts:
        for r in ctx.plan.account(i).recovery:
            if r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead and (
                    r.via == i or (g.options[r.via] and all(i in o.reqs for o in g.options[r.via]))):
                items.append((i, r))
    return fx.replace_route(ctx.plan, items, "replace-looping-address",
                            fx.title("Use a recovery email that stands alone", ctx.plan, accounts),
                            "Use a recovery email that you can open without this account.", ctx.measures.accounts)


def _fix_lapse(ctx: Context, accounts):
    plan = ctx.plan
    items = []
    for i in accounts:
        for r in plan.account(i).recovery:
            if (r.type is _Recovery.RECOVERY_EMAIL and r.via and not r.dead
                    and plan.account(r.via).kind in LAPSING_MAILBOXES) or (
                    r.type is _Recovery.RECOVERY_PHONE and plan.thing(r.on).number_kind in LAPSING_NUMBERS):
                items.append((i, r))
    base = fx.replace_route(plan, items, "", "", "", ctx.measures.accounts)
    ops = list(base.ops)
    sms = [i for i in accounts if any(m.type in PHONE_CODES and plan.thing(m.on).number_kind in LAPSING_NUMBERS
                                      for m in plan.account(i).sign_in)]
    if sms:
        ops += list(fx.upgrade_to_passkey(plan, sms).ops)
    if sum(op.op == "add" and op.path.endswith("/recovery") for op in base.ops) < len(items):
        # The address to move to is not in the plan: removing the old one alone would be measured as a
        # loss, though the step is a swap. So it is left unmeasured (ranked by tier), not shown as a loss.
        ops = []
    return fx.Fix("replace-lapsing-address", fx.title("Replace the recovery address of {} with one you keep", plan,
                                                      accounts),
                  "Replace the address or number with one you will keep and only you can read.", tuple(ops))


def _fix_independent(ctx: Context, accounts):
    usable = [i for i in accounts if fx.has_second_or_passkey(ctx.plan.account(i))]
    if usable:
        return fx.print_codes(ctx.plan, usable)
    items = []
    ops = []
    for i in accounts:
        other = fx.independent_mailbox(ctx.plan, ctx.plan.account(i), ctx.measures.accounts)
        if other:
            ops.append(fx.Op("add", f"accounts/{i}/recovery", {"type": "recovery_email", "via": other}, account=i))
            items.append(i)
    if not ops:
        return fx.recovery_contact(ctx.plan, accounts)
    return fx.Fix("add-recovery-email", fx.title("Add a recovery email", ctx.plan, items),
                  "Add a recovery email address you can open on its own and that is protected at least as well as "
                  "this account (not a phone number: a SIM swap could use it).", tuple(ops))


def _fix_fallback(ctx: Context, accounts):
    return fx.remove_phone_fallbacks(ctx.plan, accounts)


def _fix_totp(ctx: Context, accounts):
    return fx.second_app_device(ctx.plan, accounts)


def _fix_key(ctx: Context, accounts):
    return fx.spare_key(ctx.plan, accounts)


def _fix_tested(ctx: Context, accounts):
    if not ctx.plan.as_of:
        return None
    return fx.set_field(ctx.plan, "accounts", [(i, i) for i in accounts], "recovery_tested_on", ctx.plan.as_of,
                        "test-recovery", fx.title("Test your backup way in", ctx.plan, accounts),
                        "Sign in once with your backup method (a backup code, the spare key, the recovery email) and "
                        "write down the date.")


def _fix_contact(ctx: Context, accounts):
    return fx.recovery_contact(ctx.plan, accounts)


def _fix_support_url(ctx: Context, accounts):
    ops = []
    for i in accounts:
        for r in ctx.plan.account(i).recovery:
            if r.type is _Recovery.SUPPORT and r.official_url_recorded is False:
                match = (("type", "support"),)
                ops.append(fx.Op("set", f"accounts/{i}/recovery", True, field="official_url_recorded", match=match,
                                 account=i))
                break
    return fx.Fix("record-support-page", fx.title("Write down the official recovery page", ctx.plan, accounts),
                  "Find the provider's official account-recovery page and write down its address and the expected "
                  "wait.", tuple(ops))


def _best(ctx: Context, i: str, better) -> Offer:
    return better(ctx, ctx.plan.account(i))[0]


def _grouped(ctx: Context, accounts, pick) -> dict:
    groups: dict = {}
    for i in accounts:
        o = pick(i)
        groups.setdefault(o.type, ([], o))[0].append(i)
    return groups


def _fix_stronger(ctx: Context, accounts):
    """Switch to the strongest way in the service offers, turning off the weaker codes."""
    out = []
    for t, (ids, o) in _grouped(ctx, accounts, lambda i: _best(ctx, i, _better)).items():
        if t is _SignIn.PASSKEY:
            out.append(fx.upgrade_to_passkey(ctx.plan, ids))
        elif t is _SignIn.SECURITY_KEY:
            out.append(fx.upgrade_to_passkey(ctx.plan, ids, security_key=True))
        elif t in (_SignIn.TOTP, _SignIn.PUSH):
            apps = sorted({n for i in ids for n in ctx.services[i].vendor_apps})
            out.append(fx.switch_to_app(ctx.plan, ids, t, " or ".join(apps)))
    return out[0] if len(out) == 1 else out


def _passkey_ops(ctx: Context, accounts) -> tuple:
    ops: list = []
    for i in accounts:
        a = ctx.plan.account(i)
        phone = fx._phone_for(ctx.plan, a) or fx._device(ctx.plan, ops)
        ops.append(fx.Op("add", f"accounts/{i}/sign_in", {"type": "passkey", "on": phone}, account=i))
    return tuple(ops)


def _fix_passkey(ctx: Context, accounts):
    """A passkey the service takes as a second step: the password alone no longer gets in."""
    return fx.Fix("add-passkey", fx.title("Add a passkey to {}", ctx.plan, accounts),
                  "Create a passkey for this account on your phone (the service's security settings offer it), so "
                  "a leaked or phished password alone no longer gets anyone in. Keep the password in your password "
                  "manager for the day the phone is gone.", _passkey_ops(ctx, accounts))


def _fix_passkey_instead(ctx: Context, accounts):
    """A passkey instead of the password, not with it: the password still opens the account alone, so
    the text claims no lock, and the measured gain shows none."""
    return fx.Fix("add-passkey", fx.title("Add a passkey to {}", ctx.plan, accounts),
                  "Create a passkey for this account on your phone (the service's security settings offer it) and "
                  "sign in with it, so you no longer type the password where a fake site could catch it. The "
                  "password still works on its own at this service (a passkey there replaces it at sign-in, it is "
                  "no second step), so keep it unique, in your password manager: that is what keeps a stranger "
                  "out.", _passkey_ops(ctx, accounts))


def _fix_no_2fa(ctx: Context, accounts):
    plan = ctx.plan
    vault = next((a.id for a in plan.accounts if a.kind is _AccountKind.PASSWORD_MANAGER and a.id not in accounts),
                 None)
    ops, mailboxes = [], []
    for i in accounts:
        a = plan.account(i)
        for m in a.sign_in:
            if m.type is not _SignIn.PASSWORD:
                continue
            match = fx._match(fx.method_dict(m))
            if m.reused is not False:
                ops.append(fx.Op("set", f"accounts/{i}/sign_in", False, field="reused", match=match, account=i))
            if vault and not m.via:
                ops.append(fx.Op("set", f"accounts/{i}/sign_in", vault, field="via", match=match, account=i))
        mailboxes += _reset_mailboxes(plan, a)
    where = f"in {plan.name(vault)}" if vault else "in a password manager"
    guard = (f" Then make sure {_join(plan.name(m) for m in dict.fromkeys(mailboxes))}, the email that can reset "
             f"it, has strong sign-in of its own (a passkey or security key): with no second step here, that "
             f"mailbox is what keeps a stranger out.") if mailboxes else (
        " Then protect the email account that can reset its password (a passkey or security key on it): with no "
        "second step here, that mailbox is what keeps a stranger out.")
    return fx.Fix("unique-password-no-2fa", fx.title("Use a unique password for {}", plan, accounts),
                  f"This service offers no second sign-in step, so its password is the lock: use one used nowhere "
                  f"else, generated and kept {where}.{guard}", tuple(ops))


def _fix_recovery_page(ctx: Context, accounts):
    ops = []
    for i in accounts:
        for r in ctx.plan.account(i).recovery:
            if r.type is _Recovery.SUPPORT and r.official_url_recorded is False:
                ops.append(fx.Op("set", f"accounts/{i}/recovery", True, field="official_url_recorded",
                                 match=(("type", "support"),), account=i))
                break
    return fx.Fix("save-recovery-page", fx.title("Save the official recovery page of {}", ctx.plan, accounts),
                  "Save the link to the official account-recovery page with your recovery kit (the printed kit "
                  "lists it). If you ever need the provider's support process, start there, never from a search "
                  "result.", tuple(ops))


def _fix_alerts(ctx: Context, accounts):
    return fx.set_field(ctx.plan, "accounts", [(i, i) for i in accounts], "alerts", True, "alerts-on",
                        fx.title("Turn on security alerts", ctx.plan, accounts),
                        "Turn on sign-in and recovery alerts and make sure they reach an address or device you check.")


def _fix_screen_lock(ctx: Context, accounts):
    owner: dict = {}
    for i in accounts:
        for d in _devices_holding_a_way_in(ctx, ctx.plan.account(i)):
            if ctx.plan.thing(d).screen_lock is False:
                owner.setdefault(d, i)
    return fx.set_field(ctx.plan, "things", list(owner.items()), "screen_lock", True, "screen-lock", "Set a screen lock on your "
                        "phone", "Set a PIN (six digits or more) with fingerprint or face unlock on the phone.")


def _fix_number_field(name: str, kind: str, title: str, do: str):
    def fix(ctx: Context, accounts):
        owner: dict = {}
        numbers, thing = ctx.numbers, ctx.plan.thing
        for i in accounts:
            for n in numbers.get(i, ()):     # _numbers_used(account), worked out once in make_context
                if getattr(thing(n), name) is False:
                    owner.setdefault(n, i)
        return fx.set_field(ctx.plan, "things", list(owner.items()), name, True, kind, title, do)
    fix.__name__ = f"_fix_{name}"
    return fix


def _fix_habit(name: str, title: str, do: str):
    def fix(ctx: Context, accounts):
        return fx.habit(ctx.plan, name, title, do)
    return fix


B, D, R = Tier.BLOCKER, Tier.DURABILITY, Tier.READINESS
SETUP, SET_PK, SET_REC, RECOVERY = ("setup",), ("setup", "passkey"), ("setup", "recovery"), ("recovery",)
A, P = Scope.ACCOUNT, Scope.PLAN
PROT, REC = Measure.PROTECTION, Measure.RECOVERABILITY
_CRITICAL = frozenset({_Importance.CRITICAL})
_IMPORTANT = frozenset({_Importance.IMPORTANT})
_CRITICAL_OR_IMPORTANT = frozenset({_Importance.CRITICAL, _Importance.IMPORTANT})

_VAULT_KEYS_OUT = ("Keep the password manager's master password, second step and backup codes outside the vault: "
                   "a printed emergency kit at home and a separate authenticator or key.")

RULES: tuple[Rule, ...] = (
    # ---- blockers: can lock you out, or let a stranger in, the first time something goes wrong ----
    Rule("no-sign-in-method", B, A, has_no_sign_in_method,
         "An account with no recorded way in",
         "Write down every way you sign in to this account (password, passkey, app, key, text message).",
         "If the plan does not say how you get in, the checklist cannot tell what losing a phone or key does.",
         f"{NIST} §4.1.2.1", None, 5, do_title="Record how you sign in to {}", closes=("cannot-get-in-today",), lacks=True,
         unmeasured="Not measured: the plan does not say how you sign in yet, so there is nothing to measure. "
                    "Record it in the inventory and the checker measures the account."),
    Rule("cannot-get-in-today", B, A, cannot_get_in_today,
         "You cannot sign in as usual today",
         "Sign in with a recovery route now, then register a working sign-in method and fresh backup codes.",
         "An account you can only reach through recovery is already in the state the rest of the checklist "
         "tries to prevent.",
         f"{NIST} §4.2", REC, 30, do_title="Get back into {} today", links=SET_REC,
         unmeasured="Not measured: getting back in happens with the provider, not in your plan. Once you are in, "
                    "record the sign-in method you registered and the checker measures the account again."),
    Rule("critical-password-only", B, A, critical_password_only,
         "Critical account protected by a password alone",
         "Turn on a second sign-in step (an authenticator app, or better a passkey or security key), then print "
         "the backup codes it offers.",
         "A leaked, guessed or phished password is enough to take the account; a second step stops that.",
         f"{NIST} §2.2; {CISA_MOBILE}", PROT, 20, _fix_second_step, closes=("no-second-factor",), links=SET_PK,
         counts_as=_CRITICAL, lacks=True),
    Rule("reused-password-critical", B, A, critical_reused_password,
         "A critical account's password is used elsewhere",
         "Change it to a unique password, generated and stored in a password manager.",
         "When any site that shares the password is breached, attackers try it everywhere (credential stuffing).",
         f"{NIST} §3.1.1.2; {CISA_MOBILE}", PROT, 10, _fix_reused,
         tip="Use a different password for every important account, stored in a password manager.", counts_as=_CRITICAL),
    Rule("password-manager-protects-itself", B, A, vault_holds_its_own_keys,
         "The password manager guards its own keys",
         _VAULT_KEYS_OUT,
         "If the vault is the only place that holds what opens it, one lost device can leave no way back in: a "
         "circular dependency.",
         f"{NIST} §4.2.1.1", REC, 20, _fix_vault, closes=("codes-only-in-password-manager",)),
    Rule("circular-recovery", B, A, in_recovery_cycle,
         "Accounts that can only recover through each other",
         "Break the loop: give one of these accounts a way in that needs none of the others (printed backup codes, "
         "a security key, or a recovery contact).",
         "When A recovers through B and B through A, losing the one thing they share leaves no way back into "
         "either: a lockout.",
         f"{NIST} §4.2.1", REC, 15, _fix_cycle, closes=("recovery-email-loops-back",), links=SET_REC),
    Rule("sms-only-factor-and-recovery", B, A, only_number_for_everything,
         "Your phone number is the only second step and the only way back",
         "Print backup codes now; then add a second step that is not this number (an authenticator app, passkey or "
         "security key).",
         "A SIM swap, a number change or a trip abroad takes out both the sign-in and the way back at once, and the "
         "simulation shows the lockout.",
         f"{NIST} §3.1.3.3", REC, 15, _fix_codes, closes=("too-few-recovery-addresses",), uses=_PHONE_CODES, links=SETUP,
         lacks=True, until=usable_codes),
    Rule("synced-passkey-weak-identity", B, A, synced_passkey_on_weak_identity,
         "Synced passkeys rest on an account that is easy to lose",
         "Add a way into this account that does not depend on the account your passkeys sync through (backup "
         "codes), and strengthen that account too.",
         "Synced passkeys are only as recoverable as the Apple, Google, Microsoft or password-manager account "
         "that holds them.",
         f"{NIST} Appendix B", REC, 15, _fix_codes, uses=_PASSKEY, until=usable_codes),
    Rule("single-point-of-failure", B, A, single_point_of_failure,
         "One lost thing locks you out of a critical account",
         "Add a way in that does not depend on this thing: printed backup codes, a spare security key kept "
         "elsewhere, or a recovery contact.",
         "A single phone, number or key that every way in passes through turns one bad day into a lockout.",
         f"{NIST} §4.1.2.1, §4.3", REC, 15, _fix_spof,
         closes=("codes-not-saved", "single-factor-no-codes", "lockout-in-scenario"), links=SET_REC),
    Rule("lockout-in-scenario", B, A, locked_out_in_a_scenario,
         "A loss locks you out of an important account for a week or more",
         "Add a way in that survives the loss: backup codes kept where that loss does not reach, a spare key, or a "
         "recovery contact.",
         "The simulation found that an ordinary loss (a phone, a number, a trip, a fire) leaves no way back within "
         "a week: a lockout.",
         f"{NIST} §4.3", REC, 15, _fix_lockout, closes=("codes-not-saved", "single-factor-no-codes"), links=SET_REC, counts_as=_CRITICAL_OR_IMPORTANT),
    # ---- durability: access that survives a loss, and a second step a stranger cannot pass ----
    Rule("reused-password-behind-second-step", D, A, reused_password_behind_second_step,
         "A critical account's password is used elsewhere, behind a second step",
         "Change it to a unique password, generated and stored in a password manager.",
         "A breach on any site that shares the password hands it to attackers; then the second step is all that "
         "stands in their way, and a phished code or a SIM swap finishes the job.",
         f"{NIST} §3.1.1.2; {OWASP_MFA}", PROT, 10, _fix_reused, counts_as=_CRITICAL),
    Rule("password-manager-protects-itself-covered", D, A, vault_keys_inside_but_covered,
         "The password manager guards its own keys; another route covers for now",
         _VAULT_KEYS_OUT,
         "While another recovery route works, the keys inside the vault are not missed. If that route goes (a "
         "number changes hands, an address lapses), one lost device can leave no way back into the vault.",
         f"{NIST} §4.2.1.1", REC, 20, _fix_vault, closes=("codes-only-in-password-manager",)),
    Rule("codes-not-saved", D, A, codes_missing,
         "Backup codes not saved (or nobody knows where)",
         "Generate a fresh set of backup codes, print them and write down where each copy is kept.",
         "Saved recovery codes are meant to be kept offline and found quickly when every other way in is gone.",
         f"{NIST} §4.2.1.1", REC, 15, _fix_codes,
         tip="If your accounts offer backup codes, print them and keep them at home, away from your phone.", links=SETUP,
         uses=_WAYS),
    Rule("single-factor-no-codes", D, A, one_second_step_without_codes,
         "Only one second step and no backup codes",
         "Print backup codes, then add a second sign-in method (a passkey or a security key).",
         "With one second step and no codes, that one phone, app or key is the only way past the password; "
         "services advise keeping at least two.",
         f"{NIST} §4.1.2.1; {OWASP_MFA}, \"Resetting MFA\"", REC, 15, _fix_codes, closes=("codes-not-saved",), links=SETUP,
         uses=_WAYS, lacks=True, until=usable_codes),
    Rule("codes-on-same-phone", D, A, codes_share_the_phone,
         "Backup codes live on the phone they are meant to replace",
         "Print the backup codes and keep them at home or in a safe; delete the copy on the phone once the "
         "printout exists.",
         "Backup codes exist for the day the phone is gone; a copy on that same phone disappears with it.",
         f"{NIST} §4.2.1.1, §4.3", REC, 15, _fix_codes, links=SETUP),
    Rule("totp-single-phone", D, A, totp_only_on_one_phone,
         "Authenticator codes exist on one phone only",
         "Set the authenticator up on a second device too, or register a security key; if you export the codes "
         "instead, export them only to a place you can reach without this phone.",
         "A reset, a broken screen or a lost phone wipes codes that exist nowhere else.",
         f"{NIST} §4.3", REC, 15, _fix_totp, uses=_TOTP,
         tip="If your authenticator app offers an encrypted backup or a second device, set one up.", links=SETUP),
    Rule("single-security-key", D, A, one_security_key,
         "Only one security key registered",
         "Register a spare security key and keep it somewhere else (at home or with someone you trust).",
         "Security keys cannot be copied; a single key is a single point of failure.",
         "FIDO Alliance, Recommended Account Recovery Practices for FIDO Relying Parties (2019), "
         "\"Multiple authenticators\"", REC, 30, _fix_key, uses=_KEYS, links=SETUP, lacks=True),
    Rule("stronger-method-available", D, A, stronger_method_offered,
         "The service offers a stronger sign-in method than the one you use",
         "Switch to the strongest method the service offers (a passkey or security key where it has one), then "
         "turn off the weaker codes; its own set-up page shows how.",
         "Codes sent by text message, voice or email can be phished or redirected; app codes can be phished; "
         "passkeys and security keys cannot. 2FA Directory lists what each service offers, so the advice names "
         "only methods this service has.",
         f"{NIST} §3.1.3.3, §3.2.5; {CISA_PR}; {DIRECTORY}", PROT, 15, _fix_stronger,
         closes=("sms-on-critical", "email-as-second-factor"), links=SET_PK, service=True, lacks=True),
    Rule("passkey-available", D, A, passkey_offered,
         "The service accepts a passkey, and you sign in with a password alone",
         "Create a passkey for the account on your phone, using the service's own passkey page.",
         "A passkey cannot be phished, guessed or reused from another site's breach, unlike a password; it is "
         "the strongest way in this service offers.",
         f"{NIST} §3.2.5; {CISA_PR}; {DIRECTORY}", PROT, 10, _fix_passkey, links=("passkey", "setup"), service=True,
         lacks=True),
    Rule("sms-on-critical", D, A, sms_on_critical,
         "Text-message or voice codes on a critical account",
         "Add a passkey (or a security key), then remove the phone number as a sign-in method and as a recovery "
         "route where the service allows it.",
         "Codes sent over the phone network can be redirected by a SIM swap or read off the network; CISA advises "
         "not to use SMS as a second step.",
         f"{NIST} §3.1.3.3; {CISA_MOBILE}", PROT, 15, _fix_upgrade, closes=("not-phishing-resistant",),
         uses=_PHONE_CODES, links=SET_PK, counts_as=_CRITICAL),
    Rule("no-port-out-lock", D, A, number_without_port_lock,
         "No carrier PIN or port-out lock on a number you rely on",
         "Ask your mobile carrier to set an account PIN and a number-transfer (port-out) lock.",
         "Without it, a caller who knows a few facts about you can ask the carrier to move your number to their SIM.",
         CISA_MOBILE, PROT, 20, _fix_port, uses=_NUMBERS,
         tip="Ask your mobile carrier whether your account has a PIN and a port-out lock."),
    Rule("email-as-second-factor", D, A, email_as_second_step,
         "Email codes used as a second step",
         "Replace email codes with an authenticator app, passkey or security key where offered.",
         "Email is not a separate factor: whoever gets into the mailbox gets the code.",
         f"{NIST} §3.1.3.1", PROT, 15, _fix_email_code, uses=_EMAIL_CODE, links=SET_PK),
    Rule("push-without-number-matching", D, A, push_without_number_matching,
         "Push prompts without number matching",
         "Turn on number matching (or switch to a passkey) for push sign-in.",
         "Plain approve/deny prompts can be sent again and again until someone taps yes (MFA fatigue).",
         "CISA, Implementing Number Matching in MFA Applications (Oct 2022)", PROT, 5, _fix_number_matching,
         uses=_PUSH, tip="If you approve sign-ins with a prompt, turn on number matching where it is offered.", links=SETUP),
    Rule("not-phishing-resistant", D, A, critical_without_phishing_resistance,
         "Critical account without phishing-resistant sign-in",
         "Add a passkey or a security key, then turn off the weaker second steps (codes and plain prompts).",
         "Passkeys and security keys cannot be typed into a fake site; codes and prompts can.",
         f"{NIST} §3.2.5; {CISA_PR}", PROT, 15, _fix_upgrade, closes=("sms-on-critical",),
         links=SET_PK, counts_as=_CRITICAL, lacks=True),
    Rule("no-second-factor", D, A, important_password_only,
         "Important account protected by a password alone",
         "Turn on a second sign-in step (preferably a passkey or security key), then print the backup codes it "
         "offers.",
         "A leaked or guessed password is enough to take the account; a second step stops that.",
         f"{NIST} §2.2", PROT, 20, _fix_second_step, links=SET_PK, counts_as=_IMPORTANT, lacks=True),
    Rule("no-2fa-offered", D, A, service_lists_no_2fa,
         "The service offers no second sign-in step",
         "Use a password you use nowhere else, generated and kept in a password manager, and protect the email "
         "account that can reset it with strong sign-in of its own.",
         "Where no second step exists, the password and the mailbox that can reset it are the only locks: a "
         "unique password stops reuse attacks, and the mailbox must be at least as well protected.",
         f"{NIST} §3.1.1.2, §4.2.1.2; OWASP Credential Stuffing Prevention Cheat Sheet; {DIRECTORY}", PROT, 15,
         _fix_no_2fa, service=True, counts_as=_CRITICAL_OR_IMPORTANT),
    Rule("security-questions", D, A, counts_security_questions,
         "Security questions are a way in",
         "Remove security questions where the service allows it; if it forces them, use random answers stored in "
         "your password manager.",
         "Answers are often public or guessable, so they let a stranger in and are easy to forget; the checklist "
         "never counts them as a way back.",
         f"{OWASP_MFA}, \"Security Questions\"", PROT, 10, _fix_questions, uses=_QUESTIONS),
    Rule("used-codes-not-regenerated", D, A, used_codes_not_replaced,
         "Used backup codes not replaced",
         "Generate a new set of backup codes and replace every stored copy.",
         "Each code works once; a set you have been using runs out when you need it most.",
         f"{NIST} §4.2.1.1", REC, 10, _fix_regenerate, links=SETUP),
    Rule("recovery-email-dead", D, A, dead_recovery_email,
         "A recovery email address no longer works",
         "Replace the dead address with one you can sign in to today.",
         "A recovery code sent to an address nobody reads is no recovery at all.",
         f"{NIST} §4.2.1.2", REC, 10, _fix_dead, uses=_RECOVERY_EMAIL, links=RECOVERY),
    Rule("recovery-email-loops-back", D, A, recovery_email_loops_back,
         "The recovery email depends on this account",
         "Use a recovery email that you can get into without this account.",
         "If the recovery mailbox can only be opened through this account, it cannot help you recover it.",
         f"{NIST} §4.2.1.2", REC, 10, _fix_loop, uses=_RECOVERY_EMAIL, links=RECOVERY),
    Rule("recovery-address-may-lapse", D, A, recovery_address_may_lapse,
         "A recovery address that may stop working or that others can read",
         "Replace it with an address or number you will keep and that only you can read.",
         "Work and school addresses close when you leave, prepaid and travel numbers get reassigned, and someone "
         "else's number puts your codes in their hands.",
         f"{NIST} §4.2.1.2; {CISA_MOBILE}", REC, 15, _fix_lapse, links=RECOVERY, uses=_RECOVERY_EMAIL | _NUMBERS,
         do_title="Replace the recovery address of {} with one you keep",
         unmeasured="Not measured: the address to move to is not in your plan yet. Add it in the inventory and "
                    "the checker measures the swap."),
    Rule("recovery-address-strength-unknown", D, A, recovery_address_strength_unknown,
         "A recovery address whose sign-in is not known",
         "Check that the recovery address has a second step at least as strong as this account's (a passkey or "
         "security key if it offers one), then list its sign-in methods in the inventory.",
         "Whoever gets into a recovery address can reset the accounts that trust it, so it needs protection at "
         "least as strong as theirs; the checker cannot count what it was not told.",
         f"{NIST} §4.2.1.2; {OWASP_MFA}", PROT, 10, do_title="Protect the recovery address of {}",
         uses=_RECOVERY_EMAIL,
         unmeasured="Not measured: how the recovery address signs in is not recorded. List its sign-in methods "
                    "in the inventory and the checker counts it."),
    Rule("too-few-recovery-addresses", D, A, no_independent_way_back,
         "No recovery address or backup codes",
         "Print backup codes, or add a recovery email you can open on its own; a phone number is not suggested "
         "because a SIM swap could use it.",
         "Providers are asked to let you keep more than one recovery address so that losing one leaves another; "
         "with none, support is the only way back.",
         f"{NIST} §4.2.1.2, §4.6", REC, 15, _fix_independent, links=RECOVERY, counts_as=_CRITICAL, until=usable_codes),
    Rule("weak-fallback", D, A, weak_fallback,
         "A phone-number fallback undoes a passkey or security key",
         "Remove the text-message or voice fallback and the recovery phone number, or keep them and accept the "
         "trade-off knowingly.",
         "A way in is only as strong as the weakest route beside it; CISA advises moving away from SMS once "
         "phishing-resistant sign-in is set up.",
         f"{CISA_MOBILE}; {NIST} §3.1.3.3", PROT, 10, _fix_fallback, links=SET_PK, uses=_KEYS),
    Rule("retire-before-enrol", D, P, retires_before_enrolling,
         "Old phones and keys retired before the new one is enrolled",
         "When you replace a phone or key, enrol the new one and test it before you wipe or discard the old one.",
         "Wiping the old device first can leave nothing that still signs you in.",
         f"{NIST} §4.1.4", REC, 5,
         _fix_habit("enrolls_before_retiring", "Enrol a new phone or key before wiping the old one",
                    "When you replace a phone or key, enrol the new one and test it before you wipe or discard the "
                    "old one."),
         tip="When you replace a phone or key, set up the new one and test it before you wipe the old one."),
    # ---- readiness: makes the day of recovery go smoothly ----
    Rule("codes-only-in-password-manager", R, A, codes_only_in_vault,
         "Backup codes kept only in the password manager",
         "Keep a second, offline copy (printed at home or in a safe) in addition to the vault.",
         "Contested: some services and password-manager vendors recommend the vault; NIST describes saved "
         "recovery codes as kept offline. One offline copy removes the dependency either way.",
         f"{NIST} §4.2.1.1 (contested)", REC, 10, _fix_codes),
    Rule("recovery-never-tested", R, A, never_tested,
         "Recovery has never been tested",
         "Sign in once with your backup method (a backup code, the spare key, the recovery email) and write down "
         "the date.",
         "A backup nobody has tried may not work; services are told to ask you to confirm a new authenticator works.",
         f"{NIST} §4.1.2.2", REC, 15, _fix_tested,
         tip=f"Every {TESTED_RECENTLY_MONTHS} months, sign in once with your backup way in and write down the date.", links=RECOVERY, counts_as=_CRITICAL_OR_IMPORTANT),
    Rule("recovery-test-stale", R, A, test_is_stale,
         f"Recovery last tested over {TESTED_RECENTLY_MONTHS} months ago",
         "Test your backup way in again and update the date.",
         f"Numbers, devices and addresses drift; a test every {TESTED_RECENTLY_MONTHS} months catches the one that "
         f"stopped working.",
         f"{NIST} §4.1.2.2", REC, 15, _fix_tested, links=RECOVERY),
    Rule("no-recovery-contact", R, A, critical_without_recovery_contact,
         "No recovery contact",
         "Set up a recovery contact (a trusted person) where the service offers it.",
         "A recovery contact can pass you a code when every device you own is gone.",
         f"{NIST} §4.2.1.3", REC, 10, _fix_contact, links=RECOVERY, counts_as=_CRITICAL, until=usable_codes),
    Rule("support-url-not-recorded", R, A, support_url_missing,
         "Official support route not written down",
         "Find the provider's official account-recovery page and write down its address and expected wait.",
         "People who cannot get in search in a hurry and can land on fake \"recovery services\"; knowing the "
         "official route and its wait avoids both.",
         f"{NIST} §4.2.1", None, 10, _fix_support_url, uses=_SUPPORT,
         tip="Look up each provider's official account-recovery page now and write down its address.", links=RECOVERY),
    Rule("official-recovery-page-known", R, A, recovery_page_known,
         "The service's official recovery page is known but not saved",
         "Save the link to the service's official account-recovery page with your recovery kit.",
         "People who cannot get in search in a hurry and can land on fake \"recovery services\"; 2FA Directory "
         "lists the service's own recovery page, so the kit can print it and the support route counts as "
         "recorded.",
         f"{NIST} §4.2.1; {DIRECTORY}", None, 2, _fix_recovery_page, uses=_SUPPORT, links=RECOVERY,
         closes=("support-url-not-recorded",), service=True),
    Rule("method-not-listed", R, A, method_not_listed,
         "A sign-in method you use is not listed for this service",
         "Open the service's security settings and check which sign-in methods are on; then correct your plan.",
         "The directories are maintained by volunteers and can be out of date or wrong; your own settings page is "
         "the truth, so a mismatch is a note to check, not an error.",
         "2FA Directory and the Passkeys Directory: community-maintained listings, each \"data of\" a date",
         None, 5, do_title="Check the sign-in settings of {}",
         links=SET_PK, service=True,
         unmeasured="Not measured: this is a check of the service's settings page, which changes nothing in your "
                    "plan until you correct it."),
    Rule("passkey-instead-of-password", R, A, passkey_instead_offered,
         "The service accepts a passkey instead of the password",
         "Create a passkey for the account on your phone and sign in with it; keep the password unique, because "
         "it still opens the account on its own.",
         "Signing in with a passkey means never typing the password where a fake site could catch it. But this "
         "service takes a passkey only in place of the password, not as a second step, so the password stays a "
         "way in: the passkey adds no lock against someone who has the password, and the checklist does not "
         "count it as raising Protection.",
         f"{NIST} §3.2.5; {CISA_PR}; {DIRECTORY}", None, 10, _fix_passkey_instead, links=("passkey", "setup"),
         service=True, lacks=True),
    Rule("alerts-off", R, A, critical_alerts_off,
         "Security alerts off on a critical account",
         "Turn on sign-in and recovery alerts and make sure they reach an address or device you check.",
         "Alerts are how you notice someone else recovering or adding an authenticator to your account.",
         f"{NIST} §4.6", None, 5, _fix_alerts,
         tip="Check that sign-in and recovery alerts are on and reach an address you read.", counts_as=_CRITICAL),
    Rule("no-escalation-plan", R, P, no_escalation_plan,
         "No escalation timing plan",
         "Write down, for each critical account, which route you try first and how long each takes (minutes by "
         "text, a day by email, weeks by post or support).",
         "Knowing when to move to the next route helps keep a bad day calm.",
         f"{NIST} §4.2", REC, 15,
         _fix_habit("escalation_plan", "Write down which recovery route to try first",
                    "Write down, for each critical account, which route you try first and how long each takes."),
         tip="Write down which recovery route you would try first for each critical account, and how long each takes."),
    Rule("no-lost-device-playbook", R, P, no_lost_device_playbook,
         "No lost-device playbook",
         "Write a one-page list: what to do in the first hour after losing a phone or key (which accounts, which "
         "routes, whom to call).",
         "Reporting a lost authenticator quickly and using a backup one is what keeps a loss from becoming a "
         "compromise.",
         f"{NIST} §4.3", REC, 20,
         _fix_habit("lost_device_playbook", "Write a one-page lost-phone plan",
                    "Write a one-page list: what to do in the first hour after losing a phone or key."),
         tip="Write a one-page list of what to do in the first hour after losing a phone or key."),
    Rule("not-watching-alerts", R, P, not_watching_alerts,
         "Not watching security alerts",
         "Make a habit of reading sign-in and recovery alerts; send them to an address you check daily.",
         "Notifications only help if someone reads them.",
         f"{NIST} §4.6", REC, 5,
         _fix_habit("watches_alerts", "Read your sign-in and recovery alerts",
                    "Make a habit of reading sign-in and recovery alerts; send them to an address you check daily."),
         tip="Read sign-in and recovery alerts when they arrive."),
    Rule("phone-without-screen-lock", R, A, phone_without_screen_lock,
         "A phone that holds a way in has no screen lock",
         "Set a PIN (six digits or more), with fingerprint or face unlock, on the phone.",
         "Whoever picks up an unlocked phone gets its passkeys, app codes and text messages; CISA advises locking "
         "phones with a PIN.",
         CISA_MOBILE, PROT, 5, _fix_screen_lock,
         tip="Make sure your phone locks with a PIN, fingerprint or face."),
    Rule("sim-without-pin", R, A, sim_without_pin,
         "No SIM PIN on a number you rely on",
         "Turn on the SIM PIN in the phone's settings (have the carrier's PUK code at hand first).",
         "A thief can move an unlocked SIM to another phone and receive your codes; CISA advises locking SIMs "
         "with a PIN where available.",
         CISA_MOBILE, PROT, 10,
         _fix_number_field("sim_pin", "sim-pin", "Turn on the SIM PIN", "Turn on the SIM PIN in the phone's "
                                                                           "settings."),
         uses=_NUMBERS, tip="Turn on the SIM PIN in your phone's settings if it is not on."),
    Rule("voicemail-without-pin", R, A, voicemail_without_pin,
         "No voicemail PIN on a number you rely on",
         "Set a voicemail PIN with your carrier.",
         "Some services read codes out by phone call; if it goes to voicemail, anyone who can open your voicemail "
         "hears the code. CISA advises protecting carrier services such as voicemail with a PIN.",
         CISA_MOBILE, PROT, 5,
         _fix_number_field("voicemail_pin", "voicemail-pin", "Set a voicemail PIN", "Set a voicemail PIN with your "
                                                                                     "carrier."),
         uses=_NUMBERS, tip="Set a voicemail PIN with your carrier if you have none."),
)

RULES_BY_ID = {r.id: r for r in RULES}
RULE_INDEX = {r.id: i for i, r in enumerate(RULES)}


class Finding(NamedTuple):
    """One rule applied to one account (or to the plan). A NamedTuple: thousands per plan."""
    rule: str
    tier: Tier
    account: str | None
    detail: str
    claims: tuple = ()
    accepted: bool = False

    def as_dict(self) -> dict:
        # ``_value_``: the member's value without Enum's property lookup (thousands per plan)
        out = {"rule": self.rule, "tier": self.tier._value_, "account": self.account, "detail": self.detail}
        if self.claims:
            out["claims"] = [c.as_dict() for c in self.claims]
        if self.accepted:
            out["accepted"] = True
        return out


class Tip(NamedTuple):
    rule: str
    text: str
    accounts: tuple[str, ...]
    unknown: str          # the fact that was not given

    def as_dict(self) -> dict:
        return {"rule": self.rule, "text": self.text, "accounts": list(self.accounts), "unknown": self.unknown}


def findings(ctx: Context, unknown_rules=frozenset()) -> tuple[tuple[Finding, ...], tuple[Tip, ...]]:
    """Every rule on every account. ``unknown_rules``: rules whose facts the person was not asked
    (skipped quick-check questions), as "rule-id" (every account) or "rule-id@account-id"; their
    findings become tips."""
    out: list[Finding] = []
    tips: dict[str, list] = {}
    accounts = ctx.plan.accounts
    users: dict = {}
    for a in accounts:
        for t in ctx.types[a.id]:
            users.setdefault(t, set()).add(a.id)
    counts_as = ctx.counts_as
    plan = ctx.plan
    known = [a for a in accounts if a.id in ctx.services]
    append = out.append
    # rules sharing a prefilter (the same service, counts_as and uses columns) share its candidates
    candidates_for: dict = {}
    plan_scope = Scope.PLAN
    for rule in RULES:
        pred = rule.predicate
        rid = rule.id
        tier = rule.tier
        if rule.scope is plan_scope:
            d = pred(ctx)
            if not d:
                continue
            results = ((None, d),)
        else:
            columns = (rule.service, rule.counts_as, rule.uses)
            candidates = candidates_for.get(columns)
            if candidates is None:
                candidates = known if rule.service else accounts
                if rule.counts_as:
                    candidates = [a for a in candidates if counts_as[a.id] in rule.counts_as]
                if rule.uses:
                    ids = set().union(*(users.get(t, ()) for t in rule.uses))
                    candidates = [a for a in candidates if a.id in ids]
                candidates_for[columns] = candidates
            results = [(a, d) for a in candidates if (d := pred(ctx, a))]
        unknown_rule = rid in unknown_rules
        if rule.lacks:
            results = [(a, Unknown(f"every way {a.name} signs in") if plan.strength_unknown(a.id) else d)
                       for a, d in results]
        for a, d in results:
            ident = a.id if a is not None else None
            if type(d) is Unknown or unknown_rule or (unknown_rules and f"{rid}@{ident}" in unknown_rules):
                entry = tips.get(rid)
                if entry is None:
                    entry = tips[rid] = [str(d) if isinstance(d, Unknown) else "", []]
                if ident is not None:
                    entry[1].append(ident)
                continue
            accepted = a is not None and rid in a.accepted
            if type(d) is Detail:
                append(_new_tuple(Finding, (rid, tier, ident, d[0], d[1], accepted)))
            else:
                append(_new_tuple(Finding, (rid, tier, ident, d, (), accepted)))
    tip_list = []
    for rid, (unknown, accts) in tips.items():
        rule = RULES_BY_ID[rid]
        if rule.tip:
            tip_list.append(Tip(rid, rule.tip, tuple(accts), unknown))
    return tuple(out), tuple(tip_list)
