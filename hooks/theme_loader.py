"""Let overrides extend Material's own templates by name.

Material's docs override templates by giving them the same name in
`custom_dir`, but a file cannot `{% extends %}` a template of its own name
(`overrides/blog-post.html` extending "blog-post.html" recurses forever). This
hook adds the prefix `material/`, so `overrides/blog-post.html` can say
`{% extends "material/blog-post.html" %}` and fill its blocks with
`{{ super() }}`, without copying any Material file.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
import material

MATERIAL_TEMPLATES = Path(material.__file__).resolve().parent / "templates"
PREFIX = "material"


def with_material_prefix(loader: jinja2.BaseLoader, templates: Path = MATERIAL_TEMPLATES) -> jinja2.BaseLoader:
    """`loader`, plus `material/<name>` resolving to Material's template `<name>`."""
    return jinja2.ChoiceLoader([
        loader,
        jinja2.PrefixLoader({PREFIX: jinja2.FileSystemLoader(str(templates))}),
    ])


def on_env(env, config, files):
    env.loader = with_material_prefix(env.loader)
    return env
