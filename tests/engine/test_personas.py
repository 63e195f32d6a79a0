"""Personas: plans of real-looking people, each with its expected judgement written in plain words
beside it (tests/engine/personas/*.json, "judgement") and asserted here: the first action, the tiers,
the lockouts and their lengths, and both measures against the other personas."""
from __future__ import annotations

import json
import re

import pytest

from esrok_recovery import evaluate_json

from engine_support import PERSONA_DIR, persona_files

B, D, R = "blocker", "durability", "readiness"

#: persona -> (first action's rule, its title, tiers in order, lockouts {scenario: {account: [state, days]}})
EXPECT = {
    "password-only-pat": ("critical-password-only", "Turn on a second sign-in step for Main email", [B, R], {}),
    "sms-only-sam": ("sms-only-factor-and-recovery", "Print backup codes for Email", [B, D, R, R],
                     {"number-lost": {"mail": ["locked_out", 14]}}),
    "app-without-backup-ana": ("single-point-of-failure", "Print backup codes for Email", [B, D, D, R],
                               {"phone-lost": {"mail": ["locked_out", 14]}, "phone-reset": {"mail": ["locked_out", 14]}}),
    "two-keys-kai": (None, None, [], {}),
    "vault-loop-vic": ("critical-password-only", "Turn on a second sign-in step for Other email", [B, B, B, D, D, R, R],
                       {"phone-lost": {"mail": ["no_way_back", None], "other": ["no_way_back", None],
                                       "vault": ["no_way_back", None]},
                        "phone-reset": {"mail": ["no_way_back", None], "other": ["no_way_back", None],
                                        "vault": ["no_way_back", None]},
                        "password-manager-unavailable": {"mail": ["no_way_back", None],
                                                         "other": ["no_way_back", None]}}),
    "email-cycle-eli": ("single-point-of-failure", "Print backup codes for Gmail and Outlook", [B, D, R],
                        {"number-lost": {"gmail": ["no_way_back", None], "outlook": ["no_way_back", None]}}),
    "well-prepared-wes": (None, None, [], {}),
    "home-centric-hal": ("lockout-in-scenario", "Give someone you trust backup codes for Email", [B],
                         {"home-lost": {"mail": ["locked_out", 30]}, "travelling": {"mail": ["locked_out", 30]}}),
    "traveller-tess": ("weak-fallback", "Remove the phone-number fallback from Email", [D, D], {}),
    "shared-phone-family": ("single-point-of-failure", "Print backup codes for Kids' email and Mum's email", [B, D, R],
                            {"number-lost": {"kids": ["locked_out", 14], "mum": ["locked_out", 14]}}),
    "small-business-sol": ("not-phishing-resistant", None, [D, D, D], {}),
    "abroad-ada": ("sms-only-factor-and-recovery", "Print backup codes for Email", [B, D, R],
                   {"number-lost": {"mail": ["locked_out", 30]}}),
    "dead-recovery-dan": ("not-phishing-resistant", "Switch Email to a passkey", [D, D], {}),
    "synced-passkey-sia": ("single-point-of-failure", "Print backup codes for Google account", [B, D, R],
                           {"number-lost": {"google": ["locked_out", 14], "shop": ["locked_out", 14]}}),
    "recovery-mailbox-mo": ("critical-password-only", "Turn on a second sign-in step for Old mailbox", [B, R], {}),
    "key-with-sms-fallback-kat": ("weak-fallback", "Remove the phone-number fallback from Email", [D], {}),
}


def result(name: str) -> tuple[dict, dict]:
    doc = json.loads((PERSONA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return doc, json.loads(evaluate_json(json.dumps(doc["plan"])))


def lockouts(out: dict) -> dict:
    found = {}
    for s in [out["baseline"]] + out["scenarios"]:
        hit = {o["account"]: [o["state"], o["days"]] for o in s["outcomes"] if o["state"] in ("locked_out",
                                                                                               "no_way_back")}
        if hit:
            found[s["id"]] = hit
    return found


def test_at_least_14_personas_each_with_a_judgement_in_plain_words():
    names = {p.stem for p in persona_files()}
    assert len(names) >= 14 and names == set(EXPECT)
    for p in persona_files():
        doc = json.loads(p.read_text(encoding="utf-8"))
        assert doc["judgement"] and all(line.endswith(".") for line in doc["judgement"])


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_persona_judgement(name):
    doc, out = result(name)
    first, title, tiers, locked = EXPECT[name]
    actions = out["actions"]
    assert [a["tier"] for a in actions] == tiers
    if first is None:
        assert actions == []
    else:
        assert actions[0]["rule"] == first
        if title is not None:
            assert actions[0]["title"] == title
    assert lockouts(out) == locked
    judgement = " ".join(doc["judgement"]).lower()
    for scenario, accounts in locked.items():
        for state, days in accounts.values():
            if state == "locked_out":
                assert f"about {days} days" in judgement, (scenario, days)
            else:
                assert "no way back" in judgement


def test_protection_orders_the_second_steps_password_sms_app_key():
    values = [result(n)[1]["measures"]["protection"]["value"]
              for n in ("password-only-pat", "sms-only-sam", "app-without-backup-ana", "two-keys-kai")]
    assert values == sorted(values) and len(set(values)) == 4


def test_recoverability_orders_the_prepared_above_the_exposed():
    r = {n: result(n)[1]["measures"]["recoverability"]["value"] for n in EXPECT}
    assert r["well-prepared-wes"] >= 90 and r["two-keys-kai"] >= 90
    assert r["sms-only-sam"] < r["two-keys-kai"] and r["abroad-ada"] < r["two-keys-kai"]
    assert max(r["sms-only-sam"], r["vault-loop-vic"], r["app-without-backup-ana"]) < r["well-prepared-wes"]


def test_sms_only_sam_gets_at_most_three_blockers_and_a_first_step_of_15_minutes():
    _, out = result("sms-only-sam")
    blockers = [a for a in out["actions"] if a["tier"] == "blocker"]
    assert 1 <= len(blockers) <= 3
    assert out["actions"][0]["effort_minutes"] <= 15
    assert out["actions"][0]["gain_text"] == "Recoverability 68 → 75"


def test_measures_are_the_ones_the_judgements_describe():
    m = {n: result(n)[1]["measures"] for n in EXPECT}
    assert m["well-prepared-wes"]["protection"]["value"] >= 90
    assert m["recovery-mailbox-mo"]["protection"]["value"] == m["password-only-pat"]["protection"]["value"]
    assert m["key-with-sms-fallback-kat"]["protection"]["explanation"].startswith(
        "The weakest way into Email is a reset by text message")
    assert m["traveller-tess"]["protection"]["value"] < m["two-keys-kai"]["protection"]["value"]


def test_trade_offs_are_said():
    _, out = result("password-only-pat")
    assert out["actions"][0]["trade_off"] == "On its own this lowers Recoverability 100 → 95."
    _, out = result("sms-only-sam")
    upgrade = next(a for a in out["actions"] if a["rule"] == "sms-on-critical")
    assert upgrade["trade_off"] == ("On its own this lowers Recoverability 68 → 62; do “Print backup codes for "
                                    "Email” first and it costs no Recoverability.")


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_no_persona_result_speaks_in_raw_ids_or_plural_hedges(name):
    _, out = result(name)
    for a in out["actions"]:
        text = " ".join([a["title"], a["do"], a["detail"], a["why"]])
        assert "(s)" not in text and not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
