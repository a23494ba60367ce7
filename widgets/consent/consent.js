// @ts-check
/**
 * Steady Ground consent list: the browser side of ConsentList.
 *
 * Views: the couples gate's line (couplesGate, widgets/lib/couples.js), then
 * setup (names, edit the list), Partner A's turn, Partner B's turn, the reveal.
 * A turn is drawn from scratch, so nothing of the other partner's turn is left
 * in the page. Each click is a request to one of ConsentList's actions; Python
 * keeps the answers and syncs back (in `current`) only those of the partner
 * whose turn it is. All text is set with textContent. In the static book (no
 * kernel) the widget prints a worksheet instead.
 */

/** What a missing item means, said plainly (REVIEW W3): shown with every reveal (the worksheet says it too). */
const MISSING = "If an item you marked yes or maybe is not here, your partner is not ready for it right now. Do not ask which or why.";
const NOT_ANSWERING = "The course app is not answering. Please reload the page.";

/**
 * What one view of the widget works with.
 * @typedef {{model: AnyModel, id: string, root: HTMLElement, title: HTMLElement, body: HTMLElement,
 *   line: StatusLine, gate: {open: () => boolean}}} View
 */

/** Printable worksheet for the read-only book. @param {HTMLElement} root @param {string[]} items */
function worksheet(root, items) {
  root.append(h("p", {}, "Do the safety check first. Then each partner fills in a copy alone, " +
    "where the other cannot see it. Skip any item you like."));
  for (const who of ["Partner A", "Partner B"]) {
    const table = h("table", { class: "sg-consent-sheet" });
    table.append(h("caption", {}, `${who}: name (optional) ____________`));
    const head = h("tr");
    for (const col of ["Item", "Yes", "Maybe", "No"]) head.append(h("th", { scope: "col" }, col));
    table.append(head);
    for (const item of items) {
      const row = h("tr");
      row.append(h("th", { scope: "row", dir: "auto" }, item));
      for (const col of ["Yes", "Maybe", "No"]) row.append(h("td", {}, `☐ ${col}`));
      table.append(row);
    }
    root.append(table);
  }
  root.append(h("p", { class: "sg-warn" }, "Compare only the items you both marked yes or maybe."),
    h("p", { class: "sg-warn" }, "If an item you marked yes or maybe is not shared, your partner is not ready for it right now. Do not ask which or why."));
}

/** @param {AnyModel} model */
const isSolo = (model) => model.get("partners").length === 1;

/** @param {AnyModel} model */
const titleText = (model) => (isSolo(model) ? "Yes, no, maybe: my own list" : "Yes, no, maybe: a list for each of you");

/** "Sam (Partner A)", or "Partner A" without a name. @param {AnyModel} model @param {string} p */
function who(model, p) {
  const name = model.get(`name_${p}`).trim();
  return name ? `${name} (Partner ${p.toUpperCase()})` : `Partner ${p.toUpperCase()}`;
}

/** @param {string} text */
const heading = (text) => h("h4", { tabindex: "-1", class: "sg-consent-heading" }, text);

/**
 * Ask Python to run an action; the status line says what happened.
 * @param {View} view @param {string} name @param {Record<string, any>} [args] @param {string} [pending]
 */
function act(view, name, args = {}, pending = "") {
  return ask(view.model, view.line, name, args, { pending, noReply: NOT_ANSWERING });
}

/** @param {View} view @param {string} text @param {() => void} onClick @param {string} [cls] */
function actionButton(view, text, onClick, cls = "") {
  const b = button(text, cls);
  b.addEventListener("click", guard(view.line, onClick));
  return b;
}

// -- setup ---------------------------------------------------------------------

/** An optional name, plain UI state (never saved). @param {View} view @param {"a" | "b"} p */
function buildNameField(view, p) {
  const { model, id } = view;
  const input = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: `${id}-name-${p}`, maxlength: "80", dir: "auto", autocomplete: "off" }));
  input.value = model.get(`name_${p}`);
  input.addEventListener("input", guard(view.line, () => { model.set(`name_${p}`, input.value); model.save_changes(); }));
  const row = h("div", { class: "sg-consent-field" });
  row.append(h("label", { for: input.id }, `Partner ${p.toUpperCase()}'s name (optional)`), input);
  return row;
}

/** The items, each with its Remove button. @param {View} view */
function buildItemList(view) {
  const list = h("ul", { class: "sg-consent-items", "aria-label": "Items on the list" });
  view.model.get("items").forEach((/** @type {string} */ item, /** @type {number} */ index) => {
    const row = h("li");
    const remove = actionButton(view, "Remove", () => act(view, "remove_item", { index }), "sg-secondary");
    remove.setAttribute("aria-label", `Remove: ${item}`);
    row.append(h("span", { dir: "auto" }, item), remove);
    list.append(row);
  });
  return list;
}

/** @param {View} view */
function buildAddRow(view) {
  const add = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: `${view.id}-add`, maxlength: "200", dir: "auto", autocomplete: "off" }));
  const doAdd = () => { if (add.value.trim()) act(view, "add_item", { text: add.value }); };
  const addButton = actionButton(view, "Add to the list", doAdd, "sg-secondary");
  add.addEventListener("keydown", guard(view.line, (/** @type {KeyboardEvent} */ e) => {
    if (e.key === "Enter") { e.preventDefault(); doAdd(); }
  }));
  const row = h("div", { class: "sg-consent-field" });
  row.append(h("label", { for: add.id }, "Add an item"), add, addButton);
  return row;
}

/** @param {View} view */
function buildSetup(view) {
  const { body, model } = view;
  if (isSolo(model)) {
    body.append(heading("Make your own list"), h("p", {}, "Add or remove items until the list fits you. " +
      "Then mark each one yes, maybe or no, for you, right now. Your answers are shown only to you, on this screen."));
  } else {
    body.append(heading("Make the list together"), h("p", {}, "Add or remove items until the list fits you both. " +
      "Then each of you answers yes, maybe or no on your own. Only items you both mark yes or maybe are shown at the end."),
    buildNameField(view, "a"), buildNameField(view, "b"));
  }
  const start = actionButton(view, isSolo(model) ? "Start my list" : "Start: Partner A's turn", () => act(view, "start"));
  body.append(buildItemList(view), buildAddRow(view), start);
}

// -- a turn --------------------------------------------------------------------

/**
 * One item's yes / maybe / no. Each pick goes to Python at once, marked with its turn,
 * so a late click from an ended turn is dropped there.
 * @param {View} view @param {"a" | "b"} p @param {Record<string, string>} mine @param {string} item @param {number} n
 */
function buildItemChoice(view, p, mine, item, n) {
  const set = h("fieldset", { class: "sg-consent-item" });
  set.append(h("legend", { dir: "auto" }, item));
  for (const value of ["yes", "maybe", "no"]) {
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: `${view.id}-${p}-${n}`, value, id: `${view.id}-${p}-${n}-${value}` }));
    input.checked = mine[item] === value;
    input.addEventListener("change", guard(view.line, () => {
      mine[item] = value;
      act(view, "answer", { turn: p, item, value });
    }));
    const opt = h("span", { class: "sg-consent-option" });
    opt.append(input, h("label", { for: input.id }, value[0].toUpperCase() + value.slice(1)));
    set.append(opt);
  }
  return set;
}

/** @param {View} view @param {"a" | "b"} p */
function buildTurn(view, p) {
  const { body, model } = view;
  const solo = isSolo(model);
  if (solo) {
    body.append(heading("Your list"), h("p", { class: "sg-note" }, "Go slowly. Notice which answers come fast " +
      "and which are hard. Skip any item you like."));
  } else {
    body.append(heading(`${who(model, p)}: your turn`),
      h("p", { class: "sg-warn" }, `Answer on your own. ${who(model, p === "a" ? "b" : "a")}, please look away until it is your turn.`),
      h("p", { class: "sg-note" }, "Your answers are hidden when you are done. Items you skip count as not shared."));
  }
  // This partner's own answers, kept here too, so a late echo from the kernel never undoes a click.
  /** @type {Record<string, string>} */
  const mine = { ...model.get("current") };
  model.get("items").forEach((/** @type {string} */ item, /** @type {number} */ n) => body.append(buildItemChoice(view, p, mine, item, n)));
  body.append(actionButton(view, solo ? "I'm done: show my list" : "I'm done, hide my answers", () => act(view, "done")));
}

// -- the reveal ----------------------------------------------------------------

/**
 * Lists side by side, one per group, each under its heading.
 * @param {View} view @param {any[]} rows @param {string} field @param {[string, string][]} groups
 */
function buildColumns(view, rows, field, groups) {
  const cols = h("div", { class: "sg-consent-reveal" });
  for (const [key, title] of groups) {
    const col = h("section", { "aria-labelledby": `${view.id}-col-${key}` });
    const list = h("ul");
    for (const row of rows.filter((r) => r[field] === key)) list.append(h("li", { dir: "auto" }, row.item));
    if (!list.childElementCount) list.append(h("li", { class: "sg-note" }, "Nothing here."));
    col.append(h("h5", { id: `${view.id}-col-${key}` }, title), list);
    cols.append(col);
  }
  return cols;
}

/** "Save" and "Start over". @param {View} view @param {string} label */
function buildSaveRow(view, label) {
  const actions = h("div", { class: "sg-consent-actions" });
  actions.append(actionButton(view, label, () => act(view, "save", {}, "Saving…")),
    actionButton(view, "Start over", () => act(view, "restart"), "sg-secondary"));
  return actions;
}

/** Solo: your own yes, maybe and no, for you alone. @param {View} view */
function buildOwnList(view) {
  view.body.append(heading("Your yes, maybe and no, for now"),
    buildColumns(view, view.model.get("own"), "answer", [["yes", "Yes"], ["maybe", "Maybe"], ["no", "No"]]),
    h("p", { class: "sg-note" }, "Your answers can change. A yes today can be a no tomorrow, and " +
      "that is okay. Nothing is saved unless you choose to save it."),
    buildSaveRow(view, "Save my list on this device"));
}

/** "Partner A agrees to save": an action, so it always arrives before the "save" that follows. @param {View} view @param {"a" | "b"} p */
function buildAgree(view, p) {
  const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${view.id}-agree-${p}` }));
  box.checked = view.model.get(`agree_${p}`);
  box.addEventListener("change", guard(view.line, () => act(view, "agree", { partner: p, value: box.checked })));
  const row = h("div", { class: "sg-consent-option" });
  row.append(box, h("label", { for: box.id }, `Partner ${p.toUpperCase()} agrees to save`));
  return row;
}

/** @param {View} view */
function buildReveal(view) {
  const { body, model } = view;
  if (isSolo(model)) return buildOwnList(view);
  const shared = model.get("shared");
  body.append(heading("What you both said yes or maybe to"));
  if (!shared.length) {
    body.append(h("p", {}, "There is nothing here that you both marked yes or maybe. That is okay. " +
      "You can talk about it, or make a new list another time."));
  } else {
    body.append(buildColumns(view, shared, "together", [["yes", "Both of you said yes"], ["maybe", "At least one of you said maybe: talk first"]]));
  }
  body.append(h("p", { class: "sg-warn sg-consent-missing" }, MISSING),
    h("p", { class: "sg-note" }, "Nothing is saved unless you both agree."),
    buildAgree(view, "a"), buildAgree(view, "b"), buildSaveRow(view, "Save our shared list"));
}

// -- drawing -------------------------------------------------------------------

/** Draw the current phase from scratch; keep focus in the widget on its new heading. @param {View} view */
function update(view) {
  const { root, body, model } = view;
  const hadFocus = root.contains(document.activeElement) && document.activeElement !== document.body;
  view.title.textContent = titleText(model);
  body.replaceChildren();
  if (!view.gate.open()) return; // the gate's neutral line says why nothing is here
  const phase = model.get("phase");
  if (phase === "setup") buildSetup(view);
  else if (phase === "reveal") buildReveal(view);
  else buildTurn(view, phase);
  if (hadFocus) /** @type {HTMLElement | null} */ (body.querySelector(".sg-consent-heading"))?.focus();
}

/** After an item was added or removed: redraw, then an empty add field with focus. @param {View} view */
function updateItems(view) {
  if (view.model.get("phase") !== "setup" || !view.gate.open()) return;
  update(view);
  const add = /** @type {HTMLInputElement | null} */ (view.body.querySelector(`#${view.id}-add`));
  if (add) { add.value = ""; add.focus(); }
}

/** @param {View} view @returns {() => void} stops listening */
function bind(view) {
  const redraw = guard(view.line, () => update(view));
  return listen(view.model, {
    "change:phase": redraw, "change:shared": redraw, "change:own": redraw, "change:partners": redraw,
    "change:items": guard(view.line, () => updateItems(view)),
  });
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("consent");
  const root = h("section", { class: "sg-widget sg-consent", "aria-labelledby": `${id}-title` });
  const title = h("h3", { id: `${id}-title` }, titleText(model));
  root.append(title);
  el.append(root);
  if (isBook()) {
    worksheet(root, model.get("items"));
    return () => root.remove();
  }
  const body = h("div", { class: "sg-consent-body" });
  const line = statusLine(model, "sg-consent-status");
  /** @type {View} */
  const view = { model, id, root, title, body, line, gate: { open: () => false } };
  const gate = couplesGate(model, guard(line, () => update(view)));
  view.gate = gate;
  root.append(gate.el, body, line.el);
  const unbind = bind(view);
  update(view);
  act(view, "refresh"); // Python answers with the gate's state (a message, never a trait)
  return () => {
    unbind();
    gate.dispose();
    line.dispose();
    root.remove();
  };
}

export default { render };
