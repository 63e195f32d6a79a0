// The result, on one screen: the two measures with their one-line explanations, the top three
// actions (effort, measured gain, a "do it now" link where the catalogue knows the provider's
// page), what each loss would do in words, and the rest behind "Show all N actions". Rendered
// from the engine's output (format 2, esrok_recovery/boundary.py) into the <template>s of
// partials/tool-templates.html; the summary line is a live region.

import { clone, fill, part, plural, words } from "./dom.js";

const TOP = 3;   // actions shown before "Show all"
const SKIPPED_SHOWN = 3;   // skipped questions listed in full; more go behind "Show the N questions"
const LOCKED = new Set(["locked_out", "no_way_back"]);
const lowerFirst = (s) => (s ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const nameOf = (out, id) => (out.names && out.names[id]) || id;
// A line that starts with a name: "your phone" (the quick check's words) becomes "Your phone"; a
// name with a capital inside its first word ("iPhone") is left as it is.
const lineStart = (s) => (/^[a-z]+(\s|'|$)/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s);

function items(texts) {
  return texts.map((t) => fill(clone("esrok-t-li"), { text: t }));
}

function actionItem(out, a, tiers) {
  const li = clone("esrok-t-action");
  li.dataset.rule = a.rule;
  li.dataset.tier = a.tier;
  const links = (a.links || []).map((l) => {
    const link = fill(clone("esrok-t-link"), { text: l.label });
    link.href = l.url;
    link.dataset.kind = l.kind || "";
    return link;
  });
  fill(li, {
    title: a.title,
    tier: tiers[a.tier] || null,
    effort: `About ${plural(a.effort_minutes, "minute", "minutes")}`,
    gain: a.gain_text ? ` · ${a.gain_text}` : null,
    gain_note: a.gain_note || null,
    do: a.do,
    trade_off: a.trade_off,
    links: links.length ? links.flatMap((l, i) => (i ? [" · ", l] : [l])) : null,
    detail: a.detail,
    why: a.why,
    source: a.source,
  });
  return li;
}

/**
 * The catalogue's credit (output "catalogue", boundary.py): "Checked against 2FA Directory ...,
 * data of <date>." and each source's attribution with a link to its licence page on this site
 * (`licencePage(source id)`: a URL, or null). A fresh node per use; null when nothing was checked.
 */
export function creditLine(catalogue, licencePage = () => null) {
  if (!catalogue || !catalogue.text) return null;
  const line = fill(clone("esrok-t-credit"), { text: catalogue.text });
  const sources = (catalogue.sources || []).map((s) => {
    const href = licencePage(s.id);
    const item = fill(clone("esrok-t-credit-source"), { attribution: s.attribution, licence: href ? `${s.licence} licence text` : null });
    if (href) part(item, "licence").href = href;
    return item;
  });
  fill(line, { sources });
  return line;
}

/** "If you lose your phone number (…)" and, per account, what happens. */
function lossLines(out) {
  const lines = [], fine = [];
  const scenarios = (out.scenarios || []).slice().sort((a, b) =>
    Number(b.outcomes.some((o) => LOCKED.has(o.state))) - Number(a.outcomes.some((o) => LOCKED.has(o.state))));
  for (const s of scenarios) {
    const lead = `If ${lowerFirst(s.title)}`;
    if (!s.outcomes.length) {
      if (s.applies) fine.push(lowerFirst(s.title));   // a loss that reaches nothing listed goes unsaid
      continue;
    }
    const text = s.outcomes.map((o) => `${nameOf(out, o.account)}: ${lowerFirst(o.text)}`).join("; ");
    const li = fill(clone("esrok-t-loss"), { lead, text: `— ${text}.` });
    li.dataset.scenario = s.id;
    lines.push(li);
  }
  return { lines, fine: fine.length ? `Nothing changes if ${fine.join("; or if ")}.` : null };
}

/** The questions left unanswered or answered "Not sure": listed, or behind "Show them" when many. */
function skippedParts(skipped, ctx) {
  const list = items(skipped.map((q) => `${q.text} (${q.answer})`));
  const many = skipped.length > SKIPPED_SHOWN;
  return {
    skipped: skipped.length ? undefined : null,
    "skipped-count": `${skipped.length}${ctx.total ? ` of ${ctx.total}` : ""}: the result leaves these facts out; `
      + "answer them for a closer look.",
    "skipped-list": many ? null : list,
    "skipped-more": many ? undefined : null,
    "skipped-summary": `Show the ${skipped.length} questions`,
    "skipped-more-list": many ? list : null,
  };
}

/** The live summary: both measures and what to do first. */
export function summaryText(out, ctx = {}) {
  const m = out.measures;
  const actions = out.actions || [];
  const blockers = actions.filter((a) => a.tier === "blocker");
  let text = `Protection ${m.protection.value}, Recoverability ${m.recoverability.value} out of 100. `;
  if (blockers.length) text += `${plural(blockers.length, "thing", "things")} to fix first: ${blockers[0].title}.`;
  else if (actions.length) text += `Nothing urgent; first of ${plural(actions.length, "step", "steps")}: ${actions[0].title}.`;
  else text += (out.skipped || []).length ? "No action from the answers given." : "Nothing to fix.";
  if (ctx.unfinished) text += ` ${plural(ctx.unfinished, "unfinished item is", "unfinished items are")} not counted yet.`;
  if (ctx.total && ctx.answered < ctx.total) text += ` Based on ${ctx.answered} of ${ctx.total} answers.`;
  return text;
}

/**
 * Show a result. `ctx`: {unfinished: number of drafts left out, answered, total (quick check),
 * credit(out): the "checked against ..." line (creditLine) or null}.
 */
export function renderResult(ui, out, ctx = {}) {
  const tiers = words("esrok-t-tiers", "tier");
  const actions = out.actions || [];
  const top = actions.slice(0, TOP);
  const rest = actions.slice(TOP);
  const body = clone("esrok-t-result");
  const { lines, fine } = lossLines(out);
  const m = out.measures;
  const measures = [m.protection, m.recoverability].map((x) => {
    const li = fill(clone("esrok-t-measure"), { label: `${x.label}:`, value: String(x.value), explanation: x.explanation });
    li.dataset.measure = x.measure;
    return li;
  });
  const spofs = (out.single_points_of_failure || []).flatMap((s) => s.accounts.map((acct) =>
    lineStart(`${s.chains[acct].map((id) => nameOf(out, id)).join(" → ")}: losing ${nameOf(out, s.thing)} alone locks you out of ${nameOf(out, acct)}`)));
  const cycles = (out.cycles || []).map((c) => `${c.chain.map((id) => nameOf(out, id)).join(" → ")}: these accounts only recover through each other`);
  const detail = { spofs, cycles, tips: (out.tips || []).map((t) => t.text), assumptions: (out.assumptions || []).map((x) => x.text) };
  fill(body, {
    unfinished: ctx.unfinished ? `${plural(ctx.unfinished, "unfinished item is", "unfinished items are")} not counted yet: see “To finish” in the inventory.` : null,
    measures,
    top: top.map((a) => actionItem(out, a, tiers)),
    todo: top.length ? undefined : null,
    // With questions skipped, "nothing to fix" would judge facts nobody gave.
    nothing: actions.length ? null : (out.skipped || []).length
      ? "No action from the answers you gave. The questions you skipped (below) may hide some: answer them for a closer look."
      : undefined,
    "more-summary": `Show all ${actions.length} actions`,
    rest: rest.map((a) => actionItem(out, a, tiers)),
    more: rest.length ? undefined : null,
    losses: lines,
    fine,
    loss: lines.length || fine ? undefined : null,
    ...skippedParts(out.skipped || [], ctx),
    "spof-list": items(spofs), "cycle-list": items(cycles), "tip-list": items(detail.tips),
    "assumption-list": items(detail.assumptions),
    spofs: spofs.length ? undefined : null, cycles: cycles.length ? undefined : null,
    tips: detail.tips.length ? undefined : null, assumptions: detail.assumptions.length ? undefined : null,
    details: Object.values(detail).some((x) => x.length) ? undefined : null,
    credit: ctx.credit ? ctx.credit(out) : null,
  });
  const rest0 = part(body, "rest");
  if (rest0) rest0.start = TOP + 1;
  ui.$("esrok-result-body").replaceChildren(body);
  ui.$("esrok-errors").hidden = true;
  ui.$("esrok-summary").textContent = summaryText(out, ctx);
}

/** A note in place of results that cannot be computed yet (never the engine's raw errors). */
export function renderWaiting(ui, text) {
  ui.$("esrok-result-body").replaceChildren();
  ui.$("esrok-summary").textContent = text;
}

/** Problems of an imported file: each with where it is, its field path and the engine's words. */
export function renderErrors(box, errors, intro, describe = () => "") {
  box.replaceChildren(fill(clone("esrok-t-errors"), {
    intro,
    list: errors.map((e) => {
      const where = describe(e.path);
      return fill(clone("esrok-t-li"), { text: `${where ? where + " — " : ""}${e.path ? e.path + ": " : ""}${e.message}` });
    }),
  }));
  box.hidden = false;
}
