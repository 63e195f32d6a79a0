"""schema.py: a draft 2020-12 schema built from the parser's own enums and keys; every golden
plan validates against it and typical mistakes do not."""
from __future__ import annotations

import copy
import json
import re

import pytest

from esrok_recovery.model import AccountKind, RecoveryType, SignInType, ThingType
from esrok_recovery.schema import plan_schema

from engine_support import EXAMPLE, base_plan, golden_files, load_golden

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def valid(instance, schema, root) -> bool:
    """A small validator for exactly the keywords plan_schema() uses."""
    if "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return valid(instance, node, root)
    if "oneOf" in schema:
        return sum(valid(instance, s, root) for s in schema["oneOf"]) == 1
    t = schema.get("type")
    if t == "integer":
        if isinstance(instance, bool) or not isinstance(instance, int):
            return False
    elif t and not isinstance(instance, TYPES[t]):
        return False
    if "const" in schema and instance != schema["const"]:
        return False
    if "enum" in schema and instance not in schema["enum"]:
        return False
    if "pattern" in schema and not re.search(schema["pattern"], instance):
        return False
    if "minimum" in schema and instance < schema["minimum"]:
        return False
    if "minLength" in schema and len(instance) < schema["minLength"]:
        return False
    if isinstance(instance, dict):
        if any(k not in instance for k in schema.get("required", ())):
            return False
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False and any(k not in props for k in instance):
            return False
        return all(valid(v, props[k], root) for k, v in instance.items() if k in props)
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            return False
        return all(valid(v, schema["items"], root) for v in instance) if "items" in schema else True
    return True


SCHEMA = plan_schema()


def test_schema_header():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["properties"]["version"] == {"const": 1}
    json.dumps(SCHEMA)


def test_enums_come_from_the_model():
    d = SCHEMA["$defs"]
    assert [v["properties"]["type"]["const"] for v in d["thing"]["oneOf"]] == [t.value for t in ThingType]
    assert [v["properties"]["type"]["const"] for v in d["sign_in"]["oneOf"]] == [t.value for t in SignInType]
    assert [v["properties"]["type"]["const"] for v in d["recovery"]["oneOf"]] == [t.value for t in RecoveryType]
    assert d["account"]["properties"]["kind"]["enum"] == [k.value for k in AccountKind]


@pytest.mark.parametrize("path", golden_files() + [EXAMPLE], ids=lambda p: p.stem)
def test_every_golden_plan_is_schema_valid(path):
    doc = load_golden(path)
    assert valid(doc.get("plan", doc), SCHEMA, SCHEMA)


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(version=2),
    lambda d: d["things"][0].update(colour="red"),
    lambda d: d["things"][0].update(type="phon"),
    lambda d: d["accounts"][0]["sign_in"].append({"type": "sms"}),
    lambda d: d["accounts"][0]["backup_codes"].update(remaining=-1),
    lambda d: d["accounts"][0]["recovery"].append({"type": "support"}),
    lambda d: d["accounts"][0].update(importance="urgent"),
    lambda d: d.update(accounts=[]),
])
def test_typical_mistakes_are_schema_invalid(mutate):
    data = copy.deepcopy(base_plan())
    assert valid(data, SCHEMA, SCHEMA)
    mutate(data)
    assert not valid(data, SCHEMA, SCHEMA)


DOCS = EXAMPLE.parents[2] / "docs" / "tools" / "plan-format.md"


def test_the_documented_example_is_the_packaged_example_and_is_valid():
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.S).group(1)
    assert json.loads(block) == json.loads(EXAMPLE.read_text())
    assert valid(json.loads(block), SCHEMA, SCHEMA)


def test_every_field_and_enum_value_is_documented():
    from esrok_recovery.parse import ACCOUNT_KEYS, CODES_KEYS, HABIT_KEYS, RECOVERY_KEYS, SIGN_IN_KEYS, THING_KEYS
    from esrok_recovery.model import AppBackup, Importance, Location, StoreKind
    text = DOCS.read_text(encoding="utf-8")
    keys = set(ACCOUNT_KEYS) | set(CODES_KEYS) | set(HABIT_KEYS)
    for group in (RECOVERY_KEYS, SIGN_IN_KEYS, THING_KEYS):
        for k, ks in group.items():
            keys.add(k.value)
            keys.update(ks)
    values = {e.value for cls in (AccountKind, AppBackup, Importance, Location, StoreKind) for e in cls}
    missing = sorted(k for k in keys | values if f"`{k}`" not in text)
    assert missing == []


def test_every_field_in_the_schema_is_described():
    missing = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.get("properties", {}).items():
                if not ("description" in v or "$ref" in v or "const" in v):
                    missing.append(f"{path}.{k}")
            for k, v in node.items():
                walk(v, f"{path}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
    walk(SCHEMA, "")
    assert missing == []
