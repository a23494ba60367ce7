// @ts-check
/**
 * Steady Ground private check for two: the browser side of SafetyCheck.
 *
 * Python says which view to show ("unchecked", "open", "closed", "turn",
 * "answered"); between turns the page adds its own screens: "thanks" (still
 * the person's own turn, the same for everyone) and "handover". The answers
 * leave the page once, in one message, and the form is emptied before anything
 * else is drawn. Nothing here depends on what anyone answered. All text is set
 * with textContent. In the static book (no kernel) it prints a short note.
 */

const NO_KERNEL_MS = 5000;
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

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
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
  const status = h("p", { role: "status", class: "sg-safety-status" });
  root.append(body, status);

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

  /**
   * Replace the panel's content; move focus to its heading when focus was inside.
   * @param {string} heading @param {(HTMLElement | string)[]} parts
   */
  const screen = (heading, parts) => {
    const focus = root.contains(document.activeElement) && document.activeElement !== document.body;
    body.replaceChildren();
    const title = h("h4", { id: `${id}-screen`, tabindex: "-1" }, heading);
    body.append(title, ...parts);
    if (focus) title.focus();
  };
  const closeButton = () => {
    const b = button("Close couples exercises for now", "sg-secondary");
    b.addEventListener("click", () => { say(""); send({ type: "close" }); });
    return b;
  };
  const startButton = (/** @type {string} */ label) => {
    const b = button(label);
    b.addEventListener("click", () => { say(""); send({ type: "start" }); });
    return b;
  };

  /** One person's turn: the questions, "Done" and "Not today". @param {number} turn */
  const turnForm = (turn) => {
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "sg-safety-form", novalidate: "" }));
    form.append(h("p", { class: "sg-warn" }, ALONE), h("p", { class: "sg-note" }, PRIVATE));
    const sets = questions.map((q, n) => {
      const set = h("fieldset", { class: "sg-safety-question" });
      set.append(h("legend", {}, `${n + 1}. ${q.text}`));
      for (const [value, label] of q.options) {
        const row = h("div", { class: "sg-safety-option" });
        const inputId = `${id}-t${turn}-${q.id}-${value}`;
        row.append(h("input", { type: "radio", name: `${id}-t${turn}-${q.id}`, value, id: inputId }),
          h("label", { for: inputId }, label));
        set.append(row);
      }
      form.append(set);
      return set;
    });
    const actions = h("div", { class: "sg-safety-actions" });
    const done = button("Done: clear my answers from the screen");
    done.type = "submit";
    const skip = button("Not today: close couples exercises", "sg-secondary");
    actions.append(done, skip);
    form.append(actions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      /** @type {Record<string, string>} */ const answers = {};
      /** @type {number[]} */ const missing = [];
      questions.forEach((q, n) => {
        const picked = /** @type {HTMLInputElement | null} */ (sets[n].querySelector("input:checked"));
        if (picked) answers[q.id] = picked.value;
        else missing.push(n + 1);
      });
      if (missing.length) {
        const which = missing.length === 1 ? `question ${missing[0]}` : `questions ${missing.join(", ")}`;
        say(`Please answer ${which} too. Take your time.`);
        /** @type {HTMLElement | null} */ (sets[missing[0] - 1].querySelector("input"))?.focus();
        return;
      }
      form.reset(); // the answers leave the screen before they leave the page
      say("");
      send({ type: "answer", turn, answers });
    });
    skip.addEventListener("click", () => {
      form.reset();
      say("");
      send({ type: "answer", turn, skip: true });
    });
    return form;
  };

  /** The screen after a turn: the same words for everyone, whatever they answered. @param {number} turn */
  const thanks = (turn) => {
    const next = button("Clear the screen");
    next.addEventListener("click", () => (turn === 1 ? handover() : together()));
    const help = h("div", { class: "sg-safety-help" });
    help.append(...THANKS.map((text) => h("p", {}, text)), resourceList(model.get("resources")), h("p", { class: "sg-note" }, LEAVE));
    screen(`Turn ${turn} of 2 is done`, [help, next]);
  };
  const handover = () => {
    const start = button("I'm the second partner: start my turn");
    start.addEventListener("click", () => { shownTurn = "turn-2"; screen("Turn 2 of 2", [turnForm(2)]); });
    screen("Hand the screen to your partner", [
      h("p", {}, "Now it is your partner's turn. Give them the screen and a few minutes alone with it."), start]);
  };
  const together = () => {
    const see = button("See the result");
    see.addEventListener("click", () => send({ type: "finish" }));
    screen("Both of you have answered", [h("p", {}, "Sit together and look at the result."), see]);
  };

  /** @type {string} */ let shownTurn = "";
  /** @param {any} msg */
  const show = (msg) => {
    window.clearTimeout(noReply);
    if (msg.done) return thanks(msg.done);
    if (msg.view === "turn") {
      // Turn 2's form is drawn by the handover screen; a late or repeated view must not redraw a form being filled in.
      const key = `turn-${msg.turn}`;
      if (shownTurn === key && body.querySelector("form")) return;
      shownTurn = key;
      if (msg.turn === 1) return screen("Turn 1 of 2", [turnForm(1)]);
      return handover();
    }
    shownTurn = "";
    if (msg.view === "answered") return together();
    if (msg.view === "elsewhere") return screen(TITLE, [h("p", {}, "A check for two is going on in another panel on this page.")]);
    const heading = msg.result ? "The check is done" : "Couples exercises";
    const text = h("p", { class: "sg-safety-text" }, msg.text);
    if (msg.view === "open") {
      const again = startButton("Take the check again");
      again.classList.add("sg-secondary");
      const row = h("div", { class: "sg-safety-actions" });
      row.append(closeButton(), again);
      return screen(heading, [text, row]);
    }
    if (msg.view === "closed") return screen(heading, [text, h("p", { class: "sg-note" }, msg.note || "")]);
    const intro = [h("p", {}, INTRO)];
    if (model.get("ask_again")) intro.push(h("p", { class: "sg-note" }, AGAIN));
    return screen(heading, [...intro, startButton("Start the check")]);
  };

  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "error") {
      window.clearTimeout(noReply);
      say(msg.message, true);
    } else if (msg.type === "view") {
      show(msg);
    }
  };
  model.on("msg:custom", onMsg);
  screen(TITLE, [h("p", { class: "sg-note" }, "Loading…")]);
  send({ type: "ready" });

  return () => {
    window.clearTimeout(noReply);
    model.off("msg:custom", onMsg);
    root.remove();
  };
}

export default { render };
