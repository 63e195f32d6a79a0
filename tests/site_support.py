"""Helpers shared by the site, hook and browser tests (imported by name: `from site_support import ...`).

Real `mkdocs build --strict` runs, a static server with a real host's MIME types,
and small fixture sites for the front-matter and scaffold tests.
"""
from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import sys
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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


@contextlib.contextmanager
def serve(directory: Path, port: int | None = None):
    """Serve ``directory`` on 127.0.0.1 (a free port unless given); yields the base URL."""
    import functools
    import threading

    handler = functools.partial(SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port or free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Site:
    dir: Path
    url: str  # ends with "/"




# ---------------------------------------------------------------- fixture sites
# Build small copies of the site for the front-matter and scaffold tests.
#
# A fixture site = the real mkdocs.yml (inherited), overrides/, hooks/ and
# docs/assets/, with the tiny docs tree in tests/site/fixture_docs/ (two valid
# posts, an authors file with `fixture-editor` and `fixture-reviewer`, a tool page
# `tools/recovery-checklist.md`) plus whatever posts a test adds. Only this
# project's own site hooks run (not the Pyodide/wheel hooks), so a build takes a
# second or two.

FIXTURE_DOCS = ROOT / "tests" / "site" / "fixture_docs"
SITE_HOOKS = ("hooks/contact.py", "hooks/frontmatter.py", "hooks/theme_loader.py", "hooks/blog_context.py",
              "hooks/feeds.py", "hooks/page_dates.py")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")

FIXTURE_CONFIG = """\
INHERIT: base.yml
watch: []  # fixture sites have no tool/ folder
hooks:
{hooks}
nav:
  - Home: index.md
  - Blog:
      - blog/index.md
  - Tools:
      - tools/recovery-checklist.md
"""


def make_site(dest: Path, posts: Mapping[str, str] | None = None, *, pages: Mapping[str, str] | None = None,
              drop_valid: bool = False) -> Path:
    """Write a fixture site into `dest`; `posts` maps file names in blog/posts/ to their text,
    `pages` maps other docs-relative paths to their text.

    Returns the path of its mkdocs.yml.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "overrides", dest / "overrides", ignore=IGNORE)
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=IGNORE)
    shutil.copy(ROOT / "mkdocs.yml", dest / "base.yml")
    if (ROOT / "docs" / "assets").is_dir():
        shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets", ignore=IGNORE)
    shutil.copytree(FIXTURE_DOCS, dest / "docs", dirs_exist_ok=True)
    shutil.copy(ROOT / "docs" / "robots.txt", dest / "docs" / "robots.txt")  # an extra_templates entry
    post_dir = dest / "docs" / "blog" / "posts"
    if drop_valid:
        for p in post_dir.glob("*.md"):
            p.unlink()
    for name, text in (posts or {}).items():
        (post_dir / name).write_text(text, encoding="utf-8")
    for name, text in (pages or {}).items():
        (dest / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "docs" / name).write_text(text, encoding="utf-8")
    config = dest / "mkdocs.yml"
    config.write_text(FIXTURE_CONFIG.format(hooks="\n".join(f"  - {h}" for h in SITE_HOOKS)),
                      encoding="utf-8")
    return config


def site_config() -> dict:
    """mkdocs.yml as the build reads its values: ``!ENV`` resolved (environment or default),
    ``!!python/name`` tags ignored (the tests never need them)."""
    import yaml
    import yaml_env_tag

    from hooks.scaffold import _ConfigLoader

    class Loader(_ConfigLoader):
        pass

    Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def runtime_root(dest: Path, corrupt: str | None = None) -> Path:
    """A project root holding only the pinned Pyodide runtime (linked to this project's), with the
    file ``corrupt`` (if any) replaced by other bytes: for the tool build's runtime checks."""
    from hooks.toolbuild.runtime import RUNTIME_FILES

    dest.mkdir(parents=True, exist_ok=True)
    (dest / "package-lock.json").write_text((ROOT / "package-lock.json").read_text())
    pkg = dest / "node_modules" / "pyodide"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text((ROOT / "node_modules/pyodide/package.json").read_text())
    for name in RUNTIME_FILES:
        if name == corrupt:
            (pkg / name).write_bytes(b"not the runtime")
        else:
            os.symlink(ROOT / "node_modules" / "pyodide" / name, pkg / name)
    return dest
