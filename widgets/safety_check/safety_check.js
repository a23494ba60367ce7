// @ts-check
/**
 * Steady Ground private check for two: the browser side of SafetyCheck.
 *
 * Python says which view to show ("unchecked", "open", "closed", "turn",
 * "answered", "elsewhere"), as the value of each action's reply, and in a
 * {"type": "view"} message when the gate changes elsewhere on the page. Between
 * turns the page adds its own screens: "thanks" (still the person's own turn,
 * the same for everyone) and "handover". The answers leave the page once, in
 * one request, and the form is emptied before anything else is drawn. Nothing
 * here depends on what anyone answered. All text is set with textContent. In
 * the static book (no kernel) it prints a short note.
 */

const TITLE = "A private check for two";
const INTRO = "Before the couples parts, each of you answers four short questions on your own, one at a time, " +
  "on this screen. It takes a few minutes. Your answers are never saved or shown to anyone.";
const AGAIN = "In this module you take the check again, even if you took it before.";
const ALONE = "Answer on your own, where your partner cannot see the screen. Your partner answers the same questions on their turn.";
const PRIVATE = "There are no right answers. This is not a test or a diagnosis. Your answers are never saved. " +
  "At the end you both see one result, open or closed, never anyone's answers. If you would rather not answer, " +
  "choose \"Not today\": it closes couples exercises, and no reason is asked or shown.";
const THANKS = [
  "Thank you. Your answers are gone from this screen, and they are never saved.",
  "If anyone is hurting, threatening, controlling or scaring you, couples exercises are not a good idea right now. " +
    "That is not your fault, and your partner is not told why. The solo parts of the course are always open to you.",
  "If there is a lot of tension and arguing is very hard, a couples therapist is a good place to start.",
  "These lines are free and private, any time:",
];
const LEAVE = "To leave this page fast, press Leave now at the top, or press Shift three times on its own.";
const NOT_ANSWERING = "The course app is not answering. Please reload the page.";

/**
 * What one view of the panel works with. `shownTurn` is the turn whose form is on screen ("turn-1").
 * @typedef {{model: AnyModel, id: string, root: HTMLElement, body: HTMLElement, line: StatusLine,
 *   questions: any[], shownTurn: string}} Panel
 */

/**
 * Printable note for the read-only book: what the check asks, no answer boxes.
 * @param {HTMLElement} root @param {any[]} questions
 */
function bookNote(root, questions) {
  const w = /** @type {any} */ (window);
  if (w.sgBookCheckShown) { // printed once per page; later panels point back to it
    root.append(h("p", {}, "In the course app, the private check for two comes first here too (its questions are above on this page)."));
    return;
  }
  w.sgBookCheckShown = true;
  root.append(h("p", {}, "In the course app, the couples parts open only after each partner answers these questions " +
    "alone, on their own turn. Answers are never saved. If any of them worry you, talk to a counselor, or call the " +
    "National Domestic Violence Hotline (the help links are at the top of the page)."));
  const list = h("ol", { class: "sg-safety-book-questions" });
  for (const q of questions) {
    const item = h("li", {}, q.text);
    item.append(h("span", { class: "sg-note" }, ` (${q.options.map((/** @type {string[]} */ o) => o[1]).join(" / ")})`));
    list.append(item);
  }
  root.append(list);
}

/**
 * Ask Python for a step; show the view it answers with. A problem is said on the status line
 * (Python puts it in the reply, never in a synced trait).
 * @param {Panel} panel @param {string} name @param {Record<string, any>} [args]
 */
async function act(panel, name, args = {}) {
  const reply = await request(panel.model, name, args, { slow: () => panel.line.say(NOT_ANSWERING, true) });
  if (reply.ok) panel.line.say("");
  else panel.line.say(reply.error || NOT_ANSWERING, true);
  if (reply.value) show(panel, reply.value);
}

/** @param {Panel} panel @param {string} text @param {() => void} onClick @param {string} [cls] */
function actionButton(panel, text, onClick, cls = "") {
  const b = button(text, cls);
  b.addEventListener("click", guard(panel.line, onClick));
  return b;
}

/**
 * Replace the panel's content; move focus to its heading when focus was inside.
 * @param {Panel} panel @param {string} heading @param {(HTMLElement | string)[]} parts
 */
function screen(panel, heading, parts) {
  const { root, body, id } = panel;
  const focus = root.contains(document.activeElement) && document.activeElement !== document.body;
  body.replaceChildren();
  const title = h("h4", { id: `${id}-screen`, tabindex: "-1" }, heading);
  body.append(title, ...parts);
  if (focus) title.focus();
}

// -- one person's turn -----------------------------------------------------------

/** One question's fieldset. @param {Panel} panel @param {number} turn @param {any} q @param {number} n */
function buildQuestion(panel, turn, q, n) {
  const set = h("fieldset", { class: "sg-safety-question" });
  set.append(h("legend", {}, `${n + 1}. ${q.text}`));
  for (const [value, label] of q.options) {
    const row = h("div", { class: "sg-safety-option" });
    const inputId = `${panel.id}-t${turn}-${q.id}-${value}`;
    row.append(h("input", { type: "radio", name: `${panel.id}-t${turn}-${q.id}`, value, id: inputId }),
      h("label", { for: inputId }, label));
    set.append(row);
  }
  return set;
}

/**
 * "Done": every question answered, the form emptied, then the answers leave the page in one request.
 * @param {Panel} panel @param {number} turn @param {HTMLFormElement} form @param {HTMLElement[]} sets
 */
function submitTurn(panel, turn, form, sets) {
  /** @type {Record<string, string>} */ const answers = {};
  /** @type {number[]} */ const missing = [];
  panel.questions.forEach((q, n) => {
    const picked = /** @type {HTMLInputElement | null} */ (sets[n].querySelector("input:checked"));
    if (picked) answers[q.id] = picked.value;
    else missing.push(n + 1);
  });
  if (missing.length) {
    const which = missing.length === 1 ? `question ${missing[0]}` : `questions ${missing.join(", ")}`;
    panel.line.say(`Please answer ${which} too. Take your time.`);
    /** @type {HTMLElement | null} */ (sets[missing[0] - 1].querySelector("input"))?.focus();
    return;
  }
  form.reset(); // the answers leave the screen before they leave the page
  panel.line.say("");
  act(panel, "answer", { turn, answers });
}

/** One person's turn: the questions, "Done" and "Not today". @param {Panel} panel @param {number} turn */
function buildTurnForm(panel, turn) {
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "sg-safety-form", novalidate: "" }));
  form.append(h("p", { class: "sg-warn" }, ALONE), h("p", { class: "sg-note" }, PRIVATE));
  const sets = panel.questions.map((q, n) => buildQuestion(panel, turn, q, n));
  form.append(...sets);
  const actions = h("div", { class: "sg-safety-actions" });
  const done = button("Done: clear my answers from the screen");
  done.type = "submit";
  const skip = actionButton(panel, "Not today: close couples exercises", () => {
    form.reset();
    panel.line.say("");
    act(panel, "answer", { turn, answers: null });
  }, "sg-secondary");
  actions.append(done, skip);
  form.append(actions);
  form.addEventListener("submit", guard(panel.line, (/** @type {Event} */ event) => {
    event.preventDefault();
    submitTurn(panel, turn, form, sets);
  }));
  return form;
}

/** @param {Panel} panel @param {number} turn */
function showTurn(panel, turn) {
  panel.shownTurn = `turn-${turn}`;
  screen(panel, `Turn ${turn} of 2`, [buildTurnForm(panel, turn)]);
}

// -- between the turns ---------------------------------------------------------

/** The screen after a turn: the same words for everyone, whatever they answered. @param {Panel} panel @param {number} turn */
function showThanks(panel, turn) {
  const next = actionButton(panel, "Clear the screen", () => (turn === 1 ? showHandover(panel) : showTogether(panel)));
  const help = h("div", { class: "sg-safety-help" });
  help.append(...THANKS.map((text) => h("p", {}, text)), resourceList(panel.model.get("resources")),
    h("p", { class: "sg-note" }, LEAVE));
  screen(panel, `Turn ${turn} of 2 is done`, [help, next]);
}

/** @param {Panel} panel */
function showHandover(panel) {
  const start = actionButton(panel, "I'm the second partner: start my turn", () => showTurn(panel, 2));
  screen(panel, "Hand the screen to your partner", [
    h("p", {}, "Now it is your partner's turn. Give them the screen and a few minutes alone with it."), start]);
}

/** @param {Panel} panel */
function showTogether(panel) {
  const see = actionButton(panel, "See the result", () => act(panel, "finish"));
  screen(panel, "Both of you have answered", [h("p", {}, "Sit together and look at the result."), see]);
}

// -- the panel's state ---------------------------------------------------------

/** Unchecked, open or closed (also the shared result). @param {Panel} panel @param {any} view */
function showGate(panel, view) {
  const heading = view.result ? "The check is done" : "Couples exercises";
  const text = h("p", { class: "sg-safety-text" }, view.text);
  const start = (/** @type {string} */ label) => actionButton(panel, label, () => { panel.line.say(""); act(panel, "start"); });
  if (view.view === "open") {
    const close = actionButton(panel, "Close couples exercises for now", () => { panel.line.say(""); act(panel, "close_couples"); }, "sg-secondary");
    const again = start("Take the check again");
    again.classList.add("sg-secondary");
    const row = h("div", { class: "sg-safety-actions" });
    row.append(close, again);
    return screen(panel, heading, [text, row]);
  }
  if (view.view === "closed") return screen(panel, heading, [text, h("p", { class: "sg-note" }, view.note || "")]);
  const intro = [h("p", {}, INTRO)];
  if (panel.model.get("ask_again")) intro.push(h("p", { class: "sg-note" }, AGAIN));
  return screen(panel, heading, [...intro, start("Start the check")]);
}

/** Draw what Python says to show. @param {Panel} panel @param {any} view */
function show(panel, view) {
  if (view.done) return showThanks(panel, view.done);
  if (view.view === "turn") {
    // Turn 2's form is drawn by the handover screen; a late or repeated view must not redraw a form being filled in.
    if (panel.shownTurn === `turn-${view.turn}` && panel.body.querySelector("form")) return;
    if (view.turn === 1) return showTurn(panel, 1);
    panel.shownTurn = `turn-${view.turn}`;
    return showHandover(panel);
  }
  panel.shownTurn = "";
  if (view.view === "answered") return showTogether(panel);
  if (view.view === "elsewhere") return screen(panel, TITLE, [h("p", {}, "A check for two is going on in another panel on this page.")]);
  return showGate(panel, view);
}

/** The gate changed elsewhere on the page (a couples widget closed it). @param {Panel} panel */
function bind(panel) {
  return listen(panel.model, {
    "msg:custom": guard(panel.line, (/** @type {any} */ msg) => {
      if (msg && typeof msg === "object" && msg.type === "view") show(panel, msg);
    }),
  });
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("safety");
  const root = h("section", { class: "sg-widget sg-safety-check", "aria-labelledby": `${id}-title` });
  root.append(h("h3", { id: `${id}-title` }, TITLE));
  el.append(root);
  /** @type {any[]} */
  const questions = model.get("questions");
  if (isBook()) {
    bookNote(root, questions);
    return () => root.remove();
  }
  const body = h("div", { class: "sg-safety-body" });
  const line = statusLine(model, "sg-safety-status");
  root.append(body, line.el);
  /** @type {Panel} */
  const panel = { model, id, root, body, line, questions, shownTurn: "" };
  const unbind = bind(panel);
  screen(panel, TITLE, [h("p", { class: "sg-note" }, "Loading…")]);
  act(panel, "refresh");
  return () => {
    unbind();
    line.dispose();
    root.remove();
  };
}

export default { render };
