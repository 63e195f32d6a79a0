"""model.py: frozen dataclasses, enums, the route enum with its rank and wait, named constants."""
from __future__ import annotations

import dataclasses

import pytest

from esrok_recovery.model import (IMPORTANCE_WEIGHT, LOCKOUT_DAYS, NEVER, ROUTES_BY_ID, TESTED_RECENTLY_DAYS,
                                  TESTED_RECENTLY_MONTHS, TIER_ORDER, Habits, Importance, Location, Plan, Route,
                                  StoreKind, Thing, ThingType, Tier)


def test_enums_and_orders():
    assert [t.value for t in Tier] == ["blocker", "durability", "readiness"]
    assert sorted(Tier, key=TIER_ORDER.get) == [Tier.BLOCKER, Tier.DURABILITY, Tier.READINESS]
    assert IMPORTANCE_WEIGHT == {Importance.CRITICAL: 3, Importance.IMPORTANT: 2, Importance.NORMAL: 1}


def test_named_constants():
    assert LOCKOUT_DAYS == 7
    assert TESTED_RECENTLY_MONTHS == 6 and TESTED_RECENTLY_DAYS == 183
    assert NEVER == "never"


def test_routes_carry_their_rank_wait_and_words():
    assert [(r.id, r.rank, r.wait) for r in Route] == [
        ("sign_in", 0, 0), ("backup_codes", 1, 0), ("recovery_phone", 2, 0), ("recovery_email", 3, 1),
        ("recovery_contact", 4, 1), ("support", 5, None), ("replacement_sim", 6, 1), ("app_restore", 7, 0)]
    assert ROUTES_BY_ID["support"] is Route.SUPPORT
    assert Route.SUPPORT.text == "the provider's support process"
    assert Route.SUPPORT.until == "the provider's support process lets you back in"
    assert all(r.text and r.until and "_" not in r.text + r.until for r in Route)


def test_locations_default_and_inherit():
    things = (Thing("p", ThingType.PHONE, "P"), Thing("d", ThingType.DEVICE, "D"),
              Thing("n", ThingType.PHONE_NUMBER, "N", on="d"),
              Thing("f", ThingType.CODE_STORE, "F", on="p", kind=StoreKind.DEVICE_FILE),
              Thing("t", ThingType.CODE_STORE, "T", kind=StoreKind.TRUSTED_PERSON),
              Thing("s", ThingType.CODE_STORE, "S", kind=StoreKind.SAFE, location=Location.ELSEWHERE))
    plan = Plan(2, None, Habits(), things, ())
    assert [plan.location(t.id) for t in things] == [Location.CARRIED, Location.HOME, Location.HOME,
                                                     Location.CARRIED, Location.ELSEWHERE, Location.ELSEWHERE]
    assert plan.name("p") == "P" and plan.name("zz") == "zz"
    assert plan.device_of("f") == "p" and plan.device_of("n") == "d" and plan.device_of("t") is None


def test_frozen_and_facts_default_to_not_recorded():
    t = Thing("p", ThingType.PHONE, "P")
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.label = "Q"
    assert t.screen_lock is None and t.port_out_lock is None
    assert Habits() == Habits(None, None, None, None)


def test_the_posts_quote_the_same_re_test_interval_as_the_engine():
    """One constant for "tested recently": the blog posts must say the same number of months."""
    import re
    from pathlib import Path

    words = {"three": 3, "six": 6, "twelve": 12, "3": 3, "6": 6, "12": 12}
    posts = Path(__file__).resolve().parents[2] / "docs" / "blog" / "posts"
    found = []
    for post in sorted(posts.glob("*.md")):
        text = post.read_text(encoding="utf-8")
        for m in re.finditer(r"every (three|six|twelve|3|6|12) months|every year|once a year|yearly", text, re.I):
            found.append((post.name, m.group(0)))
    assert found, "no post states how often to re-test recovery"
    for name, phrase in found:
        n = words.get(phrase.split()[1].lower()) if phrase.lower().startswith("every") and "year" not in phrase else 12
        assert n == TESTED_RECENTLY_MONTHS, f"{name} says '{phrase}' but the engine's constant is {TESTED_RECENTLY_MONTHS} months"
