// @ts-check
/**
 * Steady Ground "When a trigger hits us": the browser side of TriggerPlan.
 *
 * One form, one part per field Python sends (`fields`: a text box with
 * one-click examples, a number of minutes, or a time of day). Python checks
 * and keeps the plan (`save`) and writes the printable page (`printable`, with
 * the texts as the page has them). What is typed and not saved yet lives in
 * `drafts`, so a redraw (a gate line, a save) never loses it. Learner text is
 * only set with .value or textContent. The printout is never a contract, and
 * it has a plain title unless the learner asks for the full wording ("Print
 * with a plain title", on at first), so a page someone finds does not say what
 * it is about. CONTENT.md rule 6: while a text box holds a crisis phrase, the
 * crisis resources show under it (crisisWatch, widgets/lib/crisis.js); nothing
 * about it leaves the page. In the static book it draws a worksheet to fill in
 * by hand: no field, no line to sign or date.
 */

const PRINT_REVOKE_MS = 60_000;

/**
 * @typedef {{id: string, label: string, hint: string, examples: string[], kind: "text" | "minutes" | "time"}} Field
 */
/**
 * @typedef {{drafts: Map<string, string>, plain: boolean, hasCrisisPhrase: (text: string) => boolean} & CouplesFrame} View
 * drafts: what is typed in a field and not saved yet, by field id; plain: print with a plain title (this visit only);
 * hasCrisisPhrase: the crisis check of the text in a box, run here only
 */

/** @param {string[]} partners */
const triggerTitle = (partners) => (partners.length === 1 ? "When a trigger hits me" : "When a trigger hits us");

/** @param {string[]} partners */
const triggerFree = (partners) => (partners.length === 1
  ? "Not a contract: you can change or drop this plan at any time."
  : "Not a contract: either of you can change or drop this plan at any time.");

/** Lines to write on, for the book's worksheet. @param {number} count */
function writingLines(count) {
  const lines = h("div", { class: "sg-trigger-lines" });
  lines.append(h("span", { class: "sg-visually-hidden" }, "Space to write"));
  for (let i = 0; i < count; i++) lines.append(h("span", { class: "sg-trigger-line", "aria-hidden": "true" }));
  return lines;
}

/** The printable worksheet of the read-only book. @param {HTMLElement} root @param {AnyModel} model */
function triggerWorksheet(root, model) {
  /** @type {string[]} */ const partners = model.get("partners");
  /** @type {Field[]} */ const fields = model.get("fields");
  root.append(h("p", { class: "sg-note" }, partners.length === 1
    ? "Print this page and fill it in at a calm time, so you do not have to think it up when a trigger hits."
    : "Print this page and fill it in together at a calm time, so neither of you has to think it up when a trigger hits."));
  for (const field of fields) {
    const part = h("div", { class: "sg-trigger-part" });
    part.append(h("p", { class: "sg-trigger-label" }, field.label), h("p", { class: "sg-note" }, field.hint));
    if (field.examples.length) part.append(h("p", { class: "sg-trigger-example" }, `For example: ${field.examples[0]}`));
    if (field.kind === "text") part.append(writingLines(2));
    else if (field.kind === "minutes") part.append(h("p", { class: "sg-trigger-blank" }, "________ minutes"));
    else part.append(h("p", { class: "sg-trigger-blank" }, "At ____________ each day"));
    root.append(part);
  }
  root.append(h("p", { class: "sg-trigger-outside" }, partners.length === 1
    ? "If it hits at another time: write a short note, and come back to it at the set time."
    : "If a trigger hits at another time: say the signal, write a short note, and bring it to the set time."),
  h("p", { class: "sg-trigger-free" }, triggerFree(partners)));
}

/**
 * The value a field shows: what is typed and not saved yet, else the kept plan.
 * @param {View} view @param {Field} field
 */
function shownValue(view, field) {
  const draft = view.drafts.get(field.id);
  if (draft !== undefined) return draft;
  const value = view.model.get("plan")[field.id];
  return value === undefined || value === null ? "" : String(value);
}

/**
 * CONTENT.md rule 6: the crisis resources under a text box while it holds a
 * crisis phrase, checked when typing pauses, when focus leaves, and when drawn
 * (a kept plan with such words shows them again). Nothing about it leaves the page.
 * @param {View} view @param {HTMLInputElement | HTMLTextAreaElement} input
 */
function watchCrisis(view, input) {
  const watch = crisisWatch(input, () => view.hasCrisisPhrase(input.value), () => view.model.get("resources") || []);
  view.drawn(watch.dispose);
  watch.check();
  return watch;
}

/**
 * One part of the plan: its label, hint, box and one-click examples.
 * @param {View} view @param {Field} field
 * @returns {{part: HTMLElement, input: HTMLInputElement | HTMLTextAreaElement}}
 */
function buildField(view, field) {
  const fid = `${view.id}-${field.id}`;
  const part = h("div", { class: `sg-trigger-part sg-trigger-${field.kind}` });
  /** @type {HTMLInputElement | HTMLTextAreaElement} */
  let input;
  if (field.kind === "text") {
    const long = field.id !== "signal";
    input = long
      ? /** @type {HTMLTextAreaElement} */ (h("textarea", { id: fid, rows: "2", maxlength: "300", dir: "auto" }))
      : /** @type {HTMLInputElement} */ (h("input", { id: fid, type: "text", maxlength: "80", dir: "auto" }));
  } else if (field.kind === "minutes") {
    const [low, high] = field.id === "pause_minutes" ? ["5", "60"] : ["10", "45"];
    input = /** @type {HTMLInputElement} */ (h("input", { id: fid, type: "number", min: low, max: high, step: "1", inputmode: "numeric" }));
  } else {
    input = /** @type {HTMLInputElement} */ (h("input", { id: fid, type: "time" }));
  }
  input.setAttribute("aria-describedby", `${fid}-hint`);
  input.value = shownValue(view, field);
  view.on(input, "input", () => view.drafts.set(field.id, input.value));
  part.append(h("label", { for: fid }, field.label), h("p", { class: "sg-note", id: `${fid}-hint` }, field.hint), input);
  const crisis = field.kind === "text" ? watchCrisis(view, input) : null;
  if (crisis) part.append(crisis.el);
  if (field.examples.length) {
    const ideas = h("div", { class: "sg-trigger-ideas" });
    for (const example of field.examples) {
      const use = button(example, "sg-secondary");
      use.setAttribute("aria-label", `${field.label}: use the example "${example}"`);
      view.on(use, "click", () => {
        input.value = example;
        view.drafts.set(field.id, example);
        crisis?.check();
        input.focus();
      });
      ideas.append(use);
    }
    part.append(ideas);
  }
  return { part, input };
}

/**
 * The plan as the form has it, as Python's save and printable take it.
 * @param {Map<string, HTMLInputElement | HTMLTextAreaElement>} inputs
 */
function formValues(inputs) {
  /** @type {Record<string, string | number>} */
  const values = {};
  for (const [fid, input] of inputs) {
    values[fid] = input.type === "number" ? (input.value === "" ? Number.NaN : Number(input.value)) : input.value;
  }
  // NaN is not JSON: an empty number box goes as null, and Python says what it needs
  for (const key of Object.keys(values)) if (Number.isNaN(values[key])) values[key] = /** @type {any} */ (null);
  return values;
}

/**
 * Open the printable page Python wrote in a new tab; when a new tab is not allowed, save it as a file.
 * @param {View} view @param {string} page
 */
function openPrintable(view, page) {
  const url = URL.createObjectURL(new Blob([page], { type: "text/html" }));
  window.setTimeout(() => URL.revokeObjectURL(url), PRINT_REVOKE_MS);
  const tab = window.open(url, "_blank");
  if (tab) view.line.say("Your plan opened in a new tab. Use Print there, or save it as a PDF.");
  else downloadPage(view.line, page, view.plain ? "our-plan.html" : "trigger-plan.html",
    "The plan is downloaded. Open it in your browser to print it. " +
    "If someone else uses this device, delete the file when you are done.");
}

/**
 * "Print with a plain title": on at first, remembered in this visit only.
 * @param {View} view @param {boolean} solo
 */
function plainChoice(view, solo) {
  const fid = `${view.id}-plain`;
  const box = /** @type {HTMLInputElement} */ (h("input", { id: fid, type: "checkbox", "aria-describedby": `${fid}-note` }));
  box.checked = view.plain;
  view.on(box, "change", () => { view.plain = box.checked; });
  const choice = h("div", { class: "sg-trigger-plain" });
  const label = h("label", { for: fid });
  label.append(box, " Print with a plain title");
  choice.append(label, h("p", { class: "sg-note", id: `${fid}-note` },
    `The printout is called "${solo ? "My" : "Our"} plan for hard moments" and says "a set time to talk", ` +
    "so a page someone else finds does not say what it is about."));
  return choice;
}

/** "Delete this plan", asked twice. @param {View} view @param {boolean} solo */
function buildDelete(view, solo) {
  const forget = h("details", { class: "sg-trigger-forget" });
  const yes = button("Yes, delete it from this device", "sg-secondary");
  view.on(yes, "click", () => view.act("forget_couple", {}, (ok) => { if (ok) view.drafts.clear(); }));
  forget.append(h("summary", {}, "Drop this plan"),
    h("p", {}, solo ? "This deletes your plan from this device. You can write a new one at any time."
      : "Either of you can drop the plan at any time, with no reason needed. This deletes it from this device."), yes);
  return forget;
}

/** The plan's form, from the model (couplesFrame calls it again on changes). @param {View} view */
function drawTriggerPlan(view) {
  const { model, body } = view;
  /** @type {string[]} */ const partners = model.get("partners");
  /** @type {Field[]} */ const fields = model.get("fields");
  const solo = partners.length === 1;
  const form = h("form", { class: "sg-trigger-form", novalidate: "" });  // Python says what does not fit
  const set = h("fieldset");
  set.append(h("legend", {}, solo ? "Your plan" : "Your plan, written together"));
  /** @type {Map<string, HTMLInputElement | HTMLTextAreaElement>} */ const inputs = new Map();
  for (const field of fields) {
    const { part, input } = buildField(view, field);
    inputs.set(field.id, input);
    set.append(part);
  }
  const save = button(solo ? "Save my plan" : "Save our plan");
  save.type = "submit";
  const print = button("Print this plan", "sg-secondary");
  print.id = `${view.id}-print`;
  print.setAttribute("aria-describedby", `${view.id}-free`);
  const row = h("div", { class: "sg-trigger-actions" });
  row.append(save, print);
  form.append(set, row, plainChoice(view, solo),
    h("p", { class: "sg-trigger-free", id: `${view.id}-free` }, triggerFree(partners)));
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    view.act("save", formValues(inputs), (ok) => {
      if (!ok) return;  // keep what was typed
      view.drafts.clear();
      view.redraw();
    });
  });
  view.on(print, "click", () => {
    ask(model, view.line, "printable", { ...formValues(inputs), plain: view.plain }, { pending: "" }).then(guard(view.line, (/** @type {Reply} */ reply) => {
      if (reply.ok && typeof reply.value === "string") openPrintable(view, reply.value);
    }));
  });
  body.append(h("p", { class: "sg-note" }, solo
    ? "Write what you will do when a trigger hits. Keep it short, so it is easy to use when you are upset."
    : "Sit together at a calm time and write this plan as a team. Keep it short, so it is easy to use when a trigger hits."),
  form);
  if (model.get("saved")) body.append(buildDelete(view, solo));
}

/** @param {RenderContext} ctx @returns {() => void} */
function render(ctx) {
  const state = { drafts: new Map(), plain: true, hasCrisisPhrase: crisisMatcher(ctx.model.get("crisis_phrases") || []) };
  return couplesFrame(ctx, state, {
    kind: "trigger",
    title: triggerTitle,
    traits: ["plan", "saved", "fields", "partners"],
    worksheet: (root) => triggerWorksheet(root, ctx.model),
    draw: drawTriggerPlan,
  });
}

export default { render };
