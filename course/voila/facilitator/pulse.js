// @ts-check
// The room pulse: ask one closed question at a time (a preset 0-10 gauge or your own
// question with 2-5 answers), see only how many answered while it is open, then,
// once closed, how many picked each answer (a table with bars) and the median, or
// "Too few answers to show". Counts only: the server never sends more.

/** @typedef {import("./api.js").RoomState} RoomState */
/** @typedef {import("./api.js").Pulse} Pulse */
/** @typedef {{question: string, kind: "gauge"} | {question: string, kind: "choice", options: string[]}} Question */

export const QUESTION_MAX = 120;
export const OPTION_MAX = 40;
export const OPTIONS_MIN = 2;

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The facilitator page has no #${id}`);
  return el;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} text
 * @param {string} [className]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function make(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** @param {number} n */
const answeredText = (n) => `${n} answered`;

/**
 * Check a custom question as the server will; the problem in plain words and the field it is in.
 * @param {string} question
 * @param {string[]} options what is typed in each answer field (empty ones are skipped)
 * @returns {{ok: true, value: Question} | {ok: false, message: string, field: number}}
 *   field: -1 the question, 0.. an answer field
 */
export function checkQuestion(question, options) {
  const text = question.trim();
  if (!text) return { ok: false, message: "Write a question first.", field: -1 };
  if (text.length > QUESTION_MAX) {
    return { ok: false, message: `Keep the question to ${QUESTION_MAX} characters or fewer.`, field: -1 };
  }
  const filled = options.map((o, i) => ({ text: o.trim(), i })).filter((o) => o.text);
  if (filled.length < OPTIONS_MIN) {
    const empty = options.findIndex((o) => !o.trim());
    return { ok: false, message: "Give at least 2 answers people can pick.", field: empty < 0 ? 0 : empty };
  }
  const long = filled.find((o) => o.text.length > OPTION_MAX);
  if (long) return { ok: false, message: `Keep each answer to ${OPTION_MAX} characters or fewer.`, field: long.i };
  const seen = new Set();
  for (const o of filled) {
    const key = o.text.toLowerCase();
    if (seen.has(key)) return { ok: false, message: "Each answer must be different.", field: o.i };
    seen.add(key);
  }
  return { ok: true, value: { question: text, kind: "choice", options: filled.map((o) => o.text) } };
}

/**
 * The histogram of a closed question: one row per answer with a bar and the number.
 * @param {Pulse} pulse
 * @param {number[]} counts
 * @returns {HTMLTableElement}
 */
export function histogram(pulse, counts) {
  const table = document.createElement("table");
  table.className = `fa-hist fa-hist--${pulse.kind}`;
  const caption = make("caption", `How many people picked each answer to "${pulse.question}"`, "sg-visually-hidden");
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const name of ["Answer", "People"]) {
    const th = make("th", name);
    th.scope = "col";
    headRow.append(th);
  }
  head.append(headRow);
  const body = document.createElement("tbody");
  const most = Math.max(1, ...counts);
  pulse.options.forEach((option, i) => {
    const count = counts[i] || 0;
    const row = document.createElement("tr");
    const label = make("th", option);
    label.scope = "row";
    const cell = document.createElement("td");
    const bar = make("span", "", "fa-bar");
    bar.setAttribute("aria-hidden", "true");
    bar.style.setProperty("--share", String(count / most));
    const line = make("div", "", "fa-bar-row");
    line.append(bar, make("span", String(count), "fa-count"));
    cell.append(line);
    row.append(label, cell);
    body.append(row);
  });
  table.append(caption, head, body);
  return table;
}

/**
 * @typedef {{ask: (q: Question) => Promise<boolean | string>, close: () => Promise<boolean | string>}} PulseActions
 *   each resolves true when done, or to the server's message when it refused
 */

export class PulsePanel {
  /** @param {PulseActions} actions */
  constructor(actions) {
    this.actions = actions;
    this.els = {
      ask: byId("fa-pulse-ask"),
      presets: byId("fa-presets"),
      form: /** @type {HTMLFormElement} */ (byId("fa-custom")),
      question: /** @type {HTMLInputElement} */ (byId("fa-question")),
      options: /** @type {HTMLInputElement[]} */ ([...document.querySelectorAll("#fa-options input")]),
      error: byId("fa-custom-error"),
      submit: /** @type {HTMLButtonElement} */ (byId("fa-ask")),
      ended: byId("fa-pulse-ended"),
      open: byId("fa-pulse-open"),
      openQuestion: byId("fa-open-question"),
      openChoices: byId("fa-open-choices"),
      answered: byId("fa-answered"),
      close: /** @type {HTMLButtonElement} */ (byId("fa-close")),
      result: byId("fa-pulse-result"),
      resultHeading: byId("fa-result-h"),
      resultQuestion: byId("fa-result-question"),
      resultBody: byId("fa-result-body"),
    };
    this.presetsText = "";
    this.resultText = "";
    this.busy = false;
    this.els.question.maxLength = QUESTION_MAX;
    for (const field of this.els.options) field.maxLength = OPTION_MAX;
    this.els.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.askCustom();
    });
    this.els.close.addEventListener("click", () => this.run(() => this.actions.close(), this.els.resultHeading));
  }

  /**
   * Run one request with the panel's buttons off; show the server's refusal under the form.
   * @param {() => Promise<boolean | string>} request
   * @param {HTMLElement} [after] the element to give focus back to
   */
  async run(request, after) {
    if (this.busy) return false;
    this.busy = true;
    this.setBusy(true);
    let outcome;
    try {
      outcome = await request();
    } finally {
      this.busy = false;
      this.setBusy(false);
    }
    if (typeof outcome === "string") this.showError(outcome, null);
    if (outcome === true && after && after.isConnected && !after.closest("[hidden]")) after.focus();
    return outcome === true;
  }

  /** @param {boolean} busy */
  setBusy(busy) {
    for (const button of this.els.ask.querySelectorAll("button")) button.disabled = busy;
    this.els.close.disabled = busy;
  }

  /**
   * @param {string} message
   * @param {HTMLInputElement | null} field
   */
  showError(message, field) {
    const { error, question, options } = this.els;
    error.textContent = message;
    for (const input of [question, ...options]) {
      if (input === field) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    if (field) field.focus();
  }

  async askCustom() {
    const { question, options } = this.els;
    const checked = checkQuestion(question.value, options.map((o) => o.value));
    if (!checked.ok) {
      this.showError(checked.message, checked.field < 0 ? question : options[checked.field]);
      return;
    }
    this.showError("", null);
    if (await this.run(() => this.actions.ask(checked.value), this.els.close)) {
      question.value = "";
      for (const o of options) o.value = "";
    }
  }

  /** @param {RoomState} state */
  drawPresets(state) {
    const text = JSON.stringify(state.presets);
    if (text === this.presetsText) return;
    this.presetsText = text;
    this.els.presets.replaceChildren(...state.presets.map((preset) => {
      const button = make("button", preset.question, "fa-preset");
      button.type = "button";
      button.addEventListener("click", () => {
        this.showError("", null);
        this.run(() => this.actions.ask({ question: preset.question, kind: "gauge" }), this.els.close);
      });
      const item = document.createElement("li");
      item.append(button);
      return item;
    }));
  }

  /** @param {RoomState} state */
  show(state) {
    const { els } = this;
    const pulse = state.pulse;
    const open = Boolean(pulse && pulse.open);
    this.drawPresets(state);
    els.ask.hidden = open || state.ended;
    els.ended.hidden = !state.ended;
    els.open.hidden = !open;
    if (pulse && open) {
      els.openQuestion.textContent = pulse.question;
      els.openChoices.textContent = pulse.kind === "gauge" ? "Answers from 0 to 10."
        : `Answers: ${pulse.options.join(" · ")}.`;
      els.answered.textContent = answeredText(pulse.answered);
    }
    const result = pulse && !pulse.open ? pulse.result : null;
    els.result.hidden = !(pulse && result);
    if (!pulse || !result) {
      this.resultText = "";
      return;
    }
    const text = JSON.stringify([pulse.id, pulse.question, pulse.options, pulse.answered, result, state.threshold]);
    if (text === this.resultText) return;
    this.resultText = text;
    els.resultQuestion.textContent = pulse.question;
    const parts = [];
    if (result.shown && result.counts) {
      parts.push(make("p", answeredText(pulse.answered), "fa-result-answered"));
      parts.push(histogram(pulse, result.counts));
      if (result.median !== null && result.median !== undefined) {
        parts.push(make("p", `Median (the middle answer): ${result.median}`, "fa-median"));
      }
    } else {
      parts.push(make("p", result.message || "Too few answers to show", "fa-too-few"));
      parts.push(make("p", `Results show only when at least ${state.threshold} people answer, `
        + "so no one's answer can be picked out.", "fa-note"));
    }
    els.resultBody.replaceChildren(...parts);
  }
}
