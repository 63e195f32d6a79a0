"""Pure helpers of hooks/page_dates.py (the built sitemap is checked in tests/site/test_sitemap_robots.py)."""
from __future__ import annotations

from datetime import date, datetime

from hooks.page_dates import git_dates, newest, parse_git_log, post_date


def test_post_date_prefers_updated():
    assert post_date({"created": datetime(2026, 1, 2), "updated": datetime(2026, 2, 3)}) == date(2026, 2, 3)
    assert post_date({"created": date(2026, 1, 2)}) == date(2026, 1, 2)
    assert post_date(date(2026, 1, 5)) == date(2026, 1, 5)
    assert post_date("soon") is None


def test_newest_ignores_missing():
    assert newest([None, date(2026, 1, 1), date(2026, 3, 1)]) == date(2026, 3, 1)
    assert newest([]) is None


def test_parse_git_log_keeps_each_files_newest_commit():
    out = "\x002026-11-29\n\nabout.md\nindex.md\n\x002026-11-01\n\nabout.md\nsecurity.md\n"
    assert parse_git_log(out) == {"about.md": date(2026, 11, 29), "index.md": date(2026, 11, 29),
                                  "security.md": date(2026, 11, 1)}


def test_git_dates_outside_a_checkout_is_empty(tmp_path):
    (tmp_path / "a.md").write_text("x")
    assert git_dates(str(tmp_path)) == {}
