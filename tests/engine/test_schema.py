"""schema.py: the JSON Schema is generated from the field table and checked with the jsonschema
library (its own check_schema, every sample plan valid, broken plans invalid)."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from esrok_recovery import schema_json
from esrok_recovery.fields import SHAPES
from esrok_recovery.parse import parse_plan
from esrok_recovery.schema import plan_schema

from engine_support import EXAMPLE, base_plan, golden_files, load_golden, persona_files

SCHEMA = plan_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def errors(data) -> list[str]:
    return sorted(e.message for e in VALIDATOR.iter_errors(data))


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert json.loads(schema_json()) == SCHEMA
    assert SCHEMA["$id"].endswith("recovery-plan-v2.json")


def test_every_sample_plan_is_valid():
    samples = [json.loads(EXAMPLE.read_text()), base_plan()]
    samples += [load_golden(p)["plan"] for p in golden_files()]
    samples += [load_golden(p)["plan"] for p in persona_files()]
    for data in samples:
        assert errors(data) == []
        assert parse_plan(data)[1] == ()


def test_the_schema_has_every_field_of_the_table():
    defs = SCHEMA["$defs"]
    for name, shape in SHAPES.items():
        if shape.tag:
            variants = {v["properties"]["type"]["const"]: v for v in defs[name]["oneOf"]}
            for v in shape.variants:
                assert set(variants[v.value.value]["properties"]) == {f.name for f in shape.fields + v.fields}
        else:
            props = SCHEMA["properties"] if name == "plan" else defs[name]["properties"]
            assert set(props) == {f.name for f in shape.fields}


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("version"),
    lambda d: d.update(version=3),
    lambda d: d.update(colour="red"),
    lambda d: d["things"].append({"id": "x", "type": "phon"}),
    lambda d: d["things"].append({"id": "k", "type": "security_key", "on": "phone"}),
    lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "password_manager"}),
    lambda d: d["things"].append({"id": "s", "type": "code_store", "kind": "paper", "on": "phone"}),
    lambda d: d["things"].append({"id": "a2", "type": "authenticator_app", "on": "phone", "via": "mail"}),
    lambda d: d["accounts"][0].update(sign_in=[{"type": "passkey"}]),
    lambda d: d["accounts"][0].update(sign_in=[{"type": "passkey", "on": "phone", "via": "mail"}]),
    lambda d: d["accounts"][0].update(recovery=[{"type": "recovery_email"}]),
    lambda d: d["accounts"][0].update(recovery=[{"type": "support", "wait_days": -1}]),
    lambda d: d["accounts"][0].update(recovery_tested_on="nevr"),
    lambda d: d["accounts"][0].update(accepted=["no-such-rule"]),
    lambda d: d["accounts"][0].update(name=" "),
    lambda d: d.update(accounts=[]),
])
def test_broken_plans_are_invalid_for_the_schema_and_the_parser(mutate):
    data = copy.deepcopy(base_plan())
    mutate(data)
    assert errors(data)
    assert parse_plan(data)[1]


def test_recovery_email_dead_needs_no_via_and_never_is_a_date():
    data = base_plan()
    data["accounts"][0]["recovery"] = [{"type": "recovery_email", "dead": True}]
    data["accounts"][0]["recovery_tested_on"] = "never"
    assert errors(data) == [] and parse_plan(data)[1] == ()
