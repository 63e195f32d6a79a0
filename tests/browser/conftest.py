"""Browser tests: real Debian Chromium through Playwright against the real built site.

One browser per session (pytest-playwright's `browser`, launched with the system chromium;
never `playwright install`). Helpers live in browser_support.py.
"""
from __future__ import annotations

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
