// The page's vocabulary: plan-ui.json, which the tool build writes from the engine's field table
// (esrok_recovery.fields.plan_ui()). Every label, allowed reference, default and the plan format
// version the page uses comes from here; nothing of the model is restated in JavaScript.
// Pure (no DOM): the store, the edit operations and the draft check use it under Node too.

/** Wrap plan_ui() data with lookups. */
export function makeVocab(data) {
  const enums = new Map(Object.entries(data.enums).map(([k, v]) => [k, v]));
  const shapes = data.shapes;
  const fieldsOf = (shapeName, tagValue) => {
    const shape = shapes[shapeName];
    if (!shape) return [];
    const v = shape.variants ? shape.variants.find((x) => x.value === tagValue) : null;
    return shape.fields.concat(v ? v.fields : []);
  };
  const vocab = {
    data,
    version: data.version,
    readsVersions: data.reads_versions,
    never: data.never,
    shape: (name) => shapes[name],
    /** The variant of a tagged shape for a tag value, or null. */
    variant: (shapeName, value) => ((shapes[shapeName] || {}).variants || []).find((v) => v.value === value) || null,
    /** Common and variant fields of a shape for a tag value (the tag's own field included). */
    fields: fieldsOf,
    field: (shapeName, tagValue, name) => fieldsOf(shapeName, tagValue).find((f) => f.name === name) || null,
    /** [{value, label}] of an enum (by its plan_ui name, e.g. "sign_in_type"). */
    options: (enumName) => enums.get(enumName) || [],
    label: (enumName, value) => {
      const hit = (enums.get(enumName) || []).find((o) => o.value === value);
      return hit ? hit.label : null;
    },
    /** The enum a reference field's refs are values of. */
    refsEnum: (field) => (field.kind === "account" ? "account_kind" : "thing_type"),
  };
  /** Labels of what a reference field may name, e.g. ["Phone number"]. */
  vocab.refLabels = (field) => (field.refs || []).map((r) => vocab.label(vocab.refsEnum(field), r) || r);
  /** "a phone number", "an authenticator app", "a phone or a computer or tablet". */
  vocab.refPhrase = (field) => {
    const labels = vocab.refLabels(field);
    if (!labels.length || labels.length > 2) return field.kind === "account" ? "an account" : "one";
    return labels.map(withArticle).join(" or ");
  };
  return vocab;
}

/** "a phone number", "an authenticator app" ("Apple Account", a name, keeps its capitals). */
export function withArticle(label) {
  const text = / [A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  return (/^[aeiou]/i.test(text) ? "an " : "a ") + text;
}

/** Load plan-ui.json once (the URL is boot["data"]["plan-ui"]). */
export async function loadVocab(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the page's vocabulary (${response.status})`);
  return makeVocab(await response.json());
}
