// Esrok service search: pure functions over the trimmed service catalogue.
//
// No DOM, no fetch, no globals: the picker (service-picker.js) and the page code pass the
// catalogue in. The catalogue is the browser asset that
// esrok_recovery.catalogue.browser_asset() writes:
//   {format: 1, sources: [...], common: [{domain, label, aliases?}], services: [{domain, name,
//    additional_domains?, methods?, vendor_apps?, vendor_hardware?, passkey?, documentation?,
//    recovery?, categories?, sources}]}
//
// Search matches the name, the main and additional domains, and the common choices' labels
// and aliases ("microsoft" finds Outlook.com). It tolerates typos: up to one edit (insert,
// delete, change, or swap of two neighbours) in 4-6 letters, two from 7 letters on, against
// the start of a name, word or domain. Ranking is a sort key: match tier (exact name or
// domain, name prefix, every word a prefix, a word prefix, one typo, inside a name, two
// typos), then common choices first, then shorter names.

const TIER = { exact: 1000, prefix: 800, words: 700, word: 600, typo: 400, inside: 300, typos: 200 };
const COMMON_BONUS = 40;    // with the length penalty (<= 10), never crosses a tier
const TLD_LIKE = new Set(["co", "com", "org", "net", "gov", "edu", "ac", "or", "ne", "go", "gob", "gv"]);

/** Lower case, no accents, "&" as "and", anything else that is not a letter or digit as a space. */
export function fold(text) {
  return String(text == null ? "" : text)
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

const compact = (text) => fold(text).replace(/ /g, "");

/** A domain as the catalogue keys it (same rules as esrok_recovery.catalogue.domain_key); null if none. */
export function domainKey(text) {
  if (typeof text !== "string") return null;
  let t = text.trim().toLowerCase();
  const scheme = t.indexOf("://");
  if (scheme >= 0) t = t.slice(scheme + 3);
  t = t.split(/[/?#]/, 1)[0];
  t = t.slice(t.lastIndexOf("@") + 1).split(":", 1)[0].replace(/\.+$/, "");
  return /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$/.test(t) ? t : null;
}

/** The meaningful labels of a domain: "mail.google.com" -> ["mail", "google"], "bbc.co.uk" -> ["bbc"]. */
function domainLabels(domain) {
  const parts = domain.split(".");
  parts.pop();
  while (parts.length > 1 && TLD_LIKE.has(parts[parts.length - 1])) parts.pop();
  return parts;
}

/**
 * Prepare a catalogue for searching (once, after loading it).
 * @param {object} catalogue the browser asset (parsed JSON)
 */
export function buildIndex(catalogue) {
  const services = Array.isArray(catalogue && catalogue.services) ? catalogue.services : [];
  const byDomain = new Map();
  for (const s of services) for (const d of s.additional_domains || []) {
    byDomain.set(d, byDomain.has(d) ? null : s);      // claimed twice: ambiguous
  }
  for (const s of services) byDomain.set(s.domain, s);  // a main domain always wins
  const commonRank = new Map();
  const common = [];
  for (const c of (catalogue && catalogue.common) || []) {
    const s = byDomain.get(c.domain);
    if (!s || s.domain !== c.domain || commonRank.has(c.domain)) continue;
    commonRank.set(c.domain, common.length);
    common.push({ service: s, label: c.label, aliases: c.aliases || [] });
  }
  const entries = services.map((s) => {
    const c = commonRank.has(s.domain) ? common[commonRank.get(s.domain)] : null;
    const label = c ? c.label : s.name;
    const names = [s.name, ...(c ? [c.label, ...c.aliases] : [])];
    const words = new Set();
    for (const n of names) for (const w of fold(n).split(" ")) if (w) words.add(w);
    const domains = [s.domain, ...(s.additional_domains || [])];
    const labels = new Set();
    for (const d of domains) {
      const parts = domainLabels(d);
      labels.add(parts.join(""));
      for (const p of parts) { labels.add(p.replace(/-/g, "")); for (const w of p.split("-")) words.add(w); }
    }
    const keys = [...new Set(names.map(compact))];
    const wordList = [...words].filter((w) => w.length > 1);
    const labelList = [...labels].filter((l) => l.length > 1);
    return {
      service: s,
      label,
      names: keys,                                   // compact names, label and aliases
      words: wordList,
      labels: labelList,
      domains,
      typoTargets: [...new Set([...keys, ...labelList])],
      typoWords: wordList,
      common: c ? commonRank.get(s.domain) : -1,
      length: compact(label).length,
    };
  });
  // Every name, domain label and word, sorted, so prefix matches are a binary search.
  const keyed = [];
  entries.forEach((e, i) => {
    for (const k of e.names) keyed.push([k, i, NAME]);
    for (const k of e.labels) keyed.push([k, i, NAME]);
    for (const k of e.words) keyed.push([k, i, WORD]);
  });
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  const keys = {
    text: keyed.map((k) => k[0]),
    entry: Int32Array.from(keyed, (k) => k[1]),
    kind: Uint8Array.from(keyed, (k) => k[2]),
  };
  const domains = entries.flatMap((e, i) => e.domains.map((d) => [d, i])).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { catalogue, entries, byDomain, common, keys, domains: { text: domains.map((d) => d[0]),
    entry: Int32Array.from(domains, (d) => d[1]) }, tiers: new Int16Array(entries.length) };
}

const NAME = 0, WORD = 1;

/** Index of the first string in the sorted `list` that is >= `key`. */
function lowerBound(list, key) {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The services to offer before anything is typed, in the catalogue's order: [{service, label}]. */
export function commonChoices(index) {
  return index.common.map((c) => ({ service: c.service, label: c.label }));
}

/** The service a domain (or URL) names, by its main or unambiguous additional domain; or null. */
export function lookup(index, domain) {
  const key = domainKey(domain);
  if (!key) return null;
  return index.byDomain.get(key) || (key.startsWith("www.") && index.byDomain.get(key.slice(4))) || null;
}

/**
 * What the engine receives for a plan: the catalogue's sources and only the services that
 * these domains name (each once, sorted by domain). A catalogue document, like the asset.
 */
export function subsetFor(index, domains) {
  const picked = new Map();
  for (const d of domains || []) {
    const s = lookup(index, d);
    if (s) picked.set(s.domain, s);
  }
  const cat = index.catalogue || {};
  return {
    format: cat.format,
    sources: cat.sources || [],
    services: [...picked.keys()].sort().map((d) => picked.get(d)),
  };
}

// --- typo tolerance ---------------------------------------------------------------

const bit = (code) => 1 << (code % 31);

/**
 * How many letters of the query cannot occur in the first `n + max` letters of `t`: a lower
 * bound on the edits, checked with bit sets to skip hopeless comparisons fast.
 */
function missing(qBits, t, n, max) {
  let seen = 0;
  for (let i = 0, end = Math.min(t.length, n + max); i < end; i++) seen |= bit(t.charCodeAt(i));
  let count = 0;
  for (let i = 0; i < qBits.length; i++) if (!(qBits[i] & seen)) count++;
  return count;
}

function closest(qc, qBits, targets, max, best) {
  for (const t of targets) {
    if (best <= 1) return best;
    if (missing(qBits, t, qc.length, max) >= best) continue;
    best = Math.min(best, prefixDistance(qc, t, Math.min(max, best - 1)));
  }
  return best;
}

let rowA = new Int32Array(64), rowB = new Int32Array(64), rowC = new Int32Array(64);

/**
 * The fewest edits (insert, delete, change, swap of neighbours) that turn `q` into some
 * prefix of `t`, or `max + 1` when that is more than `max`.
 */
export function prefixDistance(q, t, max) {
  const n = q.length;
  const m = Math.min(t.length, n + max);
  if (m + max < n) return max + 1;
  if (rowA.length <= m + 1) { rowA = new Int32Array(m + 2); rowB = new Int32Array(m + 2); rowC = new Int32Array(m + 2); }
  let prev2 = rowA, prev = rowB, cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const qi = q.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cost = qi === t.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && qi === t.charCodeAt(j - 2) && q.charCodeAt(i - 2) === t.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const spare = prev2; prev2 = prev; prev = cur; cur = spare;
  }
  let best = max + 1;
  for (let j = Math.max(0, n - max); j <= m; j++) if (prev[j] < best) best = prev[j];
  return best;
}

const allowedEdits = (length) => (length >= 7 ? 2 : length >= 4 ? 1 : 0);

// --- scoring ----------------------------------------------------------------------

/** The cheap tiers, through the sorted keys: exact, prefix, every word a prefix, a word prefix. */
function cheapTiers(index, qc, qWords, qDomain) {
  const { keys, tiers, entries } = index;
  const hit = [];
  const raise = (i, tier) => {
    if (!tiers[i]) hit.push(i);
    if (tier > tiers[i]) tiers[i] = tier;
  };
  for (let j = lowerBound(keys.text, qc); j < keys.text.length && keys.text[j].startsWith(qc); j++) {
    const isName = keys.kind[j] === NAME;
    raise(keys.entry[j], isName ? (keys.text[j] === qc ? TIER.exact : TIER.prefix) : TIER.word);
  }
  if (qDomain.includes(".")) {
    const d = index.domains;
    for (let j = lowerBound(d.text, qDomain); j < d.text.length && d.text[j].startsWith(qDomain); j++) {
      raise(d.entry[j], d.text[j] === qDomain ? TIER.exact : TIER.prefix);
    }
  }
  if (qWords.length > 1) {
    const first = qWords[0];
    for (let j = lowerBound(keys.text, first); j < keys.text.length && keys.text[j].startsWith(first); j++) {
      const i = keys.entry[j];
      if (keys.kind[j] === WORD && qWords.every((w) => entries[i].words.some((x) => x.startsWith(w)))) {
        raise(i, TIER.words);
      }
    }
  }
  return hit;
}

/** The costly tiers, for one entry not matched cheaply: one typo, inside a name, two typos. */
function costlyTier(e, qc, qWords, qBits) {
  const max = allowedEdits(qc.length);
  let best = max + 1;
  if (max) {
    best = closest(qc, qBits, e.typoTargets, max, best);
    if (qWords.length === 1) best = closest(qc, qBits, e.typoWords, max, best);
    if (best === 1) return TIER.typo;
  }
  if (qc.length >= 3) {
    for (const n of e.names) if (n.includes(qc)) return TIER.inside;
    for (const l of e.labels) if (l.includes(qc)) return TIER.inside;
  }
  return best === 2 && max >= 2 ? TIER.typos : 0;
}

/**
 * Search the catalogue; returns up to `limit` results, best first: [{service, label, score}].
 * An empty query returns [] (offer commonChoices() instead).
 */
export function search(index, query, limit = 8) {
  const q = fold(query);
  const qc = q.replace(/ /g, "");
  if (!qc) return [];
  const qWords = q.split(" ");
  const qDomain = String(query).trim().toLowerCase();
  const { entries, tiers } = index;
  tiers.fill(0);
  const hit = cheapTiers(index, qc, qWords, qDomain);
  // Tiers never overlap, so when the cheap tiers fill the list the costly ones cannot enter it.
  if (hit.length < limit && qc.length >= 3) {
    const qBits = Array.from(qc, (ch) => bit(ch.charCodeAt(0)));
    for (let i = 0; i < entries.length; i++) {
      if (tiers[i]) continue;
      const tier = costlyTier(entries[i], qc, qWords, qBits);
      if (tier) { tiers[i] = tier; hit.push(i); }
    }
  }
  const scored = hit.map((i) => {
    const e = entries[i];
    const bonus = e.common >= 0 ? COMMON_BONUS - e.common : 0;
    return { e, score: tiers[i] + bonus - Math.min(e.length, 40) / 4 };
  });
  scored.sort((a, b) => b.score - a.score || a.e.length - b.e.length
    || (a.e.label < b.e.label ? -1 : a.e.label > b.e.label ? 1 : 0));
  return scored.slice(0, limit).map((h) => ({ service: h.e.service, label: h.e.label, score: h.score }));
}
