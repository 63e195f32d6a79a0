"""parse.py: the parser generated from the field table collects every problem with its JSON path,
exact wording and did-you-mean hints of the expected type; version 1 plans still import."""
from __future__ import annotations

import copy
import json

import pytest

from esrok_recovery.fields import SHAPES
from esrok_recovery.model import AccountKind, Importance, Location, NumberKind, SignInType, ThingType
from esrok_recovery.parse import MAX_INPUT_CHARS, decode, loads, parse_plan

from engine_support import base_plan


def problems(data) -> list[str]:
    plan, probs = parse_plan(data)
    assert plan is None
    return [str(p) for p in probs]


def test_valid_plan_parses_into_frozen_model():
    plan, probs = parse_plan(base_plan())
    assert probs == ()
    assert plan.as_of == "2026-11-29" and plan.version == 2 and plan.migrated_from is None
    assert plan.thing("phone").type is ThingType.PHONE and plan.thing("phone").screen_lock is True
    assert plan.location("mobile") is Location.CARRIED      # inherits from its phone
    assert plan.location("paper") is Location.HOME          # paper defaults to home
    mail = plan.account("mail")
    assert mail.kind is AccountKind.EMAIL and mail.importance is Importance.CRITICAL
    assert [m.type for m in mail.sign_in] == [SignInType.PASSWORD, SignInType.TOTP]
    assert mail.sign_in[0].reused is False
    with pytest.raises(AttributeError):
        mail.name = "x"


def test_facts_left_out_are_not_recorded_never_false():
    data = base_plan()
    for key in ("screen_lock",):
        data["things"][0].pop(key)
    for key in ("port_out_lock", "sim_pin", "voicemail_pin"):
        data["things"][1].pop(key)
    del data["habits"]
    data["accounts"][0].pop("alerts")
    data["accounts"][0].pop("backup_codes")
    data["things"][2].pop("backup")
    plan = parse_plan(data)[0]
    assert plan.thing("phone").screen_lock is None
    assert (plan.thing("mobile").port_out_lock, plan.thing("mobile").sim_pin, plan.thing("mobile").voicemail_pin) == \
        (None, None, None)
    assert plan.habits.watches_alerts is None and plan.habits.lost_device_playbook is None
    assert plan.account("mail").alerts is None and plan.account("mail").backup_codes is None
    assert plan.thing("app").backup is None


def test_version_1_plans_import_and_say_so():
    data = base_plan()
    data["version"] = 1
    data["things"][0].pop("screen_lock")
    for key in ("sim_pin", "voicemail_pin"):
        data["things"][1].pop(key)
    data["accounts"][0]["sign_in"][0].pop("reused")
    plan, probs = parse_plan(data)
    assert probs == () and plan.version == 2 and plan.migrated_from == 1


def test_version_2_fields_in_a_version_1_plan_are_named():
    data = base_plan()
    data["version"] = 1
    assert problems(data) == [
        'things[0].screen_lock: "screen_lock" is new in plan format version 2; set "version": 2 to use it',
        'things[1].sim_pin: "sim_pin" is new in plan format version 2; set "version": 2 to use it',
        'things[1].voicemail_pin: "voicemail_pin" is new in plan format version 2; set "version": 2 to use it',
        'accounts[0].sign_in[0].reused: "reused" is new in plan format version 2; set "version": 2 to use it',
    ]


def test_the_contract_example_error_message():
    data = base_plan()
    data["accounts"][0]["sign_in"][1] = {"type": "totp", "on": "ap"}
    assert problems(data) == ['accounts[0].sign_in[1].on: no thing with id "ap"; did you mean "app"?']


def test_did_you_mean_respects_the_expected_type():
    """An SMS "on" naming a missing thing suggests phone numbers, not the phone."""
    data = base_plan()
    data["accounts"][0]["sign_in"][1] = {"type": "sms", "on": "phne"}
    assert problems(data) == ['accounts[0].sign_in[1].on: no thing with id "phne"; things it can name: mobile']
    data["accounts"][0]["sign_in"][1] = {"type": "sms", "on": "mobil"}
    assert problems(data) == ['accounts[0].sign_in[1].on: no thing with id "mobil"; did you mean "mobile"?']
    data["things"] = [t for t in data["things"] if t["type"] != "phone_number"]
    data["accounts"][0]["recovery"] = []
    data["accounts"][0]["sign_in"][1] = {"type": "sms", "on": "phne"}
    assert problems(data) == ['accounts[0].sign_in[1].on: no thing with id "phne"; the plan has no thing of type '
                              'phone_number yet']


def test_every_problem_is_listed_not_just_the_first():
    data = base_plan()
    data["version"] = 3
    data["things"][0]["lable"] = "x"
    data["accounts"][0]["kind"] = "emial"
    data["accounts"][0]["importance"] = "urgent"
    data["accounts"][0]["backup_codes"]["remaining"] = -1
    data["accounts"][0]["recovery"][0]["on"] = "mum"
    assert problems(data) == [
        "version: unsupported version 3; this engine reads versions 1 and 2",
        'things[0].lable: unknown key "lable"; did you mean "label"?',
        'accounts[0].kind: unknown kind "emial"; did you mean "email"?',
        'accounts[0].importance: unknown importance "urgent"; expected one of: critical, important, normal',
        "accounts[0].backup_codes.remaining: must be 0 or more, got -1",
        'accounts[0].recovery[0].on: "mum" is a recovery_contact, but "on" here needs a phone_number',
    ]


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.pop("version"), '(plan): missing required key "version" (use 2)'),
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
     'things[5].via: "via" applies only when "backup" is "cloud"; remove "via" or change "backup"'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "password_manager"}),
     'things[5]: missing required key "via" (the password-manager account holding the codes)'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "password_manager", "via": "mail"}),
     'things[5].via: "mail" is an email account, but "via" here needs an account of kind: password_manager'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "device_file", "on": "mum"}),
     'things[5].on: "mum" is a recovery_contact, but "on" here needs a phone or device'),
    (lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "paper", "on": "phone"}),
     'things[5].on: "on" applies only when "kind" is "device_file"; remove "on" or change "kind"'),
    (lambda d: d["things"].append({"id": "n2", "type": "phone_number", "carrier": "mail"}),
     'things[5].carrier: "mail" is an email account, but "carrier" here needs an account of kind: carrier'),
    (lambda d: d["things"].append({"id": "n2", "type": "phone_number", "kind": "burner"}),
     'things[5].kind: unknown kind "burner"; expected one of: mine, prepaid, travel, work, someone_else'),
    (lambda d: d["things"][0].update(location="pocket"),
     'things[0].location: unknown location "pocket"; expected one of: carried, home, elsewhere'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "totp", "on": "mobile"}]),
     'accounts[0].sign_in[0].on: "mobile" is a phone_number, but "on" here needs an authenticator_app'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "sms"}]),
     'accounts[0].sign_in[0]: missing required key "on" (a phone_number)'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "sms", "on": "mobile", "via": "mail"}]),
     'accounts[0].sign_in[0].via: "via" does not apply to sms sign-in; allowed keys: type, on'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "passkey"}]),
     'accounts[0].sign_in[0]: passkey sign-in needs exactly one of "on" or "via": "on" (the phone, device or '
     'security key it is bound to); "via" (the account it syncs through)'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "password", "via": "mail"}]),
     'accounts[0].sign_in[0].via: "mail" is an email account, but "via" here needs an account of kind: '
     'password_manager'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "email_code"}]),
     'accounts[0].sign_in[0]: missing required key "via" (the email account the codes go to)'),
    (lambda d: d["accounts"][0].update(sign_in=[{"type": "push", "on": "phone", "number_matching": 1}]),
     "accounts[0].sign_in[0].number_matching: expected true or false, got a number"),
    (lambda d: d["accounts"][0].update(sign_in="password"), "accounts[0].sign_in: expected a list, got a string"),
    (lambda d: d["accounts"][0].update(sign_in=["password"]), "accounts[0].sign_in[0]: expected an object, got a string"),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email"}]),
     'accounts[0].recovery[0]: missing required key "via" (the email account), or set "dead": true'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "support"}]),
     'accounts[0].recovery[0]: missing required key "wait_days" (how many days the provider\'s recovery process '
     'typically takes; 0 if same day)'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "support", "wait_days": "two weeks"}]),
     "accounts[0].recovery[0].wait_days: expected a whole number, got a string"),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "support", "wait_days": 10 ** 9}]),
     "accounts[0].recovery[0].wait_days: must be at most 100000, got 1000000000"),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "security_question"}]),
     'accounts[0].recovery[0].type: unknown type "security_question"; did you mean "security_questions"?'),
    (lambda d: d["accounts"][0]["backup_codes"].update(stored_in=["papr"]),
     'accounts[0].backup_codes.stored_in[0]: no thing with id "papr"; did you mean "paper"?'),
    (lambda d: d["accounts"][0]["backup_codes"].update(stored_in=["phone"]),
     'accounts[0].backup_codes.stored_in[0]: "phone" is a phone, but "stored_in" here needs a code_store'),
    (lambda d: d["accounts"][0]["backup_codes"].update(generated=False),
     'accounts[0].backup_codes.generated: "generated" is false but codes are listed; set it to true or remove '
     '"stored_in" and "remaining"'),
    (lambda d: d["accounts"][0]["backup_codes"].pop("generated"), 'accounts[0].backup_codes: missing required key "generated"'),
    (lambda d: d["accounts"][0].update(recovery_tested_on="last year"),
     'accounts[0].recovery_tested_on: expected a date written YYYY-MM-DD or "never", got "last year"'),
    (lambda d: d["accounts"][0].update(name=""), "accounts[0].name: must not be empty"),
    (lambda d: d["accounts"][0].update(alert=True), 'accounts[0].alert: unknown key "alert"; did you mean "alerts"?'),
    (lambda d: d["accounts"][0].update(accepted=["weak-falback"]),
     'accounts[0].accepted[0]: no rule with id "weak-falback"; did you mean "weak-fallback"?'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email", "via": "gmial"}]),
     'accounts[0].recovery[0].via: no account with id "gmial"; did you mean "mail"?'),
    (lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email", "via": "zzzz"}]),
     'accounts[0].recovery[0].via: no account with id "zzzz"; accounts it can name: mail'),
    (lambda d: d["accounts"][0].update(service="https://GitHub.com/login"),
     'accounts[0].service: "https://GitHub.com/login" is not written as a domain; write "github.com"'),
    (lambda d: d["accounts"][0].update(service="my bank"),
     'accounts[0].service: "my bank" is not a domain; write the service\'s web address, like "github.com", or '
     'leave "service" out'),
    (lambda d: d["accounts"][0].update(service=7), "accounts[0].service: expected a string, got a number"),
])
def test_single_problem_messages(mutate, expected):
    data = base_plan()
    mutate(data)
    assert problems(data) == [expected]


def test_an_accounts_service_is_read_and_optional():
    data = base_plan()
    assert parse_plan(data)[0].account("mail").service is None
    data["accounts"][0]["service"] = "mail.google.com"
    assert parse_plan(data)[0].account("mail").service == "mail.google.com"
    data["version"] = 1
    assert 'accounts[0].service: "service" is new in plan format version 2; set "version": 2 to use it' in \
        problems(data)


def test_never_and_dates_are_read():
    data = base_plan()
    data["accounts"][0]["recovery_tested_on"] = "never"
    assert parse_plan(data)[0].account("mail").recovery_tested_on == "never"


def test_number_kind_and_accepted_trade_offs_are_read():
    data = base_plan()
    data["things"][1]["kind"] = "prepaid"
    data["accounts"][0]["accepted"] = ["weak-fallback", "no-recovery-contact", "weak-fallback"]
    plan = parse_plan(data)[0]
    assert plan.thing("mobile").number_kind is NumberKind.PREPAID
    assert plan.account("mail").accepted == ("no-recovery-contact", "weak-fallback")


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
    ("[" * 100000, "(plan): the JSON is nested too deeply (a plan is at most 5 levels deep); check the file is a "
                   "recovery plan"),
    ("[" * 100000 + "]" * 100000, "(plan): the JSON is nested too deeply (a plan is at most 5 levels deep); check "
                                  "the file is a recovery plan"),
])
def test_bad_json_is_one_clear_problem(text, expected):
    plan, probs = loads(text)
    assert plan is None
    assert [str(p) for p in probs] == [expected]


def test_a_huge_plan_is_refused_before_decoding():
    text = '{"version": 2, "accounts": [' + " " * MAX_INPUT_CHARS + "]}"
    assert [str(p) for p in loads(text)[1]] == [
        "(plan): the input is 10.0 million characters; the checker reads plans of up to 10 million (about 20,000 "
        "accounts). Split the plan into smaller files"]


def test_integers_of_thousands_of_digits_are_a_field_error_and_other_errors_survive():
    data = base_plan()
    data["accounts"][0]["kind"] = "emial"
    text = json.dumps(data).replace('"remaining": 10', '"remaining": ' + "9" * 5000)
    assert [str(p) for p in loads(text)[1]] == [
        'accounts[0].kind: unknown kind "emial"; did you mean "email"?',
        "accounts[0].backup_codes.remaining: a number with 5000 digits is too large; expected a whole number such as 14",
    ]
    text = json.dumps(base_plan()).replace('"version": 2', '"version": 1' + "0" * 4400)
    assert [str(p) for p in loads(text)[1]] == [
        "version: unsupported version <a number with 4401 digits>; this engine reads versions 1 and 2"]
    text = json.dumps(base_plan()).replace('"label": "Phone"', '"label": 1e400')
    assert [str(p) for p in loads(text)[1]] == ["things[0].label: expected a string, got a number with 5 digits"]


def test_lone_surrogates_are_field_errors_and_messages_stay_printable():
    data = base_plan()
    text = json.dumps(data).replace('"name": "Mail"', '"name": "M\\ud800il"').replace(
        '"label": "Phone"', '"label": "Phone", "\\udfff": 1')
    messages = [str(p) for p in loads(text)[1]]
    assert messages == [
        'things[0].\\udfff: unknown key "\\udfff"; allowed keys: id, type, label, location, screen_lock',
        "accounts[0].name: contains a character that is not valid text (a lone surrogate); retype it",
    ]
    for m in messages:
        m.encode("utf-8")   # printable, never a UnicodeEncodeError
    data, problems_, surrogates = decode('{"a": "\\ud83d\\ude00"}')   # a valid pair is fine
    assert data == {"a": "😀"} and problems_ == ()


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


def test_the_parser_reads_every_field_of_the_table():
    """Every field row of every shape is read into the model (no field the parser forgets)."""
    from dataclasses import fields as dc_fields

    from esrok_recovery.model import Account, BackupCodes, Habits, Recovery, SignIn, Thing
    models = {"thing": Thing, "sign_in": SignIn, "recovery": Recovery, "backup_codes": BackupCodes,
              "account": Account, "habits": Habits}
    for name, model in models.items():
        attrs = {f.name for f in dc_fields(model)}
        shape = SHAPES[name]
        for f in shape.fields + tuple(f for v in shape.variants for f in v.fields):
            assert f.key in attrs, (name, f.name)


def test_generated_readers_agree_with_the_careful_walk(monkeypatch, bench):
    """The generated readers (the fast path for valid objects) give exactly the plan, or exactly the
    problems, that the careful walk alone gives, on valid plans and on thousands of mutated ones."""
    import random

    from esrok_recovery import parse
    from test_fuzz import mutate, samples

    def both(data, check_text):
        fast = parse_plan(data, check_text)
        with monkeypatch.context() as m:
            m.setattr(parse, "_FAST", {name: (lambda r, raw: None) for name in parse._FAST})
            careful = parse_plan(data, check_text)
        return fast, careful

    rnd = random.Random(8)
    plans = samples() + [bench.generate_plan(40, seed=s, mix=mix) for s in (1, 2) for mix in bench.MIXES]
    seen = {"ok": 0, "errors": 0}
    for i in range(3000):
        base = json.loads(json.dumps(rnd.choice(plans)))
        if i % 7 == 0:
            base["version"] = 1
        data, problems_, surrogates = decode(mutate(rnd, base) if i % 5 else json.dumps(base))
        if problems_:
            continue
        fast, careful = both(data, surrogates)
        assert fast == careful, (i, fast[1][:3], careful[1][:3])
        seen["ok" if fast[0] is not None else "errors"] += 1
    assert seen["ok"] > 500 and seen["errors"] > 1000, seen
