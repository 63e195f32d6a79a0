"""Step 7 of the tool build, hooks/toolbuild/precompress.py: which files get siblings, quality policy, cache, real Node brotli."""
from __future__ import annotations

import gzip
import os
import subprocess
import zlib

import pytest

from hooks.toolbuild.precompress import (
    MIN_BYTES, PrecompressError, brotli_quality, cache_names, precompress_site, wanted, worth_keeping)


def test_wanted_only_big_compressible_assets():
    assert wanted("assets/pyodide/pyodide.asm.wasm", 9_598_218)
    assert wanted("assets/pyodide/snapshot.0123456789ab.bin", 31_457_424)
    assert wanted("assets/javascripts/bundle.abc.min.js", MIN_BYTES)
    assert not wanted("assets/javascripts/small.js", MIN_BYTES - 1)
    assert not wanted("assets/images/logo.png", 50_000)
    assert not wanted("blog/index.html", 50_000)
    assert not wanted("search/search_index.json", 500_000)


def test_brotli_quality_policy_and_override():
    assert brotli_quality(2 * 1024 * 1024) == 11
    assert brotli_quality(2 * 1024 * 1024 + 1) == 9
    assert brotli_quality(10, "5") == 5
    with pytest.raises(PrecompressError) as e:
        brotli_quality(10, "max")
    assert str(e.value) == "ESROK_BROTLI_QUALITY='max' is not a brotli quality; use 0-11"


def test_cache_names_depend_on_content_and_quality():
    assert cache_names("ab", 11) == {"br": "ab.q11.br", "gz": "ab.9.gz"}
    assert cache_names("ab", 9)["br"] != cache_names("ab", 11)["br"]


def test_worth_keeping_needs_five_percent():
    assert worth_keeping(1000, 950)
    assert not worth_keeping(1000, 951)


def test_precompress_site_writes_decodable_siblings_and_reuses_the_cache(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "assets" / "pyodide").mkdir(parents=True)
    text = b"const answer = 42; // repetitive enough to compress\n" * 2000
    (site / "assets" / "pyodide" / "big.mjs").write_bytes(text)
    noise = os.urandom(20_000)  # incompressible: no sibling is kept
    (site / "assets" / "pyodide" / "noise.bin").write_bytes(noise)
    (site / "assets" / "tiny.js").write_bytes(b"x" * 100)

    report = precompress_site(site, cache)
    assert report == {"compressed": ["assets/pyodide/big.mjs", "assets/pyodide/noise.bin"], "cached": [],
                      "skipped": ["assets/pyodide/noise.bin.br", "assets/pyodide/noise.bin.gz"]}
    big = site / "assets" / "pyodide" / "big.mjs"
    br, gz = big.with_name("big.mjs.br").read_bytes(), big.with_name("big.mjs.gz").read_bytes()
    assert gzip.decompress(gz) == text
    node = subprocess.run(["node", "-e", "process.stdout.write(require('zlib').brotliDecompressSync("
                           "require('fs').readFileSync(process.argv[1])))", str(big) + ".br"],
                          capture_output=True, check=True)
    assert node.stdout == text and len(br) < len(gz) < len(text)
    assert not (site / "assets" / "tiny.js.br").exists()
    assert not list((site / "assets" / "pyodide").glob("noise.bin.*"))

    # An unchanged tree: nothing is compressed again, the siblings come from the cache.
    (big.with_name("big.mjs.br")).unlink()
    entries = sorted(p.name for p in cache.iterdir())
    again = precompress_site(site, cache)
    assert again["compressed"] == [] and again["cached"] == ["assets/pyodide/big.mjs", "assets/pyodide/noise.bin"]
    assert big.with_name("big.mjs.br").read_bytes() == br
    assert sorted(p.name for p in cache.iterdir()) == entries
    assert zlib.crc32(gz) == zlib.crc32(big.with_name("big.mjs.gz").read_bytes())


def test_old_cache_entries_are_evicted_but_those_in_use_kept(tmp_path):
    from hooks.toolbuild.precompress import evict

    cache = tmp_path / "cache"
    cache.mkdir()
    files = []
    for i in range(6):
        f = cache / f"{i:064x}.q9.br"
        f.write_bytes(b"x")
        os.utime(f, ns=(i * 10**9, i * 10**9))
        files.append(f)
    evict(cache, used={files[0]}, keep=3)  # the oldest is in use: kept with the two newest others
    assert sorted(p.name for p in cache.iterdir()) == sorted(f.name for f in (files[0], files[4], files[5]))


def test_built_site_has_siblings_for_the_runtime(built_site):
    wasm = next((built_site.dir / "assets" / "pyodide").glob("*/pyodide.asm.wasm"))
    assert gzip.decompress((wasm.parent / "pyodide.asm.wasm.gz").read_bytes()) == wasm.read_bytes()
    for name in ("pyodide.asm.wasm.br", "pyodide.asm.mjs.br", "pyodide.asm.mjs.gz", "pyodide-lock.json.br"):
        assert (wasm.parent / name).stat().st_size < (wasm.parent / name.rsplit(".", 1)[0]).stat().st_size
    assert not list(built_site.dir.glob("*.html.br"))  # pages are not precompressed
