// @ts-check
/**
 * Steady Ground 5-4-3-2-1 grounding: the browser side of Grounding.
 *
 * One step at a time; focus moves to each step's heading. What the learner
 * types stays in this page. It is sent to Python (and saved to the journal)
 * only when they tick the box at the end. Nothing waits for a reply from
 * Python: in the static book (html[data-sg-channel="book"]) there is no
 * kernel, so the exercise runs fully and says that nothing is saved.
 */

const NO_REPLY_MS = 5000;
const BOOK_NOTE = "In this read-only book nothing is saved.";

/**
 * An optional 0-10 rating: a native range that counts only once it is moved,
 * and a Skip button that clears it and moves on.
 * @param {string} id  unique id prefix
 * @param {string} question  the legend
 * @param {() => void} onSkip
 */
function ratingField(id, question, onSkip) {
  const box = h("fieldset", { class: "sg-rating" });
  const legend = h("legend", {}, `${question} (optional)`);
  const label = h("label", { for: `${id}-range` }, "Calm, from 0 (not calm at all) to 10 (completely calm)");
  const row = h("div", { class: "sg-rating-row" });
  const range = /** @type {HTMLInputElement} */ (h("input", { type: "range", id: `${id}-range`, min: "0", max: "10", step: "1", value: "5" }));
  const out = h("output", { for: `${id}-range`, class: "sg-rating-value", "aria-hidden": "true" });
  const skip = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "sg-secondary" }, "Skip rating"));
  row.append(range, out, skip);
  box.append(legend, label, row);
  /** @type {number | null} */
  let value = null;
  const show = () => {
    out.textContent = value === null ? "Not rated" : `${value} out of 10`;
    box.classList.toggle("sg-rating--unset", value === null);
    range.setAttribute("aria-valuetext", value === null ? "Not rated yet" : `${value} out of 10`);
  };
  const reset = () => { value = null; range.value = "5"; show(); };
  range.addEventListener("input", () => { value = Number(range.value); show(); });
  skip.addEventListener("click", () => { reset(); onSkip(); });
  show();
  return { node: box, reset, value: () => value };
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("ground");
  const book = isBook();
  /** @type {{count: number, sense: string, title: string, prompt: string, label: string}[]} */
  const steps = model.get("steps");
  const root = h("div", { class: "sg-widget sg-grounding", role: "group", "aria-labelledby": `${id}-title` });
  const title = h("h3", { id: `${id}-title`, class: "sg-grounding-title" }, "5-4-3-2-1 grounding");
  const swap = h("p", { class: "sg-note" }, model.get("swap_note"));
  const status = h("p", { class: "sg-grounding-status", role: "status" });
  const error = h("p", { class: "sg-error", role: "alert" });

  /** @type {HTMLElement[]} */
  const panels = [];
  /** @type {HTMLElement[]} */
  const headings = [];
  /** @param {string} heading @returns {HTMLElement} */
  function panel(heading) {
    const p = h("section", { class: "sg-grounding-panel", "aria-labelledby": `${id}-h${panels.length}` });
    const hd = h("h4", { id: `${id}-h${panels.length}`, tabindex: "-1" }, heading);
    p.append(hd);
    panels.push(p); headings.push(hd);
    return p;
  }
  /** @param {string} text @param {boolean} [secondary] */
  const button = (text, secondary = false) => /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", ...(secondary ? { class: "sg-secondary" } : {}) }, text));
  const buttons = (/** @type {HTMLElement[]} */ ...b) => { const row = h("div", { class: "sg-grounding-buttons" }); row.append(...b); return row; };

  // Panel 0: before you start.
  const intro = panel("Before you start");
  const begin = button("Begin");
  const before = ratingField(`${id}-before`, "How calm do you feel right now?", () => begin.focus());
  intro.append(
    h("p", {}, "Go one step at a time, as slowly as you like. Name things out loud or in your head. Every part is optional, and you can stop at any time."),
    before.node,
    h("p", { class: "sg-note" }, book ? "Anything you type stays on this page." : "Anything you type stays on this page. It is saved only if you choose that at the end."),
    buttons(begin));

  // Panels 1-5: the senses.
  /** @type {HTMLTextAreaElement[]} */
  const boxes = [];
  const stepButtons = steps.map((s, i) => {
    const p = panel(`Step ${i + 1} of ${steps.length}: ${s.title}`);
    const area = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: `${id}-a${i}`, rows: "3", maxlength: "200000" }));
    boxes.push(area);
    const back = button("Back", true), next = button("Next"), stop = button("Stop", true);
    p.append(h("p", { class: "sg-grounding-prompt" }, s.prompt),
      h("label", { for: area.id }, `${s.label} (optional, you can just think them)`), area, buttons(back, next, stop));
    return { back, next, stop };
  });

  // Panel 6: finishing.
  const end = panel("You did it");
  const finish = button("Finish");
  const after = ratingField(`${id}-after`, "How calm do you feel now?", () => finish.focus());
  const keepRow = h("p", { class: "sg-grounding-keep" });
  const keep = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-keep` }));
  keepRow.append(keep, " ", h("label", { for: keep.id }, "Save my answers to my private journal"),
    h("span", { class: "sg-note sg-grounding-keep-note", id: `${id}-keep-note` }, "If you leave this unticked, what you typed is not saved anywhere."));
  keep.setAttribute("aria-describedby", `${id}-keep-note`);
  keepRow.hidden = book;
  const endBack = button("Back", true);
  end.append(h("p", {}, "Take a moment. Tell yourself where you are and what day it is. If it is true, remind yourself that you are safe right now."),
    after.node, keepRow, buttons(finish, endBack));

  // Panel 7: done.
  const done = panel("Finished");
  const again = button("Start again", true);
  done.append(h("p", {}, "Well done for taking this time. Come back to it whenever you need."), buttons(again));

  root.append(title, swap, ...panels, status, error);
  el.append(root);

  let at = 0, t0 = 0, tEnd = 0, waiting = 0;
  let wall = new Date();

  /** Run a callback; show any error instead of losing it. @param {() => void} fn */
  function guard(fn) {
    try { fn(); } catch (e) {
      error.textContent = `Something went wrong in the grounding exercise: ${e instanceof Error ? e.message : e}`;
      console.error(e);
    }
  }

  /** @param {number} i @param {boolean} [focus] */
  function go(i, focus = true) {
    at = i;
    panels.forEach((p, k) => { p.hidden = k !== i; });
    if (i === steps.length + 1) tEnd = performance.now();
    if (focus) headings[i].focus();
  }

  /** Back to the start, forgetting everything typed. @param {string} message */
  function reset(message) {
    boxes.forEach((b) => { b.value = ""; });
    before.reset(); after.reset(); keep.checked = false;
    status.textContent = message;
    go(0);
  }

  function start() {
    t0 = performance.now(); wall = new Date();
    status.textContent = ""; error.textContent = "";
    go(1);
  }

  function send() {
    const msg = { type: "finish", started_at: wall.toISOString(),
      duration_s: Math.max(0.1, Math.round((tEnd - t0) / 100) / 10),
      before: before.value(), after: after.value(), answers: keep.checked ? boxes.map((b) => b.value) : null };
    go(steps.length + 2);
    if (book) { status.textContent = BOOK_NOTE; return; }
    status.textContent = "Saving…";
    status.classList.remove("sg-error");
    try {
      model.set("status_message", ""); model.save_changes();
      model.send(msg);
    } catch (e) {
      status.textContent = `Not saved: the course app could not be reached (${e instanceof Error ? e.message : e}).`;
      status.classList.add("sg-error");
      return;
    }
    window.clearTimeout(waiting);
    waiting = window.setTimeout(() => {
      status.textContent = "Not saved: the course app did not answer. Try again later, or keep your answers on paper.";
      status.classList.add("sg-error");
    }, NO_REPLY_MS);
  }

  const onStatus = () => guard(() => {
    const text = model.get("status_message");
    if (!text) return;
    window.clearTimeout(waiting);
    status.textContent = text;
    status.classList.toggle("sg-error", !!model.get("status_error"));
    if (!model.get("status_error")) boxes.forEach((b) => { b.value = ""; });
  });

  /** @type {[HTMLElement, () => void][]} */
  const handlers = [
    [begin, start],
    [finish, send],
    [endBack, () => go(steps.length)],
    [again, () => reset("")],
  ];
  stepButtons.forEach((b, i) => {
    handlers.push([b.back, () => go(i)], [b.next, () => go(i + 2)],
      [b.stop, () => reset("Stopped. Nothing was saved, and what you typed is cleared. You can start again any time.")]);
  });
  /** @type {[HTMLElement, () => void][]} */
  const wired = handlers.map(([node, fn]) => [node, () => guard(fn)]);
  for (const [node, fn] of wired) node.addEventListener("click", fn);
  model.on("change:status_message", onStatus);
  guard(() => go(0, false));

  return () => {
    window.clearTimeout(waiting);
    for (const [node, fn] of wired) node.removeEventListener("click", fn);
    model.off("change:status_message", onStatus);
    root.remove();
  };
}

export default { render };
