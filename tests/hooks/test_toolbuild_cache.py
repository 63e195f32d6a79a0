"""hooks/toolbuild/cache.py: content-hash keys, the step cache with eviction, the one file-hash helper."""
from __future__ import annotations

import hashlib
import os

import pytest

from hooks.toolbuild.cache import StepCache, file_digest, key


def test_key_separates_its_parts():
    assert key("ab", "c") != key("a", "bc")
    assert key("a", b"b") == key(b"a", "b")
    assert len(key("x")) == 64


def test_file_digest_is_sha256_and_follows_changes(tmp_path):
    f = tmp_path / "f.bin"
    f.write_bytes(b"one")
    assert file_digest(f) == hashlib.sha256(b"one").hexdigest()
    f.write_bytes(b"two!")
    assert file_digest(f) == hashlib.sha256(b"two!").hexdigest()


def test_entry_is_made_once_then_reused(tmp_path):
    cache = StepCache(tmp_path)
    made = []

    def make(d):
        made.append(d)
        (d / "out.txt").write_text("result")

    a = cache.entry("step", key("in"), make)
    b = cache.entry("step", key("in"), make)
    assert a == b and len(made) == 1 and (a / "out.txt").read_text() == "result"
    assert [p.name for p in (tmp_path / "step").iterdir()] == [a.name]  # no temporary directory left


def test_a_failed_step_leaves_no_entry(tmp_path):
    cache = StepCache(tmp_path)

    def boom(d):
        (d / "half").write_text("x")
        raise RuntimeError("node failed")

    with pytest.raises(RuntimeError):
        cache.entry("step", key("in"), boom)
    assert list((tmp_path / "step").iterdir()) == []


def test_only_the_newest_entries_per_step_are_kept(tmp_path):
    cache = StepCache(tmp_path, keep=2)
    names = []
    for i in range(4):
        d = cache.entry("step", key(str(i)), lambda d: None)
        os.utime(d, ns=(i * 10**9, i * 10**9))
        names.append(d.name)
    cache.entry("other", key("x"), lambda d: None)  # other steps are counted on their own
    assert sorted(p.name for p in (tmp_path / "step").iterdir()) == sorted(names[2:])
    # using an old entry again makes it the newest
    again = cache.entry("step", key("2"), lambda d: None)
    assert again.name == names[2]
    cache.entry("step", key("5"), lambda d: None)
    assert names[2] in [p.name for p in (tmp_path / "step").iterdir()]
    assert len(list((tmp_path / "other").iterdir())) == 1
