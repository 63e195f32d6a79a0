"""The one declarative table of the plan format: every field of every shape.

Each :class:`Field` row says its type, whether it is required, its default, which
thing types or account kinds a reference may name, its label and help text. From
this table alone are generated:

* the parser (:mod:`.parse` walks :data:`SHAPES`);
* the JSON Schema (:mod:`.schema`);
* the field tables of the "Plan format" page (``hooks/rules_page.py``);
* the page's vocabulary, :func:`plan_ui` (emitted at build time as ``plan-ui.json``).

To add a field (as an account's ``service`` was), add one :class:`Field` row to
the shape, and an attribute of the same name (or ``attr``) to the dataclass in
:mod:`.model`; nothing else restates it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from .model import (FORMAT_VERSION, NEVER, READS_VERSIONS, SYNC_KINDS, MAILBOX_KINDS, AccountKind, AppBackup,
                    Importance, Location, NumberKind, RecoveryType, SignInType, StoreKind, ThingType)


class Kind(str, enum.Enum):
    """What a field holds."""
    VERSION = "version"       # the plan format version (a whole number)
    ID = "id"                 # an id, unique across things and accounts
    TEXT = "text"             # a non-empty string
    BOOL = "bool"             # true or false
    COUNT = "count"           # a whole number, 0 or more
    DATE = "date"             # YYYY-MM-DD
    DATE_OR_NEVER = "date_or_never"   # YYYY-MM-DD, or "never"
    ENUM = "enum"             # one of the values of ``enum``
    DOMAIN = "domain"         # a service's main domain, as the service catalogue keys it ("github.com")
    THING = "thing"           # the id of a thing (of a type in ``refs``)
    ACCOUNT = "account"       # the id of an account (of a kind in ``refs``)
    THINGS = "things"         # a list of thing ids
    RULES = "rules"           # a list of rule ids
    OBJECT = "object"         # a nested object of shape ``shape``
    LIST = "list"             # a list of objects of shape ``shape``


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    label: str
    help: str
    required: bool = False
    default: Any = None             # the value read when the field is absent (None: not recorded)
    enum: type | None = None
    refs: tuple = ()                # thing types or account kinds a reference may name (empty: any)
    shape: str | None = None        # nested shape of OBJECT and LIST fields
    attr: str | None = None         # the dataclass attribute, when it differs from the name
    since: int = 1                  # the plan format version that introduced the field
    when: tuple = ()                # (other field, values): the field applies only then
    required_when: tuple = ()       # (other field, values): required then
    hint: str = ""                  # what to write, shown when a required field is missing
    absent: str = ""                # what leaving the field out means, in words (for the docs)

    @property
    def key(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Variant:
    """One value of a shape's tag (``type``) and the fields that apply to it."""
    value: enum.Enum
    fields: tuple[Field, ...]
    one_of: tuple[tuple[str, ...], ...] = ()   # exactly one of these keys
    unless: tuple = ()                         # (field, other field, value): field required unless other == value


@dataclass(frozen=True)
class Shape:
    name: str
    label: str
    help: str
    fields: tuple[Field, ...]                  # common to every variant
    tag: str | None = None                     # the key that picks a variant
    variants: tuple[Variant, ...] = ()

    def variant(self, value) -> Variant | None:
        for v in self.variants:
            if v.value == value:
                return v
        return None


# --- enum labels: the words the page and the docs show for every value -------------------------
ENUM_LABELS: dict[type, dict[str, str]] = {
    ThingType: {"phone": "Phone", "device": "Computer or tablet", "phone_number": "Phone number",
                "security_key": "Security key", "authenticator_app": "Authenticator app",
                "code_store": "Place where backup codes are kept", "recovery_contact": "Recovery contact (a person)"},
    Location: {"carried": "Carried with me", "home": "At home", "elsewhere": "Somewhere else"},
    AppBackup: {"none": "Not backed up", "cloud": "Cloud backup", "export": "Exported copy"},
    StoreKind: {"paper": "On paper", "safe": "In a safe", "trusted_person": "With a trusted person",
                "password_manager": "In a password manager", "device_file": "In a file on a device"},
    NumberKind: {"mine": "My own number", "prepaid": "Prepaid (pay as you go)",
                 "travel": "A travel or temporary SIM", "work": "A work number",
                 "someone_else": "Someone else's number"},
    AccountKind: {"email": "Email", "password_manager": "Password manager", "apple": "Apple Account",
                  "google": "Google account", "microsoft": "Microsoft account", "carrier": "Mobile carrier",
                  "bank": "Bank", "work": "Work account", "school": "School or university account",
                  "social": "Social media", "other": "Other"},
    Importance: {"critical": "Critical", "important": "Important", "normal": "Normal"},
    SignInType: {"password": "Password", "passkey": "Passkey", "security_key": "Security key",
                 "totp": "Authenticator app code", "push": "Push approval", "sms": "Text message code",
                 "voice": "Voice call code", "email_code": "Emailed code"},
    RecoveryType: {"recovery_email": "Recovery email", "recovery_phone": "Recovery phone",
                   "recovery_contact": "Recovery contact", "support": "Account support process",
                   "security_questions": "Security questions"},
}
ENUM_NAMES = {ThingType: "thing_type", Location: "location", AppBackup: "app_backup", StoreKind: "store_kind",
              NumberKind: "number_kind", AccountKind: "account_kind", Importance: "importance",
              SignInType: "sign_in_type", RecoveryType: "recovery_type"}


def label(member: enum.Enum) -> str:
    return ENUM_LABELS[type(member)][member._value_]


def _f(name, kind, label_, help_, **kw) -> Field:
    return Field(name, kind, label_, help_, **kw)


PHONES = (ThingType.PHONE, ThingType.DEVICE)
LOCATION = _f("location", Kind.ENUM, "Where it usually is", "Where it usually is.", enum=Location,
              absent="phones and keys are carried, devices, paper and safes are at home, trusted people "
                     "elsewhere; numbers, apps and files are wherever their phone or device is")
STORE_LOCATION = Field("location", Kind.ENUM, LOCATION.label, LOCATION.help, enum=Location,
                       when=("kind", ("paper", "safe", "trusted_person")), absent=LOCATION.absent)
SCREEN_LOCK = _f("screen_lock", Kind.BOOL, "Locks with a PIN, pattern, fingerprint or face",
                 "true when it cannot be used without unlocking it first.", since=2, absent="not recorded")

THING = Shape(
    "thing", "Thing", "Phones, devices, numbers, keys, apps, places where backup codes are kept and "
                      "recovery contacts.",
    fields=(
        _f("id", Kind.ID, "Id", "Unique across things and accounts.", required=True),
        _f("type", Kind.ENUM, "Type", "What it is.", required=True, enum=ThingType),
        _f("label", Kind.TEXT, "Name", "What you call it.", absent="the id"),
    ),
    tag="type",
    variants=(
        Variant(ThingType.PHONE, (LOCATION, SCREEN_LOCK)),
        Variant(ThingType.DEVICE, (LOCATION, SCREEN_LOCK)),
        Variant(ThingType.PHONE_NUMBER, (
            _f("on", Kind.THING, "In the phone", "The phone or device holding its SIM.", refs=PHONES),
            _f("carrier", Kind.ACCOUNT, "Carrier account", "The carrier account behind the number.",
               refs=(AccountKind.CARRIER,),
               absent="no carrier account; a replacement SIM is assumed within a day"),
            _f("kind", Kind.ENUM, "Whose number", "Whose number it is and how long it will keep working.",
               enum=NumberKind, attr="number_kind", since=2, absent="not recorded (read as your own)"),
            _f("port_out_lock", Kind.BOOL, "Carrier PIN or port-out lock",
               "true when the carrier has a PIN or number-transfer lock on it.", absent="not recorded"),
            _f("sim_pin", Kind.BOOL, "SIM PIN", "true when the SIM card asks for a PIN after a restart.",
               since=2, absent="not recorded"),
            _f("voicemail_pin", Kind.BOOL, "Voicemail PIN", "true when voicemail needs a PIN.", since=2,
               absent="not recorded"),
        )),
        Variant(ThingType.SECURITY_KEY, (LOCATION,)),
        Variant(ThingType.AUTHENTICATOR_APP, (
            _f("on", Kind.THING, "Runs on", "The phone or device the app runs on.", refs=PHONES, required=True,
               hint="the phone or device the app runs on"),
            _f("backup", Kind.ENUM, "Backup", "Whether its codes are backed up.", enum=AppBackup,
               absent="not recorded (not counted as a way back)"),
            _f("via", Kind.ACCOUNT, "Backed up to", "The account holding its cloud backup.",
               when=("backup", ("cloud",))),
        )),
        Variant(ThingType.CODE_STORE, (
            _f("kind", Kind.ENUM, "Kind of place", "What kind of place it is.", enum=StoreKind, required=True),
            STORE_LOCATION,
            _f("on", Kind.THING, "On the device", "The phone or device holding the file.", refs=PHONES,
               when=("kind", ("device_file",)), required_when=("kind", ("device_file",)),
               hint="the phone or device holding the file"),
            _f("via", Kind.ACCOUNT, "In the vault", "The password-manager account holding the codes.",
               refs=(AccountKind.PASSWORD_MANAGER,), when=("kind", ("password_manager",)),
               required_when=("kind", ("password_manager",)),
               hint="the password-manager account holding the codes"),
        )),
        Variant(ThingType.RECOVERY_CONTACT, ()),
    ),
)

SIGN_IN = Shape(
    "sign_in", "Sign-in method", "How you sign in.",
    fields=(_f("type", Kind.ENUM, "Method", "How you sign in.", required=True, enum=SignInType),),
    tag="type",
    variants=(
        Variant(SignInType.PASSWORD, (
            _f("via", Kind.ACCOUNT, "Stored in", "The password-manager account that stores it.",
               refs=(AccountKind.PASSWORD_MANAGER,), absent="you remember it"),
            _f("reused", Kind.BOOL, "Also used elsewhere", "true when the same or a similar password is used "
                                                           "on another site.", since=2, absent="not recorded"),
        )),
        Variant(SignInType.PASSKEY, (
            _f("on", Kind.THING, "Stored on", "The phone, device or security key it is bound to.",
               refs=(ThingType.PHONE, ThingType.DEVICE, ThingType.SECURITY_KEY)),
            _f("via", Kind.ACCOUNT, "Synced through", "The account it syncs through.", refs=SYNC_KINDS),
        ), one_of=(("on", "via"),)),
        Variant(SignInType.SECURITY_KEY, (
            _f("on", Kind.THING, "Key", "The security key.", refs=(ThingType.SECURITY_KEY,), required=True,
               hint="a security_key"),)),
        Variant(SignInType.TOTP, (
            _f("on", Kind.THING, "App", "The authenticator app.", refs=(ThingType.AUTHENTICATOR_APP,),
               required=True, hint="an authenticator_app"),)),
        Variant(SignInType.PUSH, (
            _f("on", Kind.THING, "On", "The phone or device receiving prompts.", refs=PHONES, required=True,
               hint="a phone or device"),
            _f("number_matching", Kind.BOOL, "Number matching", "true when you type a number shown on screen "
                                                                "to approve.", absent="not recorded"),
        )),
        Variant(SignInType.SMS, (
            _f("on", Kind.THING, "Sent to", "The phone number.", refs=(ThingType.PHONE_NUMBER,), required=True,
               hint="a phone_number"),)),
        Variant(SignInType.VOICE, (
            _f("on", Kind.THING, "Sent to", "The phone number.", refs=(ThingType.PHONE_NUMBER,), required=True,
               hint="a phone_number"),)),
        Variant(SignInType.EMAIL_CODE, (
            _f("via", Kind.ACCOUNT, "Sent to the account", "The email account the codes go to.",
               refs=MAILBOX_KINDS, required=True, hint="the email account the codes go to"),)),
    ),
)

RECOVERY = Shape(
    "recovery", "Recovery route", "How you would get back in.",
    fields=(_f("type", Kind.ENUM, "Route", "How you would get back in.", required=True, enum=RecoveryType),),
    tag="type",
    variants=(
        Variant(RecoveryType.RECOVERY_EMAIL, (
            _f("via", Kind.ACCOUNT, "Recovery address (account)", "The email account it goes to.",
               refs=MAILBOX_KINDS, hint="the email account"),
            _f("dead", Kind.BOOL, "No longer works", "true for an address that no longer works.", default=False,
               absent="false"),
        ), unless=(("via", "dead", True),)),
        Variant(RecoveryType.RECOVERY_PHONE, (
            _f("on", Kind.THING, "Number", "The phone number.", refs=(ThingType.PHONE_NUMBER,), required=True,
               hint="a phone_number"),)),
        Variant(RecoveryType.RECOVERY_CONTACT, (
            _f("on", Kind.THING, "Person", "The recovery contact.", refs=(ThingType.RECOVERY_CONTACT,),
               required=True, hint="a recovery_contact"),)),
        Variant(RecoveryType.SUPPORT, (
            _f("wait_days", Kind.COUNT, "Waiting time (days)", "How many days the provider's recovery process "
                                                               "typically takes.", required=True, default=0,
               hint="how many days the provider's recovery process typically takes; 0 if same day"),
            _f("official_url_recorded", Kind.BOOL, "Official recovery address recorded",
               "true when the provider's official recovery address is written down.", absent="not recorded"),
        )),
        Variant(RecoveryType.SECURITY_QUESTIONS, ()),
    ),
)

BACKUP_CODES = Shape(
    "backup_codes", "Backup codes", "The account's backup (recovery) codes.",
    fields=(
        _f("generated", Kind.BOOL, "Backup codes generated", "true once you have generated a set.", required=True,
           default=False),
        _f("stored_in", Kind.THINGS, "Codes kept in", "The places (code_store things) holding a copy.",
           refs=(ThingType.CODE_STORE,), default=()),
        _f("remaining", Kind.COUNT, "Codes left", "How many unused codes are left.", absent="not recorded"),
        _f("used", Kind.COUNT, "Codes used", "How many have been used since the set was generated.", default=0,
           absent="0"),
        _f("generated_on", Kind.DATE, "Generated on", "When the set was generated."),
    ),
)

ACCOUNT = Shape(
    "account", "Account", "The accounts to check.",
    fields=(
        _f("id", Kind.ID, "Id", "Unique across things and accounts.", required=True),
        _f("name", Kind.TEXT, "Account name", "What you call it.", absent="the id"),
        _f("kind", Kind.ENUM, "Kind of account", "What sort of account.", required=True, enum=AccountKind),
        _f("service", Kind.DOMAIN, "Service", "The service's web address (its main domain, such as github.com), "
                                              "so the checker can use what the service offers for signing in "
                                              "(from 2FA Directory).", since=2,
           absent="the checker knows only what the plan says about the service"),
        _f("importance", Kind.ENUM, "Importance", "How much losing it would hurt. An account that can reset or "
                                                  "unlock a more important one counts as that important.",
           required=True, enum=Importance),
        _f("sign_in", Kind.LIST, "Sign-in methods", "How you sign in. An empty list is reported as a blocker.",
           shape="sign_in", default=()),
        _f("sign_in_unknown", Kind.BOOL, "Not every sign-in method is listed here",
           "true when the sign-in methods listed may not be all this account has (the quick check sets it on a "
           "recovery address it does not ask about). Then its strength is not known: it is left out of "
           "Protection, a reset through it is not counted against the accounts it can reset, and no rule says "
           "what its sign-in lacks until you list every method and set this to false.",
           default=False, absent="false", since=2),
        _f("backup_codes", Kind.OBJECT, "Backup codes", "The account's backup codes.", shape="backup_codes",
           absent="not recorded (not counted as a way back)"),
        _f("recovery", Kind.LIST, "Recovery routes", "How you would get back in.", shape="recovery", default=()),
        _f("recovery_tested_on", Kind.DATE_OR_NEVER, "Recovery last tested on",
           f'When you last checked that a backup way in works, or "{NEVER}".', absent="not recorded"),
        _f("alerts", Kind.BOOL, "Security alerts are on", "true when security alerts are on and reach you.",
           absent="not recorded"),
        _f("accepted", Kind.RULES, "Trade-offs accepted", "Ids of rules whose trade-off you accept knowingly "
                                                          "(for example weak-fallback); they are listed, not advised.",
           default=(), since=2),
    ),
)

HABITS = Shape(
    "habits", "Habits", "Four yes/no habits. A habit left out is not recorded: it is never read as no.",
    fields=(
        _f("lost_device_playbook", Kind.BOOL, "I know what to do first if a device is lost",
           "Written steps for the day a phone or key goes missing.", absent="not recorded"),
        _f("escalation_plan", Kind.BOOL, "I know which recovery route to try first and how long each takes",
           "Which recovery route to try first and how long each takes, written down.", absent="not recorded"),
        _f("enrolls_before_retiring", Kind.BOOL, "I add a new phone or key before retiring the old one",
           "A new phone or key is enrolled and tested before the old one is wiped.", absent="not recorded"),
        _f("watches_alerts", Kind.BOOL, "I read sign-in and security alerts", "Sign-in and recovery alerts are read.",
           absent="not recorded"),
    ),
)

PLAN = Shape(
    "plan", "Plan", "Things you have and accounts you use, for the Esrok recovery checklist. `on` always names "
                    "a thing id; `via` always names an account id.",
    fields=(
        _f("version", Kind.VERSION, "Format version", f"The plan format version: {FORMAT_VERSION} "
                                                      f"(version 1 files are still read).", required=True,
           hint=f"use {FORMAT_VERSION}"),
        _f("as_of", Kind.DATE, "As of", "The date ages are computed against (the tool fills in today)."),
        _f("habits", Kind.OBJECT, "Habits", HABITS.help, shape="habits", absent="none recorded"),
        _f("things", Kind.LIST, "Things", THING.help, shape="thing", default=()),
        _f("accounts", Kind.LIST, "Accounts", "The accounts to check; at least one.", shape="account",
           required=True, hint="a list with at least one account"),
    ),
)

SHAPES: dict[str, Shape] = {s.name: s for s in (PLAN, HABITS, THING, ACCOUNT, SIGN_IN, BACKUP_CODES, RECOVERY)}


def shape_fields(shape: Shape, variant: Variant | None) -> tuple[Field, ...]:
    return shape.fields + (variant.fields if variant else ())


def all_keys(shape: Shape) -> tuple[str, ...]:
    """Every key any variant of a shape may have, in table order."""
    seen: dict[str, None] = {f.name: None for f in shape.fields}
    for v in shape.variants:
        for f in v.fields:
            seen.setdefault(f.name, None)
    return tuple(seen)


# --- the page's vocabulary -----------------------------------------------------------------------
def _field_ui(f: Field) -> dict:
    out: dict[str, Any] = {"name": f.name, "label": f.label, "help": f.help, "kind": f.kind.value,
                           "required": f.required}
    if f.default not in (None, ()):
        out["default"] = f.default
    if f.absent:
        out["absent"] = f.absent
    if f.enum is not None:
        out["enum"] = ENUM_NAMES[f.enum]
    if f.refs:
        out["refs"] = [r.value for r in f.refs]
    elif f.kind in (Kind.THING, Kind.ACCOUNT, Kind.THINGS):
        out["refs"] = []
    if f.shape:
        out["shape"] = f.shape
    if f.when:
        out["when"] = {"field": f.when[0], "values": list(f.when[1])}
    if f.required_when:
        out["required_when"] = {"field": f.required_when[0], "values": list(f.required_when[1])}
    if f.since > 1:
        out["since"] = f.since
    return out


def _shape_ui(s: Shape) -> dict:
    out: dict[str, Any] = {"label": s.label, "help": s.help, "fields": [_field_ui(f) for f in s.fields]}
    if s.tag:
        out["tag"] = s.tag
        out["variants"] = []
        for v in s.variants:
            item: dict[str, Any] = {"value": v.value.value, "label": label(v.value),
                                    "fields": [_field_ui(f) for f in v.fields]}
            if v.one_of:
                item["one_of"] = [list(g) for g in v.one_of]
            if v.unless:
                item["required_unless"] = [{"field": a, "unless": b, "is": c} for a, b, c in v.unless]
            out["variants"].append(item)
    return out


def plan_ui() -> dict:
    """The page's vocabulary, generated from the field table (pure; JSON-ready).

    Shape::

        {"version": 2,                       # the plan format version the page should write
         "reads_versions": [1, 2],
         "never": "never",                   # the word recovery_tested_on takes besides a date
         "enums": {"thing_type": [{"value": "phone", "label": "Phone"}, ...], "location": [...], ...},
         "shapes": {"plan" | "habits" | "thing" | "account" | "sign_in" | "backup_codes" | "recovery": {
             "label": str, "help": str,
             "fields": [FIELD, ...],         # fields every variant has
             "tag": "type",                  # only shapes with variants
             "variants": [{"value": "sms", "label": "Text message code", "fields": [FIELD, ...],
                           "one_of"?: [["on", "via"]],
                           "required_unless"?: [{"field": "via", "unless": "dead", "is": true}]}]}}}

    FIELD is ``{"name", "label", "help", "kind" (a :class:`Kind` value), "required": bool,
    "default"?, "absent"? (what leaving it out means), "enum"? (a key of "enums"),
    "refs"? (thing types for kind thing/things, account kinds for kind account; [] = any),
    "shape"? (nested shape for object/list), "when"? / "required_when"? ({"field", "values"}),
    "since"? (the format version that introduced it)}``.
    """
    return {
        "version": FORMAT_VERSION,
        "reads_versions": list(READS_VERSIONS),
        "never": NEVER,
        "enums": {ENUM_NAMES[cls]: [{"value": v, "label": lbl} for v, lbl in labels.items()]
                  for cls, labels in ENUM_LABELS.items()},
        "shapes": {name: _shape_ui(s) for name, s in SHAPES.items()},
    }
