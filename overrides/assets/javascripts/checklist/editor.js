// The inventory editor: accounts (with their sign-in methods, backup codes and recovery routes),
// the things they depend on, and habits, built from the plan and the vocabulary. Every change is
// an operation of plan-edit.js; what is unfinished is listed under "To finish" (drafts.js), in
// plain words, with a button to the place to finish it.
//
// ui.edit(fn, structural, focus): run fn(plan), then save, re-evaluate and, when structural,
// rebuild the editor (focus: a selector, or by default the control that had focus).

import { clone, fill, part } from "./dom.js";
import { answerControl, fieldControl } from "./editor-fields.js";
import * as E from "./plan-edit.js";

const ACCOUNT_MAIN = new Set(["name", "kind", "importance", "service"]);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const sel = (s) => CSS.escape(s);

export function renderEditor(ui, plan, vocab, drafts) {
  const idOf = (...p) => ["esrok-e", ...p].join("-");
  const ctxFor = (id, except, set, toggle) => ({
    vocab, plan, id, except, set, toggle,
    create: (field) => E.createFor(plan, vocab, field),
  });
  // A text change updates every place that shows the name, without rebuilding the editor.
  const renamed = (id, text) => ui.relabel(id, text);

  function fields(obj, shapeName, tag, stem, except, onSet, only, onToggle) {
    return vocab.fields(shapeName, tag).filter((f) => f.name !== (vocab.shape(shapeName).tag || "") && (!only || only(f)))
      .filter((f) => !f.when || f.when.values.includes(obj[f.when.field]))
      .map((f) => fieldControl(f, obj[f.name], ctxFor(stem, except, (v, structural, focus) => onSet(f, v, structural, focus),
        onToggle && ((id, on, focus) => onToggle(f, id, on, focus)))))
      .filter(Boolean);
  }

  function itemRow(a, list, item, j) {
    const row = clone("esrok-t-item");
    const stem = idOf(a.id, list, j);
    row.id = stem;
    row.dataset.list = list;
    const label = vocab.label(list === "sign_in" ? "sign_in_type" : "recovery_type", item.type) || String(item.type);
    fill(row, {
      legend: label,
      fields: isObject(item) ? fields(item, list, item.type, stem, a.id, (f, v, structural, focus) =>
        ui.edit((p) => E.updateItem(p, vocab, a.id, list, j, f.name, v), structural, focus)) : null,
    });
    const remove = part(row, "remove");
    remove.textContent = `Remove ${label.toLowerCase()}`;
    remove.addEventListener("click", () => ui.edit((p) => E.removeItem(p, a.id, list, j), true, `#${sel(idOf(a.id, "add", list))}`));
    return row;
  }

  function addRow(labelText, enumName, options, id, onAdd) {
    const row = clone("esrok-t-add");
    const control = part(row, "control");
    control.id = id;
    control.dataset.enum = enumName;
    fill(row, { label: labelText });
    part(row, "label").htmlFor = id;
    for (const o of options) {
      if (!o.options) { control.append(new Option(o.label, o.value)); continue; }
      const group = document.createElement("optgroup");   // e.g. the methods a service does not list
      group.label = o.label;
      group.append(...o.options.map((x) => new Option(x.label, x.value)));
      control.append(group);
    }
    part(row, "button").id = `${id}-button`;
    part(row, "button").addEventListener("click", () => onAdd(control.value));
    return row;
  }

  function codesBlock(a) {
    const shape = vocab.shape("backup_codes");
    const bc = isObject(a.backup_codes) ? a.backup_codes : null;
    const generated = shape.fields.find((f) => f.name === "generated");
    const stem = idOf(a.id, "codes");
    const block = [answerControl(generated, bc ? bc.generated : undefined, { id: stem },
      (answer) => ui.edit((p) => E.setCodesGenerated(p, a.id, answer), true))];
    if (bc && bc.generated) {
      // The places that keep them: ticked one at a time ("+ Add" creates one and ticks it).
      block.push(...fields(bc, "backup_codes", null, stem, a.id, (f, v, structural, focus) =>
        ui.edit((p) => E.updateCodes(p, a.id, f.name, v), structural, focus), (f) => f.name !== "generated",
      (f, id, on, focus) => ui.edit((p) => E.toggleCodeStore(p, a.id, id, on), true, focus)));
    }
    return block;
  }

  function accountRow(a) {
    const row = clone("esrok-t-account");
    row.dataset.account = a.id;
    row.id = idOf(a.id);
    const legend = part(row, "legend");
    legend.dataset.nameOf = a.id;
    const set = (f, v, structural, focus) => ui.edit((p) => E.updateAccount(p, vocab, a.id, f.name, v), structural, focus);
    const onName = (f, v, structural, focus) => {
      if (f.name === "name") renamed(a.id, v || "New account");
      set(f, v, structural, focus);
    };
    const accountFields = vocab.shape("account").fields;
    const label = (name) => (accountFields.find((f) => f.name === name) || {}).label || name;
    const lists = {};
    for (const list of ["sign_in", "recovery"]) {
      const enumName = list === "sign_in" ? "sign_in_type" : "recovery_type";
      lists[`${list}-legend`] = label(list);
      lists[list] = (Array.isArray(a[list]) ? a[list] : []).map((item, j) => itemRow(a, list, item, j));
      lists[`add-${list}`] = [addRow(list === "sign_in" ? "Add a sign-in method" : "Add a recovery route", enumName,
        ui.methodOptions ? ui.methodOptions(a, list) : vocab.options(enumName), idOf(a.id, "add", list),
        (type) => ui.edit((p) => E.addItem(p, a.id, list, type), true, `#${sel(idOf(a.id, list, (a[list] || []).length))} select, #${sel(idOf(a.id, list, (a[list] || []).length))} button`))];
    }
    fill(row, {
      legend: a.name || "New account",
      service: ui.servicePicker ? ui.servicePicker(a) : null,
      fields: fields(a, "account", null, idOf(a.id), a.id, onName, (f) => ACCOUNT_MAIN.has(f.name) && !(f.name === "service" && ui.servicePicker)),
      ...lists,
      codes: codesBlock(a),
      more: fields(a, "account", null, idOf(a.id), a.id, set, (f) => !ACCOUNT_MAIN.has(f.name)),
    });
    part(row, "remove").addEventListener("click", () => ui.edit((p) => E.removeAccount(p, vocab, a.id), true, "#esrok-add-account"));
    return row;
  }

  function thingRow(t) {
    const row = clone("esrok-t-thing");
    row.dataset.thing = t.id;
    row.id = idOf("t", t.id);
    const type = vocab.label("thing_type", t.type) || String(t.type);
    const legend = part(row, "legend");
    fill(row, {
      legend: `${type}: ${t.label || ""}`,
      fields: fields(t, "thing", t.type, row.id, t.id, (f, v, structural, focus) => {
        if (f.name === "label") { renamed(t.id, v || t.id); legend.textContent = `${type}: ${v}`; }
        ui.edit((p) => E.updateThing(p, vocab, t.id, f.name, v), structural, focus);
      }),
    });
    const remove = part(row, "remove");
    remove.textContent = `Remove ${type.toLowerCase()}`;
    remove.addEventListener("click", () => ui.edit((p) => E.removeThing(p, vocab, t.id), true, "#esrok-add-thing"));
    return row;
  }

  function section(heading, help, rows, add) {
    return fill(clone("esrok-t-section"), { heading, empty: rows.length ? null : help, rows, add });
  }

  const planFields = vocab.shape("plan").fields;
  const planLabel = (name) => planFields.find((f) => f.name === name).label;
  const addAccount = clone("esrok-t-add-account");
  addAccount.querySelector("button").addEventListener("click", () => {
    let id;
    ui.edit((p) => { id = E.addAccount(p); }, true, () => `#${sel(idOf(id))} input, #${sel(idOf(id))} select`);
  });
  const things = plan.things.filter(isObject);
  const addThing = addRow("Add a device, number, key or other thing", "thing_type", vocab.options("thing_type"), "esrok-add-thing-type",
    (type) => { let id; ui.edit((p) => { id = E.addThing(p, vocab, type); }, true, () => `#${sel(idOf("t", id))} input`); });
  part(addThing, "button").id = "esrok-add-thing";
  const habitsShape = vocab.shape("habits");
  const habits = isObject(plan.habits) ? plan.habits : {};
  const habitRows = habitsShape.fields.map((f) => answerControl(f, habits[f.name], { id: idOf("habit") },
    (answer) => ui.edit((p) => E.setHabit(p, f.name, answer === "" ? "" : answer === "yes"), true)));
  ui.$("esrok-editor").replaceChildren(
    section(planLabel("accounts"), "No accounts yet: add the ones you would least like to lose.",
      plan.accounts.filter(isObject).map(accountRow), addAccount),
    section(planLabel("things"), vocab.shape("thing").help, things.map(thingRow), addThing),
    section(planLabel("habits"), null, habitRows, null),
  );
  renderTodo(ui, drafts);
}

/** "To finish": each unfinished item, what is missing, and a button to its first control. */
export function renderTodo(ui, drafts) {
  const box = ui.$("esrok-todo");
  box.hidden = !drafts.length;
  ui.$("esrok-todo-list").replaceChildren(...drafts.map((d) => {
    const li = fill(clone("esrok-t-todo-item"), { where: d.where, missing: d.missing.join("; ") });
    li.dataset.path = d.path;
    part(li, "where").addEventListener("click", () => {
      const target = d.kind === "thing" ? `esrok-e-t-${d.id}` : d.list ? `esrok-e-${d.account}-${d.list}-${d.index}` : `esrok-e-${d.id}`;
      const el = document.getElementById(target);
      const control = el && el.querySelector("select:not(:disabled), input:not(:disabled), button");
      if (control) control.focus();
    });
    return li;
  }));
}
