"""Shared fixtures: one real `mkdocs build --strict` per session, served on 127.0.0.1.

The site is built with SITE_URL pointing at the port the server will use, so
Material's instant navigation engages exactly as it does for a reader.
"""
from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The site hooks are a package (`hooks.frontmatter`, ...): make them importable in tests.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mkdocs_build(config: Path, site_dir: Path, site_url: str | None = None,
                 extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a real `mkdocs build --strict`; returns the completed process (never raises)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url:
        env["SITE_URL"] = site_url
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=config.parent, env=env, capture_output=True, text=True, timeout=900,
    )


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static file server with the MIME types and cache headers a real host should send."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
        ".ics": "text/calendar",
        ".xml": "application/xml",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, *args):  # keep pytest output clean
        pass


@dataclass(frozen=True)
class Site:
    dir: Path
    url: str  # ends with "/"


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
