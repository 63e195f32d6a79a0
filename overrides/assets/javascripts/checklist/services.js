// The service catalogue on the page (the build's trimmed asset, boot["data"]["services"]):
// fetched once, on first use (the picker opened or typed in, or a plan that names a service),
// never on article pages. The engine gets an envelope with only the entries the plan names
// (esrok_recovery/boundary.py); the page itself reads the asset's two tables, so nothing of the
// model is restated here: `account_kinds` (a service's account kind) and `sign_in_types` (what
// each catalogue method is in the plan's sign-in vocabulary).
// Pure apart from fetch(); the picker's search index lives in service-picker.js.

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** A loader for the catalogue at `url`: {load() -> Promise<catalogue>, get loaded()}. */
export function catalogueLoader(url) {
  let promise = null, loaded = null;
  return {
    load() {
      if (!promise) {
        promise = fetch(url).then((r) => {
          if (!r.ok) throw new Error(`could not load the list of services (${r.status})`);
          return r.json();
        }).then((cat) => { loaded = withTables(cat); return loaded; });
        promise.catch(() => { promise = null; });   // a later use tries again
      }
      return promise;
    },
    get loaded() { return loaded; },
  };
}

/** The catalogue plus lookups by domain (main or unambiguous additional) and the kind table. */
function withTables(cat) {
  const byDomain = new Map();
  for (const s of cat.services || []) for (const d of s.additional_domains || []) byDomain.set(d, byDomain.has(d) ? null : s);
  for (const s of cat.services || []) byDomain.set(s.domain, s);
  const kinds = new Map();
  for (const [kind, domains] of Object.entries(cat.account_kinds || {})) for (const d of domains) kinds.set(d, kind);
  Object.defineProperty(cat, "esrok", { value: { byDomain, kinds }, enumerable: false });
  return cat;
}

/** The entry a domain names, or null. */
export function serviceOf(cat, domain) {
  if (!cat || typeof domain !== "string") return null;
  const d = domain.trim().toLowerCase();
  return cat.esrok.byDomain.get(d) || (d.startsWith("www.") && cat.esrok.byDomain.get(d.slice(4))) || null;
}

/** The plan's account kind for a service ("other" when the catalogue has none). */
export function kindOf(cat, service) {
  return (service && cat && cat.esrok.kinds.get(service.domain)) || "other";
}

/** The plan sign-in types a service offers: a password, its methods' types, and a passkey. */
export function offeredTypes(cat, service) {
  const table = (cat && cat.sign_in_types) || {};
  const out = new Set(["password"]);
  for (const m of service.methods || []) for (const t of table[m] || []) out.add(t);
  if ((service.passkey || []).length) for (const t of table.passkey || []) out.add(t);
  return out;
}

/** The domains a plan's accounts name. */
export function planDomains(plan) {
  return ((plan && plan.accounts) || []).filter(isObject).map((a) => a.service).filter((d) => typeof d === "string" && d);
}

/** The domains quick-check answers name ({"service": ...} answers). */
export function answerDomains(answers) {
  return Object.values(answers || {}).filter(isObject).map((a) => a.service).filter(Boolean);
}

/** What the engine receives: the catalogue's format and sources, and only the named entries. */
export function envelopeServices(cat, domains) {
  const picked = new Map();
  for (const d of domains) {
    const s = serviceOf(cat, d);
    if (s) picked.set(s.domain, s);
  }
  return { format: cat.format, sources: cat.sources || [],
           services: [...picked.keys()].sort().map((d) => picked.get(d)) };
}

/**
 * servicesFor() without waiting, when no download is needed: the envelope's services part, or
 * undefined when the catalogue has to be loaded first. The page uses it to post an edit to the
 * worker in the edit's own task, before it rebuilds the editor.
 */
export function servicesNow(loader, domains) {
  if (!loader || (!domains.length && !loader.loaded)) return null;
  return loader.loaded ? envelopeServices(loader.loaded, domains) : undefined;
}

/**
 * The services part of an evaluation's envelope: loads the catalogue when the domains need it;
 * null (no envelope) only when nothing names a service and the catalogue was never loaded.
 */
export async function servicesFor(loader, domains) {
  const now = servicesNow(loader, domains);
  if (now !== undefined) return now;
  try {
    return envelopeServices(await loader.load(), domains);
  } catch (e) {
    return null;   // the list could not be loaded: the general advice, with no error
  }
}
