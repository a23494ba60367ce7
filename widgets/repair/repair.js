// RepairPlanner front end: one labelled box per step, the kind hints Python
// computes, saved plans to reopen or delete, and a printable page.
// Learner text is only ever set with textContent, .value or inside a Blob that
// Python built with every piece of learner text escaped.
// In the static book (no kernel) it draws a printable worksheet instead.

const NO_KERNEL_MS = 4000;
const REVOKE_MS = 60_000;

/** @typedef {{id: string, title: string, explain: string, examples: string[][]}} Step */
/** @typedef {{key: string, title: string, saved: string}} Plan */

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

/** @param {{model: any, el: HTMLElement}} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const id = newId("repair");
  const root = h("div", { class: "sg-widget sg-repair", role: "group", "aria-labelledby": `${id}-title` });
  const title = h("p", { id: `${id}-title`, class: "sg-repair-title" }, "Plan a repair conversation");
  const intro = h("p", { class: "sg-note" },
    "Write what you want to say in each step. Every box is optional, and you can change it later. Plans you save stay private on this device.");
  const nameLabel = h("label", { for: `${id}-name` }, "Name this plan (optional)");
  const name = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: `${id}-name`, maxlength: "60", autocomplete: "off", dir: "auto" }));
  root.append(title, intro, nameLabel, name);
  const status = h("p", { role: "status", class: "sg-repair-status" });
  /** @param {string} message */
  const fail = (message) => {
    status.textContent = message;
    status.classList.add("sg-error");
  };
  /** Run fn, showing any error instead of losing it. @param {(...args: any[]) => void} fn */
  const guarded = (fn) => (/** @type {any[]} */ ...args) => {
    try { fn(...args); } catch (err) { fail(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`); }
  };

  /** @type {Map<string, HTMLTextAreaElement>} */ const boxes = new Map();
  const hints = h("ul", { class: "sg-repair-hints", id: `${id}-hints`, "aria-live": "polite" });
  for (const step of /** @type {Step[]} */ (model.get("steps"))) {
    const sid = `${id}-${step.id}`;
    const part = h("div", { class: "sg-repair-step" });
    const box = /** @type {HTMLTextAreaElement} */ (h("textarea", {
      id: sid, rows: "3", dir: "auto", maxlength: "20000",
      "aria-describedby": step.id === "apologise" ? `${sid}-explain ${id}-hints` : `${sid}-explain`,
    }));
    box.addEventListener("input", guarded(() => {
      model.set("answers", { ...model.get("answers"), [step.id]: box.value });
      model.save_changes();
    }));
    boxes.set(step.id, box);
    part.append(h("label", { for: sid }, step.title), h("p", { class: "sg-note", id: `${sid}-explain` }, step.explain),
      h("p", { class: "sg-repair-kinder", id: `${sid}-kinder` }, "Kinder ways to say it:"), exampleList(step.examples, `${sid}-kinder`), box);
    if (step.id === "apologise") part.append(hints);
    root.append(part);
  }

  const actions = h("div", { class: "sg-repair-actions" });
  const save = h("button", { type: "button" }, "Save plan");
  const print = h("button", { type: "button", class: "sg-secondary" }, "Print or save this plan");
  const download = h("button", { type: "button", class: "sg-secondary" }, "Download as a file");
  const fresh = h("button", { type: "button", class: "sg-secondary" }, "Start a new plan");
  actions.append(save, print, download, fresh);
  const savedHead = h("p", { class: "sg-repair-sub", id: `${id}-saved` }, "Your saved plans");
  const list = h("ul", { class: "sg-repair-plans", "aria-labelledby": `${id}-saved` });
  const none = h("p", { class: "sg-note" }, "No saved plans yet.");
  root.append(actions, status, savedHead, list, none);
  el.append(root);

  let waiting = 0;
  /** @param {Record<string, unknown>} msg */
  const send = (msg) => {
    window.clearTimeout(waiting);
    status.classList.remove("sg-error");
    model.send(msg);
    waiting = window.setTimeout(() => {
      status.textContent = "Nothing answered. This read-only page cannot save; open the course app to keep your plans.";
    }, NO_KERNEL_MS);
  };

  /** A Blob URL of a printable page, freed a minute later. @param {string} html */
  const blobUrl = (html) => {
    const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_MS);
    return url;
  };
  /** @param {string} html */
  const saveFile = (html) => {
    const link = h("a", { href: blobUrl(html), download: "repair-plan.html", hidden: "" });
    root.append(link);
    link.click();
    link.remove();
    status.textContent = "Downloaded repair-plan.html. Keep it somewhere private.";
  };
  /** @param {{type?: string, mode?: string, html?: string}} msg */
  const onMsg = guarded((msg) => {
    if (msg?.type !== "printable" || typeof msg.html !== "string") return;
    window.clearTimeout(waiting);
    if (msg.mode === "download") return saveFile(msg.html);
    const win = window.open(blobUrl(msg.html), "_blank");
    if (win) status.textContent = "Your plan opened in a new tab. Use Print there to print it or save it as a PDF.";
    else saveFile(msg.html);  // pop-ups blocked: a file works as well
  });
  // The texts go along: trait updates can be held back while the kernel is busy, messages are not.
  const texts = () => ({ name: name.value, answers: Object.fromEntries([...boxes].map(([step, box]) => [step, box.value])) });
  print.addEventListener("click", guarded(() => send({ type: "printable", mode: "open", ...texts() })));
  download.addEventListener("click", guarded(() => send({ type: "printable", mode: "download", ...texts() })));
  model.on("msg:custom", onMsg);
  save.addEventListener("click", guarded(() => { status.textContent = "Saving…"; send({ type: "save", ...texts() }); }));
  // Opening a plan or starting afresh replaces every box, even the focused one.
  let replacing = false;
  fresh.addEventListener("click", guarded(() => { replacing = true; send({ type: "new" }); name.focus(); }));
  name.addEventListener("input", guarded(() => { model.set("name", name.value); model.save_changes(); }));

  /** One saved plan: its name, Open and Delete (with a confirmation step). @param {Plan} plan @param {number} n */
  const planRow = (plan, n) => {
    const li = h("li", { class: "sg-repair-plan" });
    const labelId = `${id}-plan-${n}`;
    const draw = (/** @type {boolean} */ confirming) => {
      li.replaceChildren(h("span", { id: labelId, dir: "auto", class: "sg-repair-plan-name" }, plan.title),
        h("span", { class: "sg-note" }, ` saved ${plan.saved}`));
      const row = h("div", { class: "sg-repair-actions" });
      if (confirming) {
        const ask = h("p", { class: "sg-warn" }, `Delete “${plan.title}” for good? This cannot be undone.`);
        const yes = h("button", { type: "button" }, "Yes, delete it");
        const no = h("button", { type: "button", class: "sg-secondary" }, "Keep it");
        yes.addEventListener("click", guarded(() => { send({ type: "delete", key: plan.key }); savedHead.setAttribute("tabindex", "-1"); savedHead.focus(); }));
        no.addEventListener("click", () => { draw(false); li.querySelector("button.sg-repair-del")?.focus(); });
        row.append(yes, no);
        li.append(ask, row);
        no.focus();
        return;
      }
      const open = h("button", { type: "button", class: "sg-secondary", "aria-describedby": labelId }, "Open");
      const del = h("button", { type: "button", class: "sg-secondary sg-repair-del", "aria-describedby": labelId }, "Delete");
      open.addEventListener("click", guarded(() => { replacing = true; send({ type: "open", key: plan.key }); name.focus(); }));
      del.addEventListener("click", () => draw(true));
      row.append(open, del);
      li.append(row);
    };
    draw(false);
    return li;
  };

  const showPlans = () => {
    /** @type {Plan[]} */ const plans = model.get("plans");
    list.replaceChildren(...plans.map(planRow));
    none.hidden = plans.length > 0;
  };
  const showText = () => {
    const answers = model.get("answers");
    /** @param {HTMLInputElement | HTMLTextAreaElement} box @param {string} text */
    const put = (box, text) => { if (box.value !== text && (replacing || document.activeElement !== box)) box.value = text; };
    for (const [step, box] of boxes) put(box, answers[step] ?? "");
    put(name, model.get("name"));
  };
  const showHints = () => {
    hints.replaceChildren(...model.get("hints").map((/** @type {string} */ hint) => h("li", {}, hint)));
  };
  const showStatus = () => {
    replacing = false;  // Python reports after it has replaced the text
    window.clearTimeout(waiting);
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };
  const events = { "change:plans": showPlans, "change:answers": showText, "change:name": showText,
    "change:hints": showHints, "change:status": showStatus, "change:error": showStatus };
  for (const [ev, fn] of Object.entries(events)) model.on(ev, fn);
  showPlans();
  showText();
  showHints();
  showStatus();
  // Voila may have run this notebook in a preheated kernel before the page was asked for.
  try { model.send({ type: "refresh" }); } catch (err) { fail(`Your saved plans may be out of date: ${err}`); }

  return () => {
    window.clearTimeout(waiting);
    for (const [ev, fn] of Object.entries(events)) model.off(ev, fn);
    model.off("msg:custom", onMsg);
    root.remove();
  };
}

/**
 * The static book has no kernel: a worksheet to print and fill in by hand.
 * @param {{model: any, el: HTMLElement}} ctx
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
  const print = h("button", { type: "button", class: "sg-secondary" }, "Print this worksheet");
  const onPrint = () => window.print();
  print.addEventListener("click", onPrint);
  root.append(print);
  el.append(root);
  return () => { print.removeEventListener("click", onPrint); root.remove(); };
}

export default { render };
