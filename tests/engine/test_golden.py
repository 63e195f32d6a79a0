"""Golden plans: JSON in, expected measures, ranked rule ids, findings, lockouts (with their length) per
scenario, single points and loops out.

To change an expectation on purpose, run ``.venv/bin/python tests/engine/make_golden.py``
(it prints the differences; ``--write`` stores them) and review the diff.
"""
from __future__ import annotations

import pytest

from esrok_recovery.rules import RULES

from engine_support import golden_files, load_golden
from make_golden import expected_for

REQUIRED = {"well-prepared", "sms-only", "single-phone-everything", "password-manager-protects-itself",
            "email-cycle", "family-recovery-contacts", "traveller"}


def test_there_are_at_least_15_golden_plans_covering_the_named_cases():
    names = {p.stem for p in golden_files()}
    assert len(names) >= 15
    assert REQUIRED <= names


@pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.stem)
def test_golden(path):
    doc = load_golden(path)
    assert doc["description"]
    assert expected_for(doc["plan"]) == doc["expected"]


def test_no_rule_fires_everywhere():
    fired = [set(load_golden(p)["expected"]["fired"]) for p in golden_files()]
    assert [r.id for r in RULES if all(r.id in f for f in fired)] == []


def test_golden_highlights():
    g = {p.stem: load_golden(p)["expected"] for p in golden_files()}
    assert g["well-prepared"]["actions"] == [] and g["well-prepared"]["protection"] >= 90
    assert g["well-prepared"]["recoverability"] >= 95
    assert g["sms-only"]["actions"][0] == "sms-only-factor-and-recovery"
    assert g["sms-only"]["lockouts"]["number-lost"] == {"gmail": ["no_way_back", None], "shop": ["no_way_back", None]}
    assert g["single-phone-everything"]["single_points_of_failure"] == {"phone": ["bank"]}
    # the vault's authenticator is backed up into the vault itself (its own codes, kept inside it, are
    # no way in at all, so they make no loop of their own)
    assert g["password-manager-protects-itself"]["cycles"] == [["vault", "vaultapp", "vault"]]
    assert g["email-cycle"]["cycles"] == [["gmail", "outlook", "gmail"]]
    assert g["email-cycle"]["lockouts"]["phone-lost"] == {"gmail": ["no_way_back", None],
                                                          "outlook": ["no_way_back", None]}
    assert all(v == {} for v in g["family-recovery-contacts"]["lockouts"].values())
    assert g["traveller"]["lockouts"]["travelling"] == {"mail": ["locked_out", 21]}
    assert g["documented-example"]["lockouts"]["password-manager-unavailable"] == {"bank": ["locked_out", 10]}
