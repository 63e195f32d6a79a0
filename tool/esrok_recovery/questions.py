"""The quick check: about ten plain-language questions about one main account.

:data:`QUESTIONS` is data (ids, text, help, options, default) so the page form and
the terminal prompt are rendered from it. :func:`plan_from_answers` maps answers
onto an ordinary plan, which is then evaluated like any other.
"""
from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from typing import Any

from .model import FORMAT_VERSION
from .parse import DATE_RE, Problem, _jtype

ROOT = "(answers)"


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
    default: str

    def as_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "help": self.help,
                "options": [{"value": c.value, "label": c.label} for c in self.options],
                "default": self.default}


def _q(qid, text, help_, default, *options) -> Question:
    return Question(qid, text, help_, tuple(Choice(v, lbl) for v, lbl in options), default)


QUESTIONS: tuple[Question, ...] = (
    _q("main_account", "Which account would hurt most to lose?",
       "Answer the rest of the questions about this one account.", "email",
       ("email", "My main email"), ("google", "My Google account"), ("apple", "My Apple Account"),
       ("microsoft", "My Microsoft account"), ("bank", "My bank"), ("work", "My work account"),
       ("social", "A social media account"), ("password_manager", "My password manager")),
    _q("password", "Where is its password kept?",
       "A password manager is an app such as Bitwarden, 1Password or the one built into your phone.",
       "password_manager",
       ("password_manager", "In a password manager"), ("memorised", "I remember it"),
       ("passkey_only", "I use a passkey instead of a password")),
    _q("second_step", "What do you use as the second step when you sign in?",
       "The thing you do after typing the password. Pick the one you use most.", "sms",
       ("none", "Nothing, just the password"), ("sms", "A code sent by text message"),
       ("app", "A code from an authenticator app"), ("push", "A prompt on my phone that I approve"),
       ("key", "A security key (USB or NFC)"), ("passkey", "A passkey on my phone")),
    _q("app_backup", "If you use an authenticator app, are its codes backed up?",
       "Many authenticator apps can back up to the cloud or export to another device.", "not_used",
       ("not_used", "I don't use an authenticator app"), ("none", "No, they are only on my phone"),
       ("cloud", "Yes, backed up to the cloud"), ("export", "Yes, exported or copied to a second device")),
    _q("extra_method", "Is a second sign-in method set up as well?",
       "Another way to do the second step, kept separately from your phone.", "none",
       ("none", "No"), ("second_key", "A second security key, kept at home"),
       ("laptop_passkey", "A passkey on my laptop"), ("app", "An authenticator app as well")),
    _q("backup_codes", "Where are this account's backup codes?",
       "Backup (recovery) codes are the one-time codes a service shows when you turn on two-step sign-in.",
       "none",
       ("none", "I never saved any"), ("unknown", "I saved them but don't know where"),
       ("paper", "Printed or written down, at home"), ("safe", "In a safe or lockbox"),
       ("trusted_person", "With someone I trust"), ("password_manager", "In my password manager"),
       ("phone_file", "In a file or photo on my phone")),
    _q("recovery_email", "Does the account have a recovery email address?",
       "The address a service writes to when you cannot sign in.", "none",
       ("none", "No"), ("separate", "Yes, another account I can get into on its own"),
       ("circular", "Yes, but that account recovers through this one"),
       ("dead", "Yes, but that address no longer works")),
    _q("recovery_phone", "Does it have a recovery phone number?",
       "The number a service texts or calls when you cannot sign in.", "own",
       ("none", "No"), ("own", "Yes, my mobile number")),
    _q("port_lock", "Does your mobile account have a PIN or number-transfer (port-out) lock?",
       "Carriers can add a PIN so nobody can move your number to another SIM without it.", "unsure",
       ("yes", "Yes"), ("no", "No"), ("unsure", "I'm not sure")),
    _q("recovery_contact", "Have you set up a recovery contact for it?",
       "A trusted person who can receive a recovery code for you (offered by Apple, Facebook and others).",
       "no", ("yes", "Yes"), ("no", "No")),
    _q("support", "Do you know the provider's official recovery page and how long it takes?",
       "Fake recovery services advertise in search results; the official page is the only safe one.", "no",
       ("recorded", "Yes, I saved the official link and know the wait"), ("no", "No")),
    _q("tested", "When did you last check that your backup way in still works?",
       "For example: signing in once with a backup code or your second key.", "never",
       ("never", "Never"), ("this_year", "Within the last year"), ("longer", "More than a year ago")),
    _q("playbook", "If your phone disappeared today, do you have written steps for what to do?",
       "A short list: which accounts to secure first and which routes to use.", "no",
       ("yes", "Yes"), ("no", "No")),
)
QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}

KIND_NAMES = {"email": "Main email", "google": "Google account", "apple": "Apple Account",
              "microsoft": "Microsoft account", "bank": "Bank", "work": "Work account",
              "social": "Social media", "password_manager": "Password manager"}


def read_answers(data: Any) -> tuple[dict | None, str | None, tuple[Problem, ...]]:
    """Validate ``{"version": 1, "as_of"?, "answers": {...}}``; unanswered questions take the default."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, None, (Problem(ROOT, f"expected an object, got {_jtype(data)}"),)
    for k in data:
        if k not in ("version", "as_of", "answers"):
            hint = difflib.get_close_matches(str(k), ["version", "as_of", "answers"], n=1)
            problems.append(Problem(str(k), f'unknown key "{k}"' + (f'; did you mean "{hint[0]}"?' if hint else
                                                                     "; allowed keys: version, as_of, answers")))
    if "version" not in data:
        problems.append(Problem(ROOT, f'missing required key "version" (use {FORMAT_VERSION})'))
    elif data["version"] != FORMAT_VERSION or isinstance(data["version"], bool):
        problems.append(Problem("version", f"unsupported version {data['version']!r}; this engine reads version "
                                           f"{FORMAT_VERSION}".replace("'", '"')))
    as_of = data.get("as_of")
    if as_of is not None and (not isinstance(as_of, str) or not DATE_RE.match(as_of)):
        problems.append(Problem("as_of", f"expected a date written YYYY-MM-DD, got {as_of!r}".replace("'", '"')))
        as_of = None
    raw = data.get("answers", {})
    answers = {q.id: q.default for q in QUESTIONS}
    if not isinstance(raw, dict):
        problems.append(Problem("answers", f"expected an object, got {_jtype(raw)}"))
        raw = {}
    for qid, value in raw.items():
        path = f"answers.{qid}"
        q = QUESTIONS_BY_ID.get(qid)
        if q is None:
            hint = difflib.get_close_matches(str(qid), list(QUESTIONS_BY_ID), n=1)
            problems.append(Problem(path, f'unknown question "{qid}"' + (f'; did you mean "{hint[0]}"?' if hint
                                                                         else "")))
            continue
        values = [c.value for c in q.options]
        if value not in values:
            hint = difflib.get_close_matches(str(value), values, n=1) if isinstance(value, str) else []
            problems.append(Problem(path, f'{value!r} is not an answer to this question'.replace("'", '"')
                                    + (f'; did you mean "{hint[0]}"?' if hint
                                       else f'; choose one of: {", ".join(values)}')))
            continue
        answers[qid] = value
    if problems:
        return None, None, tuple(problems)
    return answers, as_of, ()


def plan_from_answers(answers: dict, as_of: str | None) -> dict:
    """Build plan JSON (a dict in the version-1 format) from validated answers."""
    a = answers
    things: list[dict] = [
        {"id": "phone", "type": "phone", "label": "Your phone", "location": "carried"},
        {"id": "mobile", "type": "phone_number", "label": "Your mobile number", "on": "phone",
         "port_out_lock": a["port_lock"] == "yes"},
    ]
    accounts: list[dict] = []
    kind = a["main_account"]
    main = {"id": "main", "name": KIND_NAMES[kind], "kind": kind, "importance": "critical",
            "sign_in": [], "recovery": [], "alerts": True}
    uses_vault = a["password"] == "password_manager" and kind != "password_manager"
    # a separate password-manager account exists when the password or the codes live in one
    has_vault = kind != "password_manager" and (uses_vault or a["backup_codes"] == "password_manager")
    if a["password"] != "passkey_only":
        main["sign_in"].append({"type": "password", "via": "vault"} if uses_vault else {"type": "password"})

    def need_app():
        if not any(t["id"] == "authapp" for t in things):
            backup = {"not_used": "none", "none": "none", "cloud": "cloud", "export": "export"}[a["app_backup"]]
            things.append({"id": "authapp", "type": "authenticator_app", "label": "Authenticator app",
                           "on": "phone", "backup": backup})

    def need_key(kid, label, location):
        things.append({"id": kid, "type": "security_key", "label": label, "location": location})

    step = a["second_step"]
    if step == "sms":
        main["sign_in"].append({"type": "sms", "on": "mobile"})
    elif step == "app":
        need_app()
        main["sign_in"].append({"type": "totp", "on": "authapp"})
    elif step == "push":
        main["sign_in"].append({"type": "push", "on": "phone", "number_matching": False})
    elif step == "key":
        need_key("key", "Security key", "carried")
        main["sign_in"].append({"type": "security_key", "on": "key"})
    elif step == "passkey":
        main["sign_in"].append({"type": "passkey", "on": "phone"})
    extra = a["extra_method"]
    if extra == "second_key":
        need_key("key2", "Spare security key", "home")
        main["sign_in"].append({"type": "security_key", "on": "key2"})
    elif extra == "laptop_passkey":
        things.append({"id": "laptop", "type": "device", "label": "Laptop", "location": "home"})
        main["sign_in"].append({"type": "passkey", "on": "laptop"})
    elif extra == "app" and step != "app":
        need_app()
        main["sign_in"].append({"type": "totp", "on": "authapp"})
    if not main["sign_in"]:
        main["sign_in"].append({"type": "password"})
    codes = a["backup_codes"]
    store = {"paper": {"kind": "paper", "label": "Printed codes", "location": "home"},
             "safe": {"kind": "safe", "label": "Safe", "location": "home"},
             "trusted_person": {"kind": "trusted_person", "label": "Someone I trust", "location": "elsewhere"},
             "password_manager": {"kind": "password_manager", "label": "Password manager note", "via": "vault"},
             "phone_file": {"kind": "device_file", "label": "File on my phone", "on": "phone"}}.get(codes)
    if codes == "password_manager" and not has_vault:
        store = {"kind": "password_manager", "label": "Password manager note", "via": "main"}
    if store is not None:
        things.append({"id": "codes", "type": "code_store", **store})
        main["backup_codes"] = {"generated": True, "stored_in": ["codes"], "used": 0}
    elif codes == "unknown":
        main["backup_codes"] = {"generated": True, "stored_in": [], "used": 0}
    else:
        main["backup_codes"] = {"generated": False}

    rec = a["recovery_email"]
    if rec in ("separate", "circular"):
        if rec == "separate" or kind not in ("email", "google", "microsoft", "apple", "work"):
            # "another account I can get into on its own": nothing here can take it away
            other = {"id": "other-email", "name": "Recovery email", "kind": "email", "importance": "normal",
                     "sign_in": [{"type": "password"}]}
        else:
            # it recovers through the main account, and its own sign-in hangs on the phone number
            other = {"id": "other-email", "name": "Recovery email", "kind": "email", "importance": "normal",
                     "sign_in": [{"type": "password"}, {"type": "sms", "on": "mobile"}],
                     "recovery": [{"type": "recovery_email", "via": "main"}]}
        accounts.append(other)
        main["recovery"].append({"type": "recovery_email", "via": "other-email"})
    elif rec == "dead":
        main["recovery"].append({"type": "recovery_email", "dead": True})
    if a["recovery_phone"] == "own":
        main["recovery"].append({"type": "recovery_phone", "on": "mobile"})
    if a["recovery_contact"] == "yes":
        things.append({"id": "contact", "type": "recovery_contact", "label": "Recovery contact"})
        main["recovery"].append({"type": "recovery_contact", "on": "contact"})
    main["recovery"].append({"type": "support", "wait_days": 14,
                             "official_url_recorded": a["support"] == "recorded"})
    if a["tested"] == "this_year" and as_of:
        main["recovery_tested_on"] = as_of
    elif a["tested"] == "longer" and as_of:
        y, rest = as_of.split("-", 1)
        main["recovery_tested_on"] = f"{int(y) - 2:04d}-{rest}".replace("-02-29", "-02-28")
    if has_vault:
        # The password manager is modelled like the main account (same second steps, routes, habits),
        # since the quick check asks about one account only; where its own codes are is unknown.
        vault = copy.deepcopy(main)
        vault.update(id="vault", name="Password manager", kind="password_manager")
        vault["sign_in"] = [{"type": "password"}] + [m for m in vault["sign_in"] if m["type"] != "password"]
        vault["recovery"] = [r for r in vault["recovery"] if r.get("via") != "vault"]
        if codes == "password_manager":
            vault["backup_codes"] = {"generated": True, "stored_in": [], "used": 0}
        accounts.append(vault)
    accounts.insert(0, main)
    plan: dict = {"version": FORMAT_VERSION}
    if as_of:
        plan["as_of"] = as_of
    plan["habits"] = {"lost_device_playbook": a["playbook"] == "yes", "escalation_plan": a["support"] == "recorded",
                      "enrolls_before_retiring": False, "watches_alerts": True}
    plan["things"] = things
    plan["accounts"] = accounts
    return plan
