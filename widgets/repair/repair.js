// @ts-check
// RepairPlanner front end: one labelled box per step, the kind hints Python
// computes, saved plans to reopen or delete, and a printable page. Every change
// is an action of widgets/repair/__init__.py, asked for with request/ask
// (widgets/lib/core.js). Learner text is only ever set with textContent, .value
// or inside a Blob that Python built with every piece of learner text escaped.
// In the static book (no kernel) it draws a printable worksheet instead.

const REVOKE_MS = 60_000;

/** @typedef {{id: string, title: string, explain: string, examples: string[][]}} Step */
/** @typedef {{key: string, title: string, saved: string}} Plan */
/**
 * The drawn planner. `replacing` is true while Python replaces every box (opening
 * a plan, starting afresh), so even the focused box takes the new text. `sending`
 * counts, per box, the texts sent and not yet answered: until Python has them all,
 * the model may still hold an older text, which must never overwrite newer typing.
 * @typedef {{
 *   id: string, root: HTMLElement, name: HTMLInputElement, boxes: Map<string, HTMLTextAreaElement>,
 *   hints: HTMLElement, save: HTMLButtonElement, print: HTMLButtonElement, download: HTMLButtonElement,
 *   fresh: HTMLButtonElement, savedHead: HTMLElement, list: HTMLElement, none: HTMLElement,
 *   line: StatusLine, replacing: boolean, sending: Map<HTMLElement, number>
 * }} View
 */

/** @param {RenderContext} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const view = buildView(model);
  el.append(view.root);
  const stop = bindView(model, view);
  // Voila may have run this notebook in a preheated kernel before the page was asked for.
  request(model, "refresh");
  return () => {
    stop();
    view.line.dispose();
    view.root.remove();
  };
}

/**
 * "Instead of … try …" pairs.
 * @param {string[][]} examples
 * @param {string} labelledBy id of the element naming the list
 */
function exampleList(examples, labelledBy) {
  const ul = h("ul", { class: "sg-repair-examples", "aria-labelledby": labelledBy });
  for (const [instead, kinder] of examples) {
    const li = h("li");
    li.append(h("span", { class: "sg-repair-instead" }, `Instead of “${instead}”`),
      h("span", { class: "sg-repair-try" }, `try: “${kinder}”`));
    ul.append(li);
  }
  return ul;
}

/**
 * One step: its label, explanation, kinder phrasings and box (the apology also gets the hints).
 * @param {string} id the widget's id
 * @param {Step} step
 * @param {HTMLElement} hints
 */
function stepPart(id, step, hints) {
  const sid = `${id}-${step.id}`;
  const part = h("div", { class: "sg-repair-step" });
  const box = /** @type {HTMLTextAreaElement} */ (h("textarea", {
    id: sid, rows: "3", dir: "auto", maxlength: "20000",
    "aria-describedby": step.id === "apologise" ? `${sid}-explain ${hints.id}` : `${sid}-explain`,
  }));
  part.append(h("label", { for: sid }, step.title), h("p", { class: "sg-note", id: `${sid}-explain` }, step.explain),
    h("p", { class: "sg-repair-kinder", id: `${sid}-kinder` }, "Kinder ways to say it:"),
    exampleList(step.examples, `${sid}-kinder`), box);
  if (step.id === "apologise") part.append(hints);
  return { part, box };
}

/**
 * The planner's parts, empty; the show functions fill them.
 * @param {AnyModel} model
 * @returns {View}
 */
function buildView(model) {
  const id = newId("repair");
  const root = h("div", { class: "sg-widget sg-repair", role: "group", "aria-labelledby": `${id}-title` });
  const name = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: `${id}-name`, maxlength: "60", autocomplete: "off", dir: "auto" }));
  root.append(h("p", { id: `${id}-title`, class: "sg-repair-title" }, "Plan a repair conversation"),
    h("p", { class: "sg-note" }, "Write what you want to say in each step. Every box is optional, and you can change it later. Plans you save stay private on this device."),
    h("label", { for: name.id }, "Name this plan (optional)"), name);
  /** @type {Map<string, HTMLTextAreaElement>} */ const boxes = new Map();
  const hints = h("ul", { class: "sg-repair-hints", id: `${id}-hints`, "aria-live": "polite" });
  for (const step of /** @type {Step[]} */ (model.get("steps"))) {
    const { part, box } = stepPart(id, step, hints);
    boxes.set(step.id, box);
    root.append(part);
  }
  const actions = h("div", { class: "sg-repair-actions" });
  const save = button("Save plan");
  const print = button("Print or save this plan", "sg-secondary");
  const download = button("Download as a file", "sg-secondary");
  const fresh = button("Start a new plan", "sg-secondary");
  actions.append(save, print, download, fresh);
  const line = statusLine(model, "sg-repair-status");
  const savedHead = h("p", { class: "sg-repair-sub", id: `${id}-saved` }, "Your saved plans");
  const list = h("ul", { class: "sg-repair-plans", "aria-labelledby": savedHead.id });
  const none = h("p", { class: "sg-note" }, "No saved plans yet.");
  root.append(actions, line.el, savedHead, list, none);
  return { id, root, name, boxes, hints, save, print, download, fresh, savedHead, list, none, line, replacing: false, sending: new Map() };
}

/**
 * The texts as the page shows them: save and print send them along, so a
 * change still on its way to Python is never lost.
 * @param {View} view
 */
function texts(view) {
  return { name: view.name.value, answers: Object.fromEntries([...view.boxes].map(([step, box]) => [step, box.value])) };
}

/**
 * Ask Python for a change that replaces every box (open a plan, start afresh).
 * @param {AnyModel} model
 * @param {View} view
 * @param {string} name
 * @param {Record<string, any>} [args]
 */
async function replaceAll(model, view, name, args = {}) {
  view.replacing = true;
  view.name.focus();
  try {
    await ask(model, view.line, name, args, { pending: "" });
  } finally {
    view.replacing = false;  // Python has replaced the text (traits arrive before the reply)
  }
}

/**
 * A Blob URL of a printable page, freed a minute later.
 * @param {string} html
 */
function blobUrl(html) {
  const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
  window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_MS);
  return url;
}

/**
 * Save the printable page as a file.
 * @param {View} view
 * @param {string} html
 */
function saveFile(view, html) {
  downloadPage(view.line, html, "repair-plan.html", "Downloaded repair-plan.html. Keep it somewhere private.");
}

/**
 * Ask Python for the printable page, then open it in a new tab or save it as a file.
 * @param {AnyModel} model
 * @param {View} view
 * @param {"open" | "download"} mode
 */
async function printPlan(model, view, mode) {
  const reply = await ask(model, view.line, "printable", texts(view), { pending: "" });
  if (!reply.ok || typeof reply.value !== "string") return;
  if (mode === "download") return saveFile(view, reply.value);
  const win = window.open(blobUrl(reply.value), "_blank");
  if (win) view.line.say("Your plan opened in a new tab. Use Print there to print it or save it as a PDF.");
  else saveFile(view, reply.value);  // pop-ups blocked: a file works as well
}

/**
 * Listen to the boxes, the buttons and the model; the returned function stops it all.
 * @param {AnyModel} model
 * @param {View} view
 */
function bindView(model, view) {
  const { line } = view;
  /**
   * Send a box's text as it changes; only a problem shows. The box keeps what is typed.
   * @param {HTMLElement} box @param {string} name @param {Record<string, any>} args
   */
  const write = (box, name, args) => {
    view.sending.set(box, (view.sending.get(box) || 0) + 1);
    request(model, name, args).then((reply) => {
      view.sending.set(box, (view.sending.get(box) || 1) - 1);
      if (reply.local) line.say(reply.error || NO_REPLY, true);
    });
  };
  /** @type {[EventTarget, string, (e: Event) => void][]} */
  const events = [
    [view.name, "input", guard(line, () => write(view.name, "set_name", { name: view.name.value }))],
    ...[...view.boxes].map(([step, box]) => /** @type {[EventTarget, string, (e: Event) => void]} */ (
      [box, "input", guard(line, () => write(box, "set_answer", { step, text: box.value }))])),
    [view.save, "click", guard(line, () => { ask(model, line, "save", texts(view)); })],
    [view.print, "click", guard(line, () => { printPlan(model, view, "open"); })],
    [view.download, "click", guard(line, () => { printPlan(model, view, "download"); })],
    [view.fresh, "click", guard(line, () => { replaceAll(model, view, "new_plan"); })],
  ];
  for (const [target, type, fn] of events) target.addEventListener(type, fn);
  const onPlans = () => showPlans(model, view);
  const onText = () => showText(model, view);
  const onHints = () => showHints(model, view);
  const stop = listen(model, { "change:plans": onPlans, "change:answers": onText, "change:name": onText, "change:hints": onHints });
  onPlans();
  onText();
  onHints();
  return () => {
    stop();
    for (const [target, type, fn] of events) target.removeEventListener(type, fn);
  };
}

/**
 * One saved plan: its name, Open and Delete (with a confirmation step).
 * @param {AnyModel} model
 * @param {View} view
 * @param {Plan} plan
 * @param {number} n
 */
function planRow(model, view, plan, n) {
  const li = h("li", { class: "sg-repair-plan" });
  const labelId = `${view.id}-plan-${n}`;
  /** @param {boolean} confirming */
  const draw = (confirming) => {
    li.replaceChildren(h("span", { id: labelId, dir: "auto", class: "sg-repair-plan-name" }, plan.title),
      h("span", { class: "sg-note" }, ` saved ${plan.saved}`));
    const row = h("div", { class: "sg-repair-actions" });
    if (confirming) {
      const question = h("p", { class: "sg-warn" }, `Delete “${plan.title}” for good? This cannot be undone.`);
      const yes = button("Yes, delete it");
      const no = button("Keep it", "sg-secondary");
      yes.addEventListener("click", guard(view.line, () => {
        ask(model, view.line, "delete_plan", { key: plan.key }, { pending: "" });
        view.savedHead.setAttribute("tabindex", "-1");
        view.savedHead.focus();
      }));
      no.addEventListener("click", () => {
        draw(false);
        /** @type {HTMLButtonElement | null} */ (li.querySelector("button.sg-repair-del"))?.focus();
      });
      row.append(yes, no);
      li.append(question, row);
      no.focus();
      return;
    }
    const open = button("Open", "sg-secondary");
    const del = button("Delete", "sg-secondary sg-repair-del");
    open.setAttribute("aria-describedby", labelId);
    del.setAttribute("aria-describedby", labelId);
    open.addEventListener("click", guard(view.line, () => { replaceAll(model, view, "open_plan", { key: plan.key }); }));
    del.addEventListener("click", () => draw(true));
    row.append(open, del);
    li.append(row);
  };
  draw(false);
  return li;
}

/**
 * The list of saved plans.
 * @param {AnyModel} model
 * @param {View} view
 */
function showPlans(model, view) {
  /** @type {Plan[]} */ const plans = model.get("plans");
  view.list.replaceChildren(...plans.map((plan, n) => planRow(model, view, plan, n)));
  view.none.hidden = plans.length > 0;
}

/**
 * Python's texts in the boxes, except in the box being typed in (unless a plan is being replaced).
 * @param {AnyModel} model
 * @param {View} view
 */
function showText(model, view) {
  const answers = model.get("answers");
  /** @param {HTMLInputElement | HTMLTextAreaElement} box @param {string} text */
  const put = (box, text) => {
    const typing = document.activeElement === box || (view.sending.get(box) || 0) > 0;
    if (box.value !== text && (view.replacing || !typing)) box.value = text;
  };
  for (const [step, box] of view.boxes) put(box, answers[step] ?? "");
  put(view.name, model.get("name"));
}

/**
 * The kind hints about excuse words in the apology.
 * @param {AnyModel} model
 * @param {View} view
 */
function showHints(model, view) {
  view.hints.replaceChildren(...model.get("hints").map((/** @type {string} */ hint) => h("li", {}, hint)));
}

/**
 * The static book has no kernel: a worksheet to print and fill in by hand.
 * @param {RenderContext} ctx
 */
function renderSheet({ model, el }) {
  const id = newId("repair");
  const root = h("div", { class: "sg-widget sg-repair sg-repair-sheet", role: "group", "aria-labelledby": `${id}-title` });
  root.append(h("p", { class: "sg-repair-title", id: `${id}-title` }, "Worksheet: plan a repair conversation"),
    h("p", { class: "sg-note" }, "Print this or copy it onto paper, and write what you want to say in each step. Open the course app to fill it in on screen and save it."));
  for (const step of /** @type {Step[]} */ (model.get("steps"))) {
    const part = h("div", { class: "sg-repair-step" });
    const lines = h("div", { class: "sg-repair-lines" });
    lines.append(h("span", { class: "sg-visually-hidden" }, "Space to write"));
    for (let i = 0; i < 4; i++) lines.append(h("span", { class: "sg-repair-line", "aria-hidden": "true" }));
    const [instead, kinder] = step.examples[0];
    part.append(h("p", { class: "sg-repair-sub" }, step.title), h("p", { class: "sg-note" }, step.explain),
      h("p", { class: "sg-repair-example" }, `Instead of “${instead}”, try: “${kinder}”`), lines);
    root.append(part);
  }
  const print = button("Print this worksheet", "sg-secondary");
  const onPrint = () => window.print();
  print.addEventListener("click", onPrint);
  root.append(print);
  el.append(root);
  return () => { print.removeEventListener("click", onPrint); root.remove(); };
}

export default { render };
