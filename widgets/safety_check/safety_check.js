// @ts-check
/**
 * Steady Ground private safety check: the browser side of SafetyCheck.
 *
 * Four questions, each a fieldset of radio buttons. The answers leave the page
 * once, in one message to Python, and the form is then emptied: they are never
 * a widget trait, never shown back and never stored. Python answers with the
 * result only ("clear" or "concern"). All text is set with textContent.
 * In the static book (no kernel) the widget prints a short note instead.
 */

const NO_KERNEL_MS = 5000;
const ALONE = "Answer this on your own, where your partner cannot see the screen.";
const CLEAR = "Thank you for answering. Nothing you said closes the couples exercises. " +
  "You can stop any exercise at any time. If things change, you can take this check again.";

/**
 * Printable note for the read-only book: what the check asks, no answer boxes.
 * @param {HTMLElement} root @param {any[]} questions
 */
function bookNote(root, questions) {
  root.append(h("p", {}, "In the course app this check is private and answered on your own device. " +
    "Talk to a counselor or call the National Domestic Violence Hotline if any of these worry you."));
  const list = h("ol");
  for (const q of questions) {
    const item = h("li", {}, q.text);
    item.append(h("span", { class: "sg-note" }, ` (${q.options.map((/** @type {string[]} */ o) => o[1]).join(" / ")})`));
    list.append(item);
  }
  root.append(list);
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("safety");
  const root = h("section", { class: "sg-widget sg-safety-check", "aria-labelledby": `${id}-title` });
  root.append(h("h3", { id: `${id}-title` }, "A private safety check"));
  el.append(root);
  /** @type {any[]} */
  const questions = model.get("questions");
  if (isBook()) {
    bookNote(root, questions);
    return () => root.remove();
  }

  const form = /** @type {HTMLFormElement} */ (h("form", { class: "sg-safety-form", novalidate: "" }));
  form.append(h("p", { class: "sg-warn" }, ALONE),
    h("p", { class: "sg-note" }, "Your partner never sees your answers, and they are not saved. " +
      "This is not a test or a diagnosis. It only decides whether the couples exercises are a good idea right now."));
  const sets = questions.map((q, n) => {
    const set = h("fieldset", { class: "sg-safety-question" });
    set.append(h("legend", {}, `${n + 1}. ${q.text}`));
    for (const [value, label] of q.options) {
      const row = h("div", { class: "sg-safety-option" });
      const inputId = `${id}-${q.id}-${value}`;
      row.append(h("input", { type: "radio", name: `${id}-${q.id}`, value, id: inputId }),
        h("label", { for: inputId }, label));
      set.append(row);
    }
    form.append(set);
    return set;
  });
  const remember = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-remember` }));
  const rememberRow = h("div", { class: "sg-safety-option" });
  rememberRow.append(remember, h("label", { for: `${id}-remember` },
    "Remember my result on this device so I do not have to answer again"));
  const actions = h("div", { class: "sg-safety-actions" });
  const submit = h("button", { type: "submit" }, "See my result");
  const clearForm = h("button", { type: "button", class: "sg-secondary" }, "Clear my answers");
  actions.append(submit, clearForm);
  const status = h("p", { role: "status", class: "sg-safety-status" });
  form.append(rememberRow, actions);

  const result = h("div", { class: "sg-safety-result", hidden: "" });
  const resultTitle = h("h4", { id: `${id}-result`, tabindex: "-1" });
  const resultBody = h("div", { class: "sg-safety-result-body" });
  const clearResult = h("button", { type: "button", class: "sg-secondary" }, "Clear my answers");
  result.append(resultTitle, resultBody, clearResult);
  root.append(form, result, status);

  let noReply = 0;
  /** @param {string} text @param {boolean} [error] */
  const say = (text, error = false) => {
    status.textContent = text;
    status.classList.toggle("sg-error", error);
  };
  /** @param {object} msg */
  const send = (msg) => {
    window.clearTimeout(noReply);
    noReply = window.setTimeout(() => say("The course app is not answering. Please reload the page.", true), NO_KERNEL_MS);
    try {
      model.send(msg);
    } catch (err) {
      window.clearTimeout(noReply);
      say(`Something went wrong: ${err}`, true);
    }
  };

  /** @param {string} state @param {string} concern */
  const show = (state, concern) => {
    window.clearTimeout(noReply);
    resultBody.replaceChildren();
    // "unchecked" may arrive while someone is already answering (a slow first reply): keep their picks.
    if (state === "unchecked") {
      result.hidden = true;
      form.hidden = false;
      return;
    }
    form.reset(); // once there is a result, no answer stays checked on the page
    form.hidden = true;
    result.hidden = false;
    if (state === "concern") {
      resultTitle.textContent = "Thank you for answering";
      resultBody.append(h("p", {}, concern), h("p", {}, "If you want to talk to someone, these lines are free and private:"),
        resourceList(model.get("resources")));
    } else {
      resultTitle.textContent = "The couples exercises are open to you";
      resultBody.append(h("p", {}, CLEAR));
    }
  };

  const onSubmit = (/** @type {Event} */ event) => {
    event.preventDefault();
    const answers = /** @type {Record<string, string>} */ ({});
    const missing = [];
    questions.forEach((q, n) => {
      const picked = /** @type {HTMLInputElement | null} */ (sets[n].querySelector("input:checked"));
      if (picked) answers[q.id] = picked.value;
      else missing.push(n + 1);
    });
    if (missing.length) {
      const which = missing.length === 1 ? `question ${missing[0]}` : `questions ${missing.join(", ")}`;
      say(`Please answer ${which} too. Take your time; there is no right answer.`);
      /** @type {HTMLElement | null} */ (sets[missing[0] - 1].querySelector("input"))?.focus();
      return;
    }
    say("Checking…");
    send({ type: "submit", answers, remember: remember.checked });
  };
  const onClear = () => {
    form.reset();
    say("Your answers are cleared.");
    send({ type: "clear" });
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "error") {
      window.clearTimeout(noReply);
      say(msg.message, true);
    } else if (msg.type === "result") {
      const focus = root.contains(document.activeElement);
      const wasShowingResult = !result.hidden;
      show(msg.result, msg.concern);
      if (status.textContent === "Checking…") say("");
      // Move focus only when the view changes: a late "unchecked" reply to the first
      // "ready" must not pull someone back to question 1 while they are answering.
      if (!focus) return;
      if (msg.result !== "unchecked") resultTitle.focus();
      else if (wasShowingResult) /** @type {HTMLElement | null} */ (sets[0].querySelector("input"))?.focus();
    }
  };

  form.addEventListener("submit", onSubmit);
  clearForm.addEventListener("click", onClear);
  clearResult.addEventListener("click", onClear);
  model.on("msg:custom", onMsg);
  try {
    model.send({ type: "ready" }); // Python answers with the current result (e.g. a remembered one)
  } catch (err) {
    say(`Something went wrong: ${err}`, true);
  }

  return () => {
    window.clearTimeout(noReply);
    model.off("msg:custom", onMsg);
    root.remove();
  };
}

export default { render };
