// @ts-check
/**
 * Steady Ground quiz: the browser side of Quiz.
 *
 * Grading runs here, from the question data in the widget state, so the quiz
 * works in the static book with no kernel. With a kernel, Check also asks the
 * `check` action to keep the answers in the learner's store. The saved
 * answers in the model are shown until the learner first acts; after that the
 * page owns them, so a late reply from Python never undoes a click.
 * All text is set with textContent, never as HTML.
 */

/** @typedef {{text: string, correct: boolean, feedback: string}} Option */
/** @typedef {{id: string, text: string, multiple: boolean, options: Option[]}} Question */
/** @typedef {{kind: "yes"|"no"|"missed"|"none", option?: Option}} Line */
/** @typedef {{q: Question, inputs: HTMLInputElement[], feedback: HTMLElement}} Part */
/**
 * @typedef {{root: HTMLElement, parts: Part[], check: HTMLButtonElement, again: HTMLButtonElement,
 *   result: HTMLElement}} QuizView
 */

const LABELS = { yes: "Matches the course.", no: "Not quite.", missed: "Also worth picking:", none: "" };
const MARKS = { yes: "✓", no: "•", missed: "+", none: "" };
const SAVING = "Saving your answers…";
const NO_SAVE_REPLY = "The course app is not answering, so your answers may not be saved yet. " +
  "Your picks are still on this page.";

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

// -- build: the elements, once

/**
 * One question: a fieldset with its legend, an input per option and a hidden feedback box.
 * @param {Question} q @param {number} n its index @param {string} id the quiz's element id prefix
 * @returns {{set: HTMLElement, part: Part}}
 */
function buildQuestion(q, n, id) {
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
  return { set, part: { q, inputs, feedback } };
}

/**
 * The whole quiz: the note, every question, Check and Try again, the result line.
 * @param {Question[]} questions @param {boolean} book
 * @returns {QuizView}
 */
function buildQuiz(questions, book) {
  const id = newId("quiz");
  const root = h("div", { class: "sg-widget sg-quiz", role: "group", "aria-label": "Knowledge check" });
  root.append(h("p", { class: "sg-note" },
    "Pick the answers you think fit, then press Check. This is not a test, and there is nothing to pass." +
    (book ? " On this read-only page your answers are not saved." : "")));
  const parts = questions.map((q, n) => {
    const { set, part } = buildQuestion(q, n, id);
    root.append(set);
    return part;
  });
  const actions = h("div", { class: "sg-quiz-actions" });
  const check = button("Check");
  const again = button("Try again", "sg-secondary");
  again.hidden = true;
  actions.append(check, again);
  const result = h("p", { role: "status", class: "sg-quiz-result" });
  root.append(actions, result);
  return { root, parts, check, again, result };
}

// -- update: what the elements show

/**
 * Draw the feedback of one question for the picked options.
 * @param {Part} part @param {Set<number>} picked
 * @returns {boolean} whether the picks match the course
 */
function updateFeedback({ q, feedback }, picked) {
  const { matched, lines } = grade(q, picked);
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
}

/**
 * Tick the inputs of one question to match the picked options; its feedback no longer fits, so it hides.
 * @param {Part} part @param {Set<number>} picked
 */
function updateInputs({ inputs, feedback }, picked) {
  inputs.forEach((input, i) => { input.checked = picked.has(i); });
  feedback.hidden = true;
}

/**
 * The learner's picks, as the `check` action takes them: {question id: [option index, ...]}.
 * @param {Map<string, Set<number>>} picks
 */
function answersOf(picks) {
  /** @type {Record<string, number[]>} */
  const answers = {};
  for (const [qid, set] of picks) if (set.size) answers[qid] = [...set].sort((a, b) => a - b);
  return answers;
}

// -- bind: events

/**
 * Call `onPick(part, option index, checked)` when the learner changes an input.
 * @param {Part[]} parts @param {(part: Part, i: number, checked: boolean) => void} onPick
 * @returns {() => void} removes the listeners
 */
function bindInputs(parts, onPick) {
  /** @type {Array<[HTMLInputElement, () => void]>} */
  const bound = [];
  for (const part of parts) {
    part.inputs.forEach((input, i) => {
      const fn = () => onPick(part, i, input.checked);
      input.addEventListener("change", fn);
      bound.push([input, fn]);
    });
  }
  return () => { for (const [input, fn] of bound) input.removeEventListener("change", fn); };
}

/** @param {RenderContext} ctx */
function render({ model, el }) {
  const book = isBook();
  /** @type {Question[]} */
  const questions = model.get("questions");
  const view = buildQuiz(questions, book);
  const line = statusLine(model, "sg-note sg-quiz-status");
  view.root.append(line.el);
  el.append(view.root);

  /** @type {Map<string, Set<number>>} */
  const picks = new Map(questions.map((q) => [q.id, new Set()]));
  /** @param {Part} part */
  const picked = (part) => /** @type {Set<number>} */ (picks.get(part.q.id));
  let touched = false;  // once the learner acts, the page owns the answers

  const showAll = () => {
    const matched = view.parts.map((part) => updateFeedback(part, picked(part))).filter(Boolean).length;
    view.result.textContent = summary(matched, view.parts.length);
    view.again.hidden = false;
  };

  /** Show the answers kept in the model (the last saved ones) until the learner acts. */
  const fromModel = () => {
    if (touched) return;
    /** @type {Record<string, number[]>} */
    const saved = model.get("answers") || {};
    for (const part of view.parts) {
      const set = picked(part);
      set.clear();
      (saved[part.q.id] || []).forEach((i) => set.add(i));
      updateInputs(part, set);
    }
    if (model.get("checked")) showAll();
  };

  const onPick = guard(line, /** @param {Part} part @param {number} i @param {boolean} on */ (part, i, on) => {
    touched = true;
    const set = picked(part);
    if (!part.q.multiple) set.clear();
    if (on) set.add(i); else set.delete(i);
    part.feedback.hidden = true;  // the old feedback no longer fits this answer
  });

  const onCheck = guard(line, () => {
    touched = true;
    showAll();
    if (book) return;
    ask(model, line, "check", { answers: answersOf(picks) }, { pending: SAVING, noReply: NO_SAVE_REPLY })
      .then((reply) => { if (reply.local) line.say(`Your answers were not saved: ${reply.error}`, true); });
  });

  const onAgain = guard(line, () => {
    touched = true;
    for (const part of view.parts) {
      picked(part).clear();
      updateInputs(part, picked(part));
    }
    view.result.textContent = "Your answers are cleared. Take your time.";
    view.again.hidden = true;
    if (!book) request(model, "clear");
    view.parts[0]?.inputs[0]?.focus();
  });

  const unbindInputs = bindInputs(view.parts, onPick);
  view.check.addEventListener("click", onCheck);
  view.again.addEventListener("click", onAgain);
  const stop = listen(model, { "change:answers": fromModel, "change:checked": fromModel });
  fromModel();
  // Voila may have run this notebook in a preheated kernel before the page was asked for:
  // ask for the saved answers again, so the latest ones show.
  if (!book) {
    request(model, "refresh").then((reply) => {
      if (reply.local) line.say(`Your earlier answers may not show: ${reply.error}`, true);
    });
  }

  return () => {
    stop();
    unbindInputs();
    view.check.removeEventListener("click", onCheck);
    view.again.removeEventListener("click", onAgain);
    line.dispose();
    view.root.remove();
  };
}

export default { render };
