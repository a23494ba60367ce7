// CheckIn front end: a native range input (keyboard and screen-reader friendly),
// an optional note, a save button and the trend chart rendered by Python.
// A saved rating in crisis_values (e.g. distress 9-10) shows the crisis
// resources under the status line at once (CONTENT.md rule 6); that is decided
// here from the value saved, and nothing about it goes back to Python.

const NO_KERNEL_MS = 4000;

/**
 * The read-only book has no kernel to save to: show a printable scale instead.
 * @param {{model: any, el: HTMLElement}} ctx
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

/** @param {{model: any, el: HTMLElement}} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const id = newId("checkin");
  const root = h("div", { class: "sg-widget sg-checkin", role: "group", "aria-labelledby": `${id}-label` });

  const label = h("label", { for: `${id}-range`, id: `${id}-label` });
  const row = h("div", { class: "sg-checkin-row" });
  const range = h("input", { type: "range", min: "0", max: "10", step: "1", id: `${id}-range` });
  const out = h("output", { for: `${id}-range`, class: "sg-checkin-value", "aria-hidden": "true" });
  row.append(range, out);
  const scale = h("div", { class: "sg-checkin-scale sg-note" });
  const low = h("span");
  const high = h("span");
  scale.append(low, high);

  const noteLabel = h("label", { for: `${id}-note` }, "A note for yourself (optional)");
  const note = h("textarea", { id: `${id}-note`, rows: "2", maxlength: "200000" });
  const save = h("button", { type: "button" }, "Save check-in");
  const status = h("p", { role: "status", class: "sg-checkin-status" });
  const crisis = crisisSpot(() => model.get("resources"));
  const figure = h("figure", { class: "sg-checkin-trend" });
  const img = h("img");
  const caption = h("figcaption", { class: "sg-note" });
  figure.append(img, caption);
  root.append(label, row, scale, noteLabel, note, save, status, crisis.el, figure);
  el.append(root);

  let waiting = 0;

  const sync = () => {
    label.textContent = model.get("label");
    low.textContent = model.get("low");
    high.textContent = model.get("high");
    range.value = String(model.get("value"));
    range.setAttribute("aria-valuetext", `${model.get("value")} out of 10`);
    out.textContent = String(model.get("value"));
    if (document.activeElement !== note) note.value = model.get("note");
  };
  const showStatus = () => {
    window.clearTimeout(waiting);
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };
  const showChart = () => {
    const png = model.get("chart_png");
    img.hidden = !png;
    if (png) img.src = `data:image/png;base64,${png}`;
    img.alt = model.get("chart_alt");
    caption.textContent = png ? "Your past check-ins (newest on the right)." : model.get("chart_alt");
  };

  range.addEventListener("input", () => {
    model.set("value", Number(range.value));
    model.save_changes();
  });
  note.addEventListener("input", () => {
    model.set("note", note.value);
    model.save_changes();
  });
  save.addEventListener("click", () => {
    model.set("value", Number(range.value));
    model.set("note", note.value);
    model.save_changes();
    status.textContent = "Saving…";
    status.classList.remove("sg-error");
    crisis.show(/** @type {number[]} */ (model.get("crisis_values")).includes(Number(range.value)));
    model.send({ type: "save", value: Number(range.value), note: note.value });
    // In the read-only book there is no kernel: nothing answers, so say so.
    waiting = window.setTimeout(() => {
      status.textContent = "This read-only page cannot save. Open the course app to keep your check-ins.";
    }, NO_KERNEL_MS);
  });

  const onValue = () => sync();
  /** Python answers every save, also when nothing synced changed. @param {any} msg */
  const onMsg = (msg) => { if (msg && msg.type === "done") showStatus(); };
  model.on("msg:custom", onMsg);
  model.on("change:value", onValue);
  model.on("change:note", onValue);
  model.on("change:label", onValue);
  model.on("change:status", showStatus);
  model.on("change:error", showStatus);
  model.on("change:chart_png", showChart);
  model.on("change:chart_alt", showChart);
  sync();
  showStatus();
  showChart();

  return () => {
    window.clearTimeout(waiting);
    model.off("change:value", onValue);
    model.off("change:note", onValue);
    model.off("change:label", onValue);
    model.off("change:status", showStatus);
    model.off("change:error", showStatus);
    model.off("change:chart_png", showChart);
    model.off("change:chart_alt", showChart);
    model.off("msg:custom", onMsg);
    root.remove();
  };
}

export default { render };
