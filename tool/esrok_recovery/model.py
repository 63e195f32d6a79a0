"""The plan model: frozen dataclasses and enums. No behaviour beyond small lookups.

A *plan* lists the things a person has (phones, numbers, keys, apps, places where
backup codes are kept, recovery contacts) and their accounts (how they sign in and
how they would recover). Every reference names an id: ``on`` names a thing,
``via`` names an account.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

FORMAT_VERSION = 1


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


class AccountKind(str, enum.Enum):
    EMAIL = "email"
    PASSWORD_MANAGER = "password_manager"
    APPLE = "apple"
    GOOGLE = "google"
    MICROSOFT = "microsoft"
    CARRIER = "carrier"
    BANK = "bank"
    WORK = "work"
    SOCIAL = "social"
    OTHER = "other"


class Importance(str, enum.Enum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    NORMAL = "normal"


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
IMPORTANCE_WEIGHT = {Importance.CRITICAL: 3, Importance.IMPORTANT: 2, Importance.NORMAL: 1}

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


@dataclass(frozen=True, slots=True)
class Habits:
    lost_device_playbook: bool = False
    escalation_plan: bool = False
    enrolls_before_retiring: bool = False
    watches_alerts: bool = False


@dataclass(frozen=True, slots=True)
class Thing:
    id: str
    type: ThingType
    label: str
    location: Location | None = None   # as written in the plan; see effective_location
    on: str | None = None               # thing id (number on phone, app on phone, file on device)
    via: str | None = None              # account id (vault for password_manager stores, app cloud backup)
    carrier: str | None = None          # phone_number: carrier account id
    port_out_lock: bool = False         # phone_number
    backup: AppBackup = AppBackup.NONE  # authenticator_app
    kind: StoreKind | None = None       # code_store


@dataclass(frozen=True, slots=True)
class SignIn:
    type: SignInType
    on: str | None = None
    via: str | None = None
    number_matching: bool = False


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
    official_url_recorded: bool = False


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    kind: AccountKind
    importance: Importance
    sign_in: tuple[SignIn, ...] = ()
    backup_codes: BackupCodes | None = None
    recovery: tuple[Recovery, ...] = ()
    recovery_tested_on: str | None = None
    alerts: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    version: int
    as_of: str | None
    habits: Habits
    things: tuple[Thing, ...]
    accounts: tuple[Account, ...]
    _things: dict = field(default_factory=dict, compare=False, repr=False, hash=False)
    _accounts: dict = field(default_factory=dict, compare=False, repr=False, hash=False)
    _locations: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._things.update({t.id: t for t in self.things})
        self._accounts.update({a.id: a for a in self.accounts})

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
