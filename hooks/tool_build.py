"""MkDocs hook: the recovery checklist's build (hooks/toolbuild/pipeline.py), wired to MkDocs.

Thin on purpose: it finds the tool page, runs the pipeline's steps 1-5 once the files are known,
hands their frozen ``ToolBuild`` to a plugin object registered for this one build (so nothing
is kept in module globals and nothing is written into the MkDocs config), and runs steps 6-7
after the build. Never writes into docs/, never touches the network.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import meta as mkdocs_meta

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # hooks load as standalone files; the steps are the hooks.toolbuild package
    sys.path.insert(0, str(_ROOT))

from hooks.toolbuild import pipeline  # noqa: E402
from hooks.toolbuild.catalogue import CREDITS_MARKER, TEMPLATES, CatalogueCheckError, insert_credits  # noqa: E402
from hooks.toolbuild.page import STEPS, TOOL_TEMPLATE, ToolPageError, apply_csp_hashes  # noqa: E402
from hooks.toolbuild.precompress import PrecompressError  # noqa: E402
from hooks.toolbuild.runtime import RuntimeCheckError  # noqa: E402
from hooks.toolbuild.stdlib import PrecompileError, find_node  # noqa: E402
from hooks.toolbuild.sw import PrecacheError, render  # noqa: E402
from hooks.toolbuild.wheel import WheelError  # noqa: E402

ERRORS = (RuntimeCheckError, WheelError, PrecompileError, ToolPageError, PrecacheError, PrecompressError,
          CatalogueCheckError)
PLUGIN_KEY = "esrok/tool-build"


def find_tool_page(files) -> File:
    """The one documentation page with ``template: tool.html`` in its front matter."""
    found = []
    for f in files.documentation_pages():
        if f.abs_src_path is None:
            continue
        text = Path(f.abs_src_path).read_text(encoding="utf-8-sig")
        if TOOL_TEMPLATE in text and mkdocs_meta.get_data(text)[1].get("template") == TOOL_TEMPLATE:
            found.append(f)
    if len(found) != 1:
        raise PluginError("tool build: exactly one page must use `template: tool.html` (found "
                          + (", ".join(f.src_uri for f in found) or "none")
                          + "); docs/tools/recovery-checklist.md should")
    return found[0]


class ToolBuildPlugin(BasePlugin):
    """Holds one build's ToolBuild; registered by on_config below, dropped with the config."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root
        self.build = None

    @event_priority(-10)  # after the site hooks, which validate the pages first
    def on_files(self, files, config):
        tool = find_tool_page(files)
        try:
            self.build = pipeline.build(self.root, tool.url)
        except ERRORS as e:
            raise PluginError(f"tool build: {e}") from None
        for path, src, data in self.build.site_files():
            files.append(File.generated(config, path, abs_src_path=str(src)) if src else
                         File.generated(config, path, content=data))
        offline = File.generated(config, "offline.md", content=render(
            "offline.md.j2", tool_link=tool.src_uri), inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(offline)
        for path, markdown in self.build.pages():   # the licence pages of the service data
            files.append(File.generated(config, path, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        """The service data's credits where a page asks for them (<!-- esrok:data-credits -->)."""
        if CREDITS_MARKER not in markdown:
            return markdown
        template = (TEMPLATES / "credits.md.j2").read_text(encoding="utf-8")
        return insert_credits(markdown, page.file.src_uri, self.build.services.credits, template)

    def on_page_context(self, context, page, config, nav):
        if (page.meta or {}).get("template") == TOOL_TEMPLATE:
            context["esrok_tool"] = self.build.page.context()
            add_steps_to_toc(page.toc, STEPS)
        return context

    def on_post_page(self, output, page, config):
        if (page.meta or {}).get("template") == TOOL_TEMPLATE:
            return apply_csp_hashes(output)
        return output

    def on_post_build(self, config):
        try:
            site_dir = Path(config.site_dir)
            pipeline.finish(self.build, self.root, site_dir, compress=not is_preview(site_dir))
        except ERRORS as e:
            raise PluginError(f"tool build: {e}") from None


def add_steps_to_toc(toc, steps) -> None:
    """The tool's steps are headings of its template, not of its Markdown: list them in the page's
    table of contents, under its title (Material's skip link still targets the title)."""
    from markupsafe import escape
    from mkdocs.structure.toc import AnchorLink

    items = list(toc)
    if not items or items[0].level != 1:
        return
    known = {c.id for c in items[0].children}
    items[0].children[:0] = [AnchorLink(str(escape(title)), hid, 2) for hid, title in steps if hid not in known]


def is_preview(site_dir: Path) -> bool:
    """`mkdocs serve` builds into a fresh temporary "mkdocs_*" directory; it never serves the
    precompressed siblings, so step 7 is skipped there."""
    import tempfile

    return site_dir.parent == Path(tempfile.gettempdir()) and site_dir.name.startswith("mkdocs_")


def on_config(config):
    try:
        find_node()  # fail before the build starts, with the fix
    except PrecompileError as e:
        raise PluginError(str(e)) from None
    root = Path(config.config_file_path).resolve().parent
    config.plugins[PLUGIN_KEY] = ToolBuildPlugin(root)
    return config
