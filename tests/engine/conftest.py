"""Fixtures for the engine tests; helpers live in engine_support.py."""
from __future__ import annotations

import pytest

from engine_support import base_plan


@pytest.fixture
def plan_data() -> dict:
    return base_plan()
