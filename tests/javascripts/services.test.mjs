// node --test: the tool page's catalogue module (overrides/assets/javascripts/checklist/services.js)
// over the real browser asset (esrok_recovery.catalogue.browser_asset()). Run by
// tests/javascripts/test_services_js.py, which writes the inputs and has the real engine judge the
// envelope written here:
//   ESROK_SERVICES  the browser asset
//   ESROK_OUT       where this writes the envelope the page would send for GitHub + SMS
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";

import { answerDomains, catalogueLoader, envelopeServices, kindOf, offeredTypes, planDomains, serviceOf,
  servicesFor, servicesNow } from "../../overrides/assets/javascripts/checklist/services.js";

const text = readFileSync(process.env.ESROK_SERVICES, "utf8");
const fetched = [];
globalThis.fetch = async (url) => {   // stands in for the network: the asset's own bytes
  fetched.push(String(url));
  return { ok: true, status: 200, json: async () => JSON.parse(text) };
};

test("nothing is fetched for an evaluation that names no service, and the catalogue is fetched once", async () => {
  const loader = catalogueLoader("https://site.example/assets/esrok/services.x.json");
  assert.equal(await servicesFor(loader, []), null);   // no envelope, no download
  assert.equal(servicesNow(loader, []), null);          // known without waiting
  assert.equal(servicesNow(loader, ["github.com"]), undefined);   // the catalogue must be loaded first
  assert.deepEqual(fetched, []);
  const [a, b] = await Promise.all([loader.load(), loader.load()]);
  assert.equal(a, b);
  assert.equal(fetched.length, 1);
  const empty = await servicesFor(loader, []);          // once loaded, every evaluation gets an envelope
  assert.deepEqual(empty.services, []);
  assert.deepEqual(servicesNow(loader, []), empty);     // and it is known without waiting
  assert.deepEqual(servicesNow(loader, ["github.com"]), await servicesFor(loader, ["github.com"]));
  assert.equal(fetched.length, 1);
});

test("the envelope holds only the entries the plan names, each once, sorted", async () => {
  const cat = await catalogueLoader("x").load();
  const plan = { accounts: [{ id: "a", service: "github.com" }, { id: "b", service: "www.paypal.com" },
    { id: "c", service: "GitHub.com" }, { id: "d", service: "not-listed.example" }, { id: "e" }] };
  assert.deepEqual(planDomains(plan), ["github.com", "www.paypal.com", "GitHub.com", "not-listed.example"]);
  const env = envelopeServices(cat, planDomains(plan));
  assert.deepEqual(env.services.map((s) => s.domain), ["github.com", "paypal.com"]);
  assert.equal(env.format, cat.format);
  assert.deepEqual(env.sources, cat.sources);
  assert.equal(Object.keys(env).join(), "format,sources,services");   // not the page's tables
  assert.deepEqual(answerDomains({ main_account: { service: "github.com" }, second_step: "sms" }), ["github.com"]);
});

test("kinds and offered sign-in types come from the asset's tables", async () => {
  const cat = await catalogueLoader("x").load();
  assert.equal(kindOf(cat, serviceOf(cat, "mail.google.com")), "google");
  assert.equal(kindOf(cat, serviceOf(cat, "github.com")), "other");
  assert.deepEqual([...offeredTypes(cat, serviceOf(cat, "github.com"))].sort(),
    ["passkey", "password", "push", "security_key", "sms", "totp"]);
});

test("the envelope for GitHub picked in the quick check with SMS", async () => {
  const loader = catalogueLoader("x");
  const answers = { version: 1, answers: { main_account: { service: "github.com", kind: "other", name: "GitHub" },
    second_step: "sms" } };
  writeFileSync(process.env.ESROK_OUT, JSON.stringify({ answers, services: await servicesFor(loader, answerDomains(answers.answers)) }));
});
