"""overrides/assets/javascripts/service-search.js under real Node (`node --test`), over the real
trimmed catalogue that esrok_recovery.catalogue.browser_asset() makes from the project's data.

Search quality (20 queries in search_queries.json, the expected service in the first three),
the common choices, lookups, the domain rules shared with Python, and the subset handed to the
engine (read back by parse_services). Per-keystroke times are measured and reported here;
bench/catalogue.py is where the figures are quoted from.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from esrok_recovery.catalogue import browser_asset, domain_key, parse_services
from esrok_recovery.catalogue_file import load_catalogue

HERE = Path(__file__).resolve().parent
QUERIES = json.loads((HERE / "search_queries.json").read_text(encoding="utf-8"))["queries"]
DOMAIN_INPUTS = ["github.com", "GitHub.com", "https://www.GitHub.com/login", "http://user@mail.google.com:443/x",
                 "mail.google.com.", "  paypal.com  ", "localhost", "not a domain", "", "a.b", "xn--bcher-kva.example",
                 "ftp://files.example.org/pub", "example.com#top", "example.com?q=1"]


@pytest.fixture(scope="module")
def node_run(tmp_path_factory):
    assert shutil.which("node"), "node is required (README: Node 20+)"
    tmp = tmp_path_factory.mktemp("search")
    asset, cases, out = tmp / "services.json", tmp / "cases.json", tmp / "out.json"
    asset.write_text(browser_asset(load_catalogue(env={})), encoding="utf-8")
    cases.write_text(json.dumps({"queries": QUERIES,
                                 "domain_keys": [[d, domain_key(d)] for d in DOMAIN_INPUTS]}), encoding="utf-8")
    proc = subprocess.run(["node", "--test", "--test-reporter=spec", str(HERE / "service_search.test.mjs")],
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "ESROK_ASSET": str(asset),
                               "ESROK_CASES": str(cases), "ESROK_OUT": str(out)},
                          capture_output=True, text=True, timeout=300)
    return proc, (json.loads(out.read_text(encoding="utf-8")) if out.exists() else {})


def test_node_tests_pass(node_run):
    proc, _ = node_run
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "# fail 0" in proc.stdout or "ℹ fail 0" in proc.stdout


def test_twenty_queries_ranked(node_run):
    _, out = node_run
    ranks = {r["query"]: r["rank"] for r in out["results"]}
    assert len(ranks) == 20 and all(1 <= r <= 3 for r in ranks.values()), ranks
    assert [ranks[q] for q in ("gmail", "git", "pay pal", "outlook")] == [1, 1, 1, 1]


def test_the_subset_is_a_catalogue_document_the_engine_parses(node_run):
    _, out = node_run
    catalogue, problems = parse_services(out["subset"])
    assert problems == ()
    assert [s.domain for s in catalogue.services] == ["github.com", "mail.google.com"]


def test_per_keystroke_times_are_measured(node_run, record_property):
    _, out = node_run
    assert out["services"] == 2584 and out["keystrokes"] > 150
    assert 0 < out["median_ms"] <= out["max_ms"]
    record_property("search_median_ms", round(out["median_ms"], 3))
    record_property("search_max_ms", round(out["max_ms"], 3))
    print(f"\nservice search under Node: {out['keystrokes']} keystrokes over {out['services']} services, "
          f"median {out['median_ms']:.2f} ms, max {out['max_ms']:.2f} ms")
