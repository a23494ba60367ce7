// ProgressReview front end: tick boxes for the gauges, a Refresh button, and
// what Python computed: a few plain sentences, the chart with its alt text and
// the same numbers as a table. In the static book (no kernel) it shows a note
// and a printable weekly tracking table instead.

const NO_KERNEL_MS = 4000;

/** "muscle-relaxation" -> "Muscle relaxation"; the solo ladder's diary says where it comes from. @param {string} gauge */
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

/** @param {{model: any, el: HTMLElement}} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const id = newId("progress");
  const root = h("div", { class: "sg-widget sg-progress", role: "group", "aria-labelledby": `${id}-title` });
  const title = h("p", { id: `${id}-title`, class: "sg-progress-title" }, "Your progress review");
  const intro = h("p", { class: "sg-note" },
    "Built from your own check-ins and practice, on this device. It is for looking back, not a test or a diagnosis.");
  const boxes = h("fieldset");
  const controls = h("div", { class: "sg-progress-controls" });
  const refresh = h("button", { type: "button", class: "sg-secondary" }, "Refresh");
  const status = h("p", { role: "status", class: "sg-progress-status" });
  controls.append(refresh, status);
  const summary = h("p", { class: "sg-progress-summary", "aria-live": "polite" });
  const care = h("p", { class: "sg-warn" });
  const figure = h("figure", { class: "sg-progress-chart" });
  const img = h("img");
  figure.append(img, h("figcaption", { class: "sg-note" }, "Practice minutes, then your weekly average ratings, oldest week on the left. Weeks without ratings show as gaps."));
  const details = h("details");
  details.append(h("summary", {}, "Show the numbers as a table"));
  root.append(title, intro, boxes, controls, summary, care, figure, details);
  el.append(root);

  let waiting = 0;
  /** @param {string} message */
  const fail = (message) => {
    status.textContent = message;
    status.classList.add("sg-error");
  };
  /** @param {Record<string, unknown>} msg */
  const send = (msg) => {
    window.clearTimeout(waiting);
    model.send(msg);
    waiting = window.setTimeout(() => { status.textContent = "Nothing answered. Open the course app to see your progress."; }, NO_KERNEL_MS);
  };

  const drawBoxes = () => {
    const focused = document.activeElement && boxes.contains(document.activeElement) ? document.activeElement.id : "";
    /** @type {string[]} */ const choices = model.get("choices");
    const ticked = new Set(model.get("gauges"));
    boxes.replaceChildren(h("legend", {}, "Check-ins to show"));
    const row = h("div", { class: "sg-progress-boxes" });
    choices.forEach((gauge, n) => {
      const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-g${n}`, value: gauge }));
      box.checked = ticked.has(gauge);
      box.addEventListener("change", () => {
        try {
          const chosen = [...row.querySelectorAll("input:checked")].map((b) => /** @type {HTMLInputElement} */ (b).value);
          model.set("gauges", chosen);
          model.save_changes();
        } catch (err) { fail(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`); }
      });
      const wrap = h("div", { class: "sg-progress-box" });
      wrap.append(box, h("label", { for: box.id }, gaugeName(gauge)));
      row.append(wrap);
    });
    if (!choices.length) row.append(h("p", { class: "sg-note" }, "Your check-ins will show here as choices once you have some."));
    boxes.append(row);
    if (focused) document.getElementById(focused)?.focus();
  };
  const showReview = () => {
    const png = model.get("chart_png");
    summary.textContent = model.get("summary");
    care.textContent = model.get("care");
    care.hidden = !model.get("care");
    figure.hidden = !png;
    if (png) img.setAttribute("src", `data:image/png;base64,${png}`);
    img.setAttribute("alt", model.get("chart_alt"));
    const { head = [], rows = [] } = model.get("table");
    details.hidden = !rows.length;
    details.querySelector("table")?.remove();
    if (rows.length) details.append(tableOf("Your weeks, oldest first", head, rows));
  };
  const showStatus = () => {
    window.clearTimeout(waiting);
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };

  refresh.addEventListener("click", () => {
    try {
      status.textContent = "Refreshing…";
      status.classList.remove("sg-error");
      send({ type: "refresh" });
    } catch (err) { fail(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`); }
  });
  const events = { "change:choices": drawBoxes, "change:gauges": drawBoxes, "change:summary": showReview,
    "change:chart_png": showReview, "change:chart_alt": showReview, "change:care": showReview,
    "change:table": showReview, "change:status": showStatus, "change:error": showStatus };
  for (const [ev, fn] of Object.entries(events)) model.on(ev, fn);
  drawBoxes();
  showReview();
  showStatus();
  // Voila may have run this notebook in a preheated kernel before the page was asked for.
  try { model.send({ type: "refresh", quiet: true }); } catch (err) { fail(`Your progress may be out of date: ${err}`); }

  return () => {
    window.clearTimeout(waiting);
    for (const [ev, fn] of Object.entries(events)) model.off(ev, fn);
    root.remove();
  };
}

/**
 * The static book has no kernel and no data: a note and a table to print and fill in.
 * @param {{model: any, el: HTMLElement}} ctx
 */
function renderSheet({ model, el }) {
  const id = newId("progress");
  const root = h("div", { class: "sg-widget sg-progress sg-progress-sheet", role: "group", "aria-labelledby": `${id}-title` });
  const rows = Array.from({ length: model.get("weeks") }, (_, i) => [`Week ${i + 1}`, "", "", ""]);
  const print = h("button", { type: "button", class: "sg-secondary" }, "Print this table");
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
