"""parse.py: every problem is collected with its JSON path, exact wording, did-you-mean hints."""
from __future__ import annotations

import copy

import pytest

from esrok_recovery.model import AccountKind, Importance, Location, SignInType, ThingType
from esrok_recovery.parse import loads, parse_plan

from engine_support import base_plan


def problems(data) -> list[str]:
    plan, probs = parse_plan(data)
    assert plan is None
    return [str(p) for p in probs]


def test_valid_plan_parses_into_frozen_model():
    plan, probs = parse_plan(base_plan())
    assert probs == ()
    assert plan.as_of == "2026-11-29"
    assert plan.thing("phone").type is ThingType.PHONE
    assert plan.location("mobile") is Location.CARRIED      # inherits from its phone
    assert plan.location("paper") is Location.HOME          # paper defaults to home
    mail = plan.account("mail")
    assert mail.kind is AccountKind.EMAIL and mail.importance is Importance.CRITICAL
    assert [m.type for m in mail.sign_in] == [SignInType.PASSWORD, SignInType.TOTP]
    with pytest.raises(AttributeError):
        mail.name = "x"


def test_the_contract_example_error_message():
    data = base_plan()
    data["accounts"][0]["sign_in"][1] = {"type": "sms", "on": "phne"}
    assert problems(data) == ['accounts[0].sign_in[1].on: no thing with id "phne"; did you mean "phone"?']


def test_every_problem_is_listed_not_just_the_first():
    data = base_plan()
    data["version"] = 2
    data["things"][0]["lable"] = "x"
    data["accounts"][0]["kind"] = "emial"
    data["accounts"][0]["importance"] = "urgent"
    data["accounts"][0]["backup_codes"]["remaining"] = -1
    data["accounts"][0]["recovery"][0]["on"] = "mum"
    assert problems(data) == [
        "version: unsupported version 2; this engine reads version 1",
        'things[0].lable: unknown key "lable"; did you mean "label"?',
        'accounts[0].kind: unknown kind "emial"; did you mean "email"?',
        'accounts[0].importance: unknown importance "urgent"; expected one of: critical, important, normal',
        'accounts[0].recovery[0].on: "mum" is a recovery_contact, but a recovery phone needs a phone_number',
        "accounts[0].backup_codes.remaining: must be 0 or more, got -1",
    ]


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.pop("version"), '(plan): missing required key "version" (use 1)'),
    (lambda d: d.pop("accounts"), '(plan): missing required key "accounts" (a list with at least one account)'),
    (lambda d: d.update(accounts=[]), "accounts: add at least one account"),
    (lambda d: d.update(accounts={}), "accounts: expected a list, got an object"),
    (lambda d: d.update(as_of="29/11/2026"), 'as_of: expected a date written YYYY-MM-DD, got "29/11/2026"'),
    (lambda d: d.update(as_of="2026-02-30"), 'as_of: "2026-02-30" is not a real calendar date'),
    (lambda d: d["habits"].update(watches_alerts="yes"), "habits.watches_alerts: expected true or false, got a string"),
    (lambda d: d["habits"].update(playbook=True),
     'habits.playbook: unknown key "playbook"; allowed keys: lost_device_playbook, escalation_plan, '
     'enrolls_before_retiring, watches_alerts'),
    (lambda d: d["things"].append({"id": "phone", "type": "phone"}),
     'things[5].id: duplicate id "phone" (already used at things[0].id); ids must be unique across things '
     'and accounts'),
    (lambda d: d["things"].append({"id": "my phone", "type": "phone"}),
     'things[5].id: invalid id "my phone": use up to 64 letters, digits, "-", "_" or "." (no spaces), '
     'starting with a letter or digit'),
    (lambda d: d["things"].append({"id": "x", "type": "phon"}), 'things[5].type: unknown type "phon"; did you mean "phone"?'),
    (lambda d: d["things"].append({"type": "phone"}), 'things[5]: missing required key "id"'),
    (lambda d: d["things"].append({"id": "k", "type": "security_key", "on": "phone"}),
     'things[5].on: "on" does not apply to a security_key; allowed keys: id, type, label, location'),
    (lambda d: d["things"].append({"id": "a2", "type": "authenticator_app"}),
     'things[5]: missing required key "on" (the phone or device the app runs on)'),
    (lambda d: d["things"].append({"id": "a2", "type": "authenticator_app", "on": "phone", "via": "mail"}),
     'things[5].via: "via" names the account holding a cloud backup; set "backup": "cloud" or remove "via"'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "password_manager"}),
     'things[5]: missing required key "via" (the password-manager account holding the codes)'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "password_manager", "via": "mail"}),
     'things[5].via: "mail" is an email account, but a password-manager code store needs an account of kind: '
     'password_manager'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "device_file", "on": "mum"}),
     'things[5].on: "mum" is a recovery_contact, but a device_file store needs a phone or device'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "paper", "on": "phone"}),
     'things[5].on: "on" does not apply to a paper store; use "location"'),
    (lambda d: d["things"].append({"id": "n2", "type": "phone_number", "carrier": "mail"}),
     'things[5].carrier: "mail" is an email account, but a phone number\'s carrier needs an account of kind: carrier'),
    (lambda d: d["things"][0].update(location="pocket"),
     'things[0].location: unknown location "pocket"; expected one of: carried, home, elsewhere'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "totp", "on": "mobile"}]),
     'accounts[0].sign_in[0].on: "mobile" is a phone_number, but totp sign-in needs an authenticator_app'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "sms"}]),
     'accounts[0].sign_in[0]: missing required key "on" (a phone_number)'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "sms", "on": "mobile", "via": "mail"}]),
     'accounts[0].sign_in[0].via: "via" does not apply to sms sign-in; allowed keys: type, on'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "passkey"}]),
     'accounts[0].sign_in[0]: a passkey needs exactly one of "on" (the phone, device or security key it is '
     'bound to) or "via" (the account it syncs through)'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "password", "via": "mail"}]),
     'accounts[0].sign_in[0].via: "mail" is an email account, but password sign-in needs an account of kind: '
     'password_manager'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "email_code"}]),
     'accounts[0].sign_in[0]: missing required key "via" (the email account the codes go to)'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "push", "on": "phone", "number_matching": 1}]),
     "accounts[0].sign_in[0].number_matching: expected true or false, got a number"),
    (lambda d: d["accounts"][0].update(sign_in="password"), "accounts[0].sign_in: expected a list, got a string"),
    (lambda d: d["accounts"][0].update(sign_in=["password"]), "accounts[0].sign_in[0]: expected an object, got a string"),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email"}]),
     'accounts[0].recovery[0]: missing required key "via" (the email account), or set "dead": true for an '
     'address that no longer works'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "support"}]),
     'accounts[0].recovery[0]: missing required key "wait_days" (how many days the provider\'s recovery process '
     'typically takes; 0 if same day)'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "support", "wait_days": "two weeks"}]),
     "accounts[0].recovery[0].wait_days: expected a whole number, got a string"),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "security_question"}]),
     'accounts[0].recovery[0].type: unknown type "security_question"; did you mean "security_questions"?'),
    (lambda d: d["accounts"][0]["backup_codes"].update(stored_in=["papr"]),
     'accounts[0].backup_codes.stored_in[0]: no thing with id "papr"; did you mean "paper"?'),
    (lambda d: d["accounts"][0]["backup_codes"].update(stored_in=["phone"]),
     'accounts[0].backup_codes.stored_in[0]: "phone" is a phone, but storing backup codes needs a code_store'),
    (lambda d: d["accounts"][0]["backup_codes"].update(generated=False),
     'accounts[0].backup_codes.generated: "generated" is false but codes are listed; set it to true or remove '
     '"stored_in" and "remaining"'),
    (lambda d: d["accounts"][0]["backup_codes"].pop("generated"), 'accounts[0].backup_codes: missing required key "generated"'),
    (lambda d: d["accounts"][0].update(recovery_tested_on="last year"),
     'accounts[0].recovery_tested_on: expected a date written YYYY-MM-DD, got "last year"'),
    (lambda d: d["accounts"][0].update(name=""), "accounts[0].name: must not be empty"),
    (lambda d: d["accounts"][0].update(alert=True), 'accounts[0].alert: unknown key "alert"; did you mean "alerts"?'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email", "via": "gmial"}]),
     'accounts[0].recovery[0].via: no account with id "gmial"; did you mean "mail"?'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email", "via": "zzzz"}]),
     'accounts[0].recovery[0].via: no account with id "zzzz"; known accounts: mail'),
])
def test_single_problem_messages(mutate, expected):
    data = base_plan()
    mutate(data)
    assert problems(data) == [expected]


def test_no_things_at_all_is_named():
    data = base_plan()
    data["things"] = []
    data["accounts"][0] = {"id": "mail", "kind": "email", "importance": "normal",
                           "sign_in": [{"type": "totp", "on": "app"}]}
    assert problems(data) == ['accounts[0].sign_in[0].on: no thing with id "app"; the plan has no things']


@pytest.mark.parametrize("text, expected", [
    ("{bad", '(plan): invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes'),
    ("", "(plan): the input is empty; expected a JSON object"),
    ("[1, 2]", "(plan): expected an object, got a list"),
    ('{"version": NaN}', "(plan): invalid JSON: NaN is not allowed"),
    (b"\xff\xfe", "(plan): the file is not UTF-8 text (byte 0)"),
    ("[" * 100000, "(plan): invalid JSON: nested too deeply"),
])
def test_bad_json_is_one_clear_problem(text, expected):
    plan, probs = loads(text)
    assert plan is None
    assert [str(p) for p in probs] == [expected]


def test_list_order_does_not_matter_after_parsing():
    a = base_plan()
    b = copy.deepcopy(a)
    b["things"].reverse()
    b["accounts"][0]["sign_in"].reverse()
    b["accounts"][0]["recovery"].reverse()
    assert parse_plan(a)[0] == parse_plan(b)[0]


def test_label_and_name_default_to_the_id():
    data = base_plan()
    del data["things"][0]["label"]
    del data["accounts"][0]["name"]
    plan, _ = parse_plan(data)
    assert plan.thing("phone").label == "phone"
    assert plan.account("mail").name == "mail"
