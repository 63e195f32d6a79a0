// Esrok service picker: an ARIA 1.2 combobox (editable, list autocomplete, manual selection)
// with a listbox popup. DOM only; the search is service-search.js, the markup is the
// <template> in overrides/partials/service-picker.html (include it once on the page).
//
//   import { createServicePicker } from ".../service-picker.js";
//   const picker = createServicePicker(host, {
//     label: "Which account would hurt most to lose?",
//     load: () => fetch(catalogueURL).then((r) => r.json()),  // called once, on first use
//     onChange: ({ service, label, text }) => { ... },          // on every pick and keystroke;
//   });                                                          // service null = the person's own text
//
// Keyboard (WAI-ARIA APG combobox pattern): Down/Up open the list and move through the
// options (Alt+Down opens without moving); Home/End go to the first/last option while one
// is active (otherwise they move the caret); Enter picks the active option; Escape closes
// the list, or clears the field when it is closed; Tab picks the active option and moves
// on. The active option is announced through aria-activedescendant; focus stays in the input.
// With nothing typed the list offers the common choices; typing searches every service.
// What the person types is never rendered as HTML (textContent only).

import { buildIndex, commonChoices, lookup, search } from "./service-search.js";

const RESULTS = 8;
const indexes = new WeakMap();
let counter = 0;

function indexFor(catalogue) {
  let index = indexes.get(catalogue);
  if (!index) {
    index = buildIndex(catalogue);
    indexes.set(catalogue, index);
    search(index, "a");        // warm the search code up while the list is being shown,
    search(index, "warm up");  // so the first keystroke is as fast as the others
  }
  return index;
}

function part(root, name) {
  return root.querySelector(`[data-part="${name}"]`);
}

function template(doc, id) {
  const t = doc.getElementById(id);
  if (!t || !("content" in t)) {
    throw new Error(`service picker: the page has no <template id="${id}">; include partials/service-picker.html`);
  }
  return t.content.firstElementChild;
}

/**
 * Turn `host` into a service picker; returns {input, value, text, set(domain), close(), destroy()}.
 * @param {HTMLElement} host an empty element; its data-label is used when options.label is absent
 * @param {{label?: string, load: () => Promise<object>, onChange?: Function, limit?: number}} options
 */
export function createServicePicker(host, options) {
  const doc = host.ownerDocument;
  const root = template(doc, "esrok-service-picker").cloneNode(true);
  const optionTemplate = template(doc, "esrok-service-option");
  const base = `esrok-service-${++counter}`;
  const label = part(root, "label"), input = part(root, "input"), popup = part(root, "popup");
  const listbox = part(root, "listbox"), caption = part(root, "caption");
  const hint = part(root, "hint"), status = part(root, "status");
  const limit = options.limit || RESULTS;

  label.id = `${base}-label`;
  label.htmlFor = input.id = `${base}-input`;
  label.textContent = options.label || host.dataset.label || "Service";
  listbox.id = `${base}-listbox`;
  hint.id = `${base}-hint`;
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-describedby", hint.id);
  listbox.setAttribute("aria-labelledby", label.id);
  if (host.dataset.name) input.name = host.dataset.name;
  if (host.dataset.hint) hint.textContent = host.dataset.hint;   // the page's own wording for this use
  host.replaceChildren(root);

  let index = null, loading = null, failed = false;
  let shown = [], active = -1, picked = null;

  function load() {
    if (index || failed) return Promise.resolve(index);
    if (!loading) {
      status.textContent = "Loading the list of services…";
      loading = Promise.resolve().then(options.load).then((catalogue) => {
        index = indexFor(catalogue);
        host.dataset.catalogue = "ready";
        return index;
      }, () => {
        failed = true;
        host.dataset.catalogue = "failed";
        status.textContent = "The list of services could not be loaded. Type the name of the account instead.";
        return null;
      });
    }
    return loading;
  }

  function render(results, text) {
    shown = results;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    const items = results.map((r, i) => {
      const li = optionTemplate.cloneNode(true);
      li.id = `${base}-option-${i}`;
      li.dataset.domain = r.service.domain;
      part(li, "name").textContent = r.label;
      part(li, "domain").textContent = r.service.domain;
      return li;
    });
    listbox.replaceChildren(...items);
    if (!text) {
      caption.textContent = "Common choices";
      status.textContent = `${results.length} common choices. Type to search ${index.entries.length.toLocaleString("en")} services.`;
    } else if (results.length) {
      caption.textContent = "Matching services";
      status.textContent = `${results.length} matching service${results.length === 1 ? "" : "s"}.`;
    } else {
      caption.textContent = "";
      status.textContent = `No listed service matches “${text}”. You can keep it as the account's name.`;
    }
  }

  function results() {
    const text = input.value.trim();
    return text ? search(index, text, limit) : commonChoices(index);
  }

  function setOpen(open) {
    const isOpen = open && shown.length > 0;
    popup.hidden = !isOpen;
    input.setAttribute("aria-expanded", String(isOpen));
    if (!isOpen) setActive(-1);
  }

  const isOpen = () => input.getAttribute("aria-expanded") === "true";

  function setActive(i) {
    const items = listbox.children;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (i >= 0 && items[i]) {
      items[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function changed() {
    const detail = { service: picked ? picked.service : null, label: picked ? picked.label : null,
                     text: input.value };
    host.dataset.service = picked ? picked.service.domain : "";
    if (options.onChange) options.onChange(detail);
    host.dispatchEvent(new CustomEvent("esrok:service-change", { detail, bubbles: true }));
  }

  function pick(i) {
    const chosen = shown[i];
    if (!chosen) return;
    picked = chosen;
    input.value = chosen.label;
    setOpen(false);
    status.textContent = `${chosen.label} chosen.`;
    changed();
  }

  // Open the list (computing it first) and optionally make an option active.
  function open(then) {
    return load().then((ready) => {
      if (!ready) return;
      render(results(), input.value.trim());
      setOpen(true);
      if (then && isOpen()) then();
    });
  }

  function onKeyDown(event) {
    const n = shown.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!isOpen()) open(event.altKey ? null : () => setActive(0));
        else if (!event.altKey) setActive(active < 0 || active >= n - 1 ? 0 : active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen()) open(() => setActive(shown.length - 1));
        else setActive(active <= 0 ? n - 1 : active - 1);
        break;
      case "Home":
      case "End":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          setActive(event.key === "Home" ? 0 : n - 1);
        }
        break;
      case "Enter":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          pick(active);
        }
        break;
      case "Escape":
        if (isOpen()) {
          event.preventDefault();
          setOpen(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          if (picked) { picked = null; changed(); }
          status.textContent = "Cleared.";
        }
        break;
      case "Tab":
        if (isOpen() && active >= 0) pick(active);
        else setOpen(false);
        break;
      default:
    }
  }

  function onInput() {
    picked = null;                                   // typing makes it the person's own text again
    changed();
    const text = input.value;
    load().then((ready) => {
      if (!ready || input.value !== text) return;   // a later keystroke takes over
      render(results(), text.trim());
      setOpen(doc.activeElement === input);
    });
  }

  const onClick = () => (isOpen() ? setOpen(false) : open(null));
  const onBlur = () => setOpen(false);
  const onPointerDown = (event) => event.preventDefault();   // keep focus in the input
  const onOptionClick = (event) => {
    const li = event.target.closest('[role="option"]');
    if (li && listbox.contains(li)) pick(Array.prototype.indexOf.call(listbox.children, li));
  };

  input.addEventListener("keydown", onKeyDown);
  input.addEventListener("input", onInput);
  input.addEventListener("click", onClick);
  input.addEventListener("blur", onBlur);
  listbox.addEventListener("mousedown", onPointerDown);
  listbox.addEventListener("click", onOptionClick);

  return {
    input,
    /** The chosen service ({service, label}) or null when the text is the person's own. */
    get value() { return picked; },
    /** The text in the field. */
    get text() { return input.value; },
    /** Choose a service by domain (e.g. restoring a saved plan); returns whether it was found. */
    set(domain) {
      return load().then((ready) => {
        const service = ready && lookup(ready, domain);
        if (!service) return false;
        const common = ready.common.find((c) => c.service === service);
        shown = [{ service, label: common ? common.label : service.name }];
        pick(0);
        return true;
      });
    },
    close: () => setOpen(false),
    /** Empty the field (e.g. another answer was chosen instead); tells onChange when a service was picked. */
    clear() {
      const had = picked !== null;
      input.value = "";
      picked = null;
      setOpen(false);
      if (had) changed();
    },
    destroy() {
      input.removeEventListener("keydown", onKeyDown);
      input.removeEventListener("input", onInput);
      input.removeEventListener("click", onClick);
      input.removeEventListener("blur", onBlur);
      listbox.removeEventListener("mousedown", onPointerDown);
      listbox.removeEventListener("click", onOptionClick);
      host.replaceChildren();
    },
  };
}
