// The printable recovery kit: per account, how you sign in, where the backup codes are, the
// recovery routes, the official support route and the provider's own pages, and the first hour
// after losing a phone. Built from the plan (the store's state) and, when there is one, the
// engine's result for it; labels come from the vocabulary. Plus the 6-monthly .ics reminder.

import { clone, fill } from "./dom.js";
import { today } from "./store.js";

const LOCKED = new Set(["locked_out", "no_way_back"]);
const lowerFirst = (s) => (s ? s.charAt(0).toLowerCase() + s.slice(1) : s);

function namer(plan) {
  const things = new Map(plan.things.map((t) => [t.id, t.label || t.id]));
  const accounts = new Map(plan.accounts.map((a) => [a.id, a.name || a.id]));
  return { thing: (id) => things.get(id) || id, account: (id) => accounts.get(id) || id };
}

function signInText(vocab, n, m) {
  const base = vocab.label("sign_in_type", m.type) || m.type;
  if (m.type === "password") return m.via ? `${base}, stored in ${n.account(m.via)}` : `${base}, memorised`;
  if (m.on) return `${base}: ${n.thing(m.on)}`;
  if (m.via) return `${base}: ${n.account(m.via)}`;
  return base;
}

function recoveryText(vocab, n, r) {
  const base = vocab.label("recovery_type", r.type) || r.type;
  if (r.dead) return `${base}: an address that no longer works`;
  if (r.via) return `${base}: ${n.account(r.via)}`;
  if (r.on) return `${base}: ${n.thing(r.on)}`;
  if (typeof r.wait_days === "number") return `${base}: about ${r.wait_days} days`;
  return base;
}

function li(text) {
  return fill(clone("esrok-t-li"), { text });
}

function linkItem(l) {
  const a = fill(clone("esrok-t-link"), { text: `${l.label}: ${l.url}` });
  a.href = l.url;
  const item = clone("esrok-t-li");
  item.replaceChildren(a);
  return item;
}

/**
 * Render the kit into `box`. `out` is the engine's result for this plan (or null); `links(accountId)`
 * gives the provider's pages for an account ([{label, url}]); `credit` the catalogue line.
 */
export function renderKit(box, plan, out, vocab, { links = () => [], credit = null } = {}) {
  const accounts = (plan && Array.isArray(plan.accounts) ? plan.accounts : []).filter((a) => a && a.id);
  if (!accounts.length) {
    box.replaceChildren(fill(clone("esrok-t-p"), { text: "The kit appears once you have a plan." }));
    return;
  }
  const n = namer(plan);
  const lost = out && (out.scenarios || []).find((s) => s.id === "phone-lost");
  const outcomeName = (id) => (out && out.names && out.names[id]) || n.account(id);
  const backs = lost ? lost.outcomes.filter((o) => o.state === "back") : [];
  const locks = lost ? lost.outcomes.filter((o) => LOCKED.has(o.state)) : [];
  const order = new Map(vocab.options("importance").map((o, i) => [o.value, i]));
  const sorted = accounts.slice().sort((a, b) => (order.get(a.importance) ?? 9) - (order.get(b.importance) ?? 9));
  const kit = clone("esrok-t-kit");
  fill(kit, {
    date: `Recovery kit, made on ${today()}. Re-check it every 6 months.`,
    "first-hour": lost ? undefined : null,
    "still-in": lost && lost.still_in.length ? `Still open to you: ${lost.still_in.map(outcomeName).join(", ")}.` : null,
    recover: backs.length ? `Recover: ${backs.map((o) => `${outcomeName(o.account)}: ${lowerFirst(o.text)}`).join("; ")}.` : null,
    locked: locks.length ? `Locked out: ${locks.map((o) => `${outcomeName(o.account)}: ${lowerFirst(o.text)}`).join("; ")}. `
      + "Use the provider's official recovery page." : null,
    accounts: sorted.map((acc) => accountSection(acc, plan, vocab, n, lost, links(acc.id))),
    credit,
  });
  box.replaceChildren(kit);
}

function accountSection(acc, plan, vocab, n, lost, links) {
  const bc = acc.backup_codes;
  const codes = bc && bc.generated
    ? `${(bc.stored_in || []).map(n.thing).join(", ") || "not stored anywhere yet"}`
      + (typeof bc.remaining === "number" ? `; ${bc.remaining} left` : "") + (bc.generated_on ? ` (made ${bc.generated_on})` : "")
    : bc ? "none generated" : "not recorded";
  const routes = Array.isArray(acc.recovery) ? acc.recovery.filter((r) => r && r.type) : [];
  const support = routes.find((r) => r.type === "support");
  let first = "Sign in from a device you still have and remove the lost one from this account.";
  const o = lost && lost.outcomes.find((x) => x.account === acc.id);
  if (o && LOCKED.has(o.state)) first = "You would be locked out if your phone were lost: do the checker's first actions now.";
  else if (o) first = `${o.text}, then remove the lost phone from this account.`;
  const kind = vocab.label("account_kind", acc.kind);
  const importance = vocab.label("importance", acc.importance);
  const section = clone("esrok-t-kit-account");
  fill(section, {
    heading: `${acc.name || acc.id}` + (kind || importance ? ` (${[kind, importance && importance.toLowerCase()].filter(Boolean).join(", ")})` : ""),
    sign_in: (Array.isArray(acc.sign_in) ? acc.sign_in : []).filter((m) => m && m.type).map((m) => li(signInText(vocab, n, m))),
    codes,
    recovery: routes.length ? listOf(routes.map((r) => recoveryText(vocab, n, r))) : "none set up",
    support: supportText(support, links.some((l) => l.kind === "recovery")),
    links: links.map(linkItem),
    "links-row": links.length ? undefined : null,
    first,
  });
  return section;
}

// The official-route line: when the catalogue knows the provider's recovery page, the kit prints it
// below, so the person is pointed there rather than told to go and find it.
function supportText(support, pageListed) {
  const where = pageListed ? ", linked below" : support && support.official_url_recorded ? " (you recorded its address)" : "";
  if (support) {
    return `Only use the provider's official recovery page${where}`
      + (typeof support.wait_days === "number" ? `; expect about ${support.wait_days} days.` : ".");
  }
  return pageListed ? "Only use the provider's official recovery page, linked below; never follow links from messages."
    : "Find the provider's official recovery page now and record its address; never follow links from messages.";
}

function listOf(texts) {
  const ul = clone("esrok-t-ul");
  ul.replaceChildren(...texts.map(li));
  return ul;
}

export function icsReminder(now = new Date()) {
  const d = new Date(now);
  d.setMonth(d.getMonth() + 6);
  const p = (x) => String(x).padStart(2, "0");
  const day = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}T${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}Z`;
  const next = new Date(d);
  next.setDate(next.getDate() + 1);
  const end = `${next.getFullYear()}${p(next.getMonth() + 1)}${p(next.getDate())}`;
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Esrok//Recovery checklist//EN", "CALSCALE:GREGORIAN",
    "BEGIN:VEVENT", `UID:esrok-recovery-recheck-${day}@esrok.local`, `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${day}`, `DTEND;VALUE=DATE:${end}`, "RRULE:FREQ=MONTHLY;INTERVAL=6",
    "SUMMARY:Re-check your account recovery (Esrok checklist)",
    "DESCRIPTION:Open the Esrok recovery checklist\\, import or load your plan\\, update it and print a fresh recovery kit.",
    "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Re-check your account recovery", "TRIGGER:-PT0M", "END:VALARM",
    "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
}

