// @ts-check
/**
 * Steady Ground 5-4-3-2-1 grounding: the browser side of Grounding.
 *
 * One step at a time; focus moves to each step's heading. What the learner
 * types stays in this page. It is sent to Python (and saved to the journal)
 * only when they tick the box at the end. In the static book
 * (html[data-sg-channel="book"]) there is no kernel: the exercise runs fully,
 * never waits for a reply, and says that nothing is saved.
 */

/** @typedef {{count: number, sense: string, title: string, prompt: string, label: string}} Step */
/**
 * @typedef {object} GroundingView
 * @property {HTMLElement} root
 * @property {HTMLElement[]} panels    0: before you start, 1-5: the senses, 6: you did it, 7: finished
 * @property {HTMLElement[]} headings  one a panel, focused when it shows
 * @property {RatingField} before
 * @property {RatingField} after
 * @property {HTMLTextAreaElement[]} boxes  one a sense
 * @property {HTMLInputElement} keep   "Save my answers to my private journal"
 * @property {HTMLButtonElement} begin
 * @property {HTMLButtonElement} finish
 * @property {HTMLButtonElement} endBack
 * @property {HTMLButtonElement} again
 * @property {{back: HTMLButtonElement, next: HTMLButtonElement, stop: HTMLButtonElement}[]} stepButtons
 */

const STOPPED = "Stopped. Nothing was saved, and what you typed is cleared. You can start again any time.";
const NO_ANSWER = "Not saved: the course app did not answer. Try again later, or keep your answers on paper.";

/** @param {...HTMLElement} items */
function buttonRow(...items) {
  const row = h("div", { class: "sg-grounding-buttons" });
  row.append(...items);
  return row;
}

/** A panel with its heading (focusable, so focus can move to it). @param {GroundingView} view @param {string} id @param {string} heading */
function addPanel(view, id, heading) {
  const n = view.panels.length;
  const panel = h("section", { class: "sg-grounding-panel", "aria-labelledby": `${id}-h${n}` });
  const head = h("h4", { id: `${id}-h${n}`, tabindex: "-1" }, heading);
  panel.append(head);
  view.panels.push(panel);
  view.headings.push(head);
  return panel;
}

/** Panel 0: before you start. @param {GroundingView} view @param {string} id @param {boolean} book */
function buildIntro(view, id, book) {
  addPanel(view, id, "Before you start").append(
    h("p", {}, "Go one step at a time, as slowly as you like. Name things out loud or in your head. Every part is optional, and you can stop at any time."),
    view.before.node,
    h("p", { class: "sg-note" }, book ? "Anything you type stays on this page." : "Anything you type stays on this page. It is saved only if you choose that at the end."),
    buttonRow(view.begin));
}

/** Panels 1-5: the senses. @param {GroundingView} view @param {string} id @param {Step[]} steps */
function buildSenses(view, id, steps) {
  steps.forEach((s, i) => {
    const panel = addPanel(view, id, `Step ${i + 1} of ${steps.length}: ${s.title}`);
    const area = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: `${id}-a${i}`, rows: "3", maxlength: "200000" }));
    const b = { back: button("Back", "sg-secondary"), next: button("Next"), stop: button("Stop", "sg-secondary") };
    view.boxes.push(area);
    view.stepButtons.push(b);
    panel.append(h("p", { class: "sg-grounding-prompt" }, s.prompt),
      h("label", { for: area.id }, `${s.label} (optional, you can just think them)`), area, buttonRow(b.back, b.next, b.stop));
  });
}

/** Panels 6 and 7: the end, and done. @param {GroundingView} view @param {string} id @param {boolean} book */
function buildEnd(view, id, book) {
  const keepRow = h("p", { class: "sg-grounding-keep" });
  keepRow.append(view.keep, " ", h("label", { for: view.keep.id }, "Save my answers to my private journal"),
    h("span", { class: "sg-note sg-grounding-keep-note", id: `${id}-keep-note` }, "If you leave this unticked, what you typed is not saved anywhere."));
  view.keep.setAttribute("aria-describedby", `${id}-keep-note`);
  keepRow.hidden = book;
  addPanel(view, id, "You did it").append(
    h("p", {}, "Take a moment. Tell yourself where you are and what day it is. If it is true, remind yourself that you are safe right now."),
    view.after.node, keepRow, buttonRow(view.finish, view.endBack));
  addPanel(view, id, "Finished").append(
    h("p", {}, "Well done for taking this time. Come back to it whenever you need."), buttonRow(view.again));
}

/** The whole exercise, every panel built once. @param {string} id @param {Step[]} steps @param {string} swapNote @param {boolean} book @returns {GroundingView} */
function buildGrounding(id, steps, swapNote, book) {
  const begin = button("Begin"), finish = button("Finish");
  /** @type {GroundingView} */
  const view = {
    root: h("div", { class: "sg-widget sg-grounding", role: "group", "aria-labelledby": `${id}-title` }),
    panels: [], headings: [], boxes: [], stepButtons: [],
    before: ratingField(`${id}-before`, "How calm do you feel right now?", () => begin.focus()),
    after: ratingField(`${id}-after`, "How calm do you feel now?", () => finish.focus()),
    keep: /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-keep` })),
    begin, finish, endBack: button("Back", "sg-secondary"), again: button("Start again", "sg-secondary"),
  };
  buildIntro(view, id, book);
  buildSenses(view, id, steps);
  buildEnd(view, id, book);
  view.root.append(h("h3", { id: `${id}-title`, class: "sg-grounding-title" }, "5-4-3-2-1 grounding"),
    h("p", { class: "sg-note" }, swapNote), ...view.panels);
  return view;
}

/**
 * Moving through the panels, and saving at the end.
 * @param {AnyModel} model @param {GroundingView} view @param {StatusLine} line @param {boolean} book
 */
function groundingFlow(model, view, line, book) {
  const senses = view.boxes.length;
  const END = senses + 1, DONE = senses + 2;
  let at = 0, t0 = 0, tEnd = 0;
  let wall = new Date();

  /** Show panel `i` (and move focus to its heading). @param {number} i @param {boolean} [focus] */
  function go(i, focus = true) {
    at = i;
    view.panels.forEach((p, k) => { p.hidden = k !== i; });
    if (i === END) tEnd = performance.now();
    if (focus) view.headings[i].focus();
  }

  /** Back to the start, forgetting everything typed. @param {string} message */
  function reset(message) {
    view.boxes.forEach((b) => { b.value = ""; });
    view.before.reset(); view.after.reset(); view.keep.checked = false;
    line.say(message);
    go(0);
  }

  function start() {
    t0 = performance.now(); wall = new Date();
    line.say("");
    go(1);
  }

  async function send() {
    const args = { started_at: wall.toISOString(), duration_s: Math.max(0.1, Math.round((tEnd - t0) / 100) / 10),
      before: view.before.value(), after: view.after.value(), answers: view.keep.checked ? view.boxes.map((b) => b.value) : null };
    go(DONE);
    if (book) { line.say(PRACTICE_BOOK_NOTE); return; }
    const reply = await ask(model, line, "record_session", args, { noReply: NO_ANSWER });
    // Saved: what was typed can go. Still on "Finished", so nothing typed since is lost.
    if (reply.ok && !model.get("error") && at === DONE) view.boxes.forEach((b) => { b.value = ""; });
  }

  return { go, reset, start, send, END };
}

/**
 * The buttons; the returned function removes them.
 * @param {GroundingView} view @param {StatusLine} line @param {ReturnType<typeof groundingFlow>} flow
 */
function bindGrounding(view, line, flow) {
  /** @type {[HTMLElement, () => void][]} */
  const pairs = [
    [view.begin, flow.start],
    [view.finish, () => { void flow.send(); }],
    [view.endBack, () => flow.go(flow.END - 1)],
    [view.again, () => flow.reset("")],
  ];
  view.stepButtons.forEach((b, i) => {
    pairs.push([b.back, () => flow.go(i)], [b.next, () => flow.go(i + 2)], [b.stop, () => flow.reset(STOPPED)]);
  });
  return practiceClicks(line, pairs);
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  const book = isBook();
  const view = buildGrounding(newId("ground"), model.get("steps"), model.get("swap_note"), book);
  const line = statusLine(model, "sg-grounding-status");
  view.root.append(line.el);
  el.append(view.root);
  const flow = groundingFlow(model, view, line, book);
  const unbind = bindGrounding(view, line, flow);
  guard(line, () => flow.go(0, false))();

  return () => {
    unbind();
    view.before.dispose(); view.after.dispose();
    line.dispose();
    view.root.remove();
  };
}

export default { render };
