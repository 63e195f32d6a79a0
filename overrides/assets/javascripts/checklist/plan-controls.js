// The inventory's storage controls: save in this browser (opt-in), export, import, reset, print
// and the calendar reminder. Plain HTML buttons of the tool page (partials/tool-inventory.html and
// tool-kit.html), bound once the parser has passed them (app.js, after the quick check).
// `changed(structural, focus)` is the inventory's own: it saves, checks and re-renders the plan.

import { download } from "./dom.js";
import { errorsBeyondDrafts, finish } from "./drafts.js";
import { icsReminder } from "./kit.js";
import { renderErrors, renderWaiting } from "./result-view.js";
import { planDomains, servicesFor } from "./services.js";
import { clearSaved, emptyPlan, planText, readPlan, today, writeSaved } from "./store.js";
import { evaluatePlan } from "./worker-client.js";

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export function bindPlanControls(ui, app, changed) {
  const storage = () => window.localStorage;
  const storeStatus = ui.$("esrok-storage-status");
  const save = ui.$("esrok-save");
  const importErrors = ui.$("esrok-import-errors");
  save.checked = app.saving;
  save.addEventListener("change", () => {
    app.saving = save.checked;
    if (!app.plan) return;
    if (app.saving) {
      storeStatus.textContent = writeSaved(storage(), app.plan)
        ? "Saving is on: this plan is kept in this browser on this device." : "This browser refused to save (storage is full or disabled).";
    } else {
      clearSaved(storage());
      storeStatus.textContent = "Saving is off and the saved copy was deleted.";
    }
  });
  ui.$("esrok-export").addEventListener("click", () => {
    download(`esrok-recovery-plan-${today()}.json`, "application/json", planText(app.plan));
    storeStatus.textContent = "Plan exported as a JSON file.";
  });
  ui.$("esrok-import").addEventListener("change", async (ev) => {
    const input = ev.target;
    const file = input.files && input.files[0];
    if (!file || !app.vocab) return;
    importErrors.hidden = true;
    const keep = " Your current plan was not changed.";
    const read = readPlan(await file.text(), app.vocab);
    input.value = "";
    if (read.error) {
      renderErrors(importErrors, read.errors, read.error === "not-json" ? `Import failed: ${file.name} is not valid JSON.${keep}`
        : `Import failed: ${file.name} is not a plan this page can read.${keep}`);
      return;
    }
    storeStatus.textContent = app.engine === "ready" ? "Checking the file..." : "Checking the file as soon as the checker is ready...";
    try {
      const split = finish(read.plan, app.vocab);
      const out = await evaluatePlan(app, { ...read.plan, as_of: today() }, await servicesFor(app.services, planDomains(read.plan)));
      const problems = out.ok ? [] : errorsBeyondDrafts(out.errors, split);
      if (problems.length) {
        renderErrors(importErrors, problems, `Import failed: ${file.name} is not a valid plan (${plural(problems.length, "problem", "problems")}).${keep}`);
        storeStatus.textContent = "";
        return;
      }
      app.plan = read.plan;
      changed(true);
      storeStatus.textContent = `Imported ${file.name}.` + (split.drafts.length ? ` ${plural(split.drafts.length, "item", "items")} to finish.` : "")
        + (app.saving ? " It is saved in this browser." : "");
    } catch (e) {
      renderErrors(importErrors, [{ path: "", message: e.message }], `Import failed.${keep}`);
    }
  });
  const confirmBox = ui.$("esrok-reset-confirm");
  ui.$("esrok-reset").addEventListener("click", () => { confirmBox.hidden = false; ui.$("esrok-reset-no").focus(); });
  ui.$("esrok-reset-no").addEventListener("click", () => { confirmBox.hidden = true; ui.$("esrok-reset").focus(); });
  ui.$("esrok-reset-yes").addEventListener("click", () => {
    confirmBox.hidden = true;
    clearSaved(storage());
    app.saving = false;
    save.checked = false;
    app.plan = emptyPlan(app.vocab);
    app.lastResult = null;
    app.lastKind = null;
    changed(true);
    renderWaiting(ui, "The plan was reset.");
    storeStatus.textContent = "The plan was reset and the saved copy deleted.";
    ui.$("esrok-reset").focus();
  });
  ui.$("esrok-print").addEventListener("click", () => window.print());
  ui.$("esrok-ics").addEventListener("click", () => download("esrok-recovery-recheck.ics", "text/calendar", icsReminder()));
  return save;
}
