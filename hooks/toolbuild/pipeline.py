"""The recovery checklist's build, as one explicit pipeline.

Each step is a function from inputs to outputs; the expensive ones are cached by a hash of their
inputs in ``.cache/esrok/<step>/`` (see cache.py). The order is the code of :func:`build` and
:func:`finish`; the value passed from step to step is the frozen :class:`ToolBuild`:

1. runtime files          runtime.runtime_files       -> Runtime (pinned Pyodide, checked)
2. engine wheel           wheel.engine_wheel          -> Wheel (standard backend, reproducible)
3. precompiled stdlib     stdlib.precompiled_stdlib   -> Stdlib (full, trimmed, engine bytecode)
4. snapshot               snapshot.memory_snapshot    -> Blob (memory snapshot) or None
4b. service catalogue     catalogue.service_catalogue -> ServiceData (validated once; trimmed asset, licences)
5. page data              page.page_data              -> PageData (questions, assets, boot config,
                                                          plan-ui.json and the catalogue, the page's modules)
   -- MkDocs renders the pages, with ToolBuild.page as the tool page's context --
6. service worker         sw.service_worker           -> sw.js, _headers
7. precompressed siblings precompress.precompress_site -> <file>.br, <file>.gz
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .cache import StepCache
from .catalogue import ServiceData, service_catalogue
from .page import PageData, import_engine, page_data
from .precompress import precompress_site
from .runtime import Runtime, runtime_files
from .snapshot import memory_snapshot
from .stdlib import Blob, Stdlib, precompiled_stdlib
from .sw import service_worker
from .wheel import Wheel, engine_wheel

SNAPSHOT = True  # ship the memory snapshot (kept compressed by the service worker; bench/browser.py)
OFFLINE_PAGE = "offline/"


@dataclass(frozen=True)
class ToolBuild:
    runtime: Runtime
    wheel: Wheel
    stdlib: Stdlib
    snapshot: Blob | None
    page: PageData
    services: ServiceData

    def site_files(self) -> list[tuple[str, Path | None, bytes | None]]:
        """Every file the build adds to the site: (site path, source file or None, bytes or None).
        The licence pages (Markdown) are pages, added by the hook with :meth:`pages`."""
        out: list[tuple[str, Path | None, bytes | None]] = [
            (self.runtime.dir + name, path, None) for name, path in self.runtime.files]
        blobs = [self.stdlib.trimmed, self.stdlib.full, self.stdlib.bytecode, *self.page.data_assets,
                 *self.services.files, *self.page.modules]
        if self.snapshot:
            blobs.append(self.snapshot)
        out.append((self.wheel.url, None, self.wheel.data))
        out += [(b.url, None, b.data) for b in blobs]
        return out

    def pages(self) -> list[tuple[str, str]]:
        """Pages the build adds: (docs path, Markdown), the licence pages of the catalogue's sources."""
        return list(self.services.licences)


def cache_for(root: Path) -> StepCache:
    return StepCache(root / ".cache" / "esrok")


def build(root: Path, tool_page_url: str, snapshot: bool = SNAPSHOT) -> ToolBuild:
    """Steps 1-5: everything the pages need before MkDocs renders them."""
    cache = cache_for(root)
    runtime = runtime_files(root)                                  # 1
    wheel = engine_wheel(root, cache)                              # 2
    stdlib = precompiled_stdlib(runtime, wheel, cache)             # 3
    snap = memory_snapshot(runtime, stdlib, wheel, cache) if snapshot else None  # 4
    services = service_catalogue(root, cache, import_engine(root, "esrok_recovery.catalogue"))  # 4b
    page = page_data(root, tool_page_url, runtime, wheel, stdlib, snap, services)  # 5
    return ToolBuild(runtime, wheel, stdlib, snap, page, services)


def finish(build_value: ToolBuild, root: Path, site_dir: Path, compress: bool = True) -> dict:
    """Steps 6-7, on the built site."""
    written = service_worker(build_value, site_dir, OFFLINE_PAGE)  # 6
    for name, text in written.items():
        (site_dir / name).write_text(text, encoding="utf-8")
    report = {}
    if compress:                                                   # 7
        report = precompress_site(site_dir, root / ".cache" / "esrok" / "precompress",
                                  os.environ.get("ESROK_BROTLI_QUALITY"))
    return report
