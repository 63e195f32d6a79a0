"""Tests for hooks/service_worker.py: precache list, content-hash cache name, rendered sw.js."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from hooks.service_worker import (
    cache_name, page_assets, render_headers, render_sw, runtime_urls, site_path, snapshot_urls)

PAGE = """<link rel="icon" href="../../assets/images/favicon.svg">
<link rel="canonical" href="http://example.org/tools/x/">
<link rel="stylesheet" href="../../assets/stylesheets/main.57a0d79d.min.css">
<link rel="stylesheet" href="../../assets/stylesheets/tool.css?v=abc">
<link rel="alternate" type="application/rss+xml" href="../../feed_rss_created.xml">
<script src="../../assets/javascripts/bundle.js"></script>
<script src="https://cdn.example/evil.js"></script>
<script src="../../assets/javascripts/bundle.js"></script>"""


def test_page_assets_resolves_relative_urls_and_keeps_only_scripts_styles_icon():
    assert page_assets(PAGE, "tools/x/") == [
        "assets/images/favicon.svg",
        "assets/stylesheets/main.57a0d79d.min.css",
        "assets/stylesheets/tool.css?v=abc",
        "assets/javascripts/bundle.js",
    ]


def test_site_path_maps_directory_urls_to_index_files():
    assert site_path("tools/x/") == "tools/x/index.html"
    assert site_path("a.css?v=1") == "a.css"
    assert site_path("") == "index.html"


def test_cache_name_is_keyed_by_content():
    a = cache_name([("a.js", b"1"), ("b.js", b"2")])
    assert a == cache_name([("b.js", b"2"), ("a.js", b"1")])
    assert a != cache_name([("a.js", b"1"), ("b.js", b"3")])
    assert re.fullmatch(r"esrok-[0-9a-f]{16}", a)


def test_rendered_worker_is_valid_javascript(tmp_path):
    js = render_sw("esrok-0123", ["tools/x/", "assets/a.js?v=1"], ["assets/pyodide/pyodide.asm.wasm"])
    assert 'const CACHE = "esrok-0123";' in js
    assert 'const CORE = ["tools/x/", "assets/a.js?v=1"];' in js
    assert 'const RUNTIME = ["assets/pyodide/pyodide.asm.wasm"];' in js
    f = tmp_path / "sw.js"
    f.write_text(js)
    subprocess.run(["node", "--check", str(f)], check=True)


def test_runtime_urls_prefer_the_precompiled_stdlib():
    assert runtime_urls({"path": "assets/pyodide/", "stdlib": "assets/pyodide/python_stdlib.0123456789ab.zip"}) == [
        "assets/pyodide/pyodide.asm.wasm", "assets/pyodide/pyodide.asm.mjs", "assets/pyodide/pyodide.mjs",
        "assets/pyodide/python_stdlib.0123456789ab.zip", "assets/pyodide/pyodide-lock.json"]
    assert runtime_urls({"path": "p/"})[3] == "p/python_stdlib.zip"


def test_snapshot_urls_are_discovered_by_hashed_name():
    names = ["pyodide.asm.wasm", "snapshot.0123456789ab.bin", "snapshot.bin", "snapshot.XYZ.bin",
             "python_stdlib.0123456789ab.zip"]
    assert snapshot_urls(names, "assets/pyodide/") == ["assets/pyodide/snapshot.0123456789ab.bin"]
    assert snapshot_urls([], "assets/pyodide/") == []


def test_worker_prefetches_on_request_from_any_page():
    js = render_sw("esrok-0123", ["tools/x/"], ["assets/pyodide/pyodide.asm.wasm"])
    assert 'type !== "esrok:precache-runtime" && type !== "esrok:prefetch-runtime"' in js
    # The snapshot: never under Save-Data, never by the idle prefetch of other pages.
    assert 'const skipSnapshot = saveData || type === "esrok:prefetch-runtime";' in js
    assert "!(skipSnapshot && /\\/snapshot\\.[0-9a-f]+\\.bin$/.test(u))" in js


def test_headers_file_carries_the_policy():
    text = render_headers("/tools/x/", "default-src 'self'")
    assert "/tools/x/*\n  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\n" in text


def test_built_site_sw_precaches_existing_files_under_a_content_hash(built_site):
    sw = (built_site.dir / "sw.js").read_text()
    core = json.loads(re.search(r"const CORE = (\[.*?\]);", sw).group(1))
    runtime = json.loads(re.search(r"const RUNTIME = (\[.*?\]);", sw).group(1))
    cache = json.loads(re.search(r"const CACHE = (\".*?\");", sw).group(1))
    assert core[0] == "tools/recovery-checklist/"
    assert runtime[:3] == ["assets/pyodide/pyodide.asm.wasm", "assets/pyodide/pyodide.asm.mjs",
                           "assets/pyodide/pyodide.mjs"]
    assert re.fullmatch(r"assets/pyodide/python_stdlib\.[0-9a-f]{12}\.zip", runtime[3])  # precompiled
    assert runtime[4] == "assets/pyodide/pyodide-lock.json"
    assert re.fullmatch(r"assets/engine/esrok_recovery-1\.0\.0-0[0-9a-f]{12}-py3-none-any\.whl", runtime[5])
    shipped = [p.name for p in (built_site.dir / "assets" / "pyodide").iterdir()]
    assert runtime[6:] == snapshot_urls(shipped, "assets/pyodide/")  # a memory snapshot, if the build made one
    assert not any("pyodide" in u or u.endswith(".whl") for u in core)  # never downloaded by readers of other pages
    assert any(u.startswith("assets/javascripts/checklist-worker.js?v=") for u in core)
    assert any(u.startswith("assets/javascripts/bundle.") for u in core)
    precache = core + runtime
    entries = [(u, (built_site.dir / site_path(u)).read_bytes()) for u in precache]
    assert cache == cache_name(entries)
    assert not (Path(built_site.dir) / "assets" / "javascripts" / "sw.js").exists()


def test_built_site_headers_file_matches_the_tool_page_policy(built_site):
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    headers = (built_site.dir / "_headers").read_text()
    assert f"/tools/recovery-checklist/*\n  Content-Security-Policy: {meta}; frame-ancestors 'none'\n" in headers


def test_dirty_serve_rebuild_without_the_tool_page_keeps_the_previous_worker(tmp_path):
    """`mkdocs serve --dirty` re-renders only edited pages; the tool page's data is then absent."""
    from types import SimpleNamespace

    import pytest
    from mkdocs.exceptions import PluginError

    from hooks import service_worker

    config = SimpleNamespace(site_dir=str(tmp_path), extra={})
    try:
        service_worker.on_startup(command="serve", dirty=True)
        assert service_worker.on_post_build(config) is None
        assert not (tmp_path / "sw.js").exists()
        service_worker.on_startup(command="build", dirty=False)
        with pytest.raises(PluginError) as e:
            service_worker.on_post_build(config)
        assert str(e.value) == ("service worker: no page uses template tool.html "
                                "(docs/tools/recovery-checklist.md needs `template: tool.html`)")
    finally:
        service_worker._build.clear()
