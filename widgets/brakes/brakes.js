// BrakesAndAccelerators front end. Python checks and stores everything; this
// file only draws the lists, sends the learner's choices and shows the chart.
// Learner text is only ever set with textContent or as an attribute value.
// In the static book (no kernel) it draws a printable worksheet instead.

const NO_KERNEL_MS = 4000;
const SIDES = [
  { side: "accelerator", legend: "What presses my accelerator", own: "Add your own accelerator", list: "accelerator_suggestions" },
  { side: "brake", legend: "What presses my brakes", own: "Add your own brake", list: "brake_suggestions" },
];

/** @param {{model: any, el: HTMLElement}} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const id = newId("brakes");
  /** @type {Map<string, string>} stable element ids per item, so focus survives redraws */
  const ids = new Map();
  const idFor = (/** @type {string} */ key) => {
    if (!ids.has(key)) ids.set(key, `${id}-i${ids.size}`);
    return /** @type {string} */ (ids.get(key));
  };
  const root = h("div", { class: "sg-widget sg-brakes", role: "group", "aria-labelledby": `${id}-title` });
  const title = h("p", { id: `${id}-title`, class: "sg-brakes-title" }, "My accelerators and brakes");
  const intro = h("p", { class: "sg-note" },
    "Tick what presses your accelerator and what presses your brakes, and say how much. Everything is optional.");
  const lists = h("div", { class: "sg-brakes-lists" });
  const situation = h("fieldset", { class: "sg-brakes-situation" });
  const figure = h("figure", { class: "sg-brakes-chart" });
  const img = h("img");
  const caption = h("figcaption", { "aria-live": "polite" });
  figure.append(img, caption);
  const save = h("button", { type: "button" }, "Save my lists");
  const status = h("p", { role: "status", class: "sg-brakes-status" });
  root.append(title, intro, lists, situation, figure, save, status);
  el.append(root);

  let waiting = 0;
  /** @param {Record<string, unknown>} msg */
  const send = (msg) => {
    window.clearTimeout(waiting);
    model.send(msg);
    waiting = window.setTimeout(() => {
      status.textContent = "Nothing answered. This read-only page cannot save; open the course app to use this exercise.";
    }, NO_KERNEL_MS);
  };
  /** @param {() => void} fn */
  const guarded = (fn) => () => {
    try { fn(); } catch (err) {
      status.textContent = `Something went wrong: ${err instanceof Error ? err.message : String(err)}`;
      status.classList.add("sg-error");
    }
  };

  /**
   * One tick box (and, once chosen, its "how much" select).
   * @param {{text: string, side: string, weight: number} | undefined} item the chosen item, if ticked
   * @param {string} text
   * @param {string} side "accelerator" or "brake"
   * @param {string} headId id of the visible "How much:" heading, part of the select's name
   */
  const itemRow = (item, text, side, headId) => {
    const key = `${side}:${text}`;
    const row = h("div", { class: "sg-brakes-item" });
    const box = h("input", { type: "checkbox", id: idFor(key) });
    /** @type {HTMLInputElement} */ (box).checked = Boolean(item);
    const label = h("label", { for: idFor(key), id: `${idFor(key)}-l` }, text);
    row.append(box, label);
    box.addEventListener("change", guarded(() => {
      const on = /** @type {HTMLInputElement} */ (box).checked;
      send(on ? { type: "add", side, text, weight: 2 } : { type: "remove", text });
    }));
    if (item) {
      const select = h("select", { id: idFor(`${key}:w`), "aria-labelledby": `${headId} ${idFor(key)}-l` });
      for (const [value, name] of Object.entries(model.get("weight_names"))) {
        const option = h("option", { value }, name);
        if (Number(value) === item.weight) option.setAttribute("selected", "");
        select.append(option);
      }
      select.addEventListener("change", guarded(() => {
        send({ type: "weight", text, weight: Number(/** @type {HTMLSelectElement} */ (select).value) });
      }));
      row.append(select);
    }
    return row;
  };

  /** Redraw with fn, then put the keyboard focus back where it was. @param {() => void} fn */
  const keepFocus = (fn) => {
    const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : "";
    fn();
    if (focused) document.getElementById(focused)?.focus();
  };

  const drawLists = () => {
    const drafts = [...lists.querySelectorAll("input[type=text]")].map((n) => /** @type {HTMLInputElement} */ (n).value);
    const items = /** @type {{text: string, side: string, weight: number}[]} */ (model.get("items"));
    lists.replaceChildren();
    SIDES.forEach(({ side, legend, own, list }, n) => {
      const set = h("fieldset", { class: `sg-brakes-${side}` });
      const headId = `${id}-${side}-how`;
      set.append(h("legend", {}, legend), h("p", { class: "sg-note sg-brakes-how", id: headId }, "How much:"));
      const suggested = /** @type {string[]} */ (model.get(list));
      for (const text of suggested) set.append(itemRow(items.find((i) => i.text === text && i.side === side), text, side, headId));
      for (const item of items.filter((i) => i.side === side && !suggested.includes(i.text))) {
        set.append(itemRow(item, item.text, side, headId));
      }
      const addRow = h("div", { class: "sg-brakes-add" });
      const input = h("input", { type: "text", id: `${id}-${side}-own`, maxlength: "80", autocomplete: "off" });
      /** @type {HTMLInputElement} */ (input).value = drafts[n] ?? "";
      const add = h("button", { type: "button", class: "sg-secondary", id: `${id}-${side}-add` }, "Add");
      const submit = guarded(() => {
        const text = /** @type {HTMLInputElement} */ (input).value;
        if (!text.trim()) { status.textContent = "Write a few words first."; return; }
        /** @type {HTMLInputElement} */ (input).value = "";
        send({ type: "add", side, text, weight: 2 });
      });
      add.addEventListener("click", submit);
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") submit(); });
      addRow.append(h("label", { for: `${id}-${side}-own` }, own), input, add);
      set.append(addRow);
      lists.append(set);
    });
    drawSituation(items);
  };

  /** @param {{text: string, side: string, weight: number}[]} items */
  const drawSituation = (items) => {
    const present = new Set(model.get("situation"));
    situation.replaceChildren(h("legend", {}, "Think of one situation. Which of your items are present?"));
    if (!items.length) situation.append(h("p", { class: "sg-note" }, "Tick some items above first."));
    for (const { side } of SIDES) {
      const mine = items.filter((i) => i.side === side);
      if (!mine.length) continue;
      situation.append(h("p", { class: "sg-brakes-sub" }, side === "brake" ? "Brakes" : "Accelerators"));
      for (const item of mine) {
        const key = `present:${side}:${item.text}`;
        const row = h("div", { class: "sg-brakes-item" });
        const box = h("input", { type: "checkbox", id: idFor(key) });
        /** @type {HTMLInputElement} */ (box).checked = present.has(item.text);
        box.addEventListener("change", guarded(() => {
          send({ type: "present", text: item.text, present: /** @type {HTMLInputElement} */ (box).checked });
        }));
        row.append(box, h("label", { for: idFor(key) }, item.text));
        situation.append(row);
      }
    }
  };

  const showChart = () => {
    const png = model.get("chart_png");
    figure.hidden = false;
    img.hidden = !png;
    if (png) img.setAttribute("src", `data:image/png;base64,${png}`);
    img.setAttribute("alt", model.get("chart_alt"));
    caption.textContent = model.get("summary");
  };
  const showStatus = () => {
    window.clearTimeout(waiting);
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };

  save.addEventListener("click", guarded(() => {
    status.textContent = "Saving…";
    status.classList.remove("sg-error");
    send({ type: "save" });
  }));
  const onLists = guarded(() => keepFocus(drawLists));
  const onSituation = guarded(() => keepFocus(() => drawSituation(model.get("items"))));
  model.on("change:items", onLists);
  model.on("change:situation", onSituation);
  model.on("change:chart_png", showChart);
  model.on("change:chart_alt", showChart);
  model.on("change:summary", showChart);
  model.on("change:status", showStatus);
  model.on("change:error", showStatus);
  onLists();
  showChart();
  showStatus();

  return () => {
    window.clearTimeout(waiting);
    model.off("change:items", onLists);
    model.off("change:situation", onSituation);
    model.off("change:chart_png", showChart);
    model.off("change:chart_alt", showChart);
    model.off("change:summary", showChart);
    model.off("change:status", showStatus);
    model.off("change:error", showStatus);
    root.remove();
  };
}

/**
 * The static book has no kernel: a worksheet to print and fill in by hand.
 * @param {{model: any, el: HTMLElement}} ctx
 */
function renderSheet({ model, el }) {
  const root = h("div", { class: "sg-widget sg-brakes sg-brakes-sheet", role: "group", "aria-label": "Worksheet: my accelerators and brakes" });
  root.append(
    h("p", { class: "sg-brakes-title" }, "Worksheet: my accelerators and brakes"),
    h("p", { class: "sg-note" }, "Print this or copy it onto paper. Tick what fits, add your own, and circle how much each weighs: 1 a little, 2 some, 3 a lot. Open the course app to use the interactive version."),
  );
  const cols = h("div", { class: "sg-brakes-lists" });
  for (const { legend, list } of SIDES) {
    const col = h("div");
    const ul = h("ul", { class: "sg-brakes-sheetlist" });
    const line = (/** @type {string} */ text) => {
      const li = h("li");
      li.append(h("span", { "aria-hidden": "true" }, "☐ "), text ? h("span", {}, text) : h("span", { class: "sg-brakes-blank" }, ""),
        h("span", { class: "sg-brakes-circle" }, "1 2 3"));
      if (!text) li.append(h("span", { class: "sg-visually-hidden" }, "space for your own"));
      return li;
    };
    for (const text of model.get(list)) ul.append(line(text));
    for (let i = 0; i < 3; i++) ul.append(line(""));
    col.append(h("p", { class: "sg-brakes-sub" }, legend), ul);
    cols.append(col);
  }
  const table = h("table", { class: "sg-brakes-table" });
  table.append(h("caption", {}, "One situation: what is present, and how much does it weigh?"));
  const head = h("tr");
  for (const label of ["What is present", "Accelerator or brake", "How much (1-3)"]) head.append(h("th", { scope: "col" }, label));
  table.append(head);
  for (let i = 0; i < 6; i++) {
    const tr = h("tr");
    for (let j = 0; j < 3; j++) tr.append(h("td"));
    table.append(tr);
  }
  const totals = h("div", { class: "sg-brakes-totals" });
  totals.append(h("p", {}, "Accelerators add up to: ______"), h("p", {}, "Brakes add up to: ______"));
  const print = h("button", { type: "button", class: "sg-secondary" }, "Print this worksheet");
  const onPrint = () => window.print();
  print.addEventListener("click", onPrint);
  root.append(cols, table, totals, h("p", { class: "sg-note" },
    "If your brakes weigh more, that is common after a betrayal, and it is not a fault."), print);
  el.append(root);
  return () => { print.removeEventListener("click", onPrint); root.remove(); };
}

export default { render };
