// Drafts: what is unfinished in the plan, in plain words, and the finished part the engine sees.
//
// finish(state, vocab) splits the store's plan into
//   plan:   a copy without the unfinished items (null when no account is finished), which the
//           engine evaluates, so results keep showing for everything that is complete;
//   drafts: [{kind, id, account?, list?, index?, path, where, missing: ["Sent to: choose a phone
//           number", ...]}], listed under "To finish";
//   toOriginal(path): the state's path for a path of the finished copy (engine errors keep the
//           field paths of the person's own file).
// An item is unfinished when a field the field table requires is missing (required, required
// when, one of, required unless), when it names something unfinished, or, for the page, when an
// account has no name or no sign-in method (the results would otherwise show an internal id).
// Anything else, valid or not, is passed through: the engine judges it (an import that it
// rejects leaves the current plan untouched). Pure; also run by tests/javascripts.

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const empty = (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
const LISTS = ["sign_in", "recovery"];

/** Plain words for each required field an item lacks ([] when complete, null when not checkable). */
export function missingFields(obj, shapeName, vocab, tagValue) {
  if (!isObject(obj)) return null;
  const shape = vocab.shape(shapeName);
  const variant = shape && shape.tag ? vocab.variant(shapeName, obj[shape.tag]) : null;
  if (shape && shape.tag && !variant) return null;   // unknown kind: the engine names it
  const out = [];
  const fields = vocab.fields(shapeName, tagValue === undefined ? obj[shape && shape.tag] : tagValue);
  for (const f of fields) {
    if (f.when && !f.when.values.includes(obj[f.when.field])) continue;
    const required = f.required || (f.required_when && f.required_when.values.includes(obj[f.required_when.field]));
    if (required && f.kind !== "list" && empty(obj[f.name])) out.push(`${f.label}: ${verb(f, vocab)}`);
  }
  for (const group of (variant && variant.one_of) || []) {
    if (group.every((k) => empty(obj[k]))) {
      out.push(`${group.map((k) => vocab.field(shapeName, obj[shape.tag], k).label).join(" or ")}: choose one`);
    }
  }
  for (const rule of (variant && variant.required_unless) || []) {
    if (empty(obj[rule.field]) && obj[rule.unless] !== rule.is) {
      const f = vocab.field(shapeName, obj[shape.tag], rule.field);
      const unless = vocab.field(shapeName, obj[shape.tag], rule.unless);
      out.push(`${f.label}: ${verb(f, vocab)}, or tick “${unless.label}”`);
    }
  }
  return out;
}

function verb(f, vocab) {
  if (f.kind === "thing" || f.kind === "account") return `choose ${vocab.refPhrase(f)}`;
  if (f.kind === "things") return "choose at least one";
  if (f.kind === "enum") return "choose one";
  if (f.kind === "bool") return "answer it";
  return "fill it in";
}

/** Ids an item refers to (reference fields and lists of things). */
function references(obj, shapeName, vocab) {
  if (!isObject(obj)) return [];
  const shape = vocab.shape(shapeName);
  const out = [];
  for (const f of vocab.fields(shapeName, shape && shape.tag ? obj[shape.tag] : undefined)) {
    if ((f.kind === "thing" || f.kind === "account") && typeof obj[f.name] === "string") out.push(obj[f.name]);
  }
  return out;
}

export function finish(state, vocab, forced = new Map()) {
  const names = new Map();
  if (!isObject(state) || !Array.isArray(state.accounts) || !Array.isArray(state.things) ||
      state.accounts.some((a) => !isObject(a)) || state.things.some((t) => !isObject(t))) {
    return { plan: state, drafts: [], toOriginal: (p) => p };   // not a plan the page can split
  }
  for (const t of state.things) names.set(t.id, t.label || vocab.label("thing_type", t.type) || "an item");
  for (const a of state.accounts) names.set(a.id, a.name || "New account");
  const forcedAt = (path) => forced.get(path);
  const itemLabel = (shape, item) => vocab.label(shape === "sign_in" ? "sign_in_type" : "recovery_type", item && item.type)
    || "A new entry";

  // Static problems, item by item.
  const thingMissing = state.things.map((t, i) => {
    const m = missingFields(t, "thing", vocab) || [];
    if (empty(t.label)) m.unshift(`${vocab.field("thing", t.type, "label").label}: fill it in`);
    if (forcedAt(`things[${i}]`)) m.push(forcedAt(`things[${i}]`));
    return m;
  });
  const accountMissing = state.accounts.map((a, i) => {
    const m = missingFields(a, "account", vocab) || [];
    if (empty(a.name)) m.unshift(`${vocab.field("account", null, "name").label}: fill it in`);
    if (forcedAt(`accounts[${i}]`)) m.push(forcedAt(`accounts[${i}]`));
    return m;
  });
  const itemMissing = state.accounts.map((a, i) => Object.fromEntries(LISTS.map((list) => [list,
    (Array.isArray(a[list]) ? a[list] : []).map((item, j) => {
      const m = missingFields(item, list, vocab) || [];
      const f = forcedAt(`accounts[${i}].${list}[${j}]`);
      if (f) m.push(f);
      return m;
    })])));

  // Unfinished things and accounts, and whatever depends on them, until nothing changes.
  const out = new Set();           // ids left out
  const why = new Map();           // id -> extra words
  const itemOut = state.accounts.map((a) => Object.fromEntries(LISTS.map((l) => [l, new Map()])));
  const dependsOnOut = (ids) => ids.find((x) => out.has(x));
  for (let changed = true; changed;) {
    changed = false;
    state.things.forEach((t, i) => {
      if (out.has(t.id)) return;
      const dep = dependsOnOut(references(t, "thing", vocab));
      if (thingMissing[i].length || dep) {
        out.add(t.id);
        if (dep) why.set(t.id, `needs ${names.get(dep)}, which is not finished yet`);
        changed = true;
      }
    });
    state.accounts.forEach((a, i) => {
      if (out.has(a.id)) return;
      for (const list of LISTS) {
        (Array.isArray(a[list]) ? a[list] : []).forEach((item, j) => {
          const dep = dependsOnOut(references(item, list, vocab));
          if ((itemMissing[i][list][j].length || dep) && !itemOut[i][list].has(j)) {
            itemOut[i][list].set(j, dep ? `needs ${names.get(dep)}, which is not finished yet` : null);
            changed = true;
          }
        });
      }
      const signIns = Array.isArray(a.sign_in) ? a.sign_in : [];
      const kept = signIns.filter((_, j) => !itemOut[i].sign_in.has(j));
      if (accountMissing[i].length || (Array.isArray(a.sign_in) && !kept.length)) {
        out.add(a.id);
        if (!signIns.length) why.set(a.id, `${vocab.field("account", null, "sign_in").label}: add at least one`);
        changed = true;
      }
    });
  }

  // The drafts, in plain words.
  const drafts = [];
  state.things.forEach((t, i) => {
    if (!out.has(t.id)) return;
    drafts.push({ kind: "thing", id: t.id, path: `things[${i}]`, paths: [`things[${i}]`], where: names.get(t.id),
      missing: thingMissing[i].concat(why.has(t.id) ? [why.get(t.id)] : []) });
  });
  state.accounts.forEach((a, i) => {
    const itemWords = (list) => [...itemOut[i][list]].map(([j, dep]) => `${itemLabel(list, a[list][j])} (`
      + itemMissing[i][list][j].concat(dep ? [dep] : []).join("; ") + ")");
    if (out.has(a.id)) {
      const paths = [`accounts[${i}]`, ...LISTS.flatMap((list) => [...itemOut[i][list].keys()].map((j) => `accounts[${i}].${list}[${j}]`))];
      const items = itemWords("sign_in").concat(itemWords("recovery"));
      const waits = why.has(a.id) ? [why.get(a.id)] : [];
      drafts.push({ kind: "account", id: a.id, path: `accounts[${i}]`, paths, where: names.get(a.id),
        missing: accountMissing[i].concat(waits, items) });
      return;
    }
    for (const list of LISTS) {
      for (const [j, dep] of itemOut[i][list]) {
        drafts.push({ kind: list, id: a.id, account: a.id, list, index: j, path: `accounts[${i}].${list}[${j}]`,
          paths: [`accounts[${i}].${list}[${j}]`],
          where: `${names.get(a.id)}, ${itemLabel(list, a[list][j])}`,
          missing: itemMissing[i][list][j].concat(dep ? [dep] : []) });
      }
    }
  });

  // The finished copy, and the way back to the state's paths.
  const thingIdx = [], accountIdx = [], itemIdx = [];
  const things = [];
  state.things.forEach((t, i) => { if (!out.has(t.id)) { thingIdx.push(i); things.push(structuredClone(t)); } });
  const accounts = [];
  state.accounts.forEach((a, i) => {
    if (out.has(a.id)) return;
    const copy = structuredClone(a);
    const kept = {};
    for (const list of LISTS) {
      if (!Array.isArray(a[list])) continue;
      kept[list] = a[list].map((_, j) => j).filter((j) => !itemOut[i][list].has(j));
      copy[list] = kept[list].map((j) => copy[list][j]);
    }
    if (isObject(copy.backup_codes) && Array.isArray(copy.backup_codes.stored_in)) {
      copy.backup_codes.stored_in = copy.backup_codes.stored_in.filter((x) => !out.has(x));
    }
    accountIdx.push(i);
    itemIdx.push(kept);
    accounts.push(copy);
  });
  const { as_of: _day, ...rest } = state;
  const plan = accounts.length ? { ...structuredClone(rest), things, accounts } : null;
  const toOriginal = (path) => String(path)
    .replace(/^accounts\[(\d+)\]\.(sign_in|recovery)\[(\d+)\]/, (m, a, list, j) => {
      const kept = itemIdx[Number(a)] && itemIdx[Number(a)][list];
      return `accounts[${accountIdx[Number(a)] ?? a}].${list}[${kept ? kept[Number(j)] ?? j : j}]`;
    })
    .replace(/^accounts\[(\d+)\](?!\.(?:sign_in|recovery)\[)/, (m, a) => `accounts[${accountIdx[Number(a)] ?? a}]`)
    .replace(/^things\[(\d+)\]/, (m, t) => `things[${thingIdx[Number(t)] ?? t}]`);
  return { plan, drafts, toOriginal };
}

/**
 * The engine's errors for a whole state (drafts included) that do not come from its drafts: a
 * draft's missing keys are reported at the draft's own path (or as an empty name), and a plan
 * with no finished account has none to list. An imported file is accepted when this is empty.
 */
export function errorsBeyondDrafts(errors, split) {
  const allowed = new Set(split.drafts.flatMap((d) => d.paths));
  return errors.filter((e) => {
    if (allowed.has(e.path)) return false;
    const m = /^(.*)\.(name|label)$/.exec(e.path);
    if (m && allowed.has(m[1])) return false;
    return !(e.path === "accounts" && !split.plan);
  });
}

/** The state's item an engine error path belongs to ("accounts[1].sign_in[0].on" -> that method). */
export function itemPath(path) {
  const m = /^(accounts\[\d+\](?:\.(?:sign_in|recovery)\[\d+\])?|things\[\d+\])/.exec(String(path || ""));
  return m ? m[1] : null;
}
