"""rules.py: the rule table's shape, citations and a few predicates in isolation."""
from __future__ import annotations

import re

import pytest

from esrok_recovery.model import Tier
from esrok_recovery.rules import RULES, RULES_BY_ID, Scope, findings, make_context
from esrok_recovery.scenarios import analyse

from engine_support import base_plan, parsed

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def found(data) -> dict:
    plan = parsed(data)
    return {(f.rule, f.account): f.detail for f in findings(make_context(plan, analyse(plan)))}


def test_at_least_25_rules_with_unique_kebab_ids():
    assert len(RULES) >= 25
    ids = [r.id for r in RULES]
    assert len(set(ids)) == len(ids)
    assert all(KEBAB.match(i) for i in ids)


def test_every_rule_is_a_complete_row():
    for r in RULES:
        assert isinstance(r.tier, Tier) and isinstance(r.scope, Scope)
        assert r.title and r.action.endswith(".") and r.why.endswith(".")
        assert callable(r.predicate) and r.predicate.__name__ != "<lambda>"
        assert all(c in RULES_BY_ID and c != r.id for c in r.closes)


def test_predicates_are_distinct_named_functions():
    names = [r.predicate.__name__ for r in RULES]
    assert len(set(names)) == len(names)


def test_every_source_is_cited_by_section():
    for r in RULES:
        assert re.search(r"§\d|Appendix [A-Z]|\"[^\"]+\"|\(\w{3} 20\d\d\)", r.source), r.id


def test_the_minimum_set_from_the_issue_is_present_with_its_citations():
    expect = {
        "single-factor-no-codes": "NIST SP 800-63B-4 §4.1.2.1; OWASP Multifactor Authentication Cheat Sheet, "
                                  "\"Resetting MFA\"",
        "codes-not-saved": "NIST SP 800-63B-4 §4.2.1.1",
        "codes-on-same-phone": "NIST SP 800-63B-4 §4.2.1.1, §4.3",
        "recovery-email-dead": "NIST SP 800-63B-4 §4.2.1.2",
        "recovery-email-loops-back": "NIST SP 800-63B-4 §4.2.1.2",
        "sms-only-factor-and-recovery": "NIST SP 800-63B-4 §3.1.3.3",
        "synced-passkey-weak-identity": "NIST SP 800-63B-4 Appendix B",
        "sms-on-critical": "NIST SP 800-63B-4 §3.1.3.3; CISA Mobile Communications Best Practice Guidance (Dec 2024)",
        "email-as-second-factor": "NIST SP 800-63B-4 §3.1.3.1",
        "not-phishing-resistant": "NIST SP 800-63B-4 §3.2.5; CISA, Implementing Phishing-Resistant MFA (Oct 2022)",
        "recovery-never-tested": "NIST SP 800-63B-4 §4.1.2.2",
        "too-few-recovery-addresses": "NIST SP 800-63B-4 §4.2.1.2, §4.6",
        "no-recovery-contact": "NIST SP 800-63B-4 §4.2.1.3",
        "no-lost-device-playbook": "NIST SP 800-63B-4 §4.3",
        "retire-before-enrol": "NIST SP 800-63B-4 §4.1.4",
        "not-watching-alerts": "NIST SP 800-63B-4 §4.6",
    }
    assert {k: RULES_BY_ID[k].source for k in expect} == expect
    for rid in ("single-security-key", "password-manager-protects-itself", "totp-single-phone",
                "no-port-out-lock", "push-without-number-matching", "security-questions",
                "used-codes-not-regenerated", "codes-only-in-password-manager", "support-url-not-recorded",
                "no-escalation-plan"):
        assert rid in RULES_BY_ID


def test_contested_rule_says_so():
    r = RULES_BY_ID["codes-only-in-password-manager"]
    assert r.why.startswith("Contested:") and "(contested)" in r.source and r.tier is Tier.READINESS


def test_tiers_order_the_seed_post_advice():
    assert RULES_BY_ID["single-factor-no-codes"].tier is Tier.BLOCKER
    assert RULES_BY_ID["circular-recovery"].tier is Tier.BLOCKER
    assert RULES_BY_ID["totp-single-phone"].tier is Tier.DURABILITY
    assert RULES_BY_ID["no-escalation-plan"].tier is Tier.READINESS


def test_base_plan_is_nearly_clean():
    assert found(base_plan()) == {
        ("not-phishing-resistant", "mail"): "no passkey or security key is registered",
        ("totp-single-phone", "mail"): 'the codes in "Authenticator" exist only on "Phone", with no backup or export',
        ("too-few-recovery-addresses", "mail"): "1 working recovery address(es) (email or phone) on record",
    }


def test_stale_test_needs_an_as_of_date():
    data = base_plan()
    data["accounts"][0]["recovery_tested_on"] = "2024-11-28"
    assert found(data)[("recovery-test-stale", "mail")] == "recovery was last tested 731 days ago (2024-11-28)"
    del data["as_of"]
    assert ("recovery-test-stale", "mail") not in found(data)


@pytest.mark.parametrize("method, detail", [
    ({"type": "sms", "on": "mobile"}, 'signs in with text-message codes ("Mobile")'),
    ({"type": "voice", "on": "mobile"}, 'signs in with voice-call codes ("Mobile")'),
])
def test_sms_on_critical(method, detail):
    data = base_plan()
    data["accounts"][0]["sign_in"].append(method)
    assert found(data)[("sms-on-critical", "mail")] == detail
    data["accounts"][0]["importance"] = "important"
    assert ("sms-on-critical", "mail") not in found(data)


def test_port_out_lock_rule_names_the_number():
    data = base_plan()
    data["things"][1]["port_out_lock"] = False
    assert found(data)[("no-port-out-lock", "mail")] == '"Mobile" has no carrier PIN or port-out lock'


def test_used_codes_and_all_codes_used():
    data = base_plan()
    data["accounts"][0]["backup_codes"].update(used=2, remaining=8)
    assert found(data)[("used-codes-not-regenerated", "mail")] == \
        "2 backup code(s) used since the set was generated; 8 left"
    data["accounts"][0]["backup_codes"].update(used=10, remaining=0)
    f = found(data)
    assert f[("codes-not-saved", "mail")] == "every backup code has been used"
    assert f[("single-factor-no-codes", "mail")] == ('the only way in beyond a password is app codes '
                                                    '("Authenticator"), and there are no usable backup codes')


def test_codes_generated_but_location_unknown():
    data = base_plan()
    data["accounts"][0]["backup_codes"] = {"generated": True}
    assert found(data)[("codes-not-saved", "mail")] == \
        "backup codes were generated but where they are kept is not recorded"


def test_master_password_in_its_own_vault():
    data = base_plan()
    data["accounts"].append({"id": "vault", "kind": "password_manager", "importance": "critical",
                             "sign_in": [{"type": "password", "via": "vault"}]})
    assert found(data)[("password-manager-protects-itself", "vault")] == \
        "its master password is stored inside the vault it opens"


def test_locked_out_today():
    data = base_plan()
    data["accounts"].append({"id": "notes", "kind": "other", "importance": "normal",
                             "sign_in": [{"type": "passkey", "via": "idp"}]})
    data["accounts"].append({"id": "idp", "kind": "google", "importance": "normal", "sign_in": []})
    f = found(data)
    assert f[("cannot-get-in-today", "notes")] == \
        "with everything you have today, no sign-in method or recovery route gets you in"
    assert f[("no-sign-in-method", "idp")] == "no sign-in method is recorded for this account"
