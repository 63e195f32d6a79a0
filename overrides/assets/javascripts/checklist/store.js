// The plan the person is building: one format for the saved copy and the exported file.
//
// The state is a plan in the engine's file format (docs/tools/plan-format.md), drafts included:
// an unfinished item stays in it as it is (drafts.js decides what the engine sees). Saving and
// exporting write the same text, planText(); reading a file or the saved copy is readPlan(), so
// import(export(x)) is x for every state x. The state never holds "as_of" (the page evaluates
// against today); the written text carries the day it was written.
// Pure apart from the Storage object it is given (localStorage in the page).

export const STORE_KEY = "esrok.recovery-plan";
const OLD_STORE_VERSION = 1;   // {"store_version": 1, "saved_on", "plan"}: read, never written

export function today(date = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

/** A new, empty plan in the current format: no habit and no fact is pre-answered. */
export function emptyPlan(vocab) {
  return { version: vocab.version, habits: {}, things: [], accounts: [] };
}

/** The saved copy and the exported file: the plan, with the day it was written. */
export function planText(plan, day = today()) {
  const { version, as_of: _ignored, ...rest } = plan;
  return JSON.stringify({ version, as_of: day, ...rest }, null, 2) + "\n";
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Read a plan file or the saved copy: {plan, writtenOn} or {error, errors: [{path, message}]}.
 * Only the envelope is checked here (JSON, an object, a version this page reads); whether the
 * plan is valid is the engine's to say (the page asks it before adopting an imported plan).
 */
export function readPlan(text, vocab) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: "not-json", errors: [{ path: "", message: e.message }] };
  }
  if (isObject(data) && "store_version" in data) {          // saved by an earlier version of this page
    if (data.store_version !== OLD_STORE_VERSION || !isObject(data.plan)) {
      return { error: "newer", errors: [{ path: "store_version", message: "written by a newer version of this page" }] };
    }
    data = { ...data.plan, as_of: data.saved_on || data.plan.as_of };
  }
  if (!isObject(data)) {
    return { error: "invalid", errors: [{ path: "", message: "expected a plan (a JSON object)" }] };
  }
  if (typeof data.version === "number" && !vocab.readsVersions.includes(data.version)) {
    const newer = data.version > vocab.version;
    return { error: newer ? "newer" : "invalid", errors: [{ path: "version", message: newer
      ? `plan format ${data.version} is newer than this page reads (${vocab.readsVersions.join(" and ")})`
      : `unsupported version ${data.version}; this page reads ${vocab.readsVersions.join(" and ")}` }] };
  }
  const { as_of: writtenOn, ...plan } = data;
  // Older formats only lack fields, so a plan read is written back in the current one.
  if (vocab.readsVersions.includes(plan.version)) plan.version = vocab.version;
  return { plan: ordered(plan), writtenOn: typeof writtenOn === "string" ? writtenOn : null };
}

/** The plan with "version" first (as planText writes it), other keys in their order. */
function ordered(plan) {
  if (!("version" in plan)) return plan;
  const { version, ...rest } = plan;
  return { version, ...rest };
}

// --- the saved copy: opt-in, in this browser only ---------------------------------------------

/** null (nothing saved), {plan, writtenOn} or {error, errors}. */
export function readSaved(storage, vocab) {
  let text = null;
  try { text = storage.getItem(STORE_KEY); } catch (e) { return null; }
  if (text === null) return null;
  return readPlan(text, vocab);
}

export function writeSaved(storage, plan, day = today()) {
  try {
    storage.setItem(STORE_KEY, planText(plan, day));
    return true;
  } catch (e) {
    return false;
  }
}

export function clearSaved(storage) {
  try { storage.removeItem(STORE_KEY); } catch (e) { /* storage disabled: nothing was saved */ }
}

/** A deep copy (plans are JSON). */
export const copy = (value) => JSON.parse(JSON.stringify(value));
