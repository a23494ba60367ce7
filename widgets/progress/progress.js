// @ts-check
// ProgressReview front end: tick boxes for the gauges, a Refresh button, and
// what Python computed: a few plain sentences, the chart with its alt text and
// the same numbers as a table. The boxes and the button call actions of
// widgets/progress/__init__.py through request/ask (widgets/lib/core.js).
// In the static book (no kernel) it shows a note and a printable weekly
// tracking table instead.

const NO_REVIEW = "The course app is not answering. Open the course app to see your progress.";

/**
 * The drawn review.
 * @typedef {{
 *   id: string, root: HTMLElement, boxes: HTMLElement, refresh: HTMLButtonElement, line: StatusLine,
 *   summary: HTMLElement, care: HTMLElement, figure: HTMLElement, img: HTMLElement, details: HTMLElement
 * }} View
 */

/** @param {RenderContext} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const view = buildView(model);
  el.append(view.root);
  const stop = bindView(model, view);
  // Voila may have run this notebook in a preheated kernel before the page was asked for.
  request(model, "refresh", { quiet: true });
  return () => {
    stop();
    view.line.dispose();
    view.root.remove();
  };
}

/**
 * "muscle-relaxation" -> "Muscle relaxation"; the solo ladder's diary says where it comes from.
 * @param {string} gauge
 */
function gaugeName(gauge) {
  const words = gauge.replace(/[-_]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1) + (gauge === "solo-ladder-safety" ? " (your solo diary, module 7)" : "");
}

/**
 * A table with a caption, a header row and rows of text.
 * @param {string} caption
 * @param {string[]} head
 * @param {string[][]} rows
 */
function tableOf(caption, head, rows) {
  const table = h("table");
  const top = h("tr");
  for (const label of head) top.append(h("th", { scope: "col" }, label));
  const body = h("tbody");
  for (const row of rows) {
    const tr = h("tr");
    row.forEach((cell, i) => tr.append(h(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {}, cell)));
    body.append(tr);
  }
  const thead = h("thead");
  thead.append(top);
  table.append(h("caption", {}, caption), thead, body);
  return table;
}

/**
 * The review's parts, empty; drawBoxes and showReview fill them.
 * @param {AnyModel} model
 * @returns {View}
 */
function buildView(model) {
  const id = newId("progress");
  const root = h("div", { class: "sg-widget sg-progress", role: "group", "aria-labelledby": `${id}-title` });
  const boxes = h("fieldset");
  const controls = h("div", { class: "sg-progress-controls" });
  const refresh = button("Refresh", "sg-secondary");
  const line = statusLine(model, "sg-progress-status");
  controls.append(refresh, line.el);
  const summary = h("p", { class: "sg-progress-summary", "aria-live": "polite" });
  const care = h("p", { class: "sg-warn" });
  const figure = h("figure", { class: "sg-progress-chart" });
  const img = h("img");
  figure.append(img, h("figcaption", { class: "sg-note" }, "Practice minutes, then your weekly average ratings, oldest week on the left. Weeks without ratings show as gaps."));
  const details = h("details");
  details.append(h("summary", {}, "Show the numbers as a table"));
  root.append(h("p", { id: `${id}-title`, class: "sg-progress-title" }, "Your progress review"),
    h("p", { class: "sg-note" }, "Built from your own check-ins and practice, on this device. It is for looking back, not a test or a diagnosis."),
    boxes, controls, summary, care, figure, details);
  return { id, root, boxes, refresh, line, summary, care, figure, img, details };
}

/**
 * Listen to the Refresh button and the model; the returned function stops it all.
 * @param {AnyModel} model
 * @param {View} view
 */
function bindView(model, view) {
  const onRefresh = guard(view.line, () => {
    ask(model, view.line, "refresh", {}, { pending: "Refreshing…", noReply: NO_REVIEW });
  });
  view.refresh.addEventListener("click", onRefresh);
  const onBoxes = guard(view.line, () => drawBoxes(model, view));
  const onReview = () => showReview(model, view);
  const stop = listen(model, {
    "change:choices": onBoxes, "change:gauges": onBoxes, "change:summary": onReview, "change:chart_png": onReview,
    "change:chart_alt": onReview, "change:care": onReview, "change:table": onReview,
  });
  onBoxes();
  onReview();
  return () => {
    stop();
    view.refresh.removeEventListener("click", onRefresh);
  };
}

/**
 * One tick box per gauge with check-ins; ticking asks Python to show those gauges.
 * @param {AnyModel} model
 * @param {View} view
 */
function drawBoxes(model, view) {
  const { boxes } = view;
  keepFocus(boxes, () => fillBoxes(model, view));
}

/** @param {AnyModel} model @param {View} view */
function fillBoxes(model, view) {
  const { boxes, id } = view;
  /** @type {string[]} */ const choices = model.get("choices");
  const ticked = new Set(model.get("gauges"));
  boxes.replaceChildren(h("legend", {}, "Check-ins to show"));
  const row = h("div", { class: "sg-progress-boxes" });
  choices.forEach((gauge, n) => {
    const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-g${n}`, value: gauge }));
    box.checked = ticked.has(gauge);
    box.addEventListener("change", guard(view.line, () => {
      const chosen = [...row.querySelectorAll("input:checked")].map((b) => /** @type {HTMLInputElement} */ (b).value);
      ask(model, view.line, "set_gauges", { gauges: chosen }, { pending: "", noReply: NO_REVIEW });
    }));
    const wrap = h("div", { class: "sg-progress-box" });
    wrap.append(box, h("label", { for: box.id }, gaugeName(gauge)));
    row.append(wrap);
  });
  if (!choices.length) row.append(h("p", { class: "sg-note" }, "Your check-ins will show here as choices once you have some."));
  boxes.append(row);
}

/**
 * What Python computed: the sentences, where help is, the chart and its table.
 * @param {AnyModel} model
 * @param {View} view
 */
function showReview(model, view) {
  const png = model.get("chart_png");
  view.summary.textContent = model.get("summary");
  view.care.textContent = model.get("care");
  view.care.hidden = !model.get("care");
  view.figure.hidden = !png;
  if (png) view.img.setAttribute("src", `data:image/png;base64,${png}`);
  view.img.setAttribute("alt", model.get("chart_alt"));
  const { head = [], rows = [] } = model.get("table");
  view.details.hidden = !rows.length;
  view.details.querySelector("table")?.remove();
  if (rows.length) view.details.append(tableOf("Your weeks, oldest first", head, rows));
}

/**
 * The static book has no kernel and no data: a note and a table to print and fill in.
 * @param {RenderContext} ctx
 */
function renderSheet({ model, el }) {
  const id = newId("progress");
  const root = h("div", { class: "sg-widget sg-progress sg-progress-sheet", role: "group", "aria-labelledby": `${id}-title` });
  const rows = Array.from({ length: model.get("weeks") }, (_, i) => [`Week ${i + 1}`, "", "", ""]);
  const print = button("Print this table", "sg-secondary");
  const onPrint = () => window.print();
  print.addEventListener("click", onPrint);
  root.append(h("p", { class: "sg-progress-title", id: `${id}-title` }, "Your progress review"),
    h("p", {}, "Your progress review is built from your own check-ins in the course app, on your own device."),
    h("p", { class: "sg-note" }, "You can also keep track on paper. Each week, write down your practice minutes and a rating from 0 to 10 for how calm and how safe you felt."),
    tableOf("Weekly tracking", ["Week", "Practice minutes", "Calm (0-10)", "Safety (0-10)"], rows), print);
  el.append(root);
  return () => { print.removeEventListener("click", onPrint); root.remove(); };
}

export default { render };
