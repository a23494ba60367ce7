// @ts-check
/**
 * Steady Ground quiz: the browser side of Quiz.
 *
 * Grading runs here, from the question data in the widget state, so the quiz
 * works in the static book with no kernel. With a kernel, Check also sends
 * the answers to Python, which keeps them in the learner's store. The saved
 * answers in the model are shown until the learner first acts; after that the
 * page owns them, so a late reply from Python never undoes a click.
 * All text is set with textContent, never as HTML.
 */

/** @typedef {{text: string, correct: boolean, feedback: string}} Option */
/** @typedef {{id: string, text: string, multiple: boolean, options: Option[]}} Question */
/** @typedef {{kind: "yes"|"no"|"missed"|"none", option?: Option}} Line */

const LABELS = { yes: "Matches the course.", no: "Not quite.", missed: "Also worth picking:", none: "" };
const MARKS = { yes: "✓", no: "•", missed: "+", none: "" };

/**
 * Feedback for one question: every picked option, then (multiple choice) any right one missed.
 * @param {Question} q @param {Set<number>} picked
 * @returns {{matched: boolean, lines: Line[]}}
 */
export function grade(q, picked) {
  /** @type {Line[]} */
  const lines = [];
  q.options.forEach((option, i) => { if (picked.has(i)) lines.push({ kind: option.correct ? "yes" : "no", option }); });
  if (q.multiple && picked.size) {
    q.options.forEach((option, i) => { if (option.correct && !picked.has(i)) lines.push({ kind: "missed", option }); });
  }
  if (!picked.size) lines.push({ kind: "none" });
  const matched = picked.size > 0 && q.options.every((o, i) => o.correct === picked.has(i));
  return { matched, lines };
}

/** The kind one-line result (Python's summary() says the same). @param {number} matched @param {number} total */
export function summary(matched, total) {
  return matched === total
    ? `All ${total} matched the course. Nice work.`
    : `${matched} of ${total} matched the course. Feel free to look again.`;
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("quiz");
  const book = isBook();
  /** @type {Question[]} */
  const questions = model.get("questions");
  /** @type {Map<string, Set<number>>} */
  const picks = new Map(questions.map((q) => [q.id, new Set()]));
  let touched = false;  // once the learner acts, the page owns the answers

  const root = h("div", { class: "sg-widget sg-quiz", role: "group", "aria-label": "Knowledge check" });
  root.append(h("p", { class: "sg-note" },
    "Pick the answers you think fit, then press Check. This is not a test, and there is nothing to pass." +
    (book ? " On this read-only page your answers are not saved." : "")));

  /** @type {Array<{q: Question, inputs: HTMLInputElement[], feedback: HTMLElement}>} */
  const parts = questions.map((q, n) => {
    const set = h("fieldset", { class: "sg-quiz-question" });
    const legend = h("legend", { dir: "auto" }, `${n + 1}. ${q.text}`);
    if (q.multiple) legend.append(h("span", { class: "sg-quiz-hint" }, " (Pick all that fit.)"));
    set.append(legend);
    const inputs = q.options.map((option, i) => {
      const inputId = `${id}-q${n}-o${i}`;
      const row = h("div", { class: "sg-quiz-option" });
      const input = /** @type {HTMLInputElement} */ (h("input", {
        type: q.multiple ? "checkbox" : "radio", name: `${id}-q${n}`, id: inputId, value: String(i),
      }));
      row.append(input, h("label", { for: inputId, dir: "auto" }, option.text));
      set.append(row);
      return input;
    });
    const feedback = h("div", { class: "sg-quiz-feedback" });
    feedback.hidden = true;
    set.append(feedback);
    root.append(set);
    return { q, inputs, feedback };
  });

  const actions = h("div", { class: "sg-quiz-actions" });
  const check = /** @type {HTMLButtonElement} */ (h("button", { type: "button" }, "Check"));
  const again = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "sg-secondary" }, "Try again"));
  again.hidden = true;
  actions.append(check, again);
  const result = h("p", { role: "status", class: "sg-quiz-result" });
  const status = h("p", { role: "status", class: "sg-note sg-quiz-status" });
  root.append(actions, result, status);
  el.append(root);

  /** Draw the feedback of one question. @param {typeof parts[number]} part @returns {boolean} matched */
  const showFeedback = ({ q, feedback }) => {
    const { matched, lines } = grade(q, /** @type {Set<number>} */ (picks.get(q.id)));
    const list = h("ul");
    for (const line of lines) {
      const item = h("li", { class: `sg-quiz-${line.kind}`, dir: "auto" });
      if (line.kind === "none") {
        item.textContent = "No answer picked. That is fine; you can come back to it.";
      } else if (line.option) {
        item.append(h("span", { class: "sg-quiz-mark", "aria-hidden": "true" }, MARKS[line.kind]),
          h("strong", {}, LABELS[line.kind]), ` “${line.option.text}”: ${line.option.feedback}`);
      }
      list.append(item);
    }
    feedback.replaceChildren(list);
    feedback.hidden = false;
    return matched;
  };

  const showAll = () => {
    const matched = parts.map(showFeedback).filter(Boolean).length;
    result.textContent = summary(matched, parts.length);
    again.hidden = false;
  };

  /** Show the answers kept in the model (the last saved ones) until the learner acts. */
  const fromModel = () => {
    if (touched) return;
    /** @type {Record<string, number[]>} */
    const saved = model.get("answers") || {};
    for (const part of parts) {
      const set = /** @type {Set<number>} */ (picks.get(part.q.id));
      set.clear();
      (saved[part.q.id] || []).forEach((i) => set.add(i));
      part.inputs.forEach((input, i) => { input.checked = set.has(i); });
      part.feedback.hidden = true;
    }
    if (model.get("checked")) showAll();
  };

  const onCheck = () => {
    touched = true;
    showAll();
    if (book) return;
    /** @type {Record<string, number[]>} */
    const answers = {};
    for (const [qid, set] of picks) if (set.size) answers[qid] = [...set].sort((a, b) => a - b);
    status.textContent = "Saving your answers…";
    status.classList.remove("sg-error");
    try {
      model.send({ type: "check", answers });
    } catch (err) {
      status.textContent = `Your answers were not saved: ${err}`;
      status.classList.add("sg-error");
    }
  };

  const onAgain = () => {
    touched = true;
    for (const part of parts) {
      picks.get(part.q.id)?.clear();
      part.inputs.forEach((input) => { input.checked = false; });
      part.feedback.hidden = true;
    }
    result.textContent = "Your answers are cleared. Take your time.";
    again.hidden = true;
    if (!book) model.send({ type: "clear" });
    parts[0]?.inputs[0]?.focus();
  };

  for (const part of parts) {
    part.inputs.forEach((input, i) => input.addEventListener("change", () => {
      touched = true;
      const set = /** @type {Set<number>} */ (picks.get(part.q.id));
      if (!part.q.multiple) set.clear();
      if (input.checked) set.add(i); else set.delete(i);
      part.feedback.hidden = true;  // the old feedback no longer fits this answer
    }));
  }
  check.addEventListener("click", onCheck);
  again.addEventListener("click", onAgain);

  const showStatus = () => {
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };
  model.on("change:status", showStatus);
  model.on("change:error", showStatus);
  // Python answers every check, so "Saving…" gives way even when its status text is unchanged.
  /** @param {any} msg */
  const onMsg = (msg) => { if (msg && msg.type === "done") showStatus(); };
  model.on("msg:custom", onMsg);
  model.on("change:answers", fromModel);
  model.on("change:checked", fromModel);
  fromModel();
  showStatus();
  // Voila may have run this notebook in a preheated kernel before the page was asked for:
  // ask for the saved answers again, so the latest ones show.
  if (!book) {
    try { model.send({ type: "load" }); } catch (err) { status.textContent = `Your earlier answers may not show: ${err}`; }
  }

  return () => {
    model.off("change:status", showStatus);
    model.off("change:error", showStatus);
    model.off("msg:custom", onMsg);
    model.off("change:answers", fromModel);
    model.off("change:checked", fromModel);
    root.remove();
  };
}

export default { render };
