"""The service picker's test harness (fixtures/service_picker/), shared by
tests/browser/test_service_picker.py and bench/catalogue.py.

The harness page is rendered with Jinja from the real partial (overrides/partials/
service-picker.html) and served with the real modules, the real stylesheet and the real
trimmed catalogue (esrok_recovery.catalogue.browser_asset of the project's data).
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "service_picker"
ASSETS = (("javascripts", "service-search.js"), ("javascripts", "service-picker.js"),
          ("stylesheets", "service-picker.css"))


def build_harness(dest: Path, asset_text: str) -> None:
    """Write the harness site into ``dest``: index.html, harness.js, the assets, services.json."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(FIXTURE), str(ROOT / "overrides")]),
                             undefined=jinja2.StrictUndefined, autoescape=True)
    (dest / "index.html").write_text(env.get_template("harness.html.j2").render(), encoding="utf-8")
    shutil.copy(FIXTURE / "harness.js", dest / "harness.js")
    for sub, name in ASSETS:
        (dest / "assets" / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "overrides" / "assets" / sub / name, dest / "assets" / sub / name)
    (dest / "services.json").write_text(asset_text, encoding="utf-8")


@contextmanager
def serve(directory: Path, handler_class):
    """Serve ``directory`` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler_class, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
