// Edit operations on the plan (the store's state), one per thing a person does in the inventory.
// Pure: they change the plan in place and use only the vocabulary (plan-ui.json) to know which
// fields a kind of item has and what a reference may name. The editor calls them; so does the
// random edit-sequence test (tests/javascripts/store.test.mjs).
//
// An operation never leaves a reference to something that is gone: removing a thing or an
// account clears every field that named it, which turns the item into a draft (drafts.js) that
// says what to choose instead.

const THING_LIST = "things";
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function uniqueId(plan, base) {
  const taken = new Set([...(plan.things || []), ...(plan.accounts || [])].map((x) => x && x.id));
  const stem = String(base || "item").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40)
    || "item";
  let id = stem;
  for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
  return id;
}

/** A name not yet used by another thing or account: "Phone", then "Phone 2". */
export function uniqueLabel(plan, base) {
  const used = new Set([...(plan.things || []).map((t) => t.label), ...(plan.accounts || []).map((a) => a.name)]);
  let label = base;
  for (let n = 2; used.has(label); n++) label = `${base} ${n}`;
  return label;
}

export const findAccount = (plan, id) => plan.accounts.find((a) => a.id === id) || null;
export const findThing = (plan, id) => plan.things.find((t) => t.id === id) || null;

/** Set a key, or remove it when the value is empty ("" / null / undefined). */
export function setOrDelete(obj, key, value) {
  if (value === "" || value === null || value === undefined) delete obj[key];
  else obj[key] = value;
}

/** Drop the fields whose "when" no longer holds (e.g. a code store's "on" once it is not a file). */
export function dropInapplicable(obj, fields) {
  for (const f of fields) {
    if (f.when && f.name in obj && !f.when.values.includes(obj[f.when.field])) delete obj[f.name];
  }
}

// --- accounts ------------------------------------------------------------------------------------

export function addAccount(plan, init = {}) {
  const id = uniqueId(plan, init.name || init.kind || "account");
  const account = { id, name: init.name || "" };
  if (init.service) account.service = init.service;
  if (init.kind) account.kind = init.kind;
  account.sign_in = [];
  account.recovery = [];
  plan.accounts.push(account);
  return id;
}

export function updateAccount(plan, vocab, id, key, value) {
  const a = findAccount(plan, id);
  if (!a) return;
  setOrDelete(a, key, value);
  if (key === "kind") {
    clearReferences(plan, vocab, id, (field) => field.kind !== "account" || !field.refs || !field.refs.length || field.refs.includes(a.kind));
  }
}

export function removeAccount(plan, vocab, id) {
  plan.accounts = plan.accounts.filter((a) => a.id !== id);
  clearReferences(plan, vocab, id);
}

// --- things --------------------------------------------------------------------------------------

export function addThing(plan, vocab, type, label) {
  const id = uniqueId(plan, type);
  plan.things.push({ id, type, label: label || uniqueLabel(plan, vocab.label("thing_type", type) || type) });
  return id;
}

export function updateThing(plan, vocab, id, key, value) {
  const t = findThing(plan, id);
  if (!t) return;
  setOrDelete(t, key, value);
  dropInapplicable(t, vocab.fields("thing", t.type));
}

export function removeThing(plan, vocab, id) {
  plan.things = plan.things.filter((t) => t.id !== id);
  clearReferences(plan, vocab, id);
}

// --- sign-in methods and recovery routes ("sign_in" / "recovery" lists of an account) -------------

const SHAPE_OF = { sign_in: "sign_in", recovery: "recovery" };

export function addItem(plan, accountId, list, type) {
  const a = findAccount(plan, accountId);
  if (!a) return -1;
  if (!Array.isArray(a[list])) a[list] = [];
  a[list].push({ type });
  return a[list].length - 1;
}

export function updateItem(plan, vocab, accountId, list, index, key, value) {
  const a = findAccount(plan, accountId);
  const item = a && a[list] && a[list][index];
  if (!isObject(item)) return;
  setOrDelete(item, key, value);
  const variant = vocab.variant(SHAPE_OF[list], item.type);
  // "exactly one of": choosing one clears the others (a passkey is on a device or synced).
  for (const group of (variant && variant.one_of) || []) {
    if (group.includes(key) && value !== "" && value != null) for (const k of group) if (k !== key) delete item[k];
  }
  for (const rule of (variant && variant.required_unless) || []) {
    if (key === rule.unless && value === rule.is) delete item[rule.field];   // a dead address names no account
  }
  dropInapplicable(item, vocab.fields(SHAPE_OF[list], item.type));
}

export function removeItem(plan, accountId, list, index) {
  const a = findAccount(plan, accountId);
  if (a && Array.isArray(a[list])) a[list].splice(index, 1);
}

// --- backup codes and habits ---------------------------------------------------------------------

/** "yes" / "no" / "" (not recorded) for whether backup codes were generated. */
export function setCodesGenerated(plan, accountId, answer) {
  const a = findAccount(plan, accountId);
  if (!a) return;
  if (answer === "") delete a.backup_codes;
  else if (answer === "no") a.backup_codes = { generated: false };
  else a.backup_codes = { ...(isObject(a.backup_codes) ? a.backup_codes : {}), generated: true };
}

// Details of the codes exist only once they are generated (the engine refuses codes "kept" or
// "left" from a set that was never made).
const generatedCodes = (a) => (a && isObject(a.backup_codes) && a.backup_codes.generated === true ? a.backup_codes : null);

export function updateCodes(plan, accountId, key, value) {
  const codes = generatedCodes(findAccount(plan, accountId));
  if (codes) setOrDelete(codes, key, value);
}

/** Add or remove one place from the codes' "kept in" list. */
export function toggleCodeStore(plan, accountId, thingId, kept) {
  const a = findAccount(plan, accountId);
  if (!generatedCodes(a)) return;
  const list = (Array.isArray(a.backup_codes.stored_in) ? a.backup_codes.stored_in : []).filter((x) => x !== thingId);
  if (kept) list.push(thingId);
  a.backup_codes.stored_in = list;
}

export function setHabit(plan, key, value) {
  if (!isObject(plan.habits)) plan.habits = {};
  setOrDelete(plan.habits, key, value);
}

// --- references ----------------------------------------------------------------------------------

/** What a reference field may name: [{id, label}] of things or accounts of its allowed types. */
export function candidates(plan, field, exceptId = null) {
  const pool = field.kind === "account" ? plan.accounts : plan.things;
  const typeOf = (x) => (field.kind === "account" ? x.kind : x.type);
  return pool.filter((x) => isObject(x) && x.id !== exceptId && (!field.refs || !field.refs.length || field.refs.includes(typeOf(x))))
    .map((x) => ({ id: x.id, label: (field.kind === "account" ? x.name : x.label) || x.id }));
}

/**
 * Create, in place, what a reference field asks for ("+ add a number"): a thing of its first
 * allowed type (and the phone or device it lives on, if the plan has none), or an account of its
 * first allowed kind. Returns the new id; the caller puts it in the field.
 */
export function createFor(plan, vocab, field, depth = 0) {
  const type = (field.refs && field.refs[0]) || null;
  if (field.kind === "account") {
    return addAccount(plan, { name: uniqueLabel(plan, vocab.label("account_kind", type) || "Account"), kind: type || undefined });
  }
  const id = addThing(plan, vocab, type);
  const thing = findThing(plan, id);
  // Fill the new thing's own device fields ("on"): the plan's first fitting one, or a new one.
  for (const f of vocab.variant("thing", type) ? vocab.variant("thing", type).fields : []) {
    if (f.kind !== "thing" || f.when || depth > 1) continue;
    const have = candidates(plan, f, id);
    thing[f.name] = have.length ? have[0].id : createFor(plan, vocab, f, depth + 1);
  }
  return id;
}

/**
 * Remove every reference to `id` (fields that name it, "kept in" lists); with `keep(field)`, only
 * those of fields that may no longer name it (an account whose kind changed).
 */
export function clearReferences(plan, vocab, id, keep = () => false) {
  const clear = (obj, shapeName, tag) => {
    if (!isObject(obj)) return;
    for (const f of vocab.fields(shapeName, tag)) {
      if (keep(f)) continue;
      if ((f.kind === "thing" || f.kind === "account") && obj[f.name] === id) delete obj[f.name];
      if (f.kind === "things" && Array.isArray(obj[f.name])) obj[f.name] = obj[f.name].filter((x) => x !== id);
    }
  };
  for (const t of plan[THING_LIST]) clear(t, "thing", t && t.type);
  for (const a of plan.accounts) {
    if (!isObject(a)) continue;
    for (const m of Array.isArray(a.sign_in) ? a.sign_in : []) clear(m, "sign_in", m && m.type);
    for (const r of Array.isArray(a.recovery) ? a.recovery : []) clear(r, "recovery", r && r.type);
    clear(a.backup_codes, "backup_codes", null);
  }
}
