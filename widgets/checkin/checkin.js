// @ts-check
// CheckIn front end (widgets/checkin/__init__.py): a native range input
// (keyboard and screen-reader friendly), an optional note, a save button and
// the trend chart rendered by Python. Saving is the `save` action; the note
// goes to Python only with it.
// A saved rating in crisis_values (e.g. distress 9-10) shows the crisis
// resources under the status line at once (CONTENT.md rule 6); that is decided
// here from the value saved, and nothing about it goes back to Python.

/**
 * One check-in on the page.
 * @typedef {object} View
 * @property {AnyModel} model
 * @property {StatusLine} line
 * @property {HTMLElement} label
 * @property {HTMLInputElement} range
 * @property {HTMLElement} out
 * @property {HTMLElement} low
 * @property {HTMLElement} high
 * @property {HTMLTextAreaElement} note
 * @property {HTMLButtonElement} save
 * @property {{el: HTMLElement, show: (on: boolean) => void}} crisis
 * @property {HTMLImageElement} img
 * @property {HTMLElement} caption
 */

/**
 * The read-only book has no kernel to save to: show a printable scale instead.
 * @param {RenderContext} ctx
 */
function renderSheet({ model, el }) {
  const root = h("div", { class: "sg-widget sg-checkin sg-checkin-sheet", role: "group", "aria-label": `Worksheet: ${model.get("label")}` });
  root.append(h("p", { class: "sg-checkin-sheet-title" }, model.get("label")));
  root.append(h("p", { class: "sg-note" }, "Circle a number. There is no right answer; it is just for you."));
  const scale = h("p", { class: "sg-checkin-sheet-scale", "aria-label": "0 to 10" });
  scale.textContent = Array.from({ length: 11 }, (_, i) => String(i)).join("   ");
  const ends = h("div", { class: "sg-checkin-scale sg-note" });
  ends.append(h("span", {}, model.get("low")), h("span", {}, model.get("high")));
  root.append(scale, ends, h("p", {}, "A note for yourself:"));
  for (let i = 0; i < 3; i += 1) root.append(h("div", { class: "sg-checkin-sheet-line", "aria-hidden": "true" }));
  root.append(h("p", { class: "sg-note" }, "In the course app your check-ins save privately on your device and show as a trend."));
  el.append(root);
  return () => root.remove();
}

// -- build

/** The controls, in page order. @param {AnyModel} model @param {string} id @returns {View} */
function buildView(model, id) {
  return {
    model,
    line: statusLine(model, "sg-checkin-status"),
    label: h("label", { for: `${id}-range`, id: `${id}-label` }),
    range: /** @type {HTMLInputElement} */ (h("input", { type: "range", min: "0", max: "10", step: "1", id: `${id}-range` })),
    out: h("output", { for: `${id}-range`, class: "sg-checkin-value", "aria-hidden": "true" }),
    low: h("span"),
    high: h("span"),
    note: /** @type {HTMLTextAreaElement} */ (h("textarea", { id: `${id}-note`, rows: "2", maxlength: "200000" })),
    save: button("Save check-in"),
    crisis: crisisSpot(() => model.get("resources")),
    img: /** @type {HTMLImageElement} */ (h("img")),
    caption: h("figcaption", { class: "sg-note" }),
  };
}

/** @param {View} view @param {string} id @returns {HTMLElement} */
function buildRoot(view, id) {
  const root = h("div", { class: "sg-widget sg-checkin", role: "group", "aria-labelledby": `${id}-label` });
  const row = h("div", { class: "sg-checkin-row" });
  row.append(view.range, view.out);
  const scale = h("div", { class: "sg-checkin-scale sg-note" });
  scale.append(view.low, view.high);
  const figure = h("figure", { class: "sg-checkin-trend" });
  figure.append(view.img, view.caption);
  root.append(view.label, row, scale, h("label", { for: view.note.id }, "A note for yourself (optional)"), view.note,
    view.save, view.line.el, view.crisis.el, figure);
  return root;
}

// -- update: show what Python holds

/** The question, its ends and the slider. @param {View} view */
function updateFields(view) {
  const { model } = view;
  const value = model.get("value");
  view.label.textContent = model.get("label");
  view.low.textContent = model.get("low");
  view.high.textContent = model.get("high");
  view.range.value = String(value);
  view.range.setAttribute("aria-valuetext", `${value} out of 10`);
  view.out.textContent = String(value);
}

/** The note Python starts the box with (a notebook may set one); never over what is being typed. @param {View} view */
function updateNote(view) {
  if (document.activeElement !== view.note) view.note.value = view.model.get("note");
}

/** The trend chart, or its words alone when there is none yet. @param {View} view */
function updateChart(view) {
  const png = view.model.get("chart_png");
  view.img.hidden = !png;
  if (png) view.img.src = `data:image/png;base64,${png}`;
  view.img.alt = view.model.get("chart_alt");
  view.caption.textContent = png ? "Your past check-ins (newest on the right)." : view.model.get("chart_alt");
}

// -- bind: what the learner does

/** The slider's position is plain page state: Python follows it. @param {View} view */
function bindSlider(view) {
  view.range.addEventListener("input", guard(view.line, () => {
    view.model.set("value", Number(view.range.value));
    view.model.save_changes();
  }));
}

/** "Save check-in": the value and note shown go to Python; the note box empties once they are kept. @param {View} view */
function bindSave(view) {
  view.save.addEventListener("click", guard(view.line, () => {
    const value = Number(view.range.value), note = view.note.value;
    // CONTENT.md rule 6: decided here, at once, from the value being saved; never sent back.
    view.crisis.show(/** @type {number[]} */ (view.model.get("crisis_values")).includes(value));
    ask(view.model, view.line, "save", { value, note }).then(guard(view.line, (/** @type {Reply} */ reply) => {
      if (reply.ok && view.note.value === note) view.note.value = ""; // kept: a fresh box (unless typed on since)
    }));
  }));
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const id = newId("checkin");
  const view = buildView(model, id);
  const root = buildRoot(view, id);
  el.append(root);
  bindSlider(view);
  bindSave(view);
  const fields = guard(view.line, () => updateFields(view));
  const chart = guard(view.line, () => updateChart(view));
  const stop = listen(model, {
    "change:value": fields, "change:label": fields, "change:low": fields, "change:high": fields,
    "change:note": guard(view.line, () => updateNote(view)),
    "change:chart_png": chart, "change:chart_alt": chart,
  });
  updateFields(view);
  updateNote(view);
  updateChart(view);
  // A preheated Voila kernel drew the trend before the page opened: ask for it again.
  request(model, "refresh");

  return () => {
    stop();
    view.line.dispose();
    root.remove();
  };
}

export default { render };
