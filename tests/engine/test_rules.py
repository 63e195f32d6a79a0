"""rules.py: the rule table's shape and citations, and every predicate on a small plan: fires on
facts given, stays silent otherwise, and gives a tip (never an action) on facts not given."""
from __future__ import annotations

import copy
import re

import pytest

from esrok_recovery.catalogue import parse_services, with_services
from esrok_recovery.measures import compute
from esrok_recovery.model import Measure, Tier
from esrok_recovery.rules import RULES, RULES_BY_ID, Scope, findings, make_context
from esrok_recovery.scenarios import analyse

from engine_support import base_plan, evaluate, parsed, with_account

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def run(data, unknown=frozenset(), services=None):
    """Findings and tips; ``services``: a catalogue document (the accounts' services are looked up there)."""
    plan = parsed(data)
    catalogue = None
    if services is not None:
        catalogue, problems = parse_services(services)
        assert problems == (), problems
    plan = with_services(plan, catalogue)   # as boundary.evaluate does: the measures see the service's facts
    a = analyse(plan)
    ctx = make_context(plan, a, compute(plan, a), catalogue)
    return findings(ctx, unknown)


def found(data) -> dict:
    return {(f.rule, f.account): f.detail for f in run(data)[0]}


def tips(data) -> dict:
    return {t.rule: (t.accounts, t.unknown) for t in run(data)[1]}


def test_at_least_40_rules_with_unique_kebab_ids():
    assert len(RULES) >= 40
    ids = [r.id for r in RULES]
    assert len(set(ids)) == len(ids)
    assert all(KEBAB.match(i) for i in ids)


def test_every_rule_is_a_complete_row():
    for r in RULES:
        assert isinstance(r.tier, Tier) and isinstance(r.scope, Scope)
        assert r.title and len(r.title) <= 70 and r.action.endswith(".") and r.why.endswith(".")
        assert callable(r.predicate) and r.predicate.__name__ != "<lambda>"
        assert all(c in RULES_BY_ID and c != r.id for c in r.closes)
        assert 1 <= r.effort <= 60
        assert r.measure is None or isinstance(r.measure, Measure)
        assert r.fix is not None or r.do_title, r.id


def test_predicates_are_distinct_named_functions():
    names = [r.predicate.__name__ for r in RULES]
    assert len(set(names)) == len(names)


def test_every_source_is_cited_by_section():
    for r in RULES:
        assert re.search(r"§\d|Appendix [A-Z]|\"[^\"]+\"|\(\w{3} 20\d\d\)", r.source), r.id


def test_every_why_is_sourced_or_softened():
    """No unsourced claims of frequency ("the most common way...")."""
    for r in RULES:
        assert not re.search(r"most common|always|never works|everyone", r.why, re.I), r.id


def test_whys_only_speak_of_lockouts_in_rules_decided_by_the_simulation():
    words = re.compile(r"locked out|lock(s)? you out|lockout", re.I)
    outcome_rules = {"cannot-get-in-today", "password-manager-protects-itself", "circular-recovery",
                     "sms-only-factor-and-recovery", "single-point-of-failure", "lockout-in-scenario"}
    for r in RULES:
        if words.search(r.why + r.action + r.title):
            assert r.id in outcome_rules, r.id


def test_tested_recently_is_one_constant_quoted_in_the_rules():
    assert RULES_BY_ID["recovery-test-stale"].title == "Recovery last tested over 6 months ago"
    assert "every 6 months" in RULES_BY_ID["recovery-test-stale"].why


def sms_only():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"},
                                       {"type": "support", "wait_days": 14, "official_url_recorded": True}]
    return data


def test_sms_only_findings_with_lockout_lengths():
    f = found(sms_only())
    assert f[("sms-only-factor-and-recovery", "mail")] == (
        "Mobile is both the only second step and the only recovery route. If you lose your phone number, you are "
        "locked out of Mail for about 14 days, until the provider's support process lets you back in.")
    assert f[("single-point-of-failure", "mail")] == (
        "losing Mobile alone is enough (Mobile → Mail). If you lose your phone number, you are locked out of Mail "
        "for about 14 days, until the provider's support process lets you back in.")
    assert f[("lockout-in-scenario", "mail")] == (
        "If you lose your phone number, you are locked out of Mail for about 14 days, until the provider's support "
        "process lets you back in.")
    assert f[("sms-on-critical", "mail")] == "signs in with text-message codes (Mobile)"
    assert f[("codes-not-saved", "mail")] == "backup codes were never generated"
    assert ("no-port-out-lock", "mail") not in f      # the plan says it has one


def test_findings_about_lockouts_carry_their_claims():
    claims = {f.rule: [c.as_dict() for c in f.claims] for f in run(sms_only())[0] if f.claims}
    assert claims == {
        "sms-only-factor-and-recovery": [{"scenario": "number-lost", "account": "mail", "state": "locked_out",
                                          "days": 14}],
        "single-point-of-failure": [{"scenario": "number-lost", "account": "mail", "state": "locked_out", "days": 14}],
        "lockout-in-scenario": [{"scenario": "number-lost", "account": "mail", "state": "locked_out", "days": 14}],
    }


def test_a_wait_under_a_week_is_no_lockout_finding():
    data = sms_only()
    data["accounts"][0]["recovery"][1]["wait_days"] = 6
    f = found(data)
    assert not {"sms-only-factor-and-recovery", "single-point-of-failure", "lockout-in-scenario"} & {r for r, _ in f}


def test_critical_password_only_is_a_blocker_and_derived_importance_counts():
    data = base_plan()
    data["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "old"})
    data["accounts"].append({"id": "old", "name": "Old mail", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password", "reused": False}]})
    f = found(data)
    assert f[("critical-password-only", "old")] == ("signs in with a password alone (Old mail counts as critical "
                                                    "because it can reset or unlock Mail)")
    assert RULES_BY_ID["critical-password-only"].tier is Tier.BLOCKER


def test_reused_password_on_a_critical_account_is_a_blocker_and_unknown_reuse_is_a_tip():
    data = base_plan()
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": True}]
    assert found(data)[("reused-password-critical", "mail")] == "its password is also used on another site"
    assert RULES_BY_ID["reused-password-critical"].tier is Tier.BLOCKER
    del data["accounts"][0]["sign_in"][0]["reused"]
    assert ("reused-password-critical", "mail") not in found(data)
    assert tips(data)["reused-password-critical"] == (("mail",), "whether its password is used anywhere else")


def test_weak_fallback_after_a_passkey_or_key():
    data = base_plan()
    data["accounts"][0]["sign_in"].append({"type": "passkey", "on": "phone"})
    assert found(data)[("weak-fallback", "mail")] == ("it has a passkey, but someone can still get in without it "
                                                      "through a recovery phone (Mobile)")
    data["things"].append({"id": "key", "type": "security_key", "label": "Key"})
    data["accounts"][0]["sign_in"].append({"type": "security_key", "on": "key"})
    assert found(data)[("weak-fallback", "mail")] == ("it has a passkey and a security key, but someone can still get "
                                                      "in without them through a recovery phone (Mobile)")
    data["accounts"][0]["accepted"] = ["weak-fallback"]
    f = {x.rule: x for x in run(data)[0]}
    assert f["weak-fallback"].accepted is True


def test_text_message_codes_beside_a_key_are_the_fallback_finding_alone():
    """One root cause, one finding: SMS on a critical account that has a key is weak-fallback (remove the
    fallback, or accept it), never also sms-on-critical, whose step would say to add a key it has."""
    data = sms_only()
    data["things"].append({"id": "key", "type": "security_key", "label": "Key", "location": "home"})
    data["accounts"][0]["sign_in"].append({"type": "security_key", "on": "key"})
    f = found(data)
    assert ("sms-on-critical", "mail") not in f
    assert f[("weak-fallback", "mail")] == ("it has a security key, but someone can still get in without it through "
                                           "text-message codes (Mobile) and a recovery phone (Mobile)")


def test_too_few_recovery_addresses_never_for_an_account_with_codes():
    data = base_plan()
    data["things"].append({"id": "key", "type": "security_key", "label": "Key"})
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "security_key", "on": "key"}]
    data["accounts"][0]["recovery"] = []
    assert ("too-few-recovery-addresses", "mail") not in found(data)
    data["accounts"][0]["backup_codes"] = {"generated": False}
    assert found(data)[("too-few-recovery-addresses", "mail")] == (
        "no backup codes, recovery address or recovery contact: only the provider's support process is left")
    assert "phone" not in RULES_BY_ID["too-few-recovery-addresses"].action.replace("a phone number is not suggested",
                                                                                   "")


@pytest.mark.parametrize("change, detail", [
    (lambda d: d["accounts"].append({"id": "work", "name": "Work mail", "kind": "work", "importance": "normal",
                                     "sign_in": [{"type": "password"}]}) or
     d["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "work"}),
     "the recovery email Work mail is a work address, which stops working when you leave"),
    (lambda d: d["accounts"].append({"id": "uni", "name": "Uni mail", "kind": "school", "importance": "normal",
                                     "sign_in": [{"type": "password"}]}) or
     d["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "uni"}),
     "the recovery email Uni mail is a school address, which stops working when you leave"),
    (lambda d: d["things"][1].update(kind="someone_else"),
     "Mobile is someone else's number: they receive your codes, and it goes when they change it"),
    (lambda d: d["things"][1].update(kind="prepaid"),
     "Mobile is a prepaid number, which the carrier can reassign after a few months without use"),
    (lambda d: d["things"][1].update(kind="travel"), "Mobile is a travel or temporary SIM, which stops working after "
                                                     "the trip"),
])
def test_addresses_likely_to_stop_working_or_shared(change, detail):
    data = base_plan()
    change(data)
    assert found(data)[("recovery-address-may-lapse", "mail")] == detail


@pytest.mark.parametrize("where, key, rule, detail, unknown", [
    (1, "port_out_lock", "no-port-out-lock", "Mobile has no carrier PIN or port-out lock",
     "whether your number has a carrier PIN or port-out lock"),
    (1, "sim_pin", "sim-without-pin", "the SIM of Mobile has no PIN", "whether your SIM has a PIN"),
    (1, "voicemail_pin", "voicemail-without-pin", "the voicemail of Mobile has no PIN",
     "whether your voicemail has a PIN"),
    (0, "screen_lock", "phone-without-screen-lock", "Phone has no screen lock, yet it holds a way into this account",
     "whether your phone locks with a PIN, fingerprint or face"),
])
def test_the_phone_itself_fires_on_no_and_tips_on_not_recorded(where, key, rule, detail, unknown):
    data = base_plan()
    data["accounts"][0]["sign_in"].append({"type": "sms", "on": "mobile"})
    data["things"][where][key] = False
    assert found(data)[(rule, "mail")] == detail
    del data["things"][where][key]
    assert (rule, "mail") not in found(data)
    assert tips(data)[rule] == (("mail",), unknown)


def test_habits_never_asked_are_tips_never_actions():
    data = base_plan()
    del data["habits"]
    f = found(data)
    assert not {"retire-before-enrol", "no-escalation-plan", "no-lost-device-playbook", "not-watching-alerts"} & \
        {r for r, _ in f}
    assert set(tips(data)) >= {"retire-before-enrol", "no-escalation-plan", "no-lost-device-playbook",
                               "not-watching-alerts"}
    data["habits"] = {"enrolls_before_retiring": False}
    assert found(data)[("retire-before-enrol", None)] == \
        "you do not always enrol a new phone or key before retiring the old one"


def test_unknown_rules_from_skipped_questions_become_tips():
    data = base_plan()
    data["accounts"][0]["recovery"] = [{"type": "recovery_phone", "on": "mobile"}]
    data["accounts"][0]["backup_codes"] = {"generated": False}
    assert ("no-recovery-contact", "mail") in found(data)
    f, t = run(data, frozenset({"no-recovery-contact@mail", "codes-not-saved"}))
    assert not {"no-recovery-contact", "codes-not-saved"} & {x.rule for x in f}
    assert {x.rule for x in t} >= {"codes-not-saved"}


def test_totp_single_phone_fix_prefers_a_second_device_and_exports_only_off_the_phone():
    r = RULES_BY_ID["totp-single-phone"]
    assert r.action.startswith("Set the authenticator up on a second device too, or register a security key")
    assert "a place you can reach without this phone" in r.action


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_every_rule_fires_somewhere_in_the_goldens_or_personas(rule):
    from engine_support import golden_files, load_golden, persona_files
    for p in golden_files() + persona_files():
        doc = load_golden(p)
        if any(f.rule == rule for f in run(doc["plan"], services=doc.get("services"))[0]):
            return
    extra = {
        "used-codes-not-regenerated": lambda d: d["accounts"][0]["backup_codes"].update(used=3),
        "recovery-test-stale": lambda d: d["accounts"][0].update(recovery_tested_on="2025-01-01"),
        "recovery-never-tested": lambda d: d["accounts"][0].update(recovery_tested_on="never"),
        "alerts-off": lambda d: d["accounts"][0].update(alerts=False),
        "reused-password-critical": lambda d: d["accounts"][0].update(sign_in=[{"type": "password", "reused": True}]),
        "no-escalation-plan": lambda d: d["habits"].update(escalation_plan=False),
        "no-lost-device-playbook": lambda d: d["habits"].update(lost_device_playbook=False),
        "not-watching-alerts": lambda d: d["habits"].update(watches_alerts=False),
    }
    data = copy.deepcopy(base_plan())
    extra.get(rule, lambda d: None)(data)
    catalogue = None
    if rule == "passkey-available":   # a service taking a passkey as a second step, a normal account without one
        data["accounts"][0].update(service="example.com", importance="normal", sign_in=[{"type": "password"}])
        catalogue = services(passkey=["second_factor"], sources=["2fa-directory", "passkeys"])
    assert any(f.rule == rule for f in run(data, services=catalogue)[0]), f"{rule} fires in no golden, persona or example"


# --- the service-aware rules (the catalogue passed in) -------------------------------------------

SOURCES = [{"id": "2fa-directory", "name": "2FA Directory", "date": "2026-08-04", "licence": "MIT",
            "attribution": "From 2FA Directory."},
           {"id": "passkeys", "name": "Passkeys Directory", "date": "2026-08-04", "licence": "CC BY 4.0",
            "attribution": "From the Passkeys Directory."}]


def services(**service) -> dict:
    entry = {"domain": "example.com", "name": "Example", "sources": ["2fa-directory"]}
    entry.update(service)
    return {"format": 1, "sources": SOURCES, "services": [entry]}


def on_sms(importance="critical") -> dict:
    data = base_plan()
    a = data["accounts"][0]
    a.update(service="example.com", importance=importance)
    a["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    return data


def fixes_for(data, catalogue, rule):
    from esrok_recovery.boundary import evaluate_data
    out = evaluate_data({"plan": data, "services": catalogue})
    assert out["ok"], out
    return next((a for a in out["actions"] if a["rule"] == rule), None), out


@pytest.mark.parametrize("offered, title, added", [
    ({"methods": ["sms", "security_key"]}, "Switch Mail to a security key", {"type": "security_key", "on": "security-key"}),
    ({"methods": ["sms", "totp"]}, "Switch Mail to an authenticator app", {"type": "totp", "on": "app"}),
    ({"methods": ["sms", "vendor_app"], "vendor_apps": ["Example Pay"]}, "Switch Mail to sign-in prompts in its app",
     {"type": "push", "on": "phone"}),
    ({"methods": ["sms"], "passkey": ["second_factor", "passwordless"], "sources": ["2fa-directory", "passkeys"]},
     "Switch Mail to a passkey", {"type": "passkey", "on": "phone"}),
    ({"methods": ["sms", "totp"], "passkey": ["passwordless"], "sources": ["2fa-directory", "passkeys"]},
     "Switch Mail to an authenticator app", {"type": "totp", "on": "app"}),
])
def test_stronger_method_switches_to_the_strongest_the_service_offers(offered, title, added):
    action, _ = fixes_for(on_sms(), services(**offered), "stronger-method-available")
    assert action["title"] == title
    assert {"op": "add", "path": "accounts/mail/sign_in", "value": added} in action["fix"]
    assert {"op": "remove", "path": "accounts/mail/sign_in", "match": {"type": "sms", "on": "mobile"}} in action["fix"]


def test_nothing_stronger_offered_means_no_switch_and_no_generic_switch_either():
    f = found_with(on_sms(), services(methods=["sms", "call"]))
    assert not {r for r, _ in f} & {"stronger-method-available", "sms-on-critical", "not-phishing-resistant",
                                    "passkey-available", "method-not-listed"}
    assert ("no-port-out-lock", "mail") not in f and ("codes-not-saved", "mail") not in f   # the plan's facts hold


def found_with(data, catalogue) -> dict:
    return {(f.rule, f.account): f.detail for f in run(data, services=catalogue)[0]}


def tips_with(data, catalogue) -> dict:
    return {t.rule: (t.accounts, t.unknown) for t in run(data, services=catalogue)[1]}


def test_a_key_user_is_not_told_a_passkey_is_stronger():
    data = on_sms()
    data["things"].append({"id": "k", "type": "security_key", "label": "Key"})
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}, {"type": "security_key", "on": "k"}]
    f = found_with(data, services(methods=["totp", "security_key"], passkey=["passwordless"],
                                  sources=["2fa-directory", "passkeys"]))
    assert not {r for r, _ in f} & {"stronger-method-available", "passkey-available"}


@pytest.mark.parametrize("passkey, rule, tier, claim", [
    (["second_factor"], "passkey-available", "durability", "so a leaked or phished password alone no longer gets anyone in"),
    (["second_factor", "passwordless"], "passkey-available", "durability", "password alone no longer gets anyone in"),
    (["passwordless"], "passkey-instead-of-password", "readiness",
     "The password still works on its own at this service (a passkey there replaces it at sign-in, it is no second "
     "step), so keep it unique"),
])
def test_a_passkey_instead_of_the_password_is_not_said_to_lock_the_password_out(passkey, rule, tier, claim):
    data = on_sms(importance="normal")
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}]
    action, out = fixes_for(data, services(passkey=passkey, sources=["2fa-directory", "passkeys"]), rule)
    assert action["title"] == "Add a passkey to Mail" and claim in action["do"] and action["tier"] == tier
    assert {a["rule"] for a in out["actions"]} & {"passkey-available", "passkey-instead-of-password"} == {rule}
    if rule == "passkey-instead-of-password":   # the password alone still gets in: no lock, no cost
        assert action["gain"]["protection"]["change"] == 0 and action["gain"]["recoverability"]["change"] >= 0
        assert action["trade_off"] is None and action["measure"] is None


def test_a_passkey_that_only_replaces_the_password_is_not_offered_in_place_of_a_second_step():
    """SMS codes at a service whose passkeys only replace the password: swapping the codes for a passkey would
    leave the password alone as a way in, so the switch names the stronger second step instead."""
    f = found_with(on_sms(), services(methods=["sms", "security_key"], passkey=["passwordless"],
                                      sources=["2fa-directory", "passkeys"]))
    assert f[("stronger-method-available", "mail")] == (
        "signs in with text-message codes (Mobile); Example also offers security keys, all stronger (data of "
        "2026-08-04); the Passkeys Directory lists its passkeys as a replacement for the password, not a second step")
    action, _ = fixes_for(on_sms(), services(methods=["sms"], passkey=["passwordless"],
                                             sources=["2fa-directory", "passkeys"]), "stronger-method-available")
    assert action is None   # no stronger second step offered: nothing to switch to


def test_a_password_that_still_gets_in_beside_a_passkey_keeps_its_advice():
    """An account that already has a passkey the service takes only instead of the password: the password alone
    still gets in, so the unique-password advice (no 2FA) or the second step (critical) still applies."""
    data = on_sms(importance="important")
    data["accounts"][0]["sign_in"] = [{"type": "password"}, {"type": "passkey", "on": "phone"}]
    no_2fa = services(passkey=["passwordless"], sources=["2fa-directory", "passkeys"])
    f = found_with(data, no_2fa)
    assert ("no-2fa-offered", "mail") in f and ("passkey-instead-of-password", "mail") not in f
    data["accounts"][0]["importance"] = "critical"
    f = found_with(data, services(methods=["totp"], passkey=["passwordless"], sources=["2fa-directory", "passkeys"]))
    assert f[("critical-password-only", "mail")].startswith("signs in with a password alone")


def test_password_only_at_a_service_with_2fa_turns_on_its_strongest_step_and_names_what_it_offers():
    data = on_sms()
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}]
    action, out = fixes_for(data, services(methods=["sms"]), "critical-password-only")
    assert action["detail"] == ("signs in with a password alone; Example offers text message (SMS) codes "
                                "(data of 2026-08-04)")
    assert action["do"].startswith("Turn on two-step sign-in with text-message codes, then print the backup codes")
    assert {"op": "add", "path": "accounts/mail/sign_in", "value": {"type": "sms", "on": "mobile"}} in action["fix"]
    assert "passkey-available" not in {a["rule"] for a in out["actions"]}


def test_no_2fa_replaces_turn_on_2fa_with_a_unique_password_and_a_guarded_mailbox():
    data = on_sms(importance="important")
    data["accounts"][0]["sign_in"] = [{"type": "password"}]
    data["accounts"][0]["recovery"] = [{"type": "recovery_email", "via": "box"}]
    data["accounts"].append({"id": "box", "name": "Box mail", "kind": "email", "importance": "normal",
                             "sign_in": [{"type": "password", "reused": False}, {"type": "totp", "on": "app"}]})
    catalogue = services()
    f = found_with(data, catalogue)
    assert ("no-second-factor", "mail") not in f and "no-second-factor" not in tips_with(data, catalogue)
    assert f[("no-2fa-offered", "mail")] == ("2FA Directory lists no second sign-in step for Example (data of "
                                             "2026-08-04); Box mail can reset its password")
    action, _ = fixes_for(data, catalogue, "no-2fa-offered")
    assert action["title"] == "Use a unique password for Mail"
    assert action["fix"] == [{"op": "set", "path": "accounts/mail/sign_in", "match": {"type": "password"},
                              "field": "reused", "value": False}]
    assert "Box mail, the email that can reset it, has strong sign-in of its own" in action["do"]
    # a unique password kept in a password manager: nothing left to say here
    data["accounts"].append({"id": "vault", "name": "Vault", "kind": "password_manager", "importance": "normal",
                             "sign_in": [{"type": "password", "reused": False}, {"type": "totp", "on": "app"}]})
    data["accounts"][0]["sign_in"] = [{"type": "password", "via": "vault", "reused": False}]
    assert ("no-2fa-offered", "mail") not in found_with(data, catalogue)
    # a passkey as second factor is 2FA: the generic advice is back, naming the passkey
    data = on_sms(importance="important")
    data["accounts"][0]["sign_in"] = [{"type": "password"}]
    f = found_with(data, services(passkey=["second_factor"], sources=["2fa-directory", "passkeys"]))
    assert ("no-2fa-offered", "mail") not in f
    assert f[("no-second-factor", "mail")] == ("signs in with a password alone; Example offers passkeys (data of "
                                               "2026-08-04)")


def test_a_known_recovery_page_satisfies_the_official_url_and_is_saved_only_when_the_plan_says_no():
    data = on_sms()
    catalogue = services(methods=["sms"], recovery="https://example.com/recover")
    data["accounts"][0]["recovery"].append({"type": "support", "wait_days": 5})
    assert "support-url-not-recorded" not in tips_with(data, catalogue)
    assert ("official-recovery-page-known", "mail") not in found_with(data, catalogue)
    data["accounts"][0]["recovery"][-1]["official_url_recorded"] = False
    f = found_with(data, catalogue)
    assert ("support-url-not-recorded", "mail") not in f
    assert f[("official-recovery-page-known", "mail")] == "Example's official recovery page is known but not saved " \
                                                         "with your plan"
    action, _ = fixes_for(data, catalogue, "official-recovery-page-known")
    assert action["links"] == [{"label": "Example: recover your account", "url": "https://example.com/recover",
                                "kind": "recovery"}]
    assert action["fix"] == [{"op": "set", "path": "accounts/mail/recovery", "match": {"type": "support"},
                              "field": "official_url_recorded", "value": True}]
    # no recovery page listed: the general advice, as before
    assert found_with(data, services(methods=["sms"]))[("support-url-not-recorded", "mail")] == \
        "the official recovery page is not written down"


def test_methods_the_directories_do_not_list_are_a_note_to_check_not_an_error():
    data = on_sms()
    data["accounts"][0]["sign_in"].append({"type": "passkey", "on": "phone"})
    catalogue = services(methods=["totp"])
    assert found_with(data, catalogue)[("method-not-listed", "mail")] == (
        "2FA Directory does not list text message (SMS) codes for Example (data of 2026-08-04); the Passkeys "
        "Directory does not list passkeys for Example (data of 2026-08-04): check your settings")
    # a service only in the Passkeys Directory: its 2FA methods are unknown, so only passkeys are checked
    assert ("method-not-listed", "mail") not in found_with(
        data, services(passkey=["passwordless"], sources=["passkeys"]))


def test_service_action_titles_stay_within_70_characters():
    data = on_sms()
    data["accounts"][0]["name"] = "A very long account name that goes on and on and on for ever"
    data["accounts"][0]["sign_in"] = [{"type": "password"}]
    data["accounts"][0]["importance"] = "important"
    for catalogue in (services(), services(passkey=["passwordless"], sources=["2fa-directory", "passkeys"])):
        from esrok_recovery.boundary import evaluate_data
        out = evaluate_data({"plan": data, "services": catalogue})
        assert out["actions"] and all(len(a["title"]) <= 70 for a in out["actions"])


def test_no_test_is_asked_for_a_backup_way_that_does_not_exist():
    """Only a text message to one number, a recovery phone on that same number and support: nothing to test."""
    data = copy.deepcopy(base_plan())
    acct = data["accounts"][0]
    acct["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    acct["backup_codes"] = {"generated": False}
    acct["recovery"] = [{"type": "recovery_phone", "on": "mobile"}, {"type": "support", "wait_days": 14}]
    for tested in ("never", "2024-01-01"):
        acct["recovery_tested_on"] = tested
        fired = {f.rule for f in run(data)[0]}
        assert not fired & {"recovery-never-tested", "recovery-test-stale"}
    acct["recovery"].append({"type": "recovery_contact", "on": "mum"})
    assert "recovery-test-stale" in {f.rule for f in run(data)[0]}


def test_turning_on_a_second_step_names_no_passkey_where_passkeys_only_replace_the_password():
    data = on_sms()
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}]
    only = services(methods=["totp"], passkey=["passwordless"], sources=["2fa-directory", "passkeys"])
    action, _ = fixes_for(data, only, "critical-password-only")
    assert action["do"] == ("Turn on two-step sign-in with an authenticator app (a security key, where offered, is "
                            "even better), then print the backup codes the service offers and keep them at home.")
    assert action["gain"]["protection"]["change"] > 0
    both = services(methods=["totp"], passkey=["second_factor", "passwordless"], sources=["2fa-directory", "passkeys"])
    action, _ = fixes_for(data, both, "critical-password-only")
    assert action["title"] == "Turn on a second sign-in step for Mail" and "passkey" in action["do"]


def test_an_account_whose_sign_in_is_not_all_known_is_not_told_what_it_lacks():
    data = with_account(base_plan(), id="mbox", name="Old mailbox", kind="email", importance="normal",
                        sign_in=[{"type": "password"}])
    data["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "mbox"})
    listed = found(data)
    assert ("critical-password-only", "mbox") in listed           # it can reset a critical account
    data["accounts"][1]["sign_in_unknown"] = True
    unknown = found(data)
    lacks = {r.id for r in RULES if r.lacks}
    assert not [key for key in unknown if key[1] == "mbox" and key[0] in lacks]
    assert unknown[("recovery-address-strength-unknown", "mail")] == (
        "a reset through Old mailbox gets into this account, and not every way Old mailbox signs in is recorded, "
        "so Protection cannot count it")
    assert lacks == {"no-sign-in-method", "critical-password-only", "sms-only-factor-and-recovery",
                     "single-factor-no-codes", "single-security-key", "stronger-method-available",
                     "passkey-available", "not-phishing-resistant", "no-second-factor", "passkey-instead-of-password"}


def test_replacing_a_work_address_is_measured_only_when_the_plan_has_an_address_to_move_to():
    data = with_account(base_plan(), id="job", name="Work mail", kind="work", importance="normal",
                        sign_in=[{"type": "password"}])
    data["accounts"][0]["recovery"].append({"type": "recovery_email", "via": "job"})

    def lapse(d):
        return next(a for a in evaluate(d)["actions"] if a["rule"] == "recovery-address-may-lapse")
    alone = lapse(data)
    # removing the work address alone would be measured as a loss of a way back, though the step is a swap
    assert (alone["title"], alone["fix"], alone["gain"]) == ("Replace the recovery address of Mail with one you keep",
                                                             [], None)
    home = with_account(data, id="home", name="Home mail", kind="email", importance="normal",
                        sign_in=[{"type": "password"}, {"type": "totp", "on": "app"}])
    moved = lapse(home)
    assert [(op["op"], op.get("value", {}).get("via")) for op in moved["fix"]] == [("remove", None), ("add", "home")]
    assert moved["gain"] is not None


def test_a_reused_password_behind_a_second_step_is_durability_not_a_blocker():
    # The second step still stands in the way, so it is not what lets someone in today: the quick
    # check's SMS user with a reused password was told "Change to a unique password" first, measured
    # as no change in either measure, above "Switch to a passkey" (Protection 40 -> 100).
    data = base_plan()
    data["accounts"][0]["sign_in"][0]["reused"] = True          # password and an authenticator app
    f = found(data)
    assert ("reused-password-critical", "mail") not in f
    assert f[("reused-password-behind-second-step", "mail")] == (
        "its password is also used on another site, so only the second step still guards it")
    assert RULES_BY_ID["reused-password-behind-second-step"].tier is Tier.DURABILITY


def vault_with_codes_inside(recovery):
    data = base_plan()
    data["things"].append({"id": "note", "type": "code_store", "kind": "password_manager", "label": "Secure note",
                           "via": "vault"})
    data["accounts"] = [{"id": "vault", "name": "Vault", "kind": "password_manager", "importance": "critical",
                         "alerts": True, "sign_in": [{"type": "password", "reused": False}, {"type": "totp", "on": "app"}],
                         "backup_codes": {"generated": True, "stored_in": ["note"], "remaining": 10},
                         "recovery": recovery, "recovery_tested_on": "2026-10-01"}]
    return data


def test_a_vault_holding_its_own_codes_is_a_blocker_only_where_the_simulation_locks_you_out():
    f = found(vault_with_codes_inside([]))
    assert f[("password-manager-protects-itself", "vault")] == (
        "its backup codes are kept only in Secure note, inside the vault they unlock. If you lose your phone, you "
        "are locked out of Vault with no way back.")
    assert ("password-manager-protects-itself-covered", "vault") not in f
    claims = {(c.scenario, c.account, c.state.value) for fi in run(vault_with_codes_inside([]))[0]
              if fi.rule == "password-manager-protects-itself" for c in fi.claims}
    assert ("phone-lost", "vault", "no_way_back") in claims
    # a recovery contact gets the person back in after every loss: the same keys-inside finding, as durability
    f = found(vault_with_codes_inside([{"type": "recovery_contact", "on": "mum"}]))
    assert ("password-manager-protects-itself", "vault") not in f
    assert f[("password-manager-protects-itself-covered", "vault")] == (
        "its backup codes are kept only in Secure note, inside the vault they unlock. For now another way back "
        "covers for it: after every loss in the simulation you get back in")
    assert RULES_BY_ID["password-manager-protects-itself-covered"].tier is Tier.DURABILITY


def test_a_recovery_contact_is_not_advised_where_it_would_only_be_a_weaker_way_in():
    data = base_plan()
    data["things"] += [{"id": "key", "type": "security_key", "label": "Key", "location": "carried"},
                       {"id": "spare", "type": "security_key", "label": "Spare key", "location": "home"}]
    data["accounts"][0].update(sign_in=[{"type": "password", "reused": False}, {"type": "security_key", "on": "key"},
                                        {"type": "security_key", "on": "spare"}],
                               backup_codes={"generated": False}, recovery=[])
    # two keys: every loss leaves a way back, and a contact (a reset without the key) would only weaken it
    assert ("no-recovery-contact", "mail") not in found(data)
    # one key: losing it locks the person out, so a contact is worth its cost
    data["accounts"][0]["sign_in"].pop()
    assert found(data)[("no-recovery-contact", "mail")] == "no recovery contact is set up, and no backup codes either"
