"""hooks/theme_loader.py: the `material/` template prefix and the Jinja bytecode cache."""
from __future__ import annotations

import jinja2

from hooks.theme_loader import MATERIAL_TEMPLATES, bytecode_cache, with_material_prefix


def test_material_prefix_loads_materials_template_while_overrides_win(tmp_path):
    (tmp_path / "blog-post.html").write_text('{% extends "material/blog-post.html" %}')
    env = jinja2.Environment(loader=with_material_prefix(jinja2.FileSystemLoader(str(tmp_path))))
    source, filename, _ = env.loader.get_source(env, "material/blog-post.html")
    assert filename == str(MATERIAL_TEMPLATES / "blog-post.html")
    assert "md-content--post" in source
    assert env.loader.get_source(env, "blog-post.html")[1] == str(tmp_path / "blog-post.html")


def test_bytecode_cache_lives_in_dot_cache_and_can_be_turned_off(tmp_path):
    cache = bytecode_cache(tmp_path, environ={})
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    assert (tmp_path / ".cache" / "jinja").is_dir()
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t.html").render() == "2"
    assert list((tmp_path / ".cache" / "jinja").iterdir())  # compiled once, stored
    assert bytecode_cache(tmp_path, environ={"ESROK_JINJA_CACHE": "0"}) is None
