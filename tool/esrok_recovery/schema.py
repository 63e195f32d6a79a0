"""JSON Schema (draft 2020-12) of the plan format, generated from the field table in
:mod:`.fields`, so the schema, the parser, the docs and the page cannot drift apart.
Reference checks (that an ``on`` names an existing thing of the right type) are beyond
JSON Schema; the parser does them, and each reference's description names what it may name.
"""
from __future__ import annotations

from .fields import SHAPES, Field, Kind, Shape
from .model import FORMAT_VERSION, NEVER, READS_VERSIONS
from .parse import DATE_RE, DOMAIN_RE, ID_RE, MAX_COUNT

SCHEMA_ID = f"https://esrok.example/schemas/recovery-plan-v{FORMAT_VERSION}.json"
DATE = {"type": "string", "pattern": DATE_RE.pattern, "format": "date"}


def _description(f: Field) -> str:
    text = f.help
    if f.refs:
        noun = "a thing of type" if f.kind in (Kind.THING, Kind.THINGS) else "an account of kind"
        text += f" Names {noun}: {', '.join(r.value for r in f.refs)}."
    elif f.kind is Kind.THING:
        text += " Names a thing."
    elif f.kind is Kind.ACCOUNT:
        text += " Names an account."
    if f.absent:
        text += f" Left out: {f.absent}."
    if f.since > 1:
        text += f" New in version {f.since}."
    return text


def field_schema(f: Field) -> dict:
    k = f.kind
    if k is Kind.VERSION:
        out: dict = {"enum": list(READS_VERSIONS)}
    elif k is Kind.ID:
        out = {"type": "string", "pattern": ID_RE.pattern}
    elif k is Kind.TEXT:
        out = {"type": "string", "minLength": 1, "pattern": r"\S"}
    elif k is Kind.BOOL:
        out = {"type": "boolean"}
    elif k is Kind.COUNT:
        out = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    elif k is Kind.DATE:
        out = dict(DATE)
    elif k is Kind.DATE_OR_NEVER:
        out = {"anyOf": [dict(DATE), {"const": NEVER}]}
    elif k is Kind.DOMAIN:
        out = {"type": "string", "pattern": DOMAIN_RE.pattern}
    elif k is Kind.ENUM:
        out = {"enum": [e.value for e in f.enum]}
    elif k in (Kind.THING, Kind.ACCOUNT):
        out = {"type": "string", "minLength": 1}
    elif k is Kind.THINGS:
        out = {"type": "array", "items": {"type": "string", "minLength": 1}}
    elif k is Kind.RULES:
        from .rules import RULES
        out = {"type": "array", "items": {"enum": [r.id for r in RULES]}}
    elif k is Kind.OBJECT:
        return {"$ref": f"#/$defs/{f.shape}", "description": _description(f)}
    else:
        out = {"type": "array", "items": {"$ref": f"#/$defs/{f.shape}"}}
        if f.required:
            out["minItems"] = 1
    out["description"] = _description(f)
    return out


def _object(fields, tag: str | None = None, tag_value: str | None = None) -> dict:
    props = {}
    for f in fields:
        props[f.name] = {"const": tag_value} if tag is not None and f.name == tag else field_schema(f)
    out: dict = {"type": "object", "properties": props, "additionalProperties": False}
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    conditions = []
    for f in fields:
        if f.when:
            conditions.append({"if": {"required": [f.name]},
                               "then": {"properties": {f.when[0]: {"enum": list(f.when[1])}}, "required": [f.when[0]]}})
        if f.required_when:
            conditions.append({"if": {"properties": {f.required_when[0]: {"enum": list(f.required_when[1])}},
                                      "required": [f.required_when[0]]},
                               "then": {"required": [f.name]}})
    if conditions:
        out["allOf"] = conditions
    return out


def shape_schema(s: Shape) -> dict:
    if not s.tag:
        out = _object(s.fields)
        out["description"] = s.help
        return out
    variants = []
    for v in s.variants:
        obj = _object(s.fields + v.fields, s.tag, v.value.value)
        for group in v.one_of:
            obj.setdefault("allOf", []).append({"oneOf": [{"required": [k]} for k in group]})
        for name, other, value in v.unless:
            obj.setdefault("allOf", []).append({"anyOf": [{"required": [name]},
                                                          {"properties": {other: {"const": value}},
                                                           "required": [other]}]})
        obj["description"] = f"{s.label}: {v.value.value}."
        variants.append(obj)
    return {"description": s.help, "oneOf": variants}


def plan_schema() -> dict:
    top = _object(SHAPES["plan"].fields)
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
           "title": "Esrok recovery plan", "description": SHAPES["plan"].help}
    out.update(top)
    out["$defs"] = {name: shape_schema(s) for name, s in SHAPES.items() if name != "plan"}
    return out
