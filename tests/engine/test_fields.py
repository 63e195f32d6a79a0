"""fields.py: the one declarative table, and the page vocabulary (plan_ui) generated from it."""
from __future__ import annotations

import json

from esrok_recovery.boundary import plan_ui_json
from esrok_recovery.fields import ENUM_LABELS, SHAPES, Kind, label, plan_ui
from esrok_recovery.model import FORMAT_VERSION, AccountKind, SignInType, ThingType


def all_fields():
    for shape in SHAPES.values():
        yield shape, None, shape.fields
        for v in shape.variants:
            yield shape, v, v.fields


def test_every_field_has_a_label_help_and_a_well_formed_definition():
    for shape, variant, fields in all_fields():
        for f in fields:
            assert f.label and f.help.endswith("."), (shape.name, f.name)
            assert (f.enum is not None) == (f.kind is Kind.ENUM), f.name
            assert (f.shape is not None) == (f.kind in (Kind.OBJECT, Kind.LIST)), f.name
            if f.refs:
                assert f.kind in (Kind.THING, Kind.ACCOUNT, Kind.THINGS)
            for cond in (f.when, f.required_when):
                if cond:
                    names = {x.name for x in shape.fields + (variant.fields if variant else ())}
                    assert cond[0] in names


def test_every_enum_value_has_a_label_and_apple_is_apple_account():
    for cls, labels in ENUM_LABELS.items():
        assert list(labels) == [e.value for e in cls]
    assert label(AccountKind.APPLE) == "Apple Account"
    assert label(SignInType.SMS) == "Text message code"


def test_plan_ui_shape():
    ui = plan_ui()
    assert list(ui) == ["version", "reads_versions", "never", "enums", "shapes"]
    assert ui["version"] == FORMAT_VERSION == 2 and ui["reads_versions"] == [1, 2] and ui["never"] == "never"
    assert list(ui["shapes"]) == ["plan", "habits", "thing", "account", "sign_in", "backup_codes", "recovery"]
    assert ui["enums"]["account_kind"][2] == {"value": "apple", "label": "Apple Account"}
    sms = next(v for v in ui["shapes"]["sign_in"]["variants"] if v["value"] == "sms")
    assert sms == {"value": "sms", "label": "Text message code", "fields": [
        {"name": "on", "label": "Sent to", "help": "The phone number.", "kind": "thing", "required": True,
         "refs": ["phone_number"]}]}
    passkey = next(v for v in ui["shapes"]["sign_in"]["variants"] if v["value"] == "passkey")
    assert passkey["one_of"] == [["on", "via"]]
    assert passkey["fields"][1]["refs"] == ["apple", "google", "microsoft", "password_manager"]
    store = next(v for v in ui["shapes"]["thing"]["variants"] if v["value"] == "code_store")
    via = next(f for f in store["fields"] if f["name"] == "via")
    assert via["when"] == {"field": "kind", "values": ["password_manager"]}
    assert via["required_when"] == {"field": "kind", "values": ["password_manager"]}
    number = next(v for v in ui["shapes"]["thing"]["variants"] if v["value"] == "phone_number")
    kind = next(f for f in number["fields"] if f["name"] == "kind")
    assert kind["enum"] == "number_kind" and kind["since"] == 2
    support = next(v for v in ui["shapes"]["recovery"]["variants"] if v["value"] == "support")
    assert support["fields"][0]["default"] == 0
    assert [v["value"] for v in ui["shapes"]["thing"]["variants"]] == [t.value for t in ThingType]


def test_every_reference_names_a_known_type_or_kind():
    ui = plan_ui()
    things = {e["value"] for e in ui["enums"]["thing_type"]}
    kinds = {e["value"] for e in ui["enums"]["account_kind"]}
    for shape in ui["shapes"].values():
        for group in [shape["fields"]] + [v["fields"] for v in shape.get("variants", [])]:
            for f in group:
                if f["kind"] in ("thing", "things"):
                    assert set(f["refs"]) <= things
                if f["kind"] == "account":
                    assert set(f["refs"]) <= kinds
                if "enum" in f:
                    assert f["enum"] in ui["enums"]
                if "shape" in f:
                    assert f["shape"] in ui["shapes"]


def test_plan_ui_json_is_the_same_data():
    assert json.loads(plan_ui_json()) == plan_ui()
