"""Import the engine from tool/ for the build: one way, shared by the hooks that read its tables
(hooks/rules_page.py) and the tool build (hooks/toolbuild/). Not a hook itself.

Under ``mkdocs serve`` the engine is re-imported when its sources changed since it was last
imported; otherwise every caller in a build gets the same module objects. The stamp lives on the
module, so this holds no state of its own.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

PACKAGE = "esrok_recovery"


def sources_stamp(pkg: Path) -> tuple:
    return tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(pkg.rglob("*.py")))


def import_engine(root: Path, module: str = PACKAGE, error: type[Exception] = ImportError):
    """The engine (or one of its modules, e.g. ``esrok_recovery.rules``) from ``root``/tool. A failed
    import raises ``error`` with the reason in one line, never a traceback."""
    tool_dir = str(root / "tool")
    if tool_dir not in sys.path:
        sys.path.insert(0, tool_dir)
    pkg = root / "tool" / PACKAGE
    stamp = sources_stamp(pkg) if pkg.is_dir() else ()
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None and getattr(loaded, "__esrok_stamp__", stamp) != stamp:
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
    try:
        engine = importlib.import_module(PACKAGE)
        wanted = importlib.import_module(module)
    except Exception as e:  # report, never a traceback
        raise error(f"cannot import the engine from tool/{PACKAGE} ({type(e).__name__}: {e})") from None
    engine.__esrok_stamp__ = stamp
    return wanted
