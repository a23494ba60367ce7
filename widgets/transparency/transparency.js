// @ts-check
/**
 * Steady Ground transparency plan: the browser side of TransparencyPlan.
 *
 * Python checks and saves every item and writes the printable plan
 * (escaped HTML, trait `agreement_html`); "Download the plan" turns that
 * string into a Blob and downloads it. The page asks Python to run the
 * learner's choices (request/ask, widgets/lib/core.js) and shows what it says
 * on the status line. The plan is never a contract: no line to sign or date,
 * and a line saying it can be reopened or ended at any time. Learner text is
 * only set with textContent or .value. In the static book it prints a
 * worksheet instead.
 */

/**
 * @typedef {{what: string, how: string, often: string, added_by: string}} Item
 */
/**
 * @typedef {{editing: number, drafts: Map<string, string>} & CouplesFrame} View
 * editing: the item being changed, or -1; drafts: what is typed or picked in a form and not saved
 * yet, by field id, so a redraw (the other partner's change, a gate line) never loses it
 */

/** @param {string[]} partners */
const planTitle = (partners) => (partners.length === 1 ? "My plan: what I'll share" : "Our transparency plan");

/** @param {string[]} partners */
const freeLine = (partners) => (partners.length === 1
  ? "Not a contract: you can reopen or end this plan at any time."
  : "Not a contract: either of you can reopen or end this plan at any time.");

/** Printable worksheet for the read-only book. @param {HTMLElement} root @param {string[]} partners */
function worksheet(root, partners) {
  root.append(h("p", { class: "sg-note" }, "Print this page and fill it in together. Keep it short: a few things you choose to share, and can keep up, are worth more than many."));
  const table = blankTable("sg-plan-sheet", "What we share", ["What", "How", "How often", "Added by"], 6);
  root.append(table, h("p", { class: "sg-plan-line" }, "We will look at this plan again on: ____________, and then every ____ weeks."),
    h("p", { class: "sg-plan-free" }, freeLine(partners)));
}

/**
 * Download the printable plan Python wrote (`agreement_html`) as a file.
 * @param {View} view
 */
function planDownload(view) {
  const page = view.model.get("agreement_html");
  if (!page) return view.line.say("There is no plan to download yet.", true);
  downloadPage(view.line, page, "transparency-plan.html", "The plan is downloaded. Open it in your browser to print it. " +
    "If someone else uses this device, delete the file when you are done.");
}

// -- build: one part of the plan each

/**
 * A text box with one-click examples under it.
 * @param {View} view @param {HTMLElement} set @param {string} fid @param {string} label @param {string[]} examples @param {string} value
 */
function buildExampleField(view, set, fid, label, examples, value) {
  const input = /** @type {HTMLInputElement} */ (h("input", { id: fid, type: "text", maxlength: "200", dir: "auto" }));
  input.value = view.drafts.get(fid) ?? value;
  view.on(input, "input", () => view.drafts.set(fid, input.value));
  const ideas = h("div", { class: "sg-plan-ideas" });
  for (const example of examples) {
    const use = button(example, "sg-secondary");
    use.setAttribute("aria-label", `${label}: use the example "${example}"`);
    view.on(use, "click", () => { input.value = example; view.drafts.set(fid, example); input.focus(); });
    ideas.append(use);
  }
  set.append(h("label", { for: fid }, label), input, ideas);
  return input;
}

/**
 * A labelled list to choose from.
 * @param {View} view @param {HTMLElement} set @param {string} fid @param {string} label @param {string[]} options @param {string} value
 */
function buildChoice(view, set, fid, label, options, value) {
  const select = /** @type {HTMLSelectElement} */ (h("select", { id: fid }));
  for (const o of options) select.append(h("option", { value: o }, o));
  select.value = view.drafts.get(fid) ?? (value || options[0]);
  view.on(select, "change", () => view.drafts.set(fid, select.value));
  set.append(h("label", { for: fid }, label), select);
  return select;
}

/**
 * The fields of one item, for adding or changing it.
 * @param {View} view @param {string} p id prefix @param {Partial<Item>} item @param {string} legend @param {string} submit
 * @param {(item: Item) => void} onSubmit @param {(() => void) | null} onCancel
 */
function buildItemForm(view, p, item, legend, submit, onSubmit, onCancel) {
  const { model } = view;
  /** @type {string[]} */ const partners = model.get("partners");
  const form = h("form", { class: "sg-plan-form" });
  const set = h("fieldset");
  set.append(h("legend", {}, legend));
  const what = buildExampleField(view, set, `${p}-what`, "What is shared", model.get("what_examples"), item.what || "");
  const how = buildExampleField(view, set, `${p}-how`, "How it is shared", model.get("how_examples"), item.how || "");
  const often = buildChoice(view, set, `${p}-often`, "How often", model.get("often_choices"), item.often || "");
  const who = partners.length > 1 ? buildChoice(view, set, `${p}-added_by`, "Added by", partners, item.added_by || "") : null;
  formButtons(view, form, set, submit, onCancel, "sg-plan-actions");
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    onSubmit({ what: what.value, how: how.value, often: often.value, added_by: who ? who.value : partners[0] });
  });
  return form;
}

/** One item as it reads, with Edit and Remove. @param {View} view @param {Item} item @param {number} i */
function buildItem(view, item, i) {
  const li = h("li", { class: "sg-plan-item" });
  const edit = () => {
    forgetDrafts(view, `${view.id}-e${i}-`);  // start from the item as saved
    view.editing = i;
    view.redraw();
    document.getElementById(`${view.id}-e${i}-what`)?.focus();
  };
  const done = () => { forgetDrafts(view, `${view.id}-e${i}-`); view.editing = -1; view.redraw(); };
  if (i === view.editing) {
    li.append(buildItemForm(view, `${view.id}-e${i}`, item, `Change item ${i + 1}`, "Save changes",
      (next) => view.act("edit_item", { index: i, ...next }, (ok) => { if (ok) done(); }), done));
    return li;
  }
  const couple = view.model.get("partners").length > 1;
  const meta = [item.how && `How: ${item.how}`, `How often: ${item.often}`, couple ? `Added by: ${item.added_by}` : ""];
  li.append(h("p", { class: "sg-plan-what", dir: "auto" }, item.what),
    h("p", { class: "sg-note", dir: "auto" }, meta.filter(Boolean).join(". ")));
  const change = button("Edit", "sg-secondary"), del = button("Remove", "sg-secondary");
  change.id = `${view.id}-edit${i}`;
  change.setAttribute("aria-label", `Edit item ${i + 1}`);
  del.setAttribute("aria-label", `Remove item ${i + 1}`);
  view.on(change, "click", edit);
  view.on(del, "click", () => view.act("remove_item", { index: i }));
  const row = h("div", { class: "sg-plan-actions" });
  row.append(change, del);
  li.append(row);
  return li;
}

/** Forget a form's drafts once it is saved or cancelled. @param {View} view @param {string} prefix */
function forgetDrafts(view, prefix) {
  for (const key of [...view.drafts.keys()]) if (key.startsWith(prefix)) view.drafts.delete(key);
}

/** "Add an item". @param {View} view */
function buildAddForm(view) {
  const first = `${view.id}-new-what`;
  return buildItemForm(view, `${view.id}-new`, {}, "Add an item", "Add to plan",
    (next) => view.act("add_item", next, (ok) => {
      if (!ok) return;  // keep what was typed
      forgetDrafts(view, `${view.id}-new-`);
      view.redraw();
      document.getElementById(first)?.focus();
    }), null);
}

/** When you look at the plan again. @param {View} view */
function buildReview(view) {
  const { model, id } = view;
  const review = h("form", { class: "sg-plan-review" });
  const set = h("fieldset");
  set.append(h("legend", {}, "When you look at the plan again"));
  const day = /** @type {HTMLInputElement} */ (h("input", { id: `${id}-date`, type: "date" }));
  day.value = model.get("review_date");
  const weeks = /** @type {HTMLInputElement} */ (h("input", { id: `${id}-weeks`, type: "number", min: "1", max: "52", step: "1" }));
  weeks.value = String(model.get("review_weeks"));
  const save = button("Save review plan");
  save.type = "submit";
  set.append(h("label", { for: day.id }, "Next review on"), day, h("label", { for: weeks.id }, "Then review every this many weeks"), weeks, save);
  review.append(set);
  view.on(review, "submit", (ev) => {
    ev.preventDefault();
    view.act("set_review", { review_date: day.value, review_weeks: Number(weeks.value) });
  });
  return review;
}

/** "Download the plan", and that it is not a contract. @param {View} view @param {string[]} partners */
function buildDownload(view, partners) {
  const get = button("Download the plan");
  get.id = `${view.id}-download`;
  get.setAttribute("aria-describedby", `${view.id}-download-note`);
  view.on(get, "click", () => planDownload(view));
  const out = h("div", { class: "sg-plan-actions" });
  out.append(get, h("span", { id: `${view.id}-download-note`, class: "sg-note" }, `A page you can print. ${freeLine(partners)}`));
  return out;
}

// -- draw: the plan from the model (couplesFrame keeps focus and calls it again on changes)

/** @param {View} view */
function drawPlan(view) {
  const { model, body } = view;
  /** @type {string[]} */ const partners = model.get("partners");
  /** @type {Item[]} */ const items = model.get("items");
  const list = h("ol", { class: "sg-plan-items", "aria-label": "Items in the plan" });
  items.forEach((item, i) => list.append(buildItem(view, item, i)));
  if (!items.length) list.append(h("li", { class: "sg-note" }, "Nothing in the plan yet."));
  body.append(h("p", { class: "sg-note" }, partners.length === 1
    ? "Write what you will share, how, and how often. Small promises you can keep build trust, in yourself too."
    : "Write together what is shared, how, and how often. Each of you can ask for what would help. Each of you chooses what you offer. Small promises you can keep build trust."),
  list, buildAddForm(view), buildReview(view), buildDownload(view, partners));
}

/** @param {RenderContext} ctx @returns {() => void} */
function render(ctx) {
  return couplesFrame(ctx, { editing: -1, drafts: new Map() }, {
    kind: "plan",
    title: planTitle,
    traits: ["items", "partners", "review_date", "review_weeks"],
    worksheet: (root) => worksheet(root, ctx.model.get("partners")),
    draw: drawPlan,
  });
}

export default { render };
