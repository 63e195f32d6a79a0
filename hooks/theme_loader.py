"""Let overrides extend Material's own templates by name.

Material's docs override templates by giving them the same name in
`custom_dir`, but a file cannot `{% extends %}` a template of its own name
(`overrides/blog-post.html` extending "blog-post.html" recurses forever). This
hook adds the prefix `material/`, so `overrides/blog-post.html` can say
`{% extends "material/blog-post.html" %}` and fill its blocks with
`{{ super() }}`, without copying any Material file.

It also gives the environment a Jinja bytecode cache in `.cache/jinja/` next to
mkdocs.yml (git-ignored), so templates are compiled once, not on every build or
`mkdocs serve` rebuild. Entries are keyed by each template's source checksum,
so an edited template is recompiled. Set ESROK_JINJA_CACHE=0 to turn it off.
"""
from __future__ import annotations

from pathlib import Path

import os

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


def bytecode_cache(config_dir: Path, environ=os.environ) -> jinja2.BytecodeCache | None:
    if environ.get("ESROK_JINJA_CACHE", "1") == "0":
        return None
    directory = config_dir / ".cache" / "jinja"
    directory.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(directory))


def on_env(env, config, files):
    env.loader = with_material_prefix(env.loader)
    env.bytecode_cache = bytecode_cache(Path(config.config_file_path).resolve().parent)
    return env
