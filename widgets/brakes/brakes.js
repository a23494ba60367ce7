// @ts-check
// BrakesAndAccelerators front end. Python checks and stores everything; this
// file only draws the lists, asks Python to change them (actions of
// widgets/brakes/__init__.py, through request/ask of widgets/lib/core.js) and
// shows the chart. Learner text is only ever set with textContent or as an
// attribute value. In the static book (no kernel) it draws a printable
// worksheet instead.

const SIDES = [
  { side: "accelerator", legend: "What presses my accelerator", own: "Add your own accelerator", list: "accelerator_suggestions" },
  { side: "brake", legend: "What presses my brakes", own: "Add your own brake", list: "brake_suggestions" },
];

/** @typedef {{text: string, side: string, weight: number}} Item */
/**
 * The drawn widget: its parts, the status line, and `act`, which asks Python
 * for one change (an action) with the status line kept up to date.
 * @typedef {{
 *   id: string, root: HTMLElement, lists: HTMLElement, situation: HTMLElement,
 *   figure: HTMLElement, img: HTMLElement, caption: HTMLElement, save: HTMLButtonElement,
 *   line: StatusLine, idFor: (key: string) => string,
 *   act: (name: string, args?: Record<string, any>, pending?: string) => Promise<Reply>
 * }} View
 */

/** @param {RenderContext} ctx */
function render({ model, el }) {
  if (isBook()) return renderSheet({ model, el });
  const view = buildView(model);
  el.append(view.root);
  const stop = bindView(model, view);
  request(model, "refresh");  // a preheated kernel may have read the saved lists before this page opened
  return () => {
    stop();
    view.line.dispose();
    view.root.remove();
  };
}

/**
 * The widget's parts, empty; drawLists and showChart fill them.
 * @param {AnyModel} model
 * @returns {View}
 */
function buildView(model) {
  const id = newId("brakes");
  /** @type {Map<string, string>} stable element ids per item, so focus survives redraws */
  const ids = new Map();
  /** @param {string} key */
  const idFor = (key) => {
    if (!ids.has(key)) ids.set(key, `${id}-i${ids.size}`);
    return /** @type {string} */ (ids.get(key));
  };
  const root = h("div", { class: "sg-widget sg-brakes", role: "group", "aria-labelledby": `${id}-title` });
  const lists = h("div", { class: "sg-brakes-lists" });
  const situation = h("fieldset", { class: "sg-brakes-situation" });
  const figure = h("figure", { class: "sg-brakes-chart" });
  const img = h("img");
  const caption = h("figcaption", { "aria-live": "polite" });
  figure.append(img, caption);
  const save = button("Save my lists");
  const line = statusLine(model, "sg-brakes-status");
  root.append(
    h("p", { id: `${id}-title`, class: "sg-brakes-title" }, "My accelerators and brakes"),
    h("p", { class: "sg-note" },
      "Tick what presses your accelerator and what presses your brakes, and say how much. Everything is optional."),
    lists, situation, figure, save, line.el);
  /** @type {View["act"]} */
  const act = (name, args = {}, pending = "") => ask(model, line, name, args, { pending });
  return { id, root, lists, situation, figure, img, caption, save, line, idFor, act };
}

/**
 * Listen to the model and the Save button; the returned function stops it all.
 * @param {AnyModel} model
 * @param {View} view
 */
function bindView(model, view) {
  const onSave = guard(view.line, () => { view.act("save", {}, "Saving…"); });
  view.save.addEventListener("click", onSave);
  const onLists = guard(view.line, () => keepFocus(view.root, () => drawLists(model, view)));
  const onSituation = guard(view.line, () => keepFocus(view.root, () => drawSituation(model, view)));
  const onChart = () => showChart(model, view);
  const stop = listen(model, {
    "change:items": onLists, "change:situation": onSituation,
    "change:chart_png": onChart, "change:chart_alt": onChart, "change:summary": onChart,
  });
  onLists();
  onChart();
  return () => {
    stop();
    view.save.removeEventListener("click", onSave);
  };
}

/**
 * One tick box (and, once chosen, its "how much" select).
 * @param {AnyModel} model
 * @param {View} view
 * @param {Item | undefined} item the chosen item, if ticked
 * @param {string} text
 * @param {string} side "accelerator" or "brake"
 * @param {string} headId id of the visible "How much:" heading, part of the select's name
 */
function itemRow(model, view, item, text, side, headId) {
  const key = `${side}:${text}`;
  const row = h("div", { class: "sg-brakes-item" });
  const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: view.idFor(key) }));
  box.checked = Boolean(item);
  const label = h("label", { for: view.idFor(key), id: `${view.idFor(key)}-l` }, text);
  row.append(box, label);
  box.addEventListener("change", guard(view.line, () => {
    view.act(box.checked ? "add" : "remove", box.checked ? { side, text, weight: 2 } : { text });
  }));
  if (item) {
    const select = /** @type {HTMLSelectElement} */ (h("select", {
      id: view.idFor(`${key}:w`), "aria-labelledby": `${headId} ${view.idFor(key)}-l`,
    }));
    for (const [value, name] of Object.entries(model.get("weight_names"))) {
      const option = h("option", { value }, String(name));
      if (Number(value) === item.weight) option.setAttribute("selected", "");
      select.append(option);
    }
    select.addEventListener("change", guard(view.line, () => {
      view.act("set_weight", { text, weight: Number(select.value) });
    }));
    row.append(select);
  }
  return row;
}

/**
 * The "Add your own" row of one side, keeping what was being typed.
 * @param {View} view
 * @param {string} side
 * @param {string} own the label
 * @param {string} draft text typed before the redraw
 */
function addRow(view, side, own, draft) {
  const row = h("div", { class: "sg-brakes-add" });
  const input = /** @type {HTMLInputElement} */ (h("input", {
    type: "text", id: `${view.id}-${side}-own`, maxlength: "80", autocomplete: "off",
  }));
  input.value = draft;
  const add = button("Add", "sg-secondary");
  add.id = `${view.id}-${side}-add`;
  const submit = guard(view.line, () => {
    const text = input.value;
    if (!text.trim()) { view.line.say("Write a few words first."); return; }
    input.value = "";
    view.act("add", { side, text, weight: 2 });
  });
  add.addEventListener("click", submit);
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") submit(); });
  row.append(h("label", { for: input.id }, own), input, add);
  return row;
}

/**
 * Both lists: the suggestions and the learner's own items, then the situation.
 * @param {AnyModel} model
 * @param {View} view
 */
function drawLists(model, view) {
  const drafts = [...view.lists.querySelectorAll("input[type=text]")].map((n) => /** @type {HTMLInputElement} */ (n).value);
  const items = /** @type {Item[]} */ (model.get("items"));
  view.lists.replaceChildren();
  SIDES.forEach(({ side, legend, own, list }, n) => {
    const set = h("fieldset", { class: `sg-brakes-${side}` });
    const headId = `${view.id}-${side}-how`;
    set.append(h("legend", {}, legend), h("p", { class: "sg-note sg-brakes-how", id: headId }, "How much:"));
    const suggested = /** @type {string[]} */ (model.get(list));
    for (const text of suggested) {
      set.append(itemRow(model, view, items.find((i) => i.text === text && i.side === side), text, side, headId));
    }
    for (const item of items.filter((i) => i.side === side && !suggested.includes(i.text))) {
      set.append(itemRow(model, view, item, item.text, side, headId));
    }
    set.append(addRow(view, side, own, drafts[n] ?? ""));
    view.lists.append(set);
  });
  drawSituation(model, view);
}

/**
 * "Which of your items are present?": one tick box per chosen item.
 * @param {AnyModel} model
 * @param {View} view
 */
function drawSituation(model, view) {
  const items = /** @type {Item[]} */ (model.get("items"));
  const present = new Set(model.get("situation"));
  view.situation.replaceChildren(h("legend", {}, "Think of one situation. Which of your items are present?"));
  if (!items.length) view.situation.append(h("p", { class: "sg-note" }, "Tick some items above first."));
  for (const { side } of SIDES) {
    const mine = items.filter((i) => i.side === side);
    if (!mine.length) continue;
    view.situation.append(h("p", { class: "sg-brakes-sub" }, side === "brake" ? "Brakes" : "Accelerators"));
    for (const item of mine) {
      const key = `present:${side}:${item.text}`;
      const row = h("div", { class: "sg-brakes-item" });
      const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: view.idFor(key) }));
      box.checked = present.has(item.text);
      box.addEventListener("change", guard(view.line, () => {
        view.act("set_present", { text: item.text, present: box.checked });
      }));
      row.append(box, h("label", { for: view.idFor(key) }, item.text));
      view.situation.append(row);
    }
  }
}

/**
 * The chart Python drew, its alt text and the one-sentence summary.
 * @param {AnyModel} model
 * @param {View} view
 */
function showChart(model, view) {
  const png = model.get("chart_png");
  view.figure.hidden = false;
  view.img.hidden = !png;
  if (png) view.img.setAttribute("src", `data:image/png;base64,${png}`);
  view.img.setAttribute("alt", model.get("chart_alt"));
  view.caption.textContent = model.get("summary");
}

/**
 * One column of the worksheet: the suggestions and three blank lines, each with "1 2 3" to circle.
 * @param {string} legend
 * @param {string[]} suggestions
 */
function sheetColumn(legend, suggestions) {
  const col = h("div");
  const ul = h("ul", { class: "sg-brakes-sheetlist" });
  /** @param {string} text */
  const line = (text) => {
    const li = h("li");
    li.append(h("span", { "aria-hidden": "true" }, "☐ "), text ? h("span", {}, text) : h("span", { class: "sg-brakes-blank" }, ""),
      h("span", { class: "sg-brakes-circle" }, "1 2 3"));
    if (!text) li.append(h("span", { class: "sg-visually-hidden" }, "space for your own"));
    return li;
  };
  for (const text of suggestions) ul.append(line(text));
  for (let i = 0; i < 3; i++) ul.append(line(""));
  col.append(h("p", { class: "sg-brakes-sub" }, legend), ul);
  return col;
}

/** The worksheet's table of one situation, with empty cells to fill in. */
function sheetTable() {
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
  return table;
}

/**
 * The static book has no kernel: a worksheet to print and fill in by hand.
 * @param {RenderContext} ctx
 */
function renderSheet({ model, el }) {
  const root = h("div", { class: "sg-widget sg-brakes sg-brakes-sheet", role: "group", "aria-label": "Worksheet: my accelerators and brakes" });
  root.append(
    h("p", { class: "sg-brakes-title" }, "Worksheet: my accelerators and brakes"),
    h("p", { class: "sg-note" }, "Print this or copy it onto paper. Tick what fits, add your own, and circle how much each weighs: 1 a little, 2 some, 3 a lot. Open the course app to use the interactive version."),
  );
  const cols = h("div", { class: "sg-brakes-lists" });
  for (const { legend, list } of SIDES) cols.append(sheetColumn(legend, model.get(list)));
  const totals = h("div", { class: "sg-brakes-totals" });
  totals.append(h("p", {}, "Accelerators add up to: ______"), h("p", {}, "Brakes add up to: ______"));
  const print = button("Print this worksheet", "sg-secondary");
  const onPrint = () => window.print();
  print.addEventListener("click", onPrint);
  root.append(cols, sheetTable(), totals, h("p", { class: "sg-note" },
    "If your brakes weigh more, that is common after a betrayal, and it is not a fault."), print);
  el.append(root);
  return () => { print.removeEventListener("click", onPrint); root.remove(); };
}

export default { render };
