"""The rule table. One row per rule: id, tier, named predicate, plain-words action, why, source.

Account rules' predicates take ``(ctx, account)``; plan rules' take ``(ctx)``. A
predicate returns a one-line detail when the rule applies, else ``None``. The
docs page "How the checklist decides" is generated from :data:`RULES`.
"""
from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass
from typing import Callable, NamedTuple

from .model import (PHISHING_RESISTANT, SECOND_FACTORS, Account, AccountKind, AppBackup, Importance,
                    Plan, RecoveryType, SignInType, StoreKind, Thing, ThingType, Tier)
from .scenarios import SCENARIOS, Analysis

NIST = "NIST SP 800-63B-4"
SCENARIO_TITLE = {"baseline": "Today, with nothing lost", **dict(SCENARIOS)}
STALE_TEST_DAYS = 365
SLOW_SUPPORT_DAYS = 7


class Scope(str, enum.Enum):
    ACCOUNT = "account"
    PLAN = "plan"


@dataclass(frozen=True)
class Rule:
    id: str
    tier: Tier
    scope: Scope
    predicate: Callable
    title: str
    action: str
    why: str
    source: str
    closes: tuple[str, ...] = ()
    uses: frozenset = frozenset()   # if set: only accounts using one of these types can trigger it


@dataclass(frozen=True)
class Context:
    plan: Plan
    analysis: Analysis
    lockouts: dict          # account id -> tuple of scenario ids where it is locked out
    spofs: dict             # account id -> tuple of SinglePoint
    cycles: dict            # account id -> tuple of Cycle
    slow: dict              # account id -> tuple[(scenario id, wait days)] recovered only by slow support
    types: dict             # account id -> every sign-in and recovery type it uses: cheap early exits


def make_context(plan: Plan, analysis: Analysis) -> Context:
    lockouts: dict[str, list[str]] = {}
    slow: dict[str, list[tuple[str, int]]] = {}
    for s in analysis.scenarios:
        for a in s.locked_out:
            lockouts.setdefault(a, []).append(s.id)
        for o in s.recovered:
            if o.route == "support" and o.wait_days >= SLOW_SUPPORT_DAYS:
                slow.setdefault(o.account, []).append((s.id, o.wait_days))
    spofs: dict[str, list] = {}
    for sp in analysis.single_points:
        for a in sp.accounts:
            spofs.setdefault(a, []).append(sp)
    cycles: dict[str, list] = {}
    for c in analysis.cycles:
        for a in c.accounts:
            cycles.setdefault(a, []).append(c)
    types = {a.id: frozenset([m.type for m in a.sign_in] + [r.type for r in a.recovery]) for a in plan.accounts}
    return Context(plan, analysis, {k: tuple(v) for k, v in lockouts.items()},
                   {k: tuple(v) for k, v in spofs.items()}, {k: tuple(v) for k, v in cycles.items()},
                   {k: tuple(v) for k, v in slow.items()}, types)


def _uses(*kinds) -> frozenset:
    return frozenset(kinds)


_TOTP = _uses(SignInType.TOTP)
_KEYS = _uses(SignInType.SECURITY_KEY, SignInType.PASSKEY)
_PHONE_CODES = _uses(SignInType.SMS, SignInType.VOICE)
_NUMBERS = _uses(SignInType.SMS, SignInType.VOICE, RecoveryType.RECOVERY_PHONE)
_EMAIL_CODE = _uses(SignInType.EMAIL_CODE)
_PUSH = _uses(SignInType.PUSH)
_QUESTIONS = _uses(RecoveryType.SECURITY_QUESTIONS)
_RECOVERY_EMAIL = _uses(RecoveryType.RECOVERY_EMAIL)
_SUPPORT = _uses(RecoveryType.SUPPORT)
_PASSKEY = _uses(SignInType.PASSKEY)


# --- small helpers -----------------------------------------------------------------------------
def _seconds(a: Account):
    return [m for m in a.sign_in if m.type in SECOND_FACTORS]


def _ways(a: Account):
    """Second steps and passkeys: the things that stand between a stranger and the account."""
    return [m for m in a.sign_in if m.type in SECOND_FACTORS or m.type is SignInType.PASSKEY]


def _usable_codes(a: Account) -> bool:
    c = a.backup_codes
    return bool(c and c.generated and c.stored_in and c.remaining != 0)


def _q(plan: Plan, ident: str | None) -> str:
    return f'"{plan.name(ident)}"' if ident else "?"


def _describe(plan: Plan, m) -> str:
    words = {SignInType.SMS: "text-message codes", SignInType.VOICE: "voice-call codes",
             SignInType.TOTP: "app codes", SignInType.PUSH: "push prompts",
             SignInType.SECURITY_KEY: "a security key", SignInType.PASSKEY: "a passkey",
             SignInType.EMAIL_CODE: "email codes", SignInType.PASSWORD: "a password"}[m.type]
    target = m.on or m.via
    return f"{words} ({_q(plan, target)})" if target else words


def _device_of(plan: Plan, thing_id: str | None) -> str | None:
    """The phone/device a thing physically sits on (itself for phones and devices)."""
    seen = set()
    while thing_id and plan.has_thing(thing_id) and thing_id not in seen:
        seen.add(thing_id)
        t = plan.thing(thing_id)
        if t.type in (ThingType.PHONE, ThingType.DEVICE):
            return t.id
        thing_id = t.on
    return None


def _stores(plan: Plan, a: Account) -> list[Thing]:
    return [plan.thing(s) for s in a.backup_codes.stored_in] if a.backup_codes else []


def _numbers_used(a: Account) -> list[str]:
    nums = [m.on for m in a.sign_in if m.type in (SignInType.SMS, SignInType.VOICE)]
    nums += [r.on for r in a.recovery if r.type is RecoveryType.RECOVERY_PHONE]
    return sorted(set(n for n in nums if n))


def _ages_days(plan: Plan, date: str) -> int | None:
    if not plan.as_of:
        return None
    return (_dt.date.fromisoformat(plan.as_of) - _dt.date.fromisoformat(date)).days


def _important(a: Account) -> bool:
    return a.importance in (Importance.CRITICAL, Importance.IMPORTANT)


def _chain_text(plan: Plan, chain, longest: int = 8) -> str:
    """A → B → C; long chains keep their ends (a finding's detail stays short)."""
    if len(chain) > longest:
        names = [plan.name(x) for x in chain[:3]] + [f"… ({len(chain) - 5} more)"] + \
                [plan.name(x) for x in chain[-2:]]
    else:
        names = [plan.name(x) for x in chain]
    return " → ".join(names)


def _scenario_list(ids) -> str:
    return "; ".join(SCENARIO_TITLE[s].lower() for s in ids)


# --- blockers ----------------------------------------------------------------------------------
def has_no_sign_in_method(ctx: Context, a: Account):
    if not a.sign_in:
        return "no sign-in method is recorded for this account"
    return None


def cannot_get_in_today(ctx: Context, a: Account):
    if not a.sign_in:
        return None
    base = ctx.analysis.baseline
    if a.id in base.locked_out:
        return "with everything you have today, no sign-in method or recovery route gets you in"
    for o in base.recovered:
        if o.account == a.id:
            return (f"you cannot sign in directly today; the way in is {o.route}"
                    + (f" via {_q(ctx.plan, o.via)}" if o.via else "") + f", after {o.wait_days} day(s)")
    return None


def one_second_step_without_codes(ctx: Context, a: Account):
    ways = _ways(a)
    if len(ways) == 1 and not _usable_codes(a):
        return (f"the only way in beyond a password is {_describe(ctx.plan, ways[0])}, and there are no usable "
                f"backup codes")
    return None


def codes_share_the_phone(ctx: Context, a: Account):
    stores = _stores(ctx.plan, a)
    if not stores or not all(s.kind is StoreKind.DEVICE_FILE for s in stores):
        return None
    factor_devices = {_device_of(ctx.plan, m.on) for m in _seconds(a) if m.on}
    shared = [s for s in stores if _device_of(ctx.plan, s.on) in factor_devices]
    if len(shared) == len(stores):
        dev = _device_of(ctx.plan, shared[0].on)
        return (f"the backup codes are only in {_q(ctx.plan, shared[0].id)} on {_q(ctx.plan, dev)}, "
                f"the same device that receives the second step")
    return None


def vault_holds_its_own_keys(ctx: Context, a: Account):
    if a.kind is not AccountKind.PASSWORD_MANAGER:
        return None
    plan = ctx.plan
    for s in _stores(plan, a):
        if s.kind is StoreKind.PASSWORD_MANAGER and s.via == a.id:
            return f"its backup codes are kept in {_q(plan, s.id)}, inside the vault they unlock"
    for m in a.sign_in:
        if m.type is SignInType.PASSWORD and m.via == a.id:
            return "its master password is stored inside the vault it opens"
        if m.type is SignInType.TOTP and plan.thing(m.on).via == a.id:
            return f"its authenticator codes are backed up in {_q(plan, a.id)} itself ({_q(plan, m.on)})"
        if m.type is SignInType.PASSKEY and m.via == a.id:
            return "its passkey is synced through the vault it unlocks"
    return None


def in_recovery_cycle(ctx: Context, a: Account):
    cycles = ctx.cycles.get(a.id)
    if not cycles:
        return None
    c = cycles[0]
    chain = _chain_text(ctx.plan, c.chain)
    if len(c.accounts) == 1:
        return f"{chain}: the only way back needs this account itself ({_scenario_list(c.scenarios)})"
    return f"{chain}: each way back needs another account in the loop first ({_scenario_list(c.scenarios)})"


def only_number_for_everything(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PHONE_CODES):
        return None
    ways = _ways(a)
    if len(ways) != 1 or ways[0].type not in (SignInType.SMS, SignInType.VOICE):
        return None
    number = ways[0].on
    routes = [r for r in a.recovery
              if r.type in (RecoveryType.RECOVERY_EMAIL, RecoveryType.RECOVERY_PHONE, RecoveryType.RECOVERY_CONTACT)
              and not r.dead]
    if routes and all(r.type is RecoveryType.RECOVERY_PHONE and r.on == number for r in routes):
        return f"the number {_q(ctx.plan, number)} is both the only second step and the only recovery route"
    return None


def synced_passkey_on_weak_identity(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PASSKEY):
        return None
    if not a.sign_in or not all(m.type is SignInType.PASSKEY and m.via for m in a.sign_in):
        return None
    if _usable_codes(a) or any(not r.dead and r.type is not RecoveryType.SECURITY_QUESTIONS for r in a.recovery):
        return None
    for ident in sorted({m.via for m in a.sign_in}):
        idacct = ctx.plan.account(ident)
        locked = ctx.lockouts.get(ident)
        if locked:
            return (f"synced passkeys through {_q(ctx.plan, ident)} are the only way in, and that account is "
                    f"locked out if: {_scenario_list(locked)}")
        if not _usable_codes(idacct) and len([r for r in idacct.recovery if not r.dead]) < 2:
            return (f"synced passkeys through {_q(ctx.plan, ident)} are the only way in, and that account has no "
                    f"backup codes and fewer than two recovery routes")
    return None


def single_point_of_failure(ctx: Context, a: Account):
    sps = ctx.spofs.get(a.id)
    if not sps:
        return None
    names = ", ".join(_q(ctx.plan, sp.thing) for sp in sps)
    chain = _chain_text(ctx.plan, sps[0].chain_to(a.id))
    return f"losing any one of {names} locks you out ({chain})" if len(sps) > 1 else \
        f"losing {names} alone locks you out ({chain})"


def locked_out_in_a_scenario(ctx: Context, a: Account):
    if not _important(a):
        return None
    ids = ctx.lockouts.get(a.id)
    if ids:
        return f"locked out if: {_scenario_list(ids)}"
    return None


# --- durability --------------------------------------------------------------------------------
def codes_missing(ctx: Context, a: Account):
    if not _ways(a):
        return None
    c = a.backup_codes
    if c is None or not c.generated:
        return "backup codes were never generated"
    if not c.stored_in:
        return "backup codes were generated but where they are kept is not recorded"
    if c.remaining == 0:
        return "every backup code has been used"
    return None


def totp_only_on_one_phone(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_TOTP):
        return None
    for m in a.sign_in:
        if m.type is SignInType.TOTP:
            app = ctx.plan.thing(m.on)
            if app.backup is AppBackup.NONE:
                return (f"the codes in {_q(ctx.plan, app.id)} exist only on {_q(ctx.plan, app.on)}, "
                        f"with no backup or export")
    return None


def one_security_key(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_KEYS):
        return None
    keys = {m.on for m in a.sign_in if m.type in (SignInType.SECURITY_KEY, SignInType.PASSKEY)
            and m.on and ctx.plan.thing(m.on).type is ThingType.SECURITY_KEY}
    if len(keys) == 1:
        return f"only one security key is registered ({_q(ctx.plan, next(iter(keys)))})"
    return None


def sms_on_critical(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PHONE_CODES):
        return None
    if a.importance is not Importance.CRITICAL:
        return None
    for m in a.sign_in:
        if m.type in (SignInType.SMS, SignInType.VOICE):
            return f"signs in with {_describe(ctx.plan, m)}"
    return None


def number_without_port_lock(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_NUMBERS):
        return None
    open_numbers = [n for n in _numbers_used(a) if not ctx.plan.thing(n).port_out_lock]
    if open_numbers:
        return f"{', '.join(_q(ctx.plan, n) for n in open_numbers)} has no carrier PIN or port-out lock"
    return None


def email_as_second_step(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_EMAIL_CODE):
        return None
    for m in a.sign_in:
        if m.type is SignInType.EMAIL_CODE:
            return f"uses {_describe(ctx.plan, m)} as a second step"
    return None


def push_without_number_matching(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_PUSH):
        return None
    for m in a.sign_in:
        if m.type is SignInType.PUSH and not m.number_matching:
            return f"approves sign-ins with a plain yes/no prompt on {_q(ctx.plan, m.on)}"
    return None


def critical_without_phishing_resistance(ctx: Context, a: Account):
    if a.importance is Importance.CRITICAL and a.sign_in and not any(m.type in PHISHING_RESISTANT
                                                                       for m in a.sign_in):
        return "no passkey or security key is registered"
    return None


def no_second_step(ctx: Context, a: Account):
    if _important(a) and a.sign_in and not _ways(a):
        return "signs in with a password alone"
    return None


def counts_security_questions(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_QUESTIONS):
        return None
    if any(r.type is RecoveryType.SECURITY_QUESTIONS for r in a.recovery):
        return "security questions are listed as a recovery route"
    return None


def used_codes_not_replaced(ctx: Context, a: Account):
    c = a.backup_codes
    if c and c.generated and c.used > 0 and c.remaining != 0:
        return f"{c.used} backup code(s) used since the set was generated" + (
            f"; {c.remaining} left" if c.remaining is not None else "")
    return None


def dead_recovery_email(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_RECOVERY_EMAIL):
        return None
    if any(r.type is RecoveryType.RECOVERY_EMAIL and r.dead for r in a.recovery):
        return "a recovery email address no longer works"
    return None


def recovery_email_loops_back(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_RECOVERY_EMAIL):
        return None
    g = ctx.analysis.graph
    for r in a.recovery:
        if r.type is RecoveryType.RECOVERY_EMAIL and r.via and not r.dead:
            if r.via == a.id:
                return "the recovery email is this account itself"
            opts = g.options[r.via]
            if opts and all(a.id in o.reqs for o in opts):
                return f"the recovery email {_q(ctx.plan, r.via)} can only be reached through this account"
    return None


def too_few_recovery_addresses(ctx: Context, a: Account):
    if a.importance is not Importance.CRITICAL:
        return None
    n = sum(1 for r in a.recovery if (r.type is RecoveryType.RECOVERY_EMAIL and not r.dead and r.via)
            or r.type is RecoveryType.RECOVERY_PHONE)
    if n < 2:
        return f"{n} working recovery address(es) (email or phone) on record"
    return None


def only_slow_support_left(ctx: Context, a: Account):
    slow = ctx.slow.get(a.id)
    if slow:
        sid, days = max(slow, key=lambda x: (x[1], x[0]))
        return (f"the only way back is the provider's support process ({days} days) if "
                f"{SCENARIO_TITLE[sid][0].lower()}{SCENARIO_TITLE[sid][1:]}")
    return None


def retires_before_enrolling(ctx: Context):
    if not ctx.plan.habits.enrolls_before_retiring:
        return "you do not always enrol a new phone or key before retiring the old one"
    return None


# --- readiness ---------------------------------------------------------------------------------
def codes_only_in_vault(ctx: Context, a: Account):
    stores = _stores(ctx.plan, a)
    if stores and a.kind is not AccountKind.PASSWORD_MANAGER and all(
            s.kind is StoreKind.PASSWORD_MANAGER for s in stores):
        return f"the only copy of the backup codes is in {_q(ctx.plan, stores[0].via)}"
    return None


def never_tested(ctx: Context, a: Account):
    if _important(a) and a.recovery_tested_on is None:
        return "recovery has never been tested"
    return None


def test_is_stale(ctx: Context, a: Account):
    if a.recovery_tested_on is None:
        return None
    age = _ages_days(ctx.plan, a.recovery_tested_on)
    if age is not None and age > STALE_TEST_DAYS:
        return f"recovery was last tested {age} days ago ({a.recovery_tested_on})"
    return None


CONTACT_KINDS = (AccountKind.EMAIL, AccountKind.APPLE, AccountKind.GOOGLE, AccountKind.MICROSOFT,
                 AccountKind.PASSWORD_MANAGER, AccountKind.SOCIAL)


def critical_without_recovery_contact(ctx: Context, a: Account):
    if (a.importance is Importance.CRITICAL and a.kind in CONTACT_KINDS
            and not any(r.type is RecoveryType.RECOVERY_CONTACT for r in a.recovery)):
        return "no recovery contact is set up"
    return None


def support_url_missing(ctx: Context, a: Account):
    if ctx.types[a.id].isdisjoint(_SUPPORT):
        return None
    for r in a.recovery:
        if r.type is RecoveryType.SUPPORT and not r.official_url_recorded:
            return "the official recovery page is not written down"
    return None


def critical_alerts_off(ctx: Context, a: Account):
    if a.importance is Importance.CRITICAL and not a.alerts:
        return "security alerts are not turned on or not reaching you"
    return None


def no_escalation_plan(ctx: Context):
    if not ctx.plan.habits.escalation_plan:
        return "no written order of recovery routes with how long each takes"
    return None


def no_lost_device_playbook(ctx: Context):
    if not ctx.plan.habits.lost_device_playbook:
        return "no written steps for the day a phone or key goes missing"
    return None


def not_watching_alerts(ctx: Context):
    if not ctx.plan.habits.watches_alerts:
        return "sign-in and recovery alerts are not watched"
    return None


B, D, R = Tier.BLOCKER, Tier.DURABILITY, Tier.READINESS
A, P = Scope.ACCOUNT, Scope.PLAN
OWASP_MFA = "OWASP Multifactor Authentication Cheat Sheet"
CISA_MOBILE = "CISA Mobile Communications Best Practice Guidance (Dec 2024)"

RULES: tuple[Rule, ...] = (
    # ---- blockers: can fail you the first time something goes wrong ----
    Rule("no-sign-in-method", B, A, has_no_sign_in_method,
         "An account with no recorded way in",
         "Write down every way you sign in to this account (password, passkey, app, key, text message), "
         "then add a second one if there is only one.",
         "If the plan does not say how you get in, nothing can tell you what losing a phone or key does; "
         "in practice it usually means a single way in.",
         f"{NIST} §4.1.2.1", ("cannot-get-in-today",)),
    Rule("cannot-get-in-today", B, A, cannot_get_in_today,
         "You cannot sign in today",
         "Fix access now: sign in with a recovery route, then register a working sign-in method and "
         "fresh backup codes.",
         "An account you can only reach through recovery (or not at all) is already in the state the "
         "rest of the checklist tries to prevent.",
         f"{NIST} §4.2"),
    Rule("single-factor-no-codes", B, A, one_second_step_without_codes,
         "Only one second step and no backup codes",
         "Generate backup codes now and keep a printed copy away from your phone; then add a second "
         "sign-in method (a passkey or security key).",
         "With one second step and no codes, losing that one phone, app or key locks you out; "
         "services advise keeping at least two separate ways in.",
         f"{NIST} §4.1.2.1; {OWASP_MFA}, \"Resetting MFA\"", ("codes-not-saved",)),
    Rule("codes-on-same-phone", B, A, codes_share_the_phone,
         "Backup codes live on the phone they are meant to replace",
         "Print the backup codes or write them down and keep them at home or in a safe; "
         "delete the copy on the phone once the paper copy exists.",
         "Backup codes exist for the day the phone is gone; a copy on that same phone disappears with it.",
         f"{NIST} §4.2.1.1, §4.3"),
    Rule("password-manager-protects-itself", B, A, vault_holds_its_own_keys,
         "The password manager guards its own keys",
         "Keep the password manager's master password, second factor and recovery codes outside the vault: "
         "printed emergency kit at home, a separate authenticator or key.",
         "If the vault is the only place that holds what opens it, one lockout is permanent: a circular "
         "dependency with no way back.",
         f"{NIST} §4.2.1.1", ("codes-only-in-password-manager",)),
    Rule("circular-recovery", B, A, in_recovery_cycle,
         "Accounts that can only recover through each other",
         "Break the loop: give one of these accounts a way in that needs none of the others "
         "(printed backup codes, a security key, or a recovery contact).",
         "When A recovers through B and B through A, losing the one thing they share locks you out of both.",
         f"{NIST} §4.2.1", ("recovery-email-loops-back",)),
    Rule("sms-only-factor-and-recovery", B, A, only_number_for_everything,
         "Your phone number is both the second step and the only recovery route",
         "Add a second step that is not this number (an authenticator app, passkey or security key) "
         "and a recovery route that is not this number either.",
         "A SIM swap, number change or trip abroad takes out both the sign-in and the way back at once.",
         f"{NIST} §3.1.3.3", ("too-few-recovery-addresses",), uses=_PHONE_CODES),
    Rule("synced-passkey-weak-identity", B, A, synced_passkey_on_weak_identity,
         "Synced passkeys rest on an account that is easy to lose",
         "Strengthen the account your passkeys sync through (backup codes, a second recovery route, "
         "a recovery contact) or add a way into this account that does not depend on it.",
         "Synced passkeys are only as recoverable as the Apple, Google, Microsoft or password-manager "
         "account that holds them.",
         f"{NIST} Appendix B", uses=_PASSKEY),
    Rule("single-point-of-failure", B, A, single_point_of_failure,
         "One lost thing locks you out of a critical account",
         "Add a way in that does not depend on this thing: printed backup codes, a second security key "
         "kept elsewhere, or a recovery contact.",
         "A single phone, number or key that every route passes through turns one bad day into a lockout.",
         f"{NIST} §4.1.2.1, §4.3"),
    Rule("lockout-in-scenario", B, A, locked_out_in_a_scenario,
         "A loss scenario locks you out of an important account",
         "For each listed scenario, add a way in that survives it (codes kept where that loss does not reach, "
         "a second key, a recovery contact).",
         "The simulation found no route back in at least one ordinary loss: a lost phone, a changed number, "
         "a trip, a fire.",
         f"{NIST} §4.3"),
    # ---- durability: makes access survive losses ----
    Rule("codes-not-saved", D, A, codes_missing,
         "Backup codes not saved (or nobody knows where)",
         "Generate a fresh set of backup codes and record where each copy is kept.",
         "Saved recovery codes are meant to be kept offline and found quickly when every other way in is gone.",
         f"{NIST} §4.2.1.1"),
    Rule("totp-single-phone", D, A, totp_only_on_one_phone,
         "Authenticator codes exist on one phone only",
         "Turn on the authenticator's encrypted backup or export the accounts to a second device, "
         "or add another sign-in method.",
         "A reset, a broken screen or a lost phone wipes codes that were never backed up.",
         f"{NIST} §4.3", uses=_TOTP),
    Rule("single-security-key", D, A, one_security_key,
         "Only one security key registered",
         "Register a second security key and keep it somewhere else (at home or with someone you trust).",
         "Security keys cannot be copied; a single key is a single point of failure.",
         "FIDO Alliance, Recommended Account Recovery Practices for FIDO Relying Parties (2019), "
         "\"Multiple authenticators\"", uses=_KEYS),
    Rule("sms-on-critical", D, A, sms_on_critical,
         "Text-message or voice codes on a critical account",
         "Add a passkey, security key or authenticator app, then remove the phone number as a sign-in "
         "method where the service allows it.",
         "Codes sent over the phone network can be intercepted or redirected by SIM swapping.",
         f"{NIST} §3.1.3.3; {CISA_MOBILE}", uses=_PHONE_CODES),
    Rule("no-port-out-lock", D, A, number_without_port_lock,
         "No carrier PIN or port-out lock on a number you rely on",
         "Ask your mobile carrier to set an account PIN and a number-transfer (port-out) lock.",
         "Without it, a caller who knows a few facts about you can move your number to their SIM.",
         CISA_MOBILE, uses=_NUMBERS),
    Rule("email-as-second-factor", D, A, email_as_second_step,
         "Email codes used as a second step",
         "Replace email codes with an authenticator app, passkey or security key where offered.",
         "Email is not a separate factor: whoever gets into the mailbox gets the code.",
         f"{NIST} §3.1.3.1", uses=_EMAIL_CODE),
    Rule("push-without-number-matching", D, A, push_without_number_matching,
         "Push prompts without number matching",
         "Turn on number matching (or switch to codes or a passkey) for push sign-in.",
         "Plain approve/deny prompts can be spammed until someone taps yes (MFA fatigue).",
         "CISA, Implementing Number Matching in MFA Applications (Oct 2022)", uses=_PUSH),
    Rule("not-phishing-resistant", D, A, critical_without_phishing_resistance,
         "Critical account without phishing-resistant sign-in",
         "Add a passkey or a security key to this account.",
         "Passkeys and security keys cannot be typed into a fake site; codes and prompts can.",
         f"{NIST} §3.2.5; CISA, Implementing Phishing-Resistant MFA (Oct 2022)"),
    Rule("no-second-factor", D, A, no_second_step,
         "Important account protected by a password alone",
         "Turn on a second step (preferably a passkey or security key), then save the backup codes it offers.",
         "A leaked or guessed password is enough to take the account; a second factor stops that.",
         f"{NIST} §2.2"),
    Rule("security-questions", D, A, counts_security_questions,
         "Security questions counted as a way back",
         "Do not rely on security questions; if a service forces them, use random answers stored in your "
         "password manager and add a real recovery route.",
         "Answers are often public or guessable and easy to forget, so they are no recovery at all; "
         "the checklist does not count them.",
         f"{OWASP_MFA}, \"Security Questions\"", uses=_QUESTIONS),
    Rule("used-codes-not-regenerated", D, A, used_codes_not_replaced,
         "Used backup codes not replaced",
         "Generate a new set of backup codes and replace every stored copy.",
         "Each code works once; a set you have been using runs out exactly when you need it.",
         f"{NIST} §4.2.1.1"),
    Rule("recovery-email-dead", D, A, dead_recovery_email,
         "A recovery email address no longer works",
         "Replace the dead address with one you can sign in to today.",
         "A recovery code sent to an address nobody reads is no recovery at all.",
         f"{NIST} §4.2.1.2", uses=_RECOVERY_EMAIL),
    Rule("recovery-email-loops-back", D, A, recovery_email_loops_back,
         "The recovery email depends on this account",
         "Use a recovery email that you can get into without this account.",
         "If the recovery mailbox can only be opened through this account, it cannot help you recover it.",
         f"{NIST} §4.2.1.2", uses=_RECOVERY_EMAIL),
    Rule("too-few-recovery-addresses", D, A, too_few_recovery_addresses,
         "Fewer than two recovery addresses",
         "Add a second recovery address (an email account and a phone number you control).",
         "Providers must let you keep at least two recovery addresses so that losing one still leaves a way back.",
         f"{NIST} §4.2.1.2, §4.6"),
    Rule("support-only-fallback", D, A, only_slow_support_left,
         "The only way back is a slow support process",
         "Add a faster route that survives the same loss (printed codes, a second key, a recovery contact), "
         "so support is the last resort, not the only one.",
         "Support-led recovery can take days or weeks, and you are locked out for all of it.",
         f"{NIST} §4.2"),
    Rule("retire-before-enrol", D, P, retires_before_enrolling,
         "Old phones and keys retired before the new one is enrolled",
         "When you replace a phone or key, enrol the new one and test it before you wipe or discard the old one.",
         "Wiping the old device first is the most common way people lock themselves out.",
         f"{NIST} §4.1.4"),
    # ---- readiness: makes the day of recovery go smoothly ----
    Rule("codes-only-in-password-manager", R, A, codes_only_in_vault,
         "Backup codes kept only in the password manager",
         "Keep a second, offline copy (printed at home or in a safe) in addition to the vault.",
         "Contested: some services and password-manager vendors recommend the vault; NIST describes saved "
         "recovery codes as kept offline. One offline copy removes the dependency either way.",
         f"{NIST} §4.2.1.1 (contested)"),
    Rule("recovery-never-tested", R, A, never_tested,
         "Recovery has never been tested",
         "Sign in once with your backup method (a backup code, the second key, the recovery email) "
         "and note the date.",
         "A backup nobody has tried may not work; services are told to ask you to confirm a new "
         "authenticator works.",
         f"{NIST} §4.1.2.2"),
    Rule("recovery-test-stale", R, A, test_is_stale,
         "Recovery last tested over a year ago",
         "Test your backup way in again and update the date.",
         "Numbers, devices and addresses drift; a yearly test catches the one that stopped working.",
         f"{NIST} §4.1.2.2"),
    Rule("no-recovery-contact", R, A, critical_without_recovery_contact,
         "No recovery contact",
         "Set up a recovery contact (a trusted person) where the service offers it.",
         "A recovery contact can pass you a code when every device you own is gone.",
         f"{NIST} §4.2.1.3"),
    Rule("support-url-not-recorded", R, A, support_url_missing,
         "Official support route not written down",
         "Find the provider's official account-recovery page and write the address and expected wait in "
         "your plan.",
         "When locked out, people search in a hurry and land on fake \"recovery services\"; "
         "knowing the official route and its wait avoids both.",
         f"{NIST} §4.2.1", uses=_SUPPORT),
    Rule("alerts-off", R, A, critical_alerts_off,
         "Security alerts off on a critical account",
         "Turn on sign-in and recovery alerts and make sure they reach an address or device you check.",
         "Alerts are how you notice someone else recovering or adding an authenticator to your account.",
         f"{NIST} §4.6"),
    Rule("no-escalation-plan", R, P, no_escalation_plan,
         "No escalation timing plan",
         "Write down, for each critical account, which route you try first and how long each takes "
         "(minutes by text, a day by email, weeks by post or support).",
         "Knowing when to move to the next route keeps a lockout from becoming a panic.",
         f"{NIST} §4.2"),
    Rule("no-lost-device-playbook", R, P, no_lost_device_playbook,
         "No lost-device playbook",
         "Write a one-page list: what to do in the first hour after losing a phone or key "
         "(which accounts, which routes, whom to call).",
         "Reporting a lost authenticator quickly and using a backup one is what keeps a loss from becoming "
         "a compromise.",
         f"{NIST} §4.3"),
    Rule("not-watching-alerts", R, P, not_watching_alerts,
         "Not watching security alerts",
         "Make a habit of reading sign-in and recovery alerts; route them to an address you check daily.",
         "Notifications only help if someone reads them.",
         f"{NIST} §4.6"),
)

RULES_BY_ID = {r.id: r for r in RULES}
RULE_INDEX = {r.id: i for i, r in enumerate(RULES)}


class Finding(NamedTuple):
    """One rule applied to one account (or to the plan). A NamedTuple: thousands per plan."""
    rule: str
    tier: Tier
    account: str | None
    detail: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "tier": self.tier.value, "account": self.account, "detail": self.detail}


def findings(ctx: Context) -> tuple[Finding, ...]:
    out: list[Finding] = []
    accounts = sorted(ctx.plan.accounts, key=lambda a: a.id)
    users: dict = {}                 # sign-in / recovery type -> ids of the accounts using it
    for a in accounts:
        for t in ctx.types[a.id]:
            users.setdefault(t, set()).add(a.id)
    for rule in RULES:
        if rule.scope is Scope.PLAN:
            d = rule.predicate(ctx)
            if d:
                out.append(Finding(rule.id, rule.tier, None, d))
            continue
        pred = rule.predicate
        candidates = accounts
        if rule.uses:
            ids = set().union(*(users.get(t, ()) for t in rule.uses))
            candidates = [a for a in accounts if a.id in ids]
        for a in candidates:
            d = pred(ctx, a)
            if d:
                out.append(Finding(rule.id, rule.tier, a.id, d))
    return tuple(out)
