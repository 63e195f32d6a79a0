"""Two measures, never blended: Protection and Recoverability (each 0-100).

**Protection**: how hard a takeover is. Each account is as strong as its weakest way
*in*, and a recovery route that lets someone in without the second step is a way in.
A way in scores:

* a passkey: 100; a password plus a security key: 90, plus the password's score;
* a password plus an authenticator-app code, or a push prompt with number matching: 60 + ;
* a password plus a push prompt without number matching: 45 + ;
* a password plus a text-message, voice or email code: 40 + (+5 when the number has a
  carrier PIN or port-out lock);
* the password alone: 30 from a password manager, 25 memorised, 10 when reused elsewhere (also
  beside a passkey, when the service takes passkeys only instead of the password, never as a second
  step: :meth:`~.model.Account.password_alone_gets_in`);

where "+" is the password's score: 10 in a password manager, 5 memorised, 0 reused (and 0
without a password). Recovery routes: a reset by text message scores like a text-message
code without the password (40, or 45 with a port-out lock); a recovery contact 90;
security questions 15; a recovery email as much as that mailbox's own Protection. A
password-only way in through a password manager is no stronger than the manager.
So for one account: none < text/voice/email code < app code or push with number matching
< passkey or security key, whatever the password.

The plan's Protection is half the weakest critical account and half the importance-weighted
average of every account (critical x3, important x2, normal x1), so one weak critical
account always shows.

**Recoverability**: how surely and how fast you get back in. Over today and every loss
scenario, each account earns 1 when still in, 0.75 when back the same day (0.05 less per
day of waiting), 0.1 when locked out for a week or more, and 0 with no way back
(weighted by importance): 80 % of the measure. Habits in place are 10 % and recently
tested recovery 10 %; habits and tests not recorded count as not in place (stated), and
a test counts only for an account that has a backup way in to test (:func:`backup_way`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import NamedTuple

from .model import (HABIT_NAMES, IMPORTANCE_WEIGHT, LOCKOUT_DAYS, LOCKOUT_STATES, NEVER, SECOND_FACTORS,
                    TESTED_RECENTLY_DAYS, TESTED_RECENTLY_MONTHS, Importance, Measure, Plan, RecoveryType, Route,
                    SignInType, State, ThingType)
from .scenarios import Analysis

W_ACCESS, W_HABITS, W_TESTED = 0.8, 0.1, 0.1
SECOND_BASE = {SignInType.SMS: 40, SignInType.VOICE: 40, SignInType.EMAIL_CODE: 40, SignInType.PUSH: 45,
               SignInType.TOTP: 60, SignInType.SECURITY_KEY: 90}
PUSH_MATCHED = 60
PORT_LOCK_BONUS = 5
PASSKEY = 100
PASSWORD_BONUS = {"manager": 10, "memorised": 5, "reused": 0, "none": 0}
PASSWORD_ONLY = {"manager": 30, "memorised": 25, "reused": 10}
CONTACT = 90
QUESTIONS = 15
HABIT_WORDS = {"lost_device_playbook": "a lost-device playbook", "escalation_plan": "an escalation plan",
               "enrolls_before_retiring": "enrolling before retiring", "watches_alerts": "watching alerts"}


class WayIn(NamedTuple):
    """One way a stranger could get in, with its strength and plain words."""
    strength: int
    text: str
    through: str | None = None     # an account whose own Protection caps this way in


def _password_kind(plan: Plan, account) -> str:
    """The weakest of the account's passwords: reused, memorised, in a manager, or none."""
    kind = "none"
    for m in account.sign_in:
        if m.type is _PASSWORD:
            if m.reused:
                return "reused"
            if not m.via:
                kind = "memorised"
            elif kind == "none":
                kind = "manager"
    return kind


def _number(plan: Plan, thing_id: str) -> str:
    return plan.thing(thing_id).label


def ways_in(plan: Plan, account) -> list[WayIn]:
    """Every way a stranger could get into ``account`` (before following recovery mailboxes)."""
    return [WayIn(s, t if type(t) is str else t(), th) for s, t, th in _ways(plan, account)]


_SMS, _VOICE, _PUSH, _TOTP, _EMAIL_CODE, _PASSKEY, _PASSWORD = (SignInType.SMS, SignInType.VOICE, SignInType.PUSH,
                                                                 SignInType.TOTP, SignInType.EMAIL_CODE,
                                                                 SignInType.PASSKEY, SignInType.PASSWORD)
_R_PHONE, _R_EMAIL, _R_CONTACT, _R_QUESTIONS = (RecoveryType.RECOVERY_PHONE, RecoveryType.RECOVERY_EMAIL,
                                                RecoveryType.RECOVERY_CONTACT, RecoveryType.SECURITY_QUESTIONS)
_ALONE = {"manager": "the password alone", "memorised": "the password alone",
          "reused": "a password that is also used elsewhere, alone"}


def _ways(plan: Plan, account) -> list[tuple]:
    """:func:`ways_in` as (strength, text, through) tuples whose text, when it names a number or an
    account, is a function that words it: most texts are never shown (only the weakest way in of
    each account is), so they are worded only when asked for."""
    pw = _password_kind(plan, account)
    bonus = PASSWORD_BONUS[pw]
    out: list[tuple] = []
    prefix = "the password and " if pw != "none" else ""
    sign_in = account.sign_in
    for m in sign_in:
        if m.type is _PASSKEY:
            out.append((PASSKEY, "a passkey", None))
    for m in sign_in:
        t = m.type
        if t not in SECOND_FACTORS:
            continue
        if t is _PUSH and m.number_matching:
            out.append((PUSH_MATCHED + bonus, prefix + "a push prompt with number matching", None))
        elif t is _PUSH:
            out.append((SECOND_BASE[t] + bonus, prefix + "a push prompt without number matching, which can be "
                                                         "approved by mistake", None))
        elif t is _SMS or t is _VOICE:
            lock = PORT_LOCK_BONUS if plan.thing(m.on).port_out_lock else 0
            word = "text-message" if t is _SMS else "voice-call"
            out.append((SECOND_BASE[t] + bonus + lock,
                        lambda word=word, on=m.on: f"{prefix}a {word} code to {_number(plan, on)}, which a SIM swap "
                                                   f"can redirect", None))
        elif t is _EMAIL_CODE:
            out.append((SECOND_BASE[t] + bonus, lambda via=m.via: f"{prefix}a code emailed to {plan.name(via)}", None))
        elif t is _TOTP:
            out.append((SECOND_BASE[t] + bonus, prefix + "an authenticator-app code, which a fake site can ask for",
                        None))
        else:
            out.append((SECOND_BASE[t] + bonus, prefix + "a security key", None))
    if account.password_alone_gets_in():
        out.append((PASSWORD_ONLY[pw], _ALONE[pw], None))
        for m in sign_in:
            if m.type is _PASSWORD and m.via and m.via != account.id and not plan.strength_unknown(m.via):
                out.append((PASSWORD_ONLY[pw], lambda via=m.via: f"the password alone, from {plan.name(via)}", m.via))
    for r in account.recovery:
        t = r.type
        if t is _R_PHONE:
            lock = PORT_LOCK_BONUS if plan.thing(r.on).port_out_lock else 0
            out.append((SECOND_BASE[_SMS] + lock,
                        lambda on=r.on: f"a reset by text message to {_number(plan, on)}, which a SIM swap can "
                                        f"redirect", None))
        elif t is _R_EMAIL and r.via and not r.dead and r.via != account.id and not plan.strength_unknown(r.via):
            out.append((PASSKEY, lambda via=r.via: f"a reset through the recovery email {plan.name(via)}", r.via))
        elif t is _R_CONTACT:
            out.append((CONTACT, "a reset through your recovery contact", None))
        elif t is _R_QUESTIONS:
            out.append((QUESTIONS, "security questions, whose answers can often be found or guessed", None))
    return out


#: The internal value of an account whose strength is unknown: never counted in Protection (see
#: :func:`counted`) and never inherited, and so never picked as the better protected mailbox.
UNKNOWN = 0
UNKNOWN_TEXT = "not known, because not every sign-in method is recorded"


def counted(plan: Plan) -> list:
    """The accounts Protection counts: those whose strength is known (:meth:`Plan.strength_unknown`).
    A way in through one whose strength is unknown is not counted either (:func:`_ways`)."""
    return [a for a in plan.accounts if not plan.strength_unknown(a.id)]


_new_tuple = tuple.__new__     # builds a NamedTuple without its Python-level __new__


class AccountProtection(NamedTuple):
    value: int
    text: str           # the weakest way in, in plain words
    through: str | None # the account whose weakness it inherits, if any


def protection_by_account(plan: Plan) -> dict[str, AccountProtection]:
    """Each account's Protection: its weakest way in, following recovery mailboxes and vaults
    (a reset through B is as strong as B). Linear: accounts in order of their own weakest way,
    each spreading its value to the accounts that depend on it and have none weaker."""
    own: dict[str, AccountProtection] = {}
    rev: dict[str, list[str]] = {}
    for a in plan.accounts:
        ways = _ways(plan, a)
        if plan.strength_unknown(a.id):
            own[a.id] = AccountProtection(UNKNOWN, UNKNOWN_TEXT, None)
            continue
        if not a.sign_in:
            ways.append((0, "no sign-in method is recorded", None))
        # the weakest local way in, ties broken by its words: only the weakest ones are worded
        low = None
        for s, _t, th in ways:
            if th is None and (low is None or s < low):
                low = s
        if low is None:
            own[a.id] = AccountProtection(PASSKEY, "a passkey", None)
        else:
            texts = [t for s, t, th in ways if s == low and th is None]
            if len(texts) == 1:                 # the usual case: one weakest way, nothing to compare
                text = texts[0]
                text = text if type(text) is str else text()
            else:
                text = min(t if type(t) is str else t() for t in texts)
            own[a.id] = _new_tuple(AccountProtection, (low, text, None))
        for w in ways:
            if w[2] is not None:
                rev.setdefault(w[2], []).append(a.id)
    final: dict[str, AccountProtection] = {}
    for x in sorted(own, key=lambda i: (own[i].value, i)):
        if x in final:
            continue
        final[x] = own[x]
        stack = [x]
        while stack:
            n = stack.pop()
            for a in sorted(rev.get(n, ())):
                if a in final:
                    continue
                if own[a].value <= own[x].value:
                    continue     # its own weakest way is no stronger; it gets its own turn
                final[a] = AccountProtection(own[x].value, _through_text(plan, a, n, x, own[x]), n)
                stack.append(a)
    return final


def _through_text(plan: Plan, account: str, via: str, origin: str, weak: AccountProtection) -> str:
    a = plan.account(account)
    how = "a reset through the recovery email" if any(
        r.type is RecoveryType.RECOVERY_EMAIL and r.via == via for r in a.recovery) else "the password in"
    chain = "" if via == origin else f" (which itself depends on {plan.name(origin)})"
    return f"{how} {plan.name(via)}{chain}, whose weakest way in is {weak.text}"


@dataclass(frozen=True)
class MeasureValue:
    measure: Measure
    value: int
    raw: float                    # unrounded, for ranking
    explanation: str
    parts: dict

    def as_dict(self) -> dict:
        return {"measure": self.measure.value, "label": self.measure.value.capitalize(), "value": self.value,
                "explanation": self.explanation, "parts": self.parts}


@dataclass(frozen=True)
class Measures:
    protection: MeasureValue
    recoverability: MeasureValue
    accounts: dict                # account id -> AccountProtection

    @property
    def headline(self) -> MeasureValue:
        """The lower of the two (Protection on a tie)."""
        return self.protection if self.protection.raw <= self.recoverability.raw else self.recoverability

    def value(self, m: Measure) -> MeasureValue:
        return self.protection if m is Measure.PROTECTION else self.recoverability


def key_accounts(plan: Plan) -> list:
    """Accounts the tested part of Recoverability looks at (and Protection, among those it counts:
    ``key_accounts_among(counted(plan))``)."""
    return key_accounts_among(plan.accounts)


def key_accounts_among(accounts) -> list:
    """The most important of ``accounts``: the critical ones, else the critical and important, else all."""
    for level in ((Importance.CRITICAL,), (Importance.CRITICAL, Importance.IMPORTANT)):
        found = [a for a in accounts if a.importance in level]
        if found:
            return found
    return list(accounts)


def protection(plan: Plan, per: dict[str, AccountProtection]) -> MeasureValue:
    known = counted(plan)
    keys = key_accounts_among(known)
    weakest = min(keys, key=lambda a: (per[a.id].value, a.id))
    total_w = sum(IMPORTANCE_WEIGHT[a.importance] for a in known)
    mean = sum(IMPORTANCE_WEIGHT[a.importance] * per[a.id].value for a in known) / total_w
    raw = 0.5 * per[weakest.id].value + 0.5 * mean
    w = per[weakest.id]
    if len(known) == 1:
        text = f"The weakest way into {weakest.name} is {w.text}."
    else:
        text = (f"The easiest account to take over is {weakest.name}: {w.text}. Across all your accounts the "
                f"average is {shown(mean)}.")
    if len(known) < len(plan.accounts):
        left = [a.id for a in plan.accounts if plan.strength_unknown(a.id)]
        who = "it signs" if len(left) == 1 else "they sign"
        text += f" Not counted: {plan.names(left, 3)}, since not every way {who} in is recorded."
    return MeasureValue(Measure.PROTECTION, shown(raw), raw, text,
                        {"weakest_account": weakest.id, "weakest": w.value, "average": round(mean, 4)})


CREDIT_BACK_SAME_DAY = 0.75


def shown(raw: float) -> int:
    """The whole number a measure is shown as: halves round up, and float noise (from summing in a
    different order) never flips the figure."""
    return int(raw + 0.5 + 1e-9)


#: Credit is counted in whole twentieths (0.05), so sums are exact and do not depend on their order.
CREDIT_UNITS = 20
_BACK_UNITS = round(CREDIT_BACK_SAME_DAY * CREDIT_UNITS)
_LOCKED_UNITS = 2


_S_IN, _S_BACK, _S_LOCKED_OUT = State.IN, State.BACK, State.LOCKED_OUT


def credit_units(state: State, days: int | None) -> int:
    """What one account in one scenario is worth, in twentieths: monotone in how quickly you get back in."""
    # members bound once (above): called for every outcome of every scenario, and of every what-if
    if state is _S_IN:
        return CREDIT_UNITS
    if state is _S_BACK:
        return _BACK_UNITS - min(days or 0, LOCKOUT_DAYS - 1)
    if state is _S_LOCKED_OUT:
        return _LOCKED_UNITS
    return 0


def credit(state: State, days: int | None) -> float:
    """What one account in one scenario is worth (0 to 1): monotone in how quickly you get back in."""
    return credit_units(state, days) / CREDIT_UNITS


def tested_recently(plan: Plan, date: str | None) -> bool:
    if date is None or date == NEVER:
        return False
    if plan.as_of is None:
        return True
    return (_dt.date.fromisoformat(plan.as_of) - _dt.date.fromisoformat(date)).days <= TESTED_RECENTLY_DAYS


def backup_way(plan: Plan, account) -> bool:
    """Does ``account`` have a way back in that testing could confirm? An account with a second
    step (or a passkey) needs one that does not hang on the same thing: backup codes, a second
    independent passkey, key or app, an app backed up off the phone, a recovery email or contact,
    or a recovery phone on another number. Support and security questions are not one. An
    account without a second step has nothing it can lose but the password, and its own
    recovery is what a test checks; nor does one whose password still gets in alone beside its passkey."""
    if not any(m.type in SECOND_FACTORS or m.type is _PASSKEY for m in account.sign_in):
        return True
    if account.password_alone_gets_in():
        return True    # the passkey is one more way in beside a password that still works alone
    codes = account.backup_codes
    if codes is not None and codes.generated:
        return True
    holders = set()
    numbers = set()
    for m in account.sign_in:
        if m.type in SECOND_FACTORS or m.type is _PASSKEY:
            holders.add(m.on or m.via)
            if m.type is _SMS or m.type is _VOICE:
                numbers.add(m.on)
            if m.type is _TOTP and m.on and plan.has_thing(m.on) and plan.thing(m.on).backup is not None \
                    and plan.thing(m.on).backup.value != "none":
                return True
    if len(holders) > 1:
        return True
    for r in account.recovery:
        if r.type is _R_EMAIL and r.via and not r.dead and r.via != account.id:
            return True
        if r.type is _R_CONTACT:
            return True
        if r.type is _R_PHONE and r.on not in numbers:
            return True
    return False


def tested_scores(plan: Plan, keys) -> list[float]:
    """Per key account: 1 tested recently, 0.5 tested longer ago, 0 never or not recorded, and 0
    when there is no backup way in to test (:func:`backup_way`): testing cannot earn what a
    missing backup would."""
    scores = []
    for a in keys:
        t = a.recovery_tested_on
        if t in (None, NEVER) or not backup_way(plan, a):
            scores.append(0.0)
        else:
            scores.append(1.0 if tested_recently(plan, t) else 0.5)
    return scores


def access(plan: Plan, analysis: Analysis) -> tuple[int, int, list]:
    """(earned, possible, lockouts): importance-weighted credit over today and every scenario, in
    twentieths. Linear in the accounts plus what the scenarios change: an account a scenario does not
    change earns what it earns today."""
    weight = {a.id: IMPORTANCE_WEIGHT[a.importance] for a in plan.accounts}
    base = analysis.baseline.baseline
    base_units: dict = {}
    base_got = 0
    base_total = 0
    base_locked = []
    for a, o in base.items():
        w = weight[a]
        u = w * credit_units(o.state, o.days)
        base_units[a] = u
        base_got += u
        base_total += w
        if o.state in LOCKOUT_STATES:        # o.locked, without the property call
            base_locked.append(a)
    got = 0
    total = 0
    lockouts = []
    for s in (analysis.baseline,) + analysis.scenarios:
        s_got = base_got
        s_total = base_total
        down = s.down
        for a in down:
            if a in base_units:
                s_got -= base_units[a]
                s_total -= weight[a]
        changed = s.changed
        locked = [a for a in base_locked if a not in changed and a not in down]
        for a, o in changed.items():
            if a in down:
                continue
            s_got += weight[a] * credit_units(o.state, o.days) - base_units[a]
            if o.state in LOCKOUT_STATES:
                locked.append(a)
        got += s_got
        total += s_total
        if locked:
            locked.sort()
            for a in locked:
                lockouts.append((s, s.outcome(a)))
    return got, total * CREDIT_UNITS, lockouts


def recoverability(plan: Plan, analysis: Analysis, got: int | None = None, total: int | None = None,
                   lockouts=None) -> MeasureValue:
    if got is None:
        got, total, lockouts = access(plan, analysis)
    acc = got / total if total else 0.0
    habits_on = [getattr(plan.habits, h) is True for h in HABIT_NAMES]
    habits = sum(habits_on) / len(HABIT_NAMES)
    keys = [a for a in key_accounts(plan)]
    scores = tested_scores(plan, keys)
    tested = sum(scores) / len(scores) if scores else 1.0
    raw = 100 * (W_ACCESS * acc + W_HABITS * habits + W_TESTED * tested)
    text = _recoverability_text(plan, lockouts, keys, scores)
    return MeasureValue(Measure.RECOVERABILITY, shown(raw), raw, text,
                        {"access": round(acc, 4), "habits": round(habits, 4), "tested": round(tested, 4)})


def _recoverability_text(plan: Plan, lockouts: list, keys, scores) -> str:
    if lockouts:
        weight = lambda so: (-IMPORTANCE_WEIGHT[plan.account(so[1].account).importance],  # noqa: E731
                             0 if so[1].state is State.NO_WAY_BACK else 1, -(so[1].days or 0),
                             so[0].row.id != "baseline", so[1].account)
        s, o = min(lockouts, key=weight)
        name = plan.account(o.account).name
        if o.state is State.NO_WAY_BACK:
            what = f"you are locked out of {name} with no way back"
        else:
            what = f"you are locked out of {name} for about {o.days} days, until {o.route.until}"
        lead = "Today" if s.row.id == "baseline" else f"If you {s.row.short}"
        more = len(lockouts) - 1
        tail = f" That is 1 of {len(lockouts)} lockouts in the loss table." if more else ""
        return f"{lead}, {what}.{tail}"
    if all(x == 1.0 for x in scores):
        return (f"Every loss leaves a way back within a week, and recovery was tested in the last "
                f"{TESTED_RECENTLY_MONTHS} months.")
    return "Every loss leaves a way back within a week; testing your backup way in would confirm it works."


def compute(plan: Plan, analysis: Analysis) -> Measures:
    per = protection_by_account(plan)
    return Measures(protection(plan, per), recoverability(plan, analysis), per)


def assumptions(plan: Plan, analysis: Analysis) -> list[dict]:
    """What the measures assumed because the plan does not say. Grouped, never silent."""
    out: list[dict] = []

    def names(ids) -> str:
        return plan.names(ids, 3)

    def verb(ids, one: str, many: str) -> str:
        return one if len(ids) == 1 else many

    things = plan._things
    replacement_sim = Route.REPLACEMENT_SIM
    sim = sorted({o.via for s in analysis.scenarios for o in s.changed.values()
                  if o.route is replacement_sim and o.via and o.via in things and not things[o.via].carrier})
    if sim:
        out.append({"about": "carrier", "ids": sim,
                    "text": f"No carrier account is recorded for {names(sim)}, so a replacement SIM is assumed "
                            f"within a day."})
    # The accounts' facts in one pass (thousands of accounts, each read once instead of five times)
    codes: list = []
    numbers: set = set()
    push: set = set()
    pw: set = set()
    for a in plan.accounts:
        ways = False
        for m in a.sign_in:
            t = m.type
            if t in SECOND_FACTORS:
                ways = True
                if t is _SMS or t is _VOICE:
                    numbers.add(m.on)
                elif t is _PUSH and m.number_matching is None:
                    push.add(a.id)
            elif t is _PASSKEY:
                ways = True
            elif t is _PASSWORD and m.reused is None:
                pw.add(a.id)
        if ways and a.backup_codes is None and not a.password_alone_gets_in():
            codes.append(a.id)
        for r in a.recovery:
            if r.type is _R_PHONE:
                numbers.add(r.on)
    if codes:
        out.append({"about": "backup_codes", "ids": codes,
                    "text": f"Backup codes are not recorded for {names(codes)}, so none are counted as a way back."})
    app = ThingType.AUTHENTICATOR_APP
    apps = [t.id for t in plan.things if t.type is app and t.backup is None]
    if apps:
        out.append({"about": "app_backup", "ids": apps,
                    "text": f"Whether {names(apps)} {verb(apps, 'is', 'are')} backed up is not recorded, so no backup "
                            f"is counted."})
    locks = [n for n in sorted(numbers) if things[n].port_out_lock is None]
    if locks:
        out.append({"about": "port_out_lock", "ids": locks,
                    "text": f"Whether {names(locks)} {verb(locks, 'has', 'have')} a carrier PIN or port-out lock is "
                            f"not recorded; Protection counts {verb(locks, 'it', 'them')} as having none."})
    push = sorted(push)
    if push:
        out.append({"about": "number_matching", "ids": push,
                    "text": f"Whether push prompts for {names(push)} use number matching is not recorded; "
                            f"Protection counts them as plain prompts."})
    pw = sorted(pw)
    if pw:
        out.append({"about": "reused", "ids": pw,
                    "text": f"The {verb(pw, 'password', 'passwords')} of {names(pw)} {verb(pw, 'is', 'are')} not "
                            f"recorded as reused, so {verb(pw, 'it', 'each')} is counted as used only there."})
    habits = [h for h in HABIT_NAMES if getattr(plan.habits, h) is None]
    if habits:
        out.append({"about": "habits", "ids": habits,
                    "text": "Not recorded, so counted as not in place in Recoverability: "
                            + ", ".join(HABIT_WORDS[h] for h in habits) + "."})
    untested = [a.id for a in key_accounts(plan) if a.recovery_tested_on is None]
    if untested:
        out.append({"about": "recovery_tested_on", "ids": untested,
                    "text": f"When recovery was last tested is not recorded for {names(untested)}, so it counts "
                            f"as not tested."})
    return out


