"""Shared fixtures: one real `mkdocs build --strict` per session, served on 127.0.0.1.

The site is built with SITE_URL pointing at the port the server will use, so
Material's instant navigation engages exactly as it does for a reader. Helpers
live in site_support.py (test modules import them by that name, never from
conftest, so the per-directory conftest files cannot shadow each other).
"""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from site_support import ROOT, Site, SiteHandler, free_port, mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Site:
    """The real site, built once per session with `mkdocs build --strict`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    site_dir = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT / "mkdocs.yml", site_dir, site_url=url)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}"
    return Site(dir=site_dir, url=url)


@pytest.fixture(scope="session")
def site_server(built_site: Site) -> Site:
    """Serve the built site on the port it was built for; stops at session end."""
    port = int(built_site.url.rsplit(":", 1)[1].strip("/"))
    handler = functools.partial(SiteHandler, directory=str(built_site.dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield built_site
    server.shutdown()
    server.server_close()
