// DOM helpers for the checker's views. The markup lives in <template> elements of the tool page
// (overrides/partials/tool-templates.html); views clone a template and fill its [data-part]
// slots. Everything a person typed or the engine wrote is set as text, never parsed as HTML.

/** A fresh copy of the first element of <template id=...>. */
export function clone(id, doc = document) {
  const t = doc.getElementById(id);
  if (!t || !t.content || !t.content.firstElementChild) throw new Error(`the tool page has no <template id="${id}">`);
  return t.content.firstElementChild.cloneNode(true);
}

/** The [data-part=name] element inside `el` (or `el` itself). */
export function part(el, name) {
  return el.dataset && el.dataset.part === name ? el : el.querySelector(`[data-part="${name}"]`);
}

/**
 * Fill the parts of a cloned template: a string sets the text, a Node (or a list of them)
 * replaces the content, null, "" or [] removes the part from the copy, undefined keeps it as is.
 */
export function fill(el, parts) {
  for (const [name, value] of Object.entries(parts)) {
    const target = part(el, name);
    if (!target || value === undefined) continue;
    if (value === null || value === "" || (Array.isArray(value) && !value.length)) {
      target.remove();
    } else if (typeof value === "string" || typeof value === "number") {
      target.textContent = String(value);
    } else {
      target.replaceChildren(...[].concat(value));
    }
  }
  return el;
}

/** Text of a template that only holds words (e.g. the tiers' names), by a data attribute. */
export function words(id, attr, doc = document) {
  const t = doc.getElementById(id);
  const out = {};
  if (t) for (const el of t.content.querySelectorAll(`[data-${attr}]`)) out[el.dataset[attr]] = el.textContent.trim();
  return out;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = clone("esrok-t-download");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function mark(name) {
  try { performance.mark(name); } catch (e) { /* no User Timing: nothing to record */ }
}

/** Focus an element by selector inside `root`, if it is there. */
export function focusIn(root, selector) {
  const el = selector ? root.querySelector(selector) : null;
  if (el) el.focus();
  return !!el;
}

/**
 * Resolves with the first element matching `selector` once the parser has inserted it (at once
 * if it is there), or with null once the document is parsed without one. The entry module runs
 * from <head>, so each part of the page is bound as soon as it exists, not after the whole page.
 */
export function parsed(selector, doc = document) {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => check());
    function check() {
      const el = doc.querySelector(selector);
      if (!el && doc.readyState === "loading") return false;
      observer.disconnect();
      doc.removeEventListener("readystatechange", check);
      resolve(el);
      return true;
    }
    if (check()) return;
    observer.observe(doc, { childList: true, subtree: true });
    doc.addEventListener("readystatechange", check);
  });
}
