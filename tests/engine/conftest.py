"""Fixtures for the engine tests; helpers live in engine_support.py."""
from __future__ import annotations

import pytest

from engine_support import base_plan


@pytest.fixture
def plan_data() -> dict:
    return base_plan()


@pytest.fixture(scope="session")
def bench():
    """bench/engine.py, for its plan generators."""
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("bench_engine", Path(__file__).resolve().parents[2] / "bench" / "engine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
