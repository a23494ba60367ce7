// @ts-check
/**
 * Steady Ground consent list: the browser side of ConsentList.
 *
 * Views: the safety-check notice (when the couples gate is not "clear"), then
 * setup (names, edit the list), Partner A's turn, Partner B's turn, the reveal.
 * A turn is drawn from scratch, so nothing of the other partner's turn is left
 * in the page. Each click goes to Python as a message; Python keeps the
 * answers and syncs back (in `current`) only those of the partner whose turn it is.
 * All text is set with textContent. In the static book (no kernel) the widget
 * prints a worksheet instead.
 */

const NO_KERNEL_MS = 5000;
/** What a missing item means, said plainly (REVIEW W3): shown with every reveal (the worksheet says it too). */
const MISSING = "If an item you marked yes or maybe is not here, your partner is not ready for it right now. Do not ask which or why.";

/** @param {string} text @param {string} [cls] */

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

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("consent");
  const root = h("section", { class: "sg-widget sg-consent", "aria-labelledby": `${id}-title` });
  root.append(h("h3", { id: `${id}-title` }, model.get("solo") ? "Yes, no, maybe: my own list" : "Yes, no, maybe: a list for each of you"));
  el.append(root);
  if (isBook()) {
    worksheet(root, model.get("items"));
    return () => root.remove();
  }
  const body = h("div", { class: "sg-consent-body" });
  const status = h("p", { role: "status", class: "sg-consent-status" });
  const gate = couplesGate(model, () => draw());
  root.append(gate.el, body, status);

  let noReply = 0;
  const solo = Boolean(model.get("solo"));
  const who = (/** @type {string} */ p) => {
    const name = model.get(`name_${p}`).trim();
    return name ? `${name} (Partner ${p.toUpperCase()})` : `Partner ${p.toUpperCase()}`;
  };
  /** @param {string} text @param {boolean} [error] */
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle("sg-error", error); };
  /** @param {object} msg */
  const send = (msg) => {
    window.clearTimeout(noReply);
    noReply = window.setTimeout(() => say("The course app is not answering. Please reload the page.", true), NO_KERNEL_MS);
    try { model.send(msg); } catch (err) { window.clearTimeout(noReply); say(`Something went wrong: ${err}`, true); }
  };
  // Answers and agreements go as messages, not trait syncs: messages keep their order,
  // so "done" and "save" never overtake them (trait syncs can be held back by the front end).
  /** @param {object} msg */
  const post = (msg) => {
    try { model.send(msg); } catch (err) { say(`Something went wrong: ${err}`, true); }
  };
  const heading = (/** @type {string} */ text) => h("h4", { tabindex: "-1", class: "sg-consent-heading" }, text);

  /** @param {"a" | "b"} p */
  const nameField = (p) => {
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: `${id}-name-${p}`, maxlength: "80", dir: "auto", autocomplete: "off" }));
    input.value = model.get(`name_${p}`);
    input.addEventListener("input", () => { model.set(`name_${p}`, input.value); model.save_changes(); });
    const row = h("div", { class: "sg-consent-field" });
    row.append(h("label", { for: input.id }, `Partner ${p.toUpperCase()}'s name (optional)`), input);
    return row;
  };

  const setup = () => {
    if (solo) {
      body.append(heading("Make your own list"), h("p", {}, "Add or remove items until the list fits you. " +
        "Then mark each one yes, maybe or no, for you, right now. Your answers are shown only to you, on this screen."));
    } else {
      body.append(heading("Make the list together"), h("p", {}, "Add or remove items until the list fits you both. " +
        "Then each of you answers yes, maybe or no on your own. Only items you both mark yes or maybe are shown at the end."));
      body.append(nameField("a"), nameField("b"));
    }
    const list = h("ul", { class: "sg-consent-items", "aria-label": "Items on the list" });
    model.get("items").forEach((/** @type {string} */ item, /** @type {number} */ n) => {
      const row = h("li");
      const remove = button("Remove", "sg-secondary");
      remove.setAttribute("aria-label", `Remove: ${item}`);
      remove.addEventListener("click", () => send({ type: "remove", index: n }));
      row.append(h("span", { dir: "auto" }, item), remove);
      list.append(row);
    });
    const add = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: `${id}-add`, maxlength: "200", dir: "auto", autocomplete: "off" }));
    const addButton = button("Add to the list", "sg-secondary");
    const doAdd = () => { if (add.value.trim()) send({ type: "add", text: add.value }); };
    addButton.addEventListener("click", doAdd);
    add.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); doAdd(); } });
    const addRow = h("div", { class: "sg-consent-field" });
    addRow.append(h("label", { for: add.id }, "Add an item"), add, addButton);
    const start = button(solo ? "Start my list" : "Start: Partner A's turn");
    start.addEventListener("click", () => send({ type: "start" }));
    body.append(list, addRow, start);
  };

  /** @param {"a" | "b"} p */
  const turn = (p) => {
    const other = p === "a" ? "b" : "a";
    if (solo) {
      body.append(heading("Your list"), h("p", { class: "sg-note" }, "Go slowly. Notice which answers come fast " +
        "and which are hard. Skip any item you like."));
    } else {
      body.append(heading(`${who(p)}: your turn`),
        h("p", { class: "sg-warn" }, `Answer on your own. ${who(other)}, please look away until it is your turn.`),
        h("p", { class: "sg-note" }, "Your answers are hidden when you are done. Items you skip count as not shared."));
    }
    // This partner's own answers, kept here too, so a late echo from the kernel never undoes a click.
    const mine = { ...model.get("current") };
    model.get("items").forEach((/** @type {string} */ item, /** @type {number} */ n) => {
      const set = h("fieldset", { class: "sg-consent-item" });
      set.append(h("legend", { dir: "auto" }, item));
      for (const value of ["yes", "maybe", "no"]) {
        const input = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: `${id}-${p}-${n}`, value, id: `${id}-${p}-${n}-${value}` }));
        input.checked = mine[item] === value;
        input.addEventListener("change", () => { mine[item] = value; post({ type: "answer", turn: p, item, value }); });
        const label = h("label", { for: input.id }, value[0].toUpperCase() + value.slice(1));
        const opt = h("span", { class: "sg-consent-option" });
        opt.append(input, label);
        set.append(opt);
      }
      body.append(set);
    });
    const doneButton = button(solo ? "I'm done: show my list" : "I'm done, hide my answers");
    doneButton.addEventListener("click", () => send({ type: "done" }));
    body.append(doneButton);
  };

  /**
   * Lists side by side, one per group, each under its heading.
   * @param {any[]} rows @param {string} field @param {[string, string][]} groups
   */
  const columns = (rows, field, groups) => {
    const cols = h("div", { class: "sg-consent-reveal" });
    for (const [key, title] of groups) {
      const col = h("section", { "aria-labelledby": `${id}-col-${key}` });
      const list = h("ul");
      for (const row of rows.filter((r) => r[field] === key)) list.append(h("li", { dir: "auto" }, row.item));
      if (!list.childElementCount) list.append(h("li", { class: "sg-note" }, "Nothing here."));
      col.append(h("h5", { id: `${id}-col-${key}` }, title), list);
      cols.append(col);
    }
    return cols;
  };
  /** "Save" and "Start over". @param {string} label */
  const saveRow = (label) => {
    const actions = h("div", { class: "sg-consent-actions" });
    const save = button(label);
    save.addEventListener("click", () => send({ type: "save" }));
    const again = button("Start over", "sg-secondary");
    again.addEventListener("click", () => send({ type: "restart" }));
    actions.append(save, again);
    return actions;
  };

  /** Solo: your own yes, maybe and no, for you alone. */
  const ownList = () => {
    body.append(heading("Your yes, maybe and no, for now"),
      columns(model.get("own"), "answer", [["yes", "Yes"], ["maybe", "Maybe"], ["no", "No"]]),
      h("p", { class: "sg-note" }, "Your answers can change. A yes today can be a no tomorrow, and " +
        "that is okay. Nothing is saved unless you choose to save it."),
      saveRow("Save my list on this device"));
  };

  const reveal = () => {
    if (solo) return ownList();
    const shared = model.get("shared");
    body.append(heading("What you both said yes or maybe to"));
    if (!shared.length) {
      body.append(h("p", {}, "There is nothing here that you both marked yes or maybe. That is okay. " +
        "You can talk about it, or make a new list another time."));
    } else {
      body.append(columns(shared, "together", [["yes", "Both of you said yes"], ["maybe", "At least one of you said maybe: talk first"]]));
    }
    body.append(h("p", { class: "sg-warn sg-consent-missing" }, MISSING),
      h("p", { class: "sg-note" }, "Nothing is saved unless you both agree."));
    for (const p of ["a", "b"]) {
      const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-agree-${p}` }));
      box.checked = model.get(`agree_${p}`);
      box.addEventListener("change", () => post({ type: "agree", partner: p, value: box.checked }));
      const row = h("div", { class: "sg-consent-option" });
      row.append(box, h("label", { for: box.id }, `Partner ${p.toUpperCase()} agrees to save`));
      body.append(row);
    }
    body.append(saveRow("Save our shared list"));
  };

  const draw = () => {
    const hadFocus = root.contains(document.activeElement) && document.activeElement !== document.body;
    body.replaceChildren();
    const phase = model.get("phase");
    if (!gate.open()) return; // the gate's neutral line says why nothing is here
    if (phase === "setup") setup();
    else if (phase === "reveal") reveal();
    else turn(phase);
    if (hadFocus) /** @type {HTMLElement | null} */ (body.querySelector(".sg-consent-heading"))?.focus();
  };
  const onPhase = () => { window.clearTimeout(noReply); say(""); draw(); };
  const onItems = () => {
    if (model.get("phase") !== "setup" || !gate.open()) return;
    draw();
    const add = /** @type {HTMLInputElement | null} */ (body.querySelector(`#${id}-add`));
    if (add) { add.value = ""; add.focus(); }
    window.clearTimeout(noReply);
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || typeof msg !== "object") return;
    window.clearTimeout(noReply);
    if (msg.type === "status") say(msg.text, msg.error);
  };
  const events = /** @type {[string, () => void][]} */ ([
    ["change:phase", onPhase], ["change:items", onItems],
    ["change:shared", draw], ["change:own", draw],
  ]);
  for (const [name, fn] of events) model.on(name, fn);
  model.on("msg:custom", onMsg);
  draw();
  try {
    model.send({ type: "ready" }); // Python answers with the couples gate's state
  } catch (err) {
    say(`Something went wrong: ${err}`, true);
  }

  return () => {
    window.clearTimeout(noReply);
    for (const [name, fn] of events) model.off(name, fn);
    model.off("msg:custom", onMsg);
    gate.dispose();
    root.remove();
  };
}

export default { render };
