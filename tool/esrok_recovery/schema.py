"""JSON Schema (draft 2020-12) of the plan format, built from the same enums and key
sets the parser uses, so the two cannot drift apart. Reference checks (that an
``on`` names an existing thing of the right type) are beyond JSON Schema; the
parser does them.
"""
from __future__ import annotations

from .model import (FORMAT_VERSION, AccountKind, AppBackup, Importance, Location, RecoveryType,
                    SignInType, StoreKind, ThingType)
from .parse import (ACCOUNT_KEYS, CODES_KEYS, HABIT_KEYS, ID_RE, RECOVERY_KEYS, SIGN_IN_KEYS,
                    THING_KEYS)

SCHEMA_ID = "https://esrok.example/schemas/recovery-plan-v1.json"

ID = {"type": "string", "pattern": ID_RE.pattern,
      "description": "Unique across things and accounts: letters, digits, -, _ or ., no spaces."}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
REF_THING = {"type": "string", "description": "The id of a thing."}
REF_ACCOUNT = {"type": "string", "description": "The id of an account."}

FIELD = {
    "id": ID,
    "label": {"type": "string", "minLength": 1, "description": "What you call it (defaults to the id)."},
    "location": {"enum": [e.value for e in Location],
                 "description": "Where it usually is. Defaults: phones and keys carried, devices, paper and "
                                "safes at home, trusted people elsewhere."},
    "carrier": dict(REF_ACCOUNT, description="phone_number: the carrier account behind the number."),
    "port_out_lock": {"type": "boolean", "description": "phone_number: carrier PIN or port-out lock set."},
    "backup": {"enum": [e.value for e in AppBackup], "description": "authenticator_app: backup of its codes."},
    "kind": {"enum": [e.value for e in StoreKind], "description": "code_store: what kind of place it is."},
}
THING_DESC = {
    ThingType.PHONE: "A phone.",
    ThingType.DEVICE: "A laptop, tablet or other device.",
    ThingType.PHONE_NUMBER: "A phone number; `on` is the phone holding its SIM.",
    ThingType.SECURITY_KEY: "A hardware security key.",
    ThingType.AUTHENTICATOR_APP: "An authenticator app; `on` is the phone or device it runs on; `via` is the "
                                 "account holding its cloud backup.",
    ThingType.CODE_STORE: "A place where backup codes are kept. password_manager needs `via` (the vault "
                          "account); device_file needs `on` (the phone or device).",
    ThingType.RECOVERY_CONTACT: "A trusted person who can receive recovery codes for you.",
}
SIGN_IN_DESC = {
    SignInType.PASSWORD: "`via`: the password-manager account storing it (absent = memorised).",
    SignInType.PASSKEY: "`on`: the phone, device or security key it is bound to, or `via`: the account it syncs "
                        "through.",
    SignInType.SECURITY_KEY: "`on`: the security key.",
    SignInType.TOTP: "`on`: the authenticator app.",
    SignInType.PUSH: "`on`: the phone or device receiving prompts.",
    SignInType.SMS: "`on`: the phone number.",
    SignInType.VOICE: "`on`: the phone number.",
    SignInType.EMAIL_CODE: "`via`: the email account receiving codes.",
}
RECOVERY_DESC = {
    RecoveryType.RECOVERY_EMAIL: "`via`: the email account, or `dead`: true for an address that no longer works.",
    RecoveryType.RECOVERY_PHONE: "`on`: the phone number.",
    RecoveryType.RECOVERY_CONTACT: "`on`: the recovery_contact thing.",
    RecoveryType.SUPPORT: "The provider's own recovery process: `wait_days` it typically takes, and whether the "
                          "official URL is recorded.",
    RecoveryType.SECURITY_QUESTIONS: "Listed so the checklist can flag it; never counted as a way back.",
}


HABIT_DESC = {
    "lost_device_playbook": "Written steps for the day a phone or key goes missing.",
    "escalation_plan": "Which recovery route to try first and how long each takes, written down.",
    "enrolls_before_retiring": "A new phone or key is enrolled and tested before the old one is wiped.",
    "watches_alerts": "Sign-in and recovery alerts are read.",
}


def _thing_variant(t: ThingType) -> dict:
    keys = THING_KEYS[t]
    props = {}
    for k in keys:
        if k == "type":
            props[k] = {"const": t.value}
        elif k == "on":
            props[k] = dict(REF_THING, description="The phone or device it sits on.")
        elif k == "via":
            props[k] = dict(REF_ACCOUNT, description="The account it depends on.")
        else:
            props[k] = FIELD[k]
    req = ["id", "type"] + (["kind"] if t is ThingType.CODE_STORE else []) + (
        ["on"] if t is ThingType.AUTHENTICATOR_APP else [])
    return {"type": "object", "description": THING_DESC[t], "properties": props, "required": req,
            "additionalProperties": False}


METHOD_FLAGS = {
    "dead": "recovery_email: the address no longer works.",
    "number_matching": "push: you type a number shown on screen to approve.",
    "official_url_recorded": "support: the provider's official recovery address is written down.",
}


def _method_variant(kind, keys, desc) -> dict:
    props = {}
    for k in keys:
        if k == "type":
            props[k] = {"const": kind.value}
        elif k == "on":
            props[k] = REF_THING
        elif k == "via":
            props[k] = REF_ACCOUNT
        elif k in METHOD_FLAGS:
            props[k] = {"type": "boolean", "description": METHOD_FLAGS[k]}
        elif k == "wait_days":
            props[k] = {"type": "integer", "minimum": 0,
                        "description": "How many days the provider's recovery process typically takes."}
    req = ["type"]
    if "on" in keys and "via" not in keys:
        req.append("on")
    if kind is SignInType.EMAIL_CODE:
        req.append("via")
    if kind is RecoveryType.SUPPORT:
        req.append("wait_days")
    return {"type": "object", "description": desc, "properties": props, "required": req,
            "additionalProperties": False}


def plan_schema() -> dict:
    assert set(ACCOUNT_KEYS) >= {"id", "kind", "importance"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Esrok recovery plan",
        "description": "Things you have and accounts you use, for the Esrok recovery checklist. "
                       "`on` always names a thing id; `via` always names an account id.",
        "type": "object",
        "required": ["version", "accounts"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": FORMAT_VERSION},
            "as_of": dict(DATE, description="The date ages are computed against (the tool fills in today)."),
            "habits": {"type": "object", "additionalProperties": False,
                       "description": "Four yes/no habits; missing ones count as false.",
                       "properties": {k: {"type": "boolean", "description": HABIT_DESC[k]} for k in HABIT_KEYS}},
            "things": {"type": "array", "description": "Phones, devices, numbers, keys, apps, code stores and "
                                                       "recovery contacts.",
                       "items": {"$ref": "#/$defs/thing"}},
            "accounts": {"type": "array", "minItems": 1, "description": "The accounts to check.",
                         "items": {"$ref": "#/$defs/account"}},
        },
        "$defs": {
            "thing": {"oneOf": [_thing_variant(t) for t in ThingType]},
            "sign_in": {"oneOf": [_method_variant(s, SIGN_IN_KEYS[s], SIGN_IN_DESC[s]) for s in SignInType]},
            "recovery": {"oneOf": [_method_variant(r, RECOVERY_KEYS[r], RECOVERY_DESC[r]) for r in RecoveryType]},
            "backup_codes": {
                "type": "object", "required": ["generated"], "additionalProperties": False,
                "description": "The account's backup (recovery) codes.",
                "properties": {
                    "generated": {"type": "boolean", "description": "A set of codes has been generated."},
                    "stored_in": {"type": "array", "description": "Where copies are kept.",
                                  "items": dict(REF_THING, description="A code_store id.")},
                    "remaining": {"type": "integer", "minimum": 0, "description": "Unused codes left."},
                    "used": {"type": "integer", "minimum": 0,
                             "description": "Codes used since the set was generated."},
                    "generated_on": dict(DATE, description="When the set was generated."),
                },
            },
            "account": {
                "type": "object", "required": ["id", "kind", "importance"], "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "name": {"type": "string", "minLength": 1, "description": "What you call it (defaults to "
                                                                               "the id)."},
                    "kind": {"enum": [k.value for k in AccountKind], "description": "What sort of account."},
                    "importance": {"enum": [i.value for i in Importance],
                                   "description": "critical counts x3 in the score, important x2."},
                    "sign_in": {"type": "array", "description": "How you sign in.",
                                "items": {"$ref": "#/$defs/sign_in"}},
                    "backup_codes": {"$ref": "#/$defs/backup_codes"},
                    "recovery": {"type": "array", "description": "How you would get back in.",
                                 "items": {"$ref": "#/$defs/recovery"}},
                    "recovery_tested_on": dict(DATE, description="When a backup way in was last tested."),
                    "alerts": {"type": "boolean", "description": "Security alerts on and reaching you."},
                },
            },
        },
    }


assert set(CODES_KEYS) == {"generated", "stored_in", "remaining", "used", "generated_on"}
