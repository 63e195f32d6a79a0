"""The quick check: plain-language questions about one main account and the phone behind it.

:data:`QUESTIONS` is data (ids, text, help, options) so the page form and the terminal
prompt are rendered from it. No question has a pre-selected answer, and "Not sure" is an
explicit answer: a question left unanswered or answered "Not sure" is *skipped*. A skipped
question is never read as "no": the plan leaves the fact out (``None``), the rules that
would need it give a readiness tip instead of an action, the result lists the question
under ``skipped`` and says what it assumed. :func:`plan_from_answers` maps answers onto an
ordinary plan (format version 2), which is then evaluated like any other.

The answers document (``quick_json`` input, ``QUESTIONS_VERSION`` 1)::

    {"version": 1, "as_of"?: "2026-11-29",
     "answers": {"main_account": "email" | {"service": "github.com", "kind"?: "other", "name"?: "GitHub"},
                 "second_step": "sms", ...}}                 # a value per question, or null / left out

The first question (``"accepts_service": true`` in ``questions_json()``) takes one of its option
values, as before, or the service the person picked: ``service`` is a domain of the service
catalogue (main or additional; the plan records the main one); ``kind`` (an account kind, as the
picker pre-filled it and the person kept or changed it) and ``name`` are optional and default to
the catalogue's (``catalogue.account_kind``, the service's name), or to "other" and the domain for
a service the catalogue passed in does not list.
"""
from __future__ import annotations

import copy
import datetime as _dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from .model import FORMAT_VERSION, NEVER, TESTED_RECENTLY_MONTHS, AccountKind
from .parse import _SURROGATE, DATE_RE, DOMAIN_RE, Problem, _jtype, _real_date, domain_key, show

ROOT = "(answers)"
QUESTIONS_VERSION = 1     # the shape of questions_json() and of the answers file
UNSURE = "unsure"
SUPPORT_DAYS = 14         # the provider's support process, when the person does not say


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    options: tuple[Choice, ...]
    unknown_rules: tuple[str, ...] = ()    # rules that need this fact: a tip, not an action, when skipped
    accepts_service: bool = False          # may be answered with a service of the catalogue (main_account)

    @property
    def default(self) -> None:
        return None    # never pre-selected

    def as_dict(self) -> dict:
        out = {"id": self.id, "text": self.text, "help": self.help,
               "options": [{"value": c.value, "label": c.label} for c in self.options], "default": None}
        if self.accepts_service:
            out["accepts_service"] = True
        return out


NOT_SURE = ("unsure", "Not sure")


def _q(qid, text, help_, *options, unknown=(), unsure=True, service=False) -> Question:
    opts = options + ((NOT_SURE,) if unsure else ())
    return Question(qid, text, help_, tuple(Choice(v, lbl) for v, lbl in opts), tuple(unknown), service)


QUESTIONS: tuple[Question, ...] = (
    _q("main_account", "Which account would hurt most to lose?",
       "Answer the rest of the questions about this one account.",
       ("email", "My main email"), ("google", "My Google account"), ("apple", "My Apple Account"),
       ("microsoft", "My Microsoft account"), ("bank", "My bank"), ("work", "My work account"),
       ("social", "A social media account"), ("password_manager", "My password manager"), unsure=False,
       service=True),
    _q("password", "Where is its password kept?",
       "A password manager is an app such as Bitwarden, 1Password or the one built into your phone.",
       ("password_manager", "In a password manager"), ("memorised", "I remember it, and use it only there"),
       ("reused", "I use the same or a similar password elsewhere too"),
       ("passkey_only", "I use a passkey instead of a password"),
       unknown=("reused-password-critical", "no-2fa-offered")),
    _q("second_step", "What do you use as the second step when you sign in?",
       "The thing you do after typing the password. Pick the one you use most.",
       ("none", "Nothing, just the password"), ("sms", "A code sent by text message"),
       ("app", "A code from an authenticator app"), ("push", "A prompt on my phone that I approve"),
       ("push_matching", "A prompt where I type the number shown on screen"),
       ("key", "A security key (USB or NFC)"), ("passkey", "A passkey on my phone"),
       unknown=("critical-password-only", "no-second-factor", "not-phishing-resistant", "sms-on-critical",
                "stronger-method-available", "passkey-available", "no-2fa-offered", "method-not-listed",
                "passkey-instead-of-password")),
    _q("app_backup", "If you use an authenticator app, are its codes backed up?",
       "Many authenticator apps can back up to the cloud or export to another device.",
       ("not_used", "I don't use an authenticator app"), ("none", "No, they are only on my phone"),
       ("cloud", "Yes, backed up to the cloud"), ("export", "Yes, exported or copied to a second device"),
       unknown=("totp-single-phone",)),
    _q("extra_method", "Is a second sign-in method set up as well?",
       "Another way to do the second step, kept separately from your phone.",
       ("none", "No"), ("second_key", "A second security key, kept at home"),
       ("laptop_passkey", "A passkey on my laptop"), ("app", "An authenticator app as well"),
       unknown=("single-security-key", "single-factor-no-codes", "totp-single-phone")),
    _q("backup_codes", "Where are this account's backup codes?",
       "Backup (recovery) codes are the one-time codes a service shows when you turn on two-step sign-in.",
       ("none", "I never saved any"), ("unknown", "I saved them but don't know where"),
       ("paper", "Printed or written down, at home"), ("safe", "In a safe or lockbox"),
       ("trusted_person", "With someone I trust"), ("password_manager", "In my password manager"),
       ("phone_file", "In a file or photo on my phone"),
       unknown=("codes-not-saved", "single-factor-no-codes", "too-few-recovery-addresses")),
    _q("recovery_email", "Does the account have a recovery email address?",
       "The address a service writes to when you cannot sign in.",
       ("none", "No"), ("separate", "Yes, another account I can get into on its own"),
       ("circular", "Yes, but that account recovers through this one"),
       ("work", "Yes, a work or school address"), ("dead", "Yes, but that address no longer works"),
       unknown=("too-few-recovery-addresses",)),
    _q("recovery_phone", "Does it have a recovery phone number?",
       "The number a service texts or calls when you cannot sign in.",
       ("none", "No"), ("own", "Yes, my mobile number"),
       ("someone_else", "Yes, someone else's number (family or a partner)"),
       unknown=("too-few-recovery-addresses", "weak-fallback")),
    _q("number_kind", "What kind of mobile number do you have?",
       "Prepaid and travel numbers can be reassigned when unused; a work number goes when you leave.",
       ("mine", "A contract or long-term number in my name"), ("prepaid", "Prepaid (pay as you go)"),
       ("travel", "A travel or temporary SIM"), ("work", "A work number")),
    _q("port_lock", "Does your mobile account have a PIN or number-transfer (port-out) lock?",
       "Carriers can add a PIN so nobody can move your number to another SIM without it.",
       ("yes", "Yes"), ("no", "No")),
    _q("sim_pin", "Does your SIM card ask for a PIN when the phone restarts?",
       "A SIM PIN stops a thief from putting your SIM in another phone to receive your codes.",
       ("yes", "Yes"), ("no", "No")),
    _q("voicemail_pin", "Is your voicemail protected by a PIN?",
       "Some services read codes out by phone call, and unanswered calls go to voicemail.",
       ("yes", "Yes"), ("no", "No")),
    _q("screen_lock", "Does your phone lock with a PIN, pattern, fingerprint or face?",
       "Whoever picks up an unlocked phone gets its passkeys, app codes and messages.",
       ("yes", "Yes"), ("no", "No")),
    _q("recovery_contact", "Have you set up a recovery contact for it?",
       "A trusted person who can receive a recovery code for you (offered by Apple, Facebook and others).",
       ("yes", "Yes"), ("no", "No"), unknown=("no-recovery-contact", "too-few-recovery-addresses")),
    _q("support", "Do you know the provider's official recovery page and how long it takes?",
       "Fake recovery services advertise in search results; the official page is the only safe one.",
       ("recorded", "Yes, I saved the official link and know the wait"), ("no", "No")),
    _q("tested", "When did you last check that your backup way in still works?",
       "For example: signing in once with a backup code or your second key.",
       ("never", "Never"), ("recently", f"Within the last {TESTED_RECENTLY_MONTHS} months"),
       ("longer", f"More than {TESTED_RECENTLY_MONTHS} months ago")),
    _q("playbook", "If your phone disappeared today, do you have written steps for what to do?",
       "A short list: which accounts to secure first and which routes to use.",
       ("yes", "Yes"), ("no", "No")),
)
QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}

KIND_NAMES = {"email": "Main email", "google": "Google account", "apple": "Apple Account",
              "microsoft": "Microsoft account", "bank": "Bank", "work": "Work account",
              "social": "Social media", "password_manager": "Password manager"}
MAILBOXES = ("email", "google", "microsoft", "apple", "work")


def read_answers(data: Any, check_text: bool = True) -> tuple[dict | None, str | None, tuple[Problem, ...]]:
    """Validate ``{"version": 1, "as_of"?, "answers": {...}}``. Questions left out are skipped."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, None, (Problem(ROOT, f"expected an object, got {_jtype(data)}"),)
    for k in data:
        if k not in ("version", "as_of", "answers"):
            hint = difflib.get_close_matches(str(k), ["version", "as_of", "answers"], n=1)
            problems.append(Problem(show(k), f'unknown key "{show(k)}"' + (
                f'; did you mean "{hint[0]}"?' if hint else "; allowed keys: version, as_of, answers")))
    if "version" not in data:
        problems.append(Problem(ROOT, f'missing required key "version" (use {QUESTIONS_VERSION})'))
    elif data["version"] != QUESTIONS_VERSION or isinstance(data["version"], bool):
        problems.append(Problem("version", f"unsupported version {show(repr(data['version']))}; this engine reads "
                                           f"answers version {QUESTIONS_VERSION}".replace("'", '"')))
    as_of = data.get("as_of")
    if as_of is not None and not (isinstance(as_of, str) and DATE_RE.match(as_of) and _real_date(as_of)):
        problems.append(Problem("as_of", f"expected a date written YYYY-MM-DD, got {show(repr(as_of))}"
                                .replace("'", '"')))
        as_of = None
    raw = data.get("answers", {})
    answers: dict[str, str] = {}
    if not isinstance(raw, dict):
        problems.append(Problem("answers", f"expected an object, got {_jtype(raw)}"))
        raw = {}
    for qid, value in raw.items():
        path = f"answers.{show(qid)}"
        q = QUESTIONS_BY_ID.get(qid)
        if q is None:
            hint = difflib.get_close_matches(str(qid), list(QUESTIONS_BY_ID), n=1)
            problems.append(Problem(path, f'unknown question "{show(qid)}"' + (f'; did you mean "{hint[0]}"?' if hint
                                                                               else "")))
            continue
        if value is None:
            continue    # explicitly unanswered
        if q.accepts_service and isinstance(value, dict):
            picked = _service_answer(value, path, problems, check_text)
            if picked is not None:
                answers[qid] = picked
            continue
        values = [c.value for c in q.options]
        if value not in values:
            hint = difflib.get_close_matches(str(value), values, n=1) if isinstance(value, str) else []
            shown = f'"{show(value)}"' if isinstance(value, str) else _jtype(value) if isinstance(
                value, (dict, list)) else show(repr(value))
            problems.append(Problem(path, f"{shown} is not an answer to this question"
                                    + (f'; did you mean "{hint[0]}"?' if hint else f'; choose one of: {", ".join(values)}')))
            continue
        answers[qid] = value
    if problems:
        return None, None, tuple(problems)
    return answers, as_of, ()


SERVICE_ANSWER_KEYS = ("service", "kind", "name")


def _service_answer(value: dict, path: str, problems: list, check_text: bool) -> dict | None:
    """``{"service": domain, "kind"?, "name"?}``, checked; problems get the field paths."""
    n = len(problems)
    for k in value:
        if k not in SERVICE_ANSWER_KEYS:
            hint = difflib.get_close_matches(str(k), SERVICE_ANSWER_KEYS, n=1)
            problems.append(Problem(f"{path}.{show(k)}", f'unknown key "{show(k)}"' + (
                f'; did you mean "{hint[0]}"?' if hint else f'; allowed keys: {", ".join(SERVICE_ANSWER_KEYS)}')))
    out: dict = {}
    service = value.get("service")
    if "service" not in value:
        problems.append(Problem(path, 'missing required key "service" (the domain of the service picked, such '
                                      'as "github.com")'))
    elif not isinstance(service, str):
        problems.append(Problem(f"{path}.service", f"expected a string, got {_jtype(service)}"))
    elif not DOMAIN_RE.match(service):
        fixed = domain_key(service)
        problems.append(Problem(f"{path}.service", f'"{show(service)}" is not written as a domain; write "{fixed}"'
                                if fixed else f'"{show(service)}" is not a domain; write the service\'s web '
                                              f'address, like "github.com"'))
    else:
        out["service"] = service
    kinds = [k.value for k in AccountKind]
    if "kind" in value:
        kind = value["kind"]
        if isinstance(kind, str) and kind in kinds:
            out["kind"] = kind
        else:
            hint = difflib.get_close_matches(kind, kinds, n=1) if isinstance(kind, str) else []
            shown = f'"{show(kind)}"' if isinstance(kind, str) else _jtype(kind)
            problems.append(Problem(f"{path}.kind", f"{shown} is not an account kind" + (
                f'; did you mean "{hint[0]}"?' if hint else f'; choose one of: {", ".join(kinds)}')))
    if "name" in value:
        name = value["name"]
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(f"{path}.name", "expected the account's name (a non-empty string)" if
                                    isinstance(name, str) else f"expected a string, got {_jtype(name)}"))
        elif check_text and _SURROGATE.search(name):
            problems.append(Problem(f"{path}.name", "contains a character that is not valid text (a lone "
                                                    "surrogate); retype it"))
        else:
            out["name"] = name
    return out if len(problems) == n else None


@dataclass(frozen=True)
class QuickPlan:
    plan: dict                                  # plan JSON, format version 2
    skipped: tuple[dict, ...]                   # {"question", "text", "answer": "not answered" | "not sure"}
    unknown_rules: frozenset = field(default_factory=frozenset)
    assumptions: tuple[dict, ...] = ()
    # (measure, note): what a measure's explanation adds when it rests on a skipped question, so a
    # figure worked out from an assumption never reads as a judgement of the setup
    caveats: tuple[tuple[str, str], ...] = ()


def _years_before(as_of: str, years: int) -> str:
    d = _dt.date.fromisoformat(as_of)
    try:
        return d.replace(year=d.year - years).isoformat()
    except ValueError:   # 29 February
        return d.replace(year=d.year - years, day=28).isoformat()


def plan_from_answers(answers: dict, as_of: str | None, catalogue=None) -> QuickPlan:
    """Build a plan (JSON, version 2) from validated answers; skipped questions leave facts out.
    ``catalogue``: the service catalogue entries passed in (a main account answered with a service
    takes its kind and name from there)."""
    given = {k: v for k, v in answers.items() if v != UNSURE}
    a = given.get
    uses_app = "app" in (given.get("second_step"), given.get("extra_method"))
    skipped = tuple({"question": q.id, "text": q.text,
                     "answer": "not sure" if answers.get(q.id) == UNSURE else "not answered"}
                    for q in QUESTIONS if q.id not in given and (q.id != "app_backup" or uses_app))
    unknown = {r for q in QUESTIONS if q.id not in given for r in q.unknown_rules}
    if a("second_step") == "sms":
        # a text-message fallback beside a passkey or key is a given fact, whatever the recovery phone
        unknown.discard("weak-fallback")
    said: list[dict] = []

    def yes_no(qid):
        v = a(qid)
        return None if v is None else v == "yes"

    phone: dict = {"id": "phone", "type": "phone", "label": "your phone", "location": "carried"}
    if yes_no("screen_lock") is not None:
        phone["screen_lock"] = yes_no("screen_lock")
    mobile: dict = {"id": "mobile", "type": "phone_number", "label": "your mobile number", "on": "phone"}
    for key, qid in (("port_out_lock", "port_lock"), ("sim_pin", "sim_pin"), ("voicemail_pin", "voicemail_pin")):
        if yes_no(qid) is not None:
            mobile[key] = yes_no(qid)
    if a("number_kind"):
        mobile["kind"] = a("number_kind")
    things: list[dict] = [phone, mobile]
    accounts: list[dict] = []
    picked = a("main_account")
    service = None
    if isinstance(picked, dict):
        svc = catalogue.get(picked["service"]) if catalogue is not None else None
        service = svc.domain if svc is not None else picked["service"]
        kind = picked.get("kind") or (svc.kind if svc is not None else "other")
        name = picked.get("name") or (svc.name if svc is not None else service)
    else:
        kind = picked or "email"
        name = KIND_NAMES[kind]
    if "main_account" not in given:
        said.append({"about": "main_account", "ids": ["main"],
                     "text": "Which account matters most was not answered, so the answers are read as being about "
                             "your main email."})
    main: dict = {"id": "main", "name": name, "kind": kind, **({"service": service} if service else {}),
                  "importance": "critical", "sign_in": [], "recovery": []}
    pw = a("password")
    uses_vault = pw == "password_manager" and kind != "password_manager"
    has_vault = kind != "password_manager" and (uses_vault or a("backup_codes") == "password_manager")
    if pw != "passkey_only":
        m: dict = {"type": "password"}
        if uses_vault:
            m["via"] = "vault"
        if pw in ("memorised", "password_manager"):
            m["reused"] = False
        elif pw == "reused":
            m["reused"] = True
        main["sign_in"].append(m)

    def need_app():
        if not any(t["id"] == "authapp" for t in things):
            app = {"id": "authapp", "type": "authenticator_app", "label": "your authenticator app", "on": "phone"}
            backup = {"none": "none", "cloud": "cloud", "export": "export"}.get(a("app_backup") or "")
            if backup:
                app["backup"] = backup
            things.append(app)

    def need_key(kid, label, location):
        things.append({"id": kid, "type": "security_key", "label": label, "location": location})

    step = a("second_step")
    if step == "sms":
        main["sign_in"].append({"type": "sms", "on": "mobile"})
    elif step == "app":
        need_app()
        main["sign_in"].append({"type": "totp", "on": "authapp"})
    elif step in ("push", "push_matching"):
        main["sign_in"].append({"type": "push", "on": "phone", "number_matching": step == "push_matching"})
    elif step == "key":
        need_key("key", "your security key", "carried")
        main["sign_in"].append({"type": "security_key", "on": "key"})
    elif step == "passkey":
        main["sign_in"].append({"type": "passkey", "on": "phone"})
    extra = a("extra_method")
    if extra == "second_key":
        need_key("key2", "your security key at home", "home")
        main["sign_in"].append({"type": "security_key", "on": "key2"})
    elif extra == "laptop_passkey":
        things.append({"id": "laptop", "type": "device", "label": "your laptop", "location": "home"})
        main["sign_in"].append({"type": "passkey", "on": "laptop"})
    elif extra == "app" and step != "app":
        need_app()
        main["sign_in"].append({"type": "totp", "on": "authapp"})
    caveats: list[tuple[str, str]] = []
    if step is None:   # the extra method, if any, is then the only second step counted
        extra_counted = any(m["type"] != "password" for m in main["sign_in"])
        counted = "only the other sign-in method you named" if extra_counted else "the password as the only step"
        said.append({"about": "second_step", "ids": ["main"],
                     "text": "The second step was not answered, so " + (
                         "only the other sign-in method you named is counted" if extra_counted else
                         "the account is checked as if the password were the only step")
                     + "; no advice is given about the second step."})
        caveats.append(("protection", f"The second-step question was skipped, so this counts {counted}."))
    if not main["sign_in"]:
        main["sign_in"].append({"type": "password"})
    codes = a("backup_codes")
    store = {"paper": {"kind": "paper", "label": "your printed codes", "location": "home"},
             "safe": {"kind": "safe", "label": "your safe", "location": "home"},
             "trusted_person": {"kind": "trusted_person", "label": "someone you trust", "location": "elsewhere"},
             "password_manager": {"kind": "password_manager", "label": "a note in your password manager", "via": "vault"},
             "phone_file": {"kind": "device_file", "label": "a file on your phone", "on": "phone"}}.get(codes or "")
    if codes == "password_manager" and not has_vault:
        store = {"kind": "password_manager", "label": "a note in your password manager", "via": "main"}
    if store is not None:
        things.append({"id": "codes", "type": "code_store", **store})
        main["backup_codes"] = {"generated": True, "stored_in": ["codes"], "used": 0}
    elif codes == "unknown":
        main["backup_codes"] = {"generated": True, "stored_in": [], "used": 0}
    elif codes == "none":
        main["backup_codes"] = {"generated": False}

    rec = a("recovery_email")
    if rec in ("separate", "circular", "work"):
        if rec == "work":
            other = {"id": "other-email", "name": "Work or school email", "kind": "work", "importance": "normal",
                     "sign_in": [{"type": "password"}]}
        elif rec == "separate" or kind not in MAILBOXES:
            other = {"id": "other-email", "name": "Recovery email", "kind": "email", "importance": "normal",
                     "sign_in": [{"type": "password"}]}
        else:
            # it recovers through the main account, and its own sign-in hangs on the phone number
            other = {"id": "other-email", "name": "Recovery email", "kind": "email", "importance": "normal",
                     "sign_in": [{"type": "password"}, {"type": "sms", "on": "mobile"}],
                     "recovery": [{"type": "recovery_email", "via": "main"}]}
        # the quick check does not ask how it signs in: its strength is unknown, not assumed weak
        other["sign_in_unknown"] = True
        accounts.append(other)
        main["recovery"].append({"type": "recovery_email", "via": "other-email"})
        # what its sign-in lacks already waits on sign_in_unknown (rules.Rule.lacks); these facts were not asked either
        unknown |= {f"{r}@other-email" for r in ("sms-on-critical", "reused-password-critical", "codes-not-saved")}
        said.append({"about": "recovery_email", "ids": ["other-email"],
                     "text": f"The quick check does not ask how {other['name']} signs in, so Protection leaves "
                             f"out a reset through it; losses are simulated as if it had "
                             f"{'a password and a text-message code' if len(other['sign_in']) > 1 else 'a password'}"
                             f" only. Describe it in the full inventory for a closer look."})
    elif rec == "dead":
        main["recovery"].append({"type": "recovery_email", "dead": True})
    rp = a("recovery_phone")
    if rp == "own":
        main["recovery"].append({"type": "recovery_phone", "on": "mobile"})
    elif rp == "someone_else":
        things.append({"id": "their-number", "type": "phone_number", "label": "someone else's number",
                       "kind": "someone_else"})
        main["recovery"].append({"type": "recovery_phone", "on": "their-number"})
    if a("recovery_contact") == "yes":
        things.append({"id": "contact", "type": "recovery_contact", "label": "your recovery contact"})
        main["recovery"].append({"type": "recovery_contact", "on": "contact"})
    support: dict = {"type": "support", "wait_days": SUPPORT_DAYS}
    if a("support"):
        support["official_url_recorded"] = a("support") == "recorded"
    main["recovery"].append(support)
    said.append({"about": "support", "ids": ["main"],
                 "text": f"The provider's own support process is assumed to take about {SUPPORT_DAYS} days."})
    tested = a("tested")
    if tested == "never":
        main["recovery_tested_on"] = NEVER
    elif tested == "recently" and as_of:
        main["recovery_tested_on"] = as_of
    elif tested == "longer" and as_of:
        main["recovery_tested_on"] = _years_before(as_of, 1)
    if has_vault:
        # The password manager is modelled like the main account (same second steps and routes),
        # since the quick check asks about one account only; where its own codes are is unknown.
        vault = copy.deepcopy(main)
        vault.update(id="vault", name="Password manager", kind="password_manager")
        vault.pop("service", None)
        vault["sign_in"] = [{"type": "password"}] + [m for m in vault["sign_in"] if m["type"] != "password"]
        vault["recovery"] = [r for r in vault["recovery"] if r.get("via") != "vault"]
        vault.pop("backup_codes", None)
        vault.pop("recovery_tested_on", None)
        accounts.append(vault)
        said.append({"about": "vault", "ids": ["vault"],
                     "text": f"Your password manager is checked with the same second step as {main['name']} (the "
                             f"quick check asks about one account)."})
        unknown |= {f"{r}@vault" for r in ("critical-password-only", "reused-password-critical", "codes-not-saved")}
    accounts.insert(0, main)
    plan: dict = {"version": FORMAT_VERSION}
    if as_of:
        plan["as_of"] = as_of
    habits = {}
    if yes_no("playbook") is not None:
        habits["lost_device_playbook"] = yes_no("playbook")
    plan["habits"] = habits
    plan["things"] = things
    plan["accounts"] = accounts
    return QuickPlan(plan, skipped, frozenset(unknown), tuple(said), tuple(caveats))
