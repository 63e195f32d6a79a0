"""The plan model: frozen dataclasses and enums. No behaviour beyond small lookups.

A *plan* lists the things a person has (phones, numbers, keys, apps, places where
backup codes are kept, recovery contacts) and their accounts (how they sign in and
how they would recover). Every reference names an id: ``on`` names a thing,
``via`` names an account.

Yes/no facts are three-valued: ``True``, ``False``, or ``None`` when the plan does
not say (a question not asked or not answered). The engine never reads ``None`` as
``False``: rules fire only on facts the person gave, and the measures state what
they assumed instead (see ``assumptions`` in the output).

The field table in :mod:`.fields` describes every field of every shape; the parser,
the JSON Schema, the plan-format page and the page's vocabulary are generated from it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

#: The plan and output format this engine writes. Plans of every version in
#: :data:`READS_VERSIONS` are read (version 1 is migrated on import).
FORMAT_VERSION = 2
READS_VERSIONS = (1, 2)

#: A wait of this many days or more is a lockout everywhere the result speaks of
#: lockouts: the loss table, both measures, single points of failure and blockers.
LOCKOUT_DAYS = 7

#: "Tested recently" means within this many months (the posts quote the same figure).
TESTED_RECENTLY_MONTHS = 6
TESTED_RECENTLY_DAYS = 183

#: ``recovery_tested_on`` may be a date or this word (the person said they never tested).
NEVER = "never"


class ThingType(str, enum.Enum):
    PHONE = "phone"
    DEVICE = "device"
    PHONE_NUMBER = "phone_number"
    SECURITY_KEY = "security_key"
    AUTHENTICATOR_APP = "authenticator_app"
    CODE_STORE = "code_store"
    RECOVERY_CONTACT = "recovery_contact"


class Location(str, enum.Enum):
    CARRIED = "carried"
    HOME = "home"
    ELSEWHERE = "elsewhere"


class AppBackup(str, enum.Enum):
    NONE = "none"
    CLOUD = "cloud"
    EXPORT = "export"


class StoreKind(str, enum.Enum):
    PAPER = "paper"
    SAFE = "safe"
    TRUSTED_PERSON = "trusted_person"
    PASSWORD_MANAGER = "password_manager"
    DEVICE_FILE = "device_file"


class NumberKind(str, enum.Enum):
    """Whose number it is and how long it is likely to keep working."""
    MINE = "mine"
    PREPAID = "prepaid"
    TRAVEL = "travel"
    WORK = "work"
    SOMEONE_ELSE = "someone_else"


#: Numbers likely to stop working, or read by someone else.
LAPSING_NUMBERS = frozenset({NumberKind.PREPAID, NumberKind.TRAVEL, NumberKind.WORK, NumberKind.SOMEONE_ELSE})


class AccountKind(str, enum.Enum):
    EMAIL = "email"
    PASSWORD_MANAGER = "password_manager"
    APPLE = "apple"
    GOOGLE = "google"
    MICROSOFT = "microsoft"
    CARRIER = "carrier"
    BANK = "bank"
    WORK = "work"
    SCHOOL = "school"
    SOCIAL = "social"
    OTHER = "other"


MAILBOX_KINDS = (AccountKind.EMAIL, AccountKind.GOOGLE, AccountKind.MICROSOFT, AccountKind.APPLE,
                 AccountKind.WORK, AccountKind.SCHOOL)
SYNC_KINDS = (AccountKind.APPLE, AccountKind.GOOGLE, AccountKind.MICROSOFT, AccountKind.PASSWORD_MANAGER)
#: Mailboxes that stop working when you leave the job or the school.
LAPSING_MAILBOXES = frozenset({AccountKind.WORK, AccountKind.SCHOOL})


class Importance(str, enum.Enum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    NORMAL = "normal"


IMPORTANCE_RANK = {Importance.NORMAL: 0, Importance.IMPORTANT: 1, Importance.CRITICAL: 2}
IMPORTANCE_WEIGHT = {Importance.CRITICAL: 3, Importance.IMPORTANT: 2, Importance.NORMAL: 1}


class SignInType(str, enum.Enum):
    PASSWORD = "password"
    PASSKEY = "passkey"
    SECURITY_KEY = "security_key"
    TOTP = "totp"
    PUSH = "push"
    SMS = "sms"
    VOICE = "voice"
    EMAIL_CODE = "email_code"


class RecoveryType(str, enum.Enum):
    RECOVERY_EMAIL = "recovery_email"
    RECOVERY_PHONE = "recovery_phone"
    RECOVERY_CONTACT = "recovery_contact"
    SUPPORT = "support"
    SECURITY_QUESTIONS = "security_questions"


class Tier(str, enum.Enum):
    BLOCKER = "blocker"
    DURABILITY = "durability"
    READINESS = "readiness"


TIER_ORDER = {Tier.BLOCKER: 0, Tier.DURABILITY: 1, Tier.READINESS: 2}


class Measure(str, enum.Enum):
    PROTECTION = "protection"
    RECOVERABILITY = "recoverability"


class State(str, enum.Enum):
    """Where one account stands in one loss scenario (exactly one of these)."""
    IN = "in"                      # still signed in, or can sign in as usual
    BACK = "back"                  # back in after fewer than LOCKOUT_DAYS days, by a named route
    LOCKED_OUT = "locked_out"      # locked out for about N days (N >= LOCKOUT_DAYS), until a named route
    NO_WAY_BACK = "no_way_back"    # locked out with no way back in this plan


LOCKOUT_STATES = frozenset({State.LOCKED_OUT, State.NO_WAY_BACK})


class Route(enum.Enum):
    """A way back in. Each member carries its id, its rank (breaks ties between equally fast
    ways, lower first; never list order), its typical wait in days (``None``: the plan says,
    as for a provider's support process) and the plain words used in results."""

    SIGN_IN = ("sign_in", 0, 0, "signing in as usual", "you can sign in again")
    BACKUP_CODES = ("backup_codes", 1, 0, "a backup code", "you use a backup code")
    RECOVERY_PHONE = ("recovery_phone", 2, 0, "a code sent to the recovery phone number",
                      "a code reaches the recovery phone number")
    RECOVERY_EMAIL = ("recovery_email", 3, 1, "the recovery email address", "the recovery email gets you back in")
    RECOVERY_CONTACT = ("recovery_contact", 4, 1, "your recovery contact", "your recovery contact helps you back in")
    SUPPORT = ("support", 5, None, "the provider's support process", "the provider's support process lets you back in")
    REPLACEMENT_SIM = ("replacement_sim", 6, 1, "a replacement SIM from the carrier", "a replacement SIM arrives")
    APP_RESTORE = ("app_restore", 7, 0, "restoring the authenticator app from its backup",
                   "the authenticator app is restored from its backup")

    # Members are singletons compared by identity, so they hash by identity too: Enum's own __hash__
    # (hash of the member's name) is a Python-level call, and every Outcome hashed as a key (the
    # output's shared outcome entries, boundary.scenario_dict) hashes its route. Set and dict order
    # never depended on it (a name's hash changes from run to run).
    __hash__ = object.__hash__

    def __init__(self, ident: str, rank: int, wait: int | None, text: str, until: str) -> None:
        self.id = ident
        self.rank = rank
        self.wait = wait
        self.text = text      # "Back the same day by <text>"
        self.until = until    # "Locked out for about 14 days, until <until>"


ROUTES_BY_ID = {r.id: r for r in Route}

#: Where a thing is when the plan does not say.
DEFAULT_LOCATION = {
    ThingType.PHONE: Location.CARRIED,
    ThingType.DEVICE: Location.HOME,
    ThingType.SECURITY_KEY: Location.CARRIED,
}
DEFAULT_STORE_LOCATION = {
    StoreKind.PAPER: Location.HOME,
    StoreKind.SAFE: Location.HOME,
    StoreKind.TRUSTED_PERSON: Location.ELSEWHERE,
}

#: Sign-in methods that are a second step after a password (or stand alone when
#: an account has no password at all).
SECOND_FACTORS = frozenset({SignInType.SECURITY_KEY, SignInType.TOTP, SignInType.PUSH,
                            SignInType.SMS, SignInType.VOICE, SignInType.EMAIL_CODE})
PHISHING_RESISTANT = frozenset({SignInType.PASSKEY, SignInType.SECURITY_KEY})
PHONE_CODES = frozenset({SignInType.SMS, SignInType.VOICE})

# Members the methods below read per call, bound once: in CPython 3.11 reading a member off its enum
# class (SignInType.PASSKEY) goes through the metaclass's __getattr__ hook, several times slower.
_PASSKEY, _PASSWORD = SignInType.PASSKEY, SignInType.PASSWORD
_HOLDERS = (ThingType.PHONE, ThingType.DEVICE)


@dataclass(frozen=True, slots=True)
class Habits:
    lost_device_playbook: bool | None = None
    escalation_plan: bool | None = None
    enrolls_before_retiring: bool | None = None
    watches_alerts: bool | None = None


HABIT_NAMES = ("lost_device_playbook", "escalation_plan", "enrolls_before_retiring", "watches_alerts")


@dataclass(frozen=True, slots=True)
class Thing:
    id: str
    type: ThingType
    label: str
    location: Location | None = None        # as written in the plan; see Plan.location
    on: str | None = None                   # thing id (number on phone, app on phone, file on device)
    via: str | None = None                  # account id (vault for password_manager stores, app cloud backup)
    carrier: str | None = None              # phone_number: carrier account id
    port_out_lock: bool | None = None       # phone_number
    backup: AppBackup | None = None         # authenticator_app (None: not recorded)
    kind: StoreKind | None = None           # code_store
    number_kind: NumberKind | None = None   # phone_number ("kind" in the plan file)
    sim_pin: bool | None = None             # phone_number
    voicemail_pin: bool | None = None       # phone_number
    screen_lock: bool | None = None         # phone, device


@dataclass(frozen=True, slots=True)
class SignIn:
    type: SignInType
    on: str | None = None
    via: str | None = None
    number_matching: bool | None = None     # push
    reused: bool | None = None              # password: also used elsewhere


@dataclass(frozen=True, slots=True)
class BackupCodes:
    generated: bool = False
    stored_in: tuple[str, ...] = ()
    remaining: int | None = None
    used: int = 0
    generated_on: str | None = None


@dataclass(frozen=True, slots=True)
class Recovery:
    type: RecoveryType
    via: str | None = None
    on: str | None = None
    dead: bool = False
    wait_days: int = 0
    official_url_recorded: bool | None = None


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    kind: AccountKind
    importance: Importance
    sign_in: tuple[SignIn, ...] = ()
    sign_in_unknown: bool = False             # the methods listed may not be all: its strength is not known
    backup_codes: BackupCodes | None = None   # None: not recorded
    recovery: tuple[Recovery, ...] = ()
    recovery_tested_on: str | None = None     # a date, NEVER, or None (not recorded)
    alerts: bool | None = None
    accepted: tuple[str, ...] = ()            # rule ids whose trade-off the person accepts knowingly
    service: str | None = None                # the service's main domain ("github.com"), for the catalogue
    # Not a plan field: set from the service catalogue (catalogue.with_services) when the service takes
    # a passkey only instead of the password, never as a second step after it. Then a passkey is one
    # more way in beside the password, and a password without a second step still gets in on its own.
    passkey_instead_of_password: bool = False

    def password_alone_gets_in(self) -> bool:
        """Does the password, with no second step, open this account on its own? Yes when it has a
        password and no second step, and either no passkey or passkeys its service takes only instead
        of the password. Otherwise a passkey counts as the second step after the password, as the big
        providers treat it."""
        has_pw = False
        for m in self.sign_in:
            t = m.type
            if t in SECOND_FACTORS:
                return False
            if t is _PASSKEY and not self.passkey_instead_of_password:
                return False
            if t is _PASSWORD:
                has_pw = True
        return has_pw


@dataclass(frozen=True)
class Plan:
    version: int
    as_of: str | None
    habits: Habits
    things: tuple[Thing, ...]
    accounts: tuple[Account, ...]
    migrated_from: int | None = None
    _things: dict = field(default_factory=dict, compare=False, repr=False, hash=False)
    _accounts: dict = field(default_factory=dict, compare=False, repr=False, hash=False)
    _locations: dict = field(default_factory=dict, compare=False, repr=False, hash=False)
    _unknown: set = field(default_factory=set, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._things.update({t.id: t for t in self.things})
        self._accounts.update({a.id: a for a in self.accounts})
        unknown = {a.id for a in self.accounts if a.sign_in_unknown}
        if len(unknown) < len(self._accounts):   # all unknown: nothing to compare with, judged as listed
            self._unknown.update(unknown)

    def strength_unknown(self, account_id: str | None) -> bool:
        """Is this account's strength unknown? True for an account marked ``sign_in_unknown``
        (unless every account is): its listed methods may not be all it has."""
        return account_id in self._unknown

    def thing(self, thing_id: str) -> Thing:
        return self._things[thing_id]

    def account(self, account_id: str) -> Account:
        return self._accounts[account_id]

    def has_thing(self, thing_id: str | None) -> bool:
        return thing_id in self._things

    def has_account(self, account_id: str | None) -> bool:
        return account_id in self._accounts

    def location(self, thing_id: str) -> Location:
        """Where a thing physically is; numbers, apps and files inherit from ``on`` (cached)."""
        loc = self._locations.get(thing_id)
        if loc is None:
            loc = self._locations[thing_id] = self._location(thing_id)
        return loc

    def _location(self, thing_id: str) -> Location:
        seen = set()
        t = self._things[thing_id]
        while t.location is None and t.on is not None and t.on not in seen and t.on in self._things:
            seen.add(t.id)
            t = self._things[t.on]
        if t.location is not None:
            return t.location
        if t.type is ThingType.CODE_STORE and t.kind in DEFAULT_STORE_LOCATION:
            return DEFAULT_STORE_LOCATION[t.kind]
        return DEFAULT_LOCATION.get(t.type, Location.CARRIED)

    def name(self, ident: str) -> str:
        if ident in self._accounts:
            return self._accounts[ident].name
        if ident in self._things:
            return self._things[ident].label
        return ident

    def names(self, ids, limit: int = 2) -> str:
        """'A', 'A and B', 'A, B and C' (up to ``limit`` names), 'A, B and 3 more'."""
        ids = list(ids)
        shown = [self.name(i) for i in ids[:limit]]
        if len(ids) > limit:
            return ", ".join(shown) + f" and {len(ids) - limit} more"
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

    def device_of(self, thing_id: str | None) -> str | None:
        """The phone or device a thing physically sits on (itself for phones and devices)."""
        seen = set()
        while thing_id and thing_id in self._things and thing_id not in seen:
            seen.add(thing_id)
            t = self._things[thing_id]
            if t.type in _HOLDERS:
                return t.id
            thing_id = t.on
        return None


def from_attributes(cls):
    """A constructor ``f(d) -> cls`` from an attribute dict, for a frozen, slotted dataclass of this
    module: what the parser calls once per object. ``cls(**d)`` spends most of its time matching
    keyword arguments; this sets each slot straight from ``d`` (or its default), as the dataclass's
    own ``__init__`` would. Generated once per class, from the class's fields."""
    from dataclasses import MISSING, fields as _fields

    names = [f.name for f in _fields(cls)]
    env: dict = {"_new": object.__new__, "_cls": cls}
    lines = ["def build(d):", "    o = _new(_cls)", "    get = d.get"]
    for i, f in enumerate(_fields(cls)):
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: from_attributes handles plain defaults only")
        env[f"_set{i}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            lines.append(f"    _set{i}(o, d[{f.name!r}])")
        else:
            env[f"_default{i}"] = f.default
            lines.append(f"    _set{i}(o, get({f.name!r}, _default{i}))")
    lines.append("    return o")
    exec("\n".join(lines), env)   # noqa: S102 - source built above from the class's own field names
    build = env["build"]
    build.__name__ = build.__qualname__ = f"{cls.__name__}_from_attributes"
    build.__doc__ = f"{cls.__name__} from an attribute dict with keys among {', '.join(names)}."
    return build
