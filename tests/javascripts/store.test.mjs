// node --test: the page's pure modules (overrides/assets/javascripts/checklist/): the store, the
// edit operations and the draft check, over the real vocabulary (the engine's plan_ui()).
// Run by tests/javascripts/test_store.py, which writes the inputs and checks the outputs with the
// real engine:
//   ESROK_PLAN_UI   plan-ui.json (esrok_recovery.plan_ui_json())
//   ESROK_OUT       where this writes the states of the random edit sequences, with their
//                   finished part and drafts, for the engine to judge
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";

import { finish, errorsBeyondDrafts } from "../../overrides/assets/javascripts/checklist/drafts.js";
import * as E from "../../overrides/assets/javascripts/checklist/plan-edit.js";
import { emptyPlan, planText, readPlan } from "../../overrides/assets/javascripts/checklist/store.js";
import { makeVocab } from "../../overrides/assets/javascripts/checklist/vocab.js";

const vocab = makeVocab(JSON.parse(readFileSync(process.env.ESROK_PLAN_UI, "utf8")));
const roundTrip = (plan) => readPlan(planText(plan, "2026-12-01"), vocab).plan;
const field = (shape, tag, name) => vocab.field(shape, tag, name);

// ---- examples, with exact words -----------------------------------------------------------------

test("a text-message method without a number is a draft that says what to choose", () => {
  const plan = emptyPlan(vocab);
  const id = E.addAccount(plan, { name: "Gmail", kind: "google" });
  E.updateAccount(plan, vocab, id, "importance", "critical");
  E.addItem(plan, id, "sign_in", "sms");
  const split = finish(plan, vocab);
  assert.equal(split.plan, null);   // nothing finished yet: no results, and no error either
  assert.deepEqual(split.drafts.map((d) => [d.where, d.missing]),
    [["Gmail", ["Text message code (Sent to: choose a phone number)"]]]);
  // "+ Add a phone number" creates the number and the phone it lives on.
  const number = E.createFor(plan, vocab, field("sign_in", "sms", "on"));
  E.updateItem(plan, vocab, id, "sign_in", 0, "on", number);
  assert.deepEqual(plan.things, [
    { id: "phone-number", type: "phone_number", label: "Phone number", on: "phone" },
    { id: "phone", type: "phone", label: "Phone" },
  ]);
  const done = finish(plan, vocab);
  assert.deepEqual(done.drafts, []);
  assert.equal(done.plan.accounts[0].sign_in[0].on, "phone-number");
});

test("results keep the finished part: a second, unfinished method is left out and listed", () => {
  const plan = emptyPlan(vocab);
  const id = E.addAccount(plan, { name: "Bank", kind: "bank" });
  E.updateAccount(plan, vocab, id, "importance", "important");
  E.addItem(plan, id, "sign_in", "password");
  E.addItem(plan, id, "sign_in", "totp");
  E.addItem(plan, id, "recovery", "support");
  const split = finish(plan, vocab);
  assert.deepEqual(split.plan.accounts[0].sign_in, [{ type: "password" }]);
  assert.deepEqual(split.plan.accounts[0].recovery, []);
  assert.deepEqual(split.drafts.map((d) => [d.path, d.where, d.missing]), [
    ["accounts[0].sign_in[1]", "Bank, Authenticator app code", ["App: choose an authenticator app"]],
    ["accounts[0].recovery[0]", "Bank, Account support process", ["Waiting time (days): fill it in"]],
  ]);
  assert.equal(split.toOriginal("accounts[0].recovery[0].wait_days"), "accounts[0].recovery[0].wait_days");
});

test("removing a thing turns what named it into a draft instead of a broken reference", () => {
  const plan = emptyPlan(vocab);
  const id = E.addAccount(plan, { name: "Mail", kind: "email" });
  E.updateAccount(plan, vocab, id, "importance", "critical");
  E.addItem(plan, id, "sign_in", "totp");
  const app = E.createFor(plan, vocab, field("sign_in", "totp", "on"));
  E.updateItem(plan, vocab, id, "sign_in", 0, "on", app);
  assert.deepEqual(finish(plan, vocab).drafts, []);
  E.removeThing(plan, vocab, "phone");
  const split = finish(plan, vocab);
  assert.deepEqual(split.drafts.map((d) => [d.where, d.missing]), [
    ["Authenticator app", ["Runs on: choose a phone or a computer or tablet"]],
    ["Mail", ["Authenticator app code (needs Authenticator app, which is not finished yet)"]],
  ]);
});

test("an empty new account asks for its name, kind, importance and a sign-in method", () => {
  const plan = emptyPlan(vocab);
  E.addAccount(plan);
  assert.deepEqual(finish(plan, vocab).drafts.map((d) => [d.where, d.missing]), [["New account", [
    "Account name: fill it in", "Kind of account: choose one", "Importance: choose one",
    "Sign-in methods: add at least one"]]]);
});

test("import errors: not JSON, newer formats, and the paths of an engine's errors beyond drafts", () => {
  assert.equal(readPlan("{nope", vocab).error, "not-json");
  assert.deepEqual(readPlan(JSON.stringify({ version: 99, accounts: [] }), vocab).errors,
    [{ path: "version", message: "plan format 99 is newer than this page reads (1 and 2)" }]);
  const old = { store_version: 1, saved_on: "2026-01-02", plan: { version: 1, things: [], accounts: [] } };
  assert.deepEqual(readPlan(JSON.stringify(old), vocab), { plan: { version: 2, things: [], accounts: [] }, writtenOn: "2026-01-02" });
  const plan = emptyPlan(vocab);
  E.addAccount(plan, { name: "A", kind: "email" });
  const split = finish(plan, vocab);
  const errors = [{ path: "accounts[0]", message: 'missing required key "importance"' },
    { path: "accounts", message: "add at least one account" },
    { path: "accounts[0].kind", message: 'unknown kind "emial"' }];
  assert.deepEqual(errorsBeyondDrafts(errors, split), [errors[2]]);
});

// ---- random edit sequences ----------------------------------------------------------------------

function rng(seed) {   // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const NAMES = ["Gmail", "Bank", "Work", "Vault", "<img src=x onerror=alert(1)>", "Mum's \"phone\"", "Zoë 🙂", "a"];

function valueFor(f, plan, r, pick, owner) {
  const enumValues = f.enum ? vocab.options(f.enum).map((o) => o.value) : [];
  switch (f.kind) {
    case "text": return pick(NAMES.concat([""]));
    case "count": return pick(["", 0, 1, 10, 365]);
    case "date": return pick(["", "2026-11-30", "2024-02-29"]);
    case "date_or_never": return pick(["", vocab.never, "2025-06-01"]);
    case "enum": return pick(enumValues.concat([""]));
    case "bool": return pick([true, false, ""]);
    case "thing":
    case "account": {
      if (r() < 0.25) return E.createFor(plan, vocab, f);
      return pick(E.candidates(plan, f, owner).map((c) => c.id).concat([""]));
    }
    default: return undefined;
  }
}

function randomEdit(plan, r) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const account = plan.accounts.length ? pick(plan.accounts) : null;
  const thing = plan.things.length ? pick(plan.things) : null;
  const ops = [
    () => E.addAccount(plan, r() < 0.7 ? { name: pick(NAMES), kind: pick(vocab.options("account_kind")).value } : {}),
    () => {
      if (!account) return;
      const name = pick(["name", "kind", "importance", "alerts", "recovery_tested_on"]);
      E.updateAccount(plan, vocab, account.id, name, valueFor(vocab.field("account", null, name), plan, r, pick, account.id));
    },
    () => account && r() < 0.3 && E.removeAccount(plan, vocab, account.id),
    () => E.addThing(plan, vocab, pick(vocab.options("thing_type")).value),
    () => {
      if (!thing) return;
      const f = pick(vocab.fields("thing", thing.type).filter((x) => !["id", "type"].includes(x.name)));
      if (f && (!f.when || f.when.values.includes(thing[f.when.field]))) E.updateThing(plan, vocab, thing.id, f.name, valueFor(f, plan, r, pick, thing.id));
    },
    () => thing && r() < 0.3 && E.removeThing(plan, vocab, thing.id),
    () => {
      if (!account) return;
      const list = r() < 0.6 ? "sign_in" : "recovery";
      E.addItem(plan, account.id, list, pick(vocab.options(list === "sign_in" ? "sign_in_type" : "recovery_type")).value);
    },
    () => {
      if (!account) return;
      const list = pick(["sign_in", "recovery"]);
      const items = Array.isArray(account[list]) ? account[list] : [];
      if (!items.length) return;
      const j = Math.floor(r() * items.length);
      const shape = list;
      const variant = vocab.variant(shape, items[j].type);
      const f = pick(variant.fields.length ? variant.fields : [null]);
      if (!f) return;
      if (f.when && !f.when.values.includes(items[j][f.when.field])) return;
      E.updateItem(plan, vocab, account.id, list, j, f.name, valueFor(f, plan, r, pick, account.id));
    },
    () => {
      if (!account) return;
      const list = pick(["sign_in", "recovery"]);
      if ((account[list] || []).length) E.removeItem(plan, account.id, list, Math.floor(r() * account[list].length));
    },
    () => account && E.setCodesGenerated(plan, account.id, pick(["yes", "no", ""])),
    () => {
      if (!account) return;
      const f = vocab.field("backup_codes", null, pick(["remaining", "used", "generated_on"]));
      E.updateCodes(plan, account.id, f.name, valueFor(f, plan, r, pick, account.id));
    },
    () => {
      if (!account) return;
      const stores = plan.things.filter((t) => t.type === "code_store");
      if (r() < 0.3) E.toggleCodeStore(plan, account.id, E.createFor(plan, vocab, vocab.field("backup_codes", null, "stored_in")), true);
      else if (stores.length) E.toggleCodeStore(plan, account.id, pick(stores).id, r() < 0.7);
    },
    () => E.setHabit(plan, pick(vocab.shape("habits").fields).name, pick([true, false, ""])),
    () => finishSome(plan, r, pick),
    () => finishSome(plan, r, pick),
  ];
  pick(ops)();
}

/** What a person does next most often: fill in what an account or a thing still lacks. */
function finishSome(plan, r, pick) {
  const filled = (f, value) => value !== "" && value !== undefined ? value : null;
  const need = (obj, shape, tag, set, owner) => {
    for (const f of vocab.fields(shape, tag)) {
      if (!f.required || f.name === "id" || f.kind === "list" || (obj[f.name] !== undefined && obj[f.name] !== "")) continue;
      if (f.when && !f.when.values.includes(obj[f.when.field])) continue;
      let value = null;
      for (let i = 0; i < 5 && value === null; i++) value = filled(f, valueFor(f, plan, r, pick, owner));
      if (f.kind === "thing" || f.kind === "account") value = value || E.createFor(plan, vocab, f);
      if (value !== null) set(f.name, value);
    }
  };
  if (r() < 0.5 && plan.things.length) {
    const t = pick(plan.things);
    if (!t.label) E.updateThing(plan, vocab, t.id, "label", "Thing");
    need(t, "thing", t.type, (k, v) => E.updateThing(plan, vocab, t.id, k, v), t.id);
    return;
  }
  if (!plan.accounts.length) return;
  const a = pick(plan.accounts);
  if (!a.name) E.updateAccount(plan, vocab, a.id, "name", "Named");
  need(a, "account", null, (k, v) => E.updateAccount(plan, vocab, a.id, k, v), a.id);
  if (!a.sign_in.length) E.addItem(plan, a.id, "sign_in", "password");
  for (const list of ["sign_in", "recovery"]) {
    a[list].forEach((item, j) => {
      need(item, list, item.type, (k, v) => E.updateItem(plan, vocab, a.id, list, j, k, v), a.id);
      const v = vocab.variant(list, item.type);
      for (const group of (v && v.one_of) || []) {
        if (group.every((k) => item[k] === undefined)) {
          const f = vocab.field(list, item.type, group[0]);
          E.updateItem(plan, vocab, a.id, list, j, f.name, E.createFor(plan, vocab, f));
        }
      }
      for (const rule of (v && v.required_unless) || []) {
        if (item[rule.field] === undefined && item[rule.unless] !== rule.is) E.updateItem(plan, vocab, a.id, list, j, rule.unless, rule.is);
      }
    });
  }
}

test("random edit sequences: import(export(x)) == x for every state, drafts in plain words", () => {
  const samples = [];
  let states = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const r = rng(seed);
    let plan = emptyPlan(vocab);
    const steps = 5 + Math.floor(r() * 40);
    for (let step = 0; step < steps; step++) {
      randomEdit(plan, r);
      states++;
      const back = roundTrip(plan);
      assert.deepStrictEqual(back, plan, `seed ${seed}, step ${step}`);
      assert.equal(planText(back, "2026-12-01"), planText(plan, "2026-12-01"));
      if (r() < 0.5) plan = back;   // carry on from the imported copy
      const split = finish(plan, vocab);
      for (const d of split.drafts) {
        for (const words of [d.where, ...d.missing]) {
          assert.ok(typeof words === "string" && words && !/undefined|null|\b[a-z]+_[a-z_]+\b|\[object/.test(words),
            `seed ${seed}, step ${step}: ${JSON.stringify(words)}`);
        }
      }
      if (step === steps - 1 || r() < 0.08) samples.push({ seed, step, state: structuredClone(plan), finished: split.plan, drafts: split.drafts.map((d) => d.paths) });
    }
  }
  writeFileSync(process.env.ESROK_OUT, JSON.stringify({ states, samples }));
  assert.ok(states > 2000 && samples.length > 150);
});
