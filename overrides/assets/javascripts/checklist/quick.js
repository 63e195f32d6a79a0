// The quick check: plain HTML radios rendered at build time from the engine's questions (usable
// before Python is). This binds the progress line ("Question 4 of 17 · 3 answered"), sends the
// answers (only those given: a skipped question is never read as "no") and shows the result,
// moving focus to the result's heading.
//
// A question the engine marks "accepts_service" (which account would hurt most to lose?) also
// gets the service picker, behind a one-line button ("Another service? Find it by name"): its
// common choices first, then a search of every service. Picking one
// answers the question with {"service": domain, "kind", "name"} and clears the radios; choosing a
// radio clears the picker.

import { mark } from "./dom.js";

export function answersOf(form, picked = {}) {
  const answers = {};
  for (const fs of form.querySelectorAll("fieldset.esrok-question")) {
    const checked = fs.querySelector("input[type=radio]:checked");
    const id = fs.id.replace(/^q-/, "");
    if (checked) answers[checked.name] = checked.value;
    else if (picked[id]) answers[id] = picked[id];
  }
  return answers;
}

/**
 * Bind the form: answering, the progress line and submit, all that the first question needs.
 * `onSubmit(answers, counts)` runs the check and returns a promise that settles once the result
 * is shown. Returns {bindServices(services)}, called later (the picker is behind a button):
 * `services` is {picker: () => Promise<createServicePicker>, load: () => Promise<catalogue>,
 * kindOf(catalogue, service)} for the service question.
 */
export function bindQuick(ui, onSubmit) {
  const form = ui.$("esrok-quick");
  const progress = ui.$("esrok-progress");
  const at = progress.querySelector(".esrok-progress__at");
  const count = progress.querySelector(".esrok-progress__count");
  const questions = [...form.querySelectorAll("fieldset.esrok-question")];
  const total = questions.length;
  const picked = {};   // question id -> {"service", "kind", "name"}
  const counts = () => ({ answered: Object.keys(answersOf(form, picked)).length, total });
  const isOpen = (fs) => !fs.querySelector("input:checked") && !picked[fs.id.replace(/^q-/, "")];

  let last = -1;   // the question focus was last in (focus on the button keeps it)
  function update() {
    const here = questions.findIndex((fs) => fs.contains(document.activeElement));
    if (here >= 0) last = here;
    const firstOpen = questions.findIndex(isOpen);
    const current = last >= 0 ? last : firstOpen >= 0 ? firstOpen : 0;
    const { answered } = counts();
    at.textContent = `Question ${current + 1} of ${total}`;   // two parts that each keep to one line
    count.textContent = `· ${answered} answered`;
    for (const fs of questions) fs.classList.toggle("esrok-current", fs === questions[current]);
  }
  form.addEventListener("focusin", update);
  form.addEventListener("change", update);
  update();

  function bindServiceQuestion(host, services) {
    const id = host.dataset.question;
    const fs = host.closest("fieldset");
    services.picker().then((createServicePicker) => {
      let catalogue = null;
      const picker = createServicePicker(host, {
        load: () => services.load().then((cat) => { catalogue = cat; return cat; }),
        onChange: ({ service, label }) => {
          if (service) {
            picked[id] = { service: service.domain, kind: services.kindOf(catalogue, service), name: label };
            for (const r of fs.querySelectorAll("input[type=radio]:checked")) r.checked = false;
          } else {
            delete picked[id];
          }
          update();
        },
      });
      // A radio chosen after a pick replaces it (the picker's own input is not a radio).
      fs.addEventListener("change", (ev) => {
        if (ev.target.type === "radio" && ev.target.checked) picker.clear();
      });
      // Enter in the field picks the active option (the picker's own handler) and never submits the form.
      host.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && ev.target === picker.input) ev.preventDefault(); });
      // Shown behind a one-line button; opening it moves focus into the field.
      const open = fs.querySelector("[data-service-open]");
      open.setAttribute("aria-controls", host.id = `${fs.id}-service`);
      open.addEventListener("click", () => {
        host.hidden = false;
        open.setAttribute("aria-expanded", "true");
        open.parentElement.hidden = true;
        picker.input.focus();
      });
      open.parentElement.hidden = false;
      host.dataset.ready = "yes";
    }, () => { host.hidden = true; });   // without the picker the radios still answer
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    mark("esrok:submit");
    onSubmit(answersOf(form, picked), counts()).then(() => {
      mark("esrok:result");
      const heading = ui.$("esrok-results-heading");
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }, () => {});
  });

  return {
    bindServices(services) {
      for (const host of form.querySelectorAll("[data-service-host]")) bindServiceQuestion(host, services);
    },
  };
}
