// The quick check: plain HTML radios rendered at build time from the engine's questions (usable
// before Python is). This binds the progress line ("Question 4 of 17 · 3 answered"), sends the
// answers (only those given: a skipped question is never read as "no") and shows the result,
// moving focus to the result's heading.

import { mark } from "./dom.js";

export function answersOf(form) {
  const answers = {};
  for (const fs of form.querySelectorAll("fieldset.esrok-question")) {
    const checked = fs.querySelector("input[type=radio]:checked");
    if (checked) answers[checked.name] = checked.value;
  }
  return answers;
}

/**
 * Bind the form. `onSubmit(answers, counts)` runs the check and returns a promise that settles
 * once the result is shown.
 */
export function bindQuick(ui, onSubmit) {
  const form = ui.$("esrok-quick");
  const progress = ui.$("esrok-progress");
  const at = progress.querySelector(".esrok-progress__at");
  const count = progress.querySelector(".esrok-progress__count");
  const questions = [...form.querySelectorAll("fieldset.esrok-question")];
  const total = questions.length;
  const counts = () => ({ answered: Object.keys(answersOf(form)).length, total });

  let last = -1;   // the question focus was last in (focus on the button keeps it)
  function update() {
    const here = questions.findIndex((fs) => fs.contains(document.activeElement));
    if (here >= 0) last = here;
    const firstOpen = questions.findIndex((fs) => !fs.querySelector("input:checked"));
    const current = last >= 0 ? last : firstOpen >= 0 ? firstOpen : 0;
    const { answered } = counts();
    at.textContent = `Question ${current + 1} of ${total}`;   // two parts that each keep to one line
    count.textContent = `· ${answered} answered`;
    for (const fs of questions) fs.classList.toggle("esrok-current", fs === questions[current]);
  }
  form.addEventListener("focusin", update);
  form.addEventListener("change", update);
  update();

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    mark("esrok:submit");
    onSubmit(answersOf(form), counts()).then(() => {
      mark("esrok:result");
      const heading = ui.$("esrok-results-heading");
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }, () => {});
  });
}
