// The inventory's service picker: one per account (editor.js calls ui.servicePicker(account)).
// Picking a service sets the account's `service` and pre-fills its name and kind (a name or kind
// the person chose is kept; one the previous pick filled in follows the new pick). The sign-in
// methods the service offers come first in "Add a sign-in method"; the others stay available
// behind "Other ways" (ui.methodOptions). Typing over a pick makes the name the person's own
// text again and drops `service`. The catalogue is fetched on first use (services.js).

import { clone, words } from "./dom.js";
import { findAccount, updateAccount } from "./plan-edit.js";
import { kindOf, offeredTypes, serviceOf } from "./services.js";

/** The label a previous pick may have written as the name: the service's name or its common label. */
function namesOf(cat, service) {
  const common = (cat.common || []).find((c) => c.domain === service.domain);
  return new Set([service.name, common && common.label].filter(Boolean));
}

export function bindAccountServices(ui, app) {
  if (!app.services) return;
  const vocabLabel = () => app.vocab.shape("account").fields.find((f) => f.name === "service").label;

  ui.servicePicker = (a) => {
    const host = document.adoptNode(clone("esrok-t-account-service"));   // the picker finds its templates in the page
    host.id = `esrok-e-${a.id}-service`;
    const make = (createServicePicker) => {
      const picker = createServicePicker(host, {
        label: vocabLabel(),
        load: () => app.services.load(),
        onChange: ({ service, label }) => {
          const acc = findAccount(app.plan, a.id);
          const cat = app.services.loaded;
          const before = acc && acc.service ? serviceOf(cat, acc.service) : null;
          if (!acc || (service ? service === before : !acc.service)) return;   // a restore, or no change
          if (!service) {
            ui.edit((p) => updateAccount(p, app.vocab, a.id, "service", ""), false);
            return;
          }
          ui.edit((p) => {
            const x = findAccount(p, a.id);
            if (!x.name || (before && namesOf(cat, before).has(x.name))) updateAccount(p, app.vocab, a.id, "name", label);
            if (!x.kind || (before && x.kind === kindOf(cat, before))) updateAccount(p, app.vocab, a.id, "kind", kindOf(cat, service));
            updateAccount(p, app.vocab, a.id, "service", service.domain);
          }, true, `#${CSS.escape(host.id)} input`);
        },
      });
      host.dataset.ready = "yes";
      if (a.service) {
        picker.set(a.service).then((found) => { if (!found) picker.input.value = a.service; });
      }
    };
    // Made at once when the picker's module is here (so focus can return to it after a rebuild).
    if (app.createPicker) make(app.createPicker);
    else app.picker().then((create) => { if (host.isConnected) make(create); }, () => { host.hidden = true; });
    return host;
  };

  ui.methodOptions = (a, list) => {
    const all = app.vocab.options(list === "sign_in" ? "sign_in_type" : "recovery_type");
    const cat = app.services.loaded;
    const service = list === "sign_in" && a.service ? serviceOf(cat, a.service) : null;
    if (!service) return all;
    const offered = offeredTypes(cat, service);
    const other = all.filter((o) => !offered.has(o.value));
    const label = `${words("esrok-t-service-words", "word")["other-methods"]} ${service.name}`;
    return [...all.filter((o) => offered.has(o.value)), ...(other.length ? [{ label, options: other }] : [])];
  };
}
