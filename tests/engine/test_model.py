"""model.py: frozen dataclasses, enums, locations and names."""
from __future__ import annotations

import dataclasses

import pytest

from esrok_recovery.model import (IMPORTANCE_WEIGHT, TIER_ORDER, Importance, Location, Plan, Thing, ThingType,
                                  Tier, Habits, StoreKind)


def test_enums_and_orders():
    assert [t.value for t in Tier] == ["blocker", "durability", "readiness"]
    assert sorted(Tier, key=TIER_ORDER.get) == [Tier.BLOCKER, Tier.DURABILITY, Tier.READINESS]
    assert IMPORTANCE_WEIGHT == {Importance.CRITICAL: 3, Importance.IMPORTANT: 2, Importance.NORMAL: 1}


def test_locations_default_and_inherit():
    things = (Thing("p", ThingType.PHONE, "P"), Thing("d", ThingType.DEVICE, "D"),
              Thing("n", ThingType.PHONE_NUMBER, "N", on="d"),
              Thing("f", ThingType.CODE_STORE, "F", on="p", kind=StoreKind.DEVICE_FILE),
              Thing("t", ThingType.CODE_STORE, "T", kind=StoreKind.TRUSTED_PERSON),
              Thing("s", ThingType.CODE_STORE, "S", kind=StoreKind.SAFE, location=Location.ELSEWHERE))
    plan = Plan(1, None, Habits(), things, ())
    assert [plan.location(t.id) for t in things] == [Location.CARRIED, Location.HOME, Location.HOME,
                                                     Location.CARRIED, Location.ELSEWHERE, Location.ELSEWHERE]
    assert plan.name("p") == "P" and plan.name("zz") == "zz"


def test_frozen():
    t = Thing("p", ThingType.PHONE, "P")
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.label = "Q"
