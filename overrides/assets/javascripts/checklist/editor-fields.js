// One control per field of the plan format, chosen by the field's kind in plan-ui.json: text and
// numbers, dates, values of an enum (a select of the engine's labels), yes / no / not sure for a
// fact that may be left unrecorded, a tick box for one that has a default, and references: a
// select of what the field may name and a button that creates it in place ("or + Add a phone
// number"). Labels, allowed references and defaults all come from the field itself.
//
// ctx: {vocab, plan, id (a unique stem for the controls' ids), except (an id the field may not
// name: the account itself), set(value, structural, focus), toggle(id, on, focus) (lists of
// things), create(field) -> new id}

import { clone, fill, part } from "./dom.js";
import { candidates } from "./plan-edit.js";
import { withArticle } from "./vocab.js";

const SKIP = new Set(["id", "version", "rules", "object", "list"]);

function labelled(templateId, field, ctx) {
  const row = clone(templateId);
  const control = part(row, "control");
  const id = `${ctx.id}-${field.name}`;
  fill(row, { label: field.label });
  if (control) {
    control.id = id;
    control.dataset.field = field.name;
    const label = part(row, "label");
    if (label && label.tagName === "LABEL") label.htmlFor = id;
  }
  return { row, control, id };
}

function select(control, options, value, emptyText) {
  control.append(new Option(emptyText, ""));
  for (const o of options) control.append(new Option(o.label, o.value));
  control.value = value === undefined || value === null ? "" : String(value);
}

function enumControl(field, value, ctx) {
  const { row, control } = labelled("esrok-t-field-select", field, ctx);
  control.dataset.enum = field.enum;
  select(control, ctx.vocab.options(field.enum), value, field.required ? "(choose)" : "(not recorded)");
  control.addEventListener("change", () => ctx.set(control.value, true));
  return row;
}

function inputControl(field, value, ctx, type) {
  const { row, control } = labelled("esrok-t-field-input", field, ctx);
  control.type = type;
  if (type === "number") { control.min = "0"; control.step = "1"; control.inputMode = "numeric"; }
  control.value = value === undefined || value === null ? "" : String(value);
  if (type === "number" && control.value === "" && field.default !== undefined) control.placeholder = String(field.default);
  const read = () => (type === "number" ? (control.value === "" ? "" : Math.max(0, Math.floor(Number(control.value)))) : control.value);
  // Typing updates the plan (and the result) without rebuilding the editor, so the caret stays.
  control.addEventListener("input", () => ctx.set(read(), false));
  return row;
}

function dateOrNever(field, value, ctx) {
  const { row, control } = labelled("esrok-t-field-date-never", field, ctx);
  const never = part(row, "never");
  never.id = `${control.id}-never`;
  never.dataset.field = `${field.name}:never`;
  never.checked = value === ctx.vocab.never;
  control.value = value && value !== ctx.vocab.never ? value : "";
  control.disabled = never.checked;
  control.addEventListener("input", () => ctx.set(control.value, false));
  never.addEventListener("change", () => ctx.set(never.checked ? ctx.vocab.never : "", true));
  return row;
}

/** Yes / No / Not sure: a fact the engine reads as "not recorded" when left out (never as no). */
export function answerControl(field, value, ctx, onAnswer) {
  const row = clone("esrok-t-field-answer");
  fill(row, { label: field.label });
  row.dataset.field = field.name;
  row.id = `${ctx.id}-${field.name}`;
  const current = value === true ? "yes" : value === false ? "no" : "";
  for (const input of row.querySelectorAll("input[type=radio]")) {
    input.name = row.id;
    input.id = `${row.id}-${input.value || "unsure"}`;
    input.checked = input.value === current;
    input.addEventListener("change", () => (onAnswer ? onAnswer(input.value) : ctx.set(input.value === "" ? "" : input.value === "yes", true)));
  }
  return row;
}

function checkControl(field, value, ctx) {
  const { row, control } = labelled("esrok-t-field-check", field, ctx);
  control.checked = value === undefined ? !!field.default : !!value;
  control.addEventListener("change", () => ctx.set(control.checked, true));
  return row;
}

function createLabel(field, ctx) {
  const labels = ctx.vocab.refLabels(field);
  return `+ Add ${labels.length ? withArticle(labels[0]) : "one"}`;
}

function refControl(field, value, ctx) {
  const { row, control, id } = labelled("esrok-t-field-ref", field, ctx);
  const have = candidates(ctx.plan, field, ctx.except).map((c) => ({ value: c.id, label: c.label }));
  select(control, have, value, `(choose ${ctx.vocab.refPhrase(field)})`);
  if (value && control.value !== value) control.append(new Option(value, value)), (control.value = value);
  control.addEventListener("change", () => ctx.set(control.value, true));
  const button = part(row, "create");
  button.id = `${id}-create`;
  button.textContent = createLabel(field, ctx);
  button.addEventListener("click", () => ctx.set(ctx.create(field), true, `#${CSS.escape(id)}`));
  return row;
}

function thingsControl(field, value, ctx) {
  const row = clone("esrok-t-field-things");
  const id = `${ctx.id}-${field.name}`;
  row.id = id;
  row.dataset.field = field.name;
  fill(row, { label: field.label });
  const chosen = new Set(Array.isArray(value) ? value : []);
  const options = candidates(ctx.plan, field, ctx.except).map((c, i) => {
    const opt = clone("esrok-t-option-check");
    const box = part(opt, "control");
    box.id = `${id}-${i}`;
    box.value = c.id;
    box.checked = chosen.has(c.id);
    fill(opt, { label: c.label });
    opt.htmlFor = box.id;
    box.addEventListener("change", () => ctx.toggle(c.id, box.checked));
    return opt;
  });
  fill(row, { options: options.length ? options : null });
  const button = part(row, "create");
  button.id = `${id}-create`;
  button.textContent = createLabel(field, ctx);
  button.addEventListener("click", () => ctx.toggle(ctx.create(field), true, `#${CSS.escape(id)}-create`));
  return row;
}

/** The control for one field, or null for fields the editor shows in its own way. */
export function fieldControl(field, value, ctx) {
  if (SKIP.has(field.kind)) return null;
  switch (field.kind) {
    case "text": return inputControl(field, value, ctx, "text");
    case "count": return inputControl(field, value, ctx, "number");
    case "date": return inputControl(field, value, ctx, "date");
    case "date_or_never": return dateOrNever(field, value, ctx);
    case "enum": return enumControl(field, value, ctx);
    case "bool": return field.default !== undefined ? checkControl(field, value, ctx) : answerControl(field, value, ctx);
    case "thing":
    case "account": return refControl(field, value, ctx);
    case "things": return thingsControl(field, value, ctx);
    default: return null;
  }
}
