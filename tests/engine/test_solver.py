"""solver.py: the value encoding, the worklist fixpoint, incremental losses as views."""
from __future__ import annotations

import pytest

from esrok_recovery.graph import Option, compile_plan
from esrok_recovery.model import Route
from esrok_recovery.scenarios import SCENARIOS, scenario_variants
from esrok_recovery.solver import View, apart, baseline_values, closure, loss, option_value, solve, supports

from engine_support import golden_files, load_golden, parsed, persona_files


def test_value_encoding_is_monotone_and_adds_waits():
    direct = Option(Route.SIGN_IN, None, 0, ("a", "b"), True)
    route = Option(Route.RECOVERY_EMAIL, "b", 1, ("b",), False)
    assert option_value(direct, {"a": 0, "b": 0}) == 0          # sign in right now
    assert option_value(direct, {"a": 0, "b": 5}) == 5          # after b comes back (2 days)
    assert option_value(direct, {"a": 0}) is None               # b unreachable
    assert option_value(route, {"b": 0}) == 3                   # 1 day, indirect
    assert option_value(route, {"b": 5}) == 7                   # 2 + 1 days
    assert option_value(Option(Route.SUPPORT, None, 14, (), False), {}) == 29


def full(g, lost, down, no_restore) -> dict:
    """Every node recomputed from nothing (no baseline, no pruning): the reference."""
    value = {t: 0 for t in g.things if t not in lost}
    restorable = frozenset(t for t in lost if t in g.restore and t not in no_restore)
    nodes = set(g.options) | set(lost)
    fresh = solve(g, value, nodes, sorted(restorable) + sorted(g.options), restorable, frozenset(down))
    value.update(fresh)
    return {k: v for k, v in value.items() if k in g.options or k in lost}


def views_agree(plan) -> None:
    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    for row in SCENARIOS:
        for seeds, down, no_restore in scenario_variants(plan, row):
            lost = closure(g, seeds)
            view = loss(g, base, sup, lost, down, no_restore)
            ref = full(g, lost, down, no_restore)
            got = {k: view.get(k) for k in ref}
            assert {k: v for k, v in got.items() if v is not None} == {k: v for k, v in ref.items() if v is not None}


@pytest.mark.parametrize("path", golden_files() + persona_files(), ids=lambda p: p.stem)
def test_incremental_losses_match_a_full_recomputation(path):
    """Pruning by supports must give exactly what recomputing everything gives."""
    views_agree(parsed(load_golden(path)["plan"]))


@pytest.mark.parametrize("mix", ["mixed", "own-phone", "household"])
def test_pruning_on_generated_plans(mix, bench):
    views_agree(parsed(bench.generate_plan(120, 3, mix)))


def apart_agrees(plan) -> int:
    """Variants solved together (when they cannot interact) give each variant the view it gets alone."""
    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    together = 0
    for row in SCENARIOS:
        ways = scenario_variants(plan, row)
        if len(ways) < 2:
            continue
        got = apart(g, base, sup, [seeds for seeds, _d, _n in ways], ways[0][2])
        if got is None:
            continue
        together += 1
        views, whole = got
        assert whole.lost == frozenset().union(*(v.lost for v in views))
        for (seeds, down, no_restore), view in zip(ways, views):
            alone = loss(g, base, sup, closure(g, seeds), down, no_restore)
            assert (set(view.affected), view.restorable, view.lost, view.down) == \
                (set(alone.affected), alone.restorable, alone.lost, alone.down)
            assert {k: view.get(k) for k in view.affected} == {k: alone.get(k) for k in alone.affected}
    return together


@pytest.mark.parametrize("path", golden_files() + persona_files(), ids=lambda p: p.stem)
def test_variants_solved_together_match_each_alone(path):
    apart_agrees(parsed(load_golden(path)["plan"]))


@pytest.mark.parametrize("mix", ["mixed", "own-phone", "household"])
def test_variants_solved_together_on_generated_plans(mix, bench):
    assert apart_agrees(parsed(bench.generate_plan(120, 3, mix))) >= 1     # some rows are solved together


def test_variants_that_share_a_vault_are_not_solved_together(bench):
    """Both household phones unlock the one vault: losing either changes it, so they interact."""
    plan = parsed(bench.generate_plan(120, 3, "household"))
    g = compile_plan(plan)
    base = baseline_values(g)
    sup = supports(g, base)
    ways = scenario_variants(plan, next(r for r in SCENARIOS if r.id == "phone-lost"))
    assert len(ways) == 2 and apart(g, base, sup, [seeds for seeds, _d, _n in ways]) is None


def test_a_view_reads_through_to_the_baseline_without_copying_it():
    base = {"a": 0, "b": 3}
    v = View(base, {"b"}, {})
    assert v.get("a") == 0 and v.get("b") is None and "b" not in v and v["a"] == 0
    assert v.base is base
