// node --test: overrides/assets/javascripts/service-search.js over the real trimmed catalogue.
// Run by tests/javascripts/test_service_search.py, which writes the inputs and reads the outputs:
//   ESROK_ASSET      the browser asset (esrok_recovery.catalogue.browser_asset of the project data)
//   ESROK_CASES      JSON: {queries: [...], domain_keys: [[input, expected], ...]}
//   ESROK_OUT        where this writes the per-keystroke timings and a subset document
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

import { buildIndex, commonChoices, domainKey, fold, lookup, prefixDistance, search, subsetFor }
  from "../../overrides/assets/javascripts/service-search.js";

const asset = JSON.parse(readFileSync(process.env.ESROK_ASSET, "utf8"));
const cases = JSON.parse(readFileSync(process.env.ESROK_CASES, "utf8"));
const index = buildIndex(asset);
const top = (q, n = 3) => search(index, q, n).map((r) => r.service.domain);
const out = {};

test("the four queries of the issue find the right service first", () => {
  assert.equal(top("gmail")[0], "mail.google.com");
  assert.equal(top("git")[0], "github.com");
  assert.equal(top("pay pal")[0], "paypal.com");
  assert.equal(top("outlook")[0], "outlook.com");
});

test("20 queries: the expected service is in the first three results", () => {
  const misses = [];
  out.results = cases.queries.map(({ query, expect }) => {
    const got = top(query);
    if (!got.includes(expect)) misses.push(`${query}: expected ${expect}, got ${got.join(", ")}`);
    return { query, expect, rank: got.indexOf(expect) + 1, top3: got };
  });
  assert.deepEqual(misses, []);
  assert.equal(cases.queries.length, 20);
});

test("an empty query offers the common choices, in order, with their labels", () => {
  assert.deepEqual(search(index, "   "), []);
  const common = commonChoices(index);
  assert.deepEqual(common.map((c) => c.service.domain), asset.common.map((c) => c.domain));
  assert.equal(common[0].label, "Google Account (Gmail)");
});

test("results carry the service record and the label to show", () => {
  const [first] = search(index, "gmail", 1);
  assert.equal(first.label, "Google Account (Gmail)");
  assert.equal(first.service.name, "Gmail");
  assert.ok(first.service.methods.includes("security_key"));
  assert.deepEqual(search(index, "GitHub", 1).map((r) => r.label), ["GitHub"]);
});

test("nonsense finds nothing; short typos are not guessed", () => {
  assert.deepEqual(search(index, "zzqxjv"), []);
  assert.ok(!top("gti", 8).includes("github.com"));     // 3 letters: no typo tolerance
  assert.ok(search(index, "x").length <= 8);
  assert.equal(search(index, "bank", 20).length, 20);
});

test("fold: case, accents, symbols", () => {
  assert.equal(fold("  Länsförsäkringar  "), "lansforsakringar");
  assert.equal(fold("AT&T"), "at and t");
  assert.equal(fold("X (Twitter)"), "x twitter");
  assert.equal(fold(null), "");
});

test("domainKey agrees with esrok_recovery.catalogue.domain_key", () => {
  for (const [input, expected] of cases.domain_keys) assert.equal(domainKey(input), expected, input);
});

test("lookup by main or additional domain; a shared additional domain is ambiguous", () => {
  assert.equal(lookup(index, "https://www.gmail.com/").domain, "mail.google.com");
  assert.equal(lookup(index, "twitter.com").domain, "x.com");
  assert.equal(lookup(index, "nordaccount.com"), null);
  assert.equal(lookup(index, "dinero.dk").domain, "dinero.dk");   // main wins over Visma's additional
  assert.equal(lookup(index, "nothing.example"), null);
});

test("prefixDistance: edits to reach some prefix of the target", () => {
  assert.equal(prefixDistance("githbu", "github", 1), 1);
  assert.equal(prefixDistance("gith", "github", 1), 0);
  assert.equal(prefixDistance("amazn", "amazon", 1), 1);
  assert.equal(prefixDistance("xxxx", "github", 1), 2);
  assert.equal(prefixDistance("instagarm", "instagram", 2), 1);
});

test("subsetFor gives the engine only the named services", () => {
  const subset = subsetFor(index, ["github.com", "gmail.com", "github.com", "unknown.example"]);
  assert.deepEqual(subset.services.map((s) => s.domain), ["github.com", "mail.google.com"]);
  assert.deepEqual(subset.sources, asset.sources);
  assert.equal(subset.format, 1);
  out.subset = subset;
});

test("per-keystroke search time over every service (measured, reported by pytest)", () => {
  const times = [];
  for (const { query } of cases.queries) {
    for (let i = 1; i <= query.length; i++) {
      const t0 = performance.now();
      search(index, query.slice(0, i));
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  out.keystrokes = times.length;
  out.median_ms = times[times.length >> 1];
  out.max_ms = times[times.length - 1];
  out.services = index.entries.length;
  assert.ok(times.length > 150);
});

test.after(() => writeFileSync(process.env.ESROK_OUT, JSON.stringify(out)));
