"""Step 6 of the tool build, hooks/toolbuild/sw.py: the service worker's groups, caches and headers."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from hooks.toolbuild.sw import (
    PAGES_CACHE, gzip_stored, group, page_assets, render_headers, render_sw, site_path)

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


def test_group_cache_name_is_keyed_by_its_files():
    a = group("engine", [("a.whl", b"1"), ("b.zip", b"2")])
    assert a.cache == group("engine", [("b.zip", b"2"), ("a.whl", b"1")]).cache
    assert a.cache != group("engine", [("a.whl", b"1"), ("b.zip", b"3")]).cache
    assert a.cache != group("runtime", [("a.whl", b"1"), ("b.zip", b"2")]).cache
    assert re.fullmatch(r"esrok-engine-[0-9a-f]{12}", a.cache)


def test_only_big_compressible_files_are_stored_gzipped():
    assert gzip_stored("assets/pyodide/x/pyodide.asm.wasm", 9_598_218)
    assert gzip_stored("assets/engine/x/snapshot.0123456789ab.bin", 31_457_424)
    assert not gzip_stored("assets/pyodide/x/python_stdlib.0123456789ab.zip", 1_326_889)  # deflated already
    assert not gzip_stored("assets/pyodide/x/pyodide.mjs", 17_931)


def test_rendered_worker_is_valid_javascript(tmp_path):
    js = render_sw({"build": "b", "groups": {}, "gzip": [], "prefixes": {}, "pages": {"cache": "p"}})
    assert 'const CONFIG = {\n "build": "b",' in js
    f = tmp_path / "sw.js"
    f.write_text(js)
    subprocess.run(["node", "--check", str(f)], check=True)


def test_headers_file_carries_the_policy():
    text = render_headers("/tools/x/", "default-src 'self'")
    assert "/tools/x/*\n  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\n" in text


def sw_config(built_site) -> dict:
    sw = (built_site.dir / "sw.js").read_text()
    return json.loads(re.search(r"const CONFIG = (\{.*?\n\});", sw, re.S).group(1))


def test_built_worker_groups_exist_and_are_named_by_their_bytes(built_site):
    config = sw_config(built_site)
    groups = config["groups"]
    assert sorted(groups) == ["engine", "offline", "runtime", "snapshot", "tool"]
    for name, g in groups.items():
        entries = [(u, (built_site.dir / site_path(u)).read_bytes()) for u in g["urls"]]
        assert g["cache"] == group(name, entries).cache
    boot = json.loads(re.search(r'id="esrok-boot">(.*?)</script>',
                                (built_site.dir / "tools/recovery-checklist/index.html").read_text()).group(1))
    assert config["build"] == boot["build"]
    assert groups["tool"]["urls"][0] == "tools/recovery-checklist/"
    assert groups["offline"]["urls"][0] == "offline/" and config["offline"] == "offline/"
    assert groups["runtime"]["urls"] == [boot["pyodide"]["indexURL"] + n for n in (
        "pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "pyodide-lock.json")] + [boot["stdlib"]]
    # the engine's files, the vocabulary made from it (plan-ui.json), change together; the service
    # catalogue is cached with the checker (the picker works offline), never for a reader
    assert groups["engine"]["urls"] == [boot["wheel"]["url"], boot["bytecode"]["url"], boot["data"]["plan-ui"],
                                        boot["data"]["services"]]
    assert re.fullmatch(r"assets/esrok/services\.[0-9a-f]{12}\.json", boot["data"]["services"])
    assert groups["snapshot"]["urls"] == [boot["snapshot"]["url"]]
    # what is installed for every reader: the offline page and what it loads, never the checker
    assert not [u for u in groups["offline"]["urls"] if re.search(r"pyodide|engine|checklist", u)]
    assert set(config["gzip"]) == {boot["pyodide"]["indexURL"] + "pyodide.asm.wasm",
                                   boot["pyodide"]["indexURL"] + "pyodide.asm.mjs", boot["snapshot"]["url"],
                                   boot["data"]["services"]}   # over 256 KB, JSON: stored gzipped
    assert config["pages"] == {"cache": PAGES_CACHE, "max": 50, "maxBytes": 5 * 1024 * 1024}
    assert config["intentPages"] == ["", "tools/"]
    assert not (Path(built_site.dir) / "assets" / "javascripts" / "sw.js").exists()


def test_built_site_headers_file_matches_the_tool_page_policy(built_site):
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    headers = (built_site.dir / "_headers").read_text()
    assert f"/tools/recovery-checklist/*\n  Content-Security-Policy: {meta}; frame-ancestors 'none'\n" in headers


def test_built_offline_page_links_the_checker_and_is_not_in_search(built_site):
    html = (built_site.dir / "offline" / "index.html").read_text()
    assert "<h1" in html and "You are offline" in html and 'id="esrok-offline-pages"' in html
    assert 'href="../tools/recovery-checklist/"' in html
    index = json.loads((built_site.dir / "search" / "search_index.json").read_text())
    assert not [d for d in index["docs"] if d["location"].startswith("offline/")]
