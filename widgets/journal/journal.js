// @ts-check
/**
 * Steady Ground journal: the browser side of Journal.
 *
 * One labelled text box per prompt. About 0.8 s after typing stops, and at
 * once when the tab is hidden or closed, the box's text goes to Python, which
 * saves it. The text stays in the box whatever happens; a failed save only
 * changes the status line. Learner text is only ever set with textContent or
 * .value, never as HTML. In the static book (no kernel) the widget prints a
 * worksheet instead.
 *
 * CONTENT.md rule 6: while a box's text holds a crisis phrase, the crisis
 * resources show under it. The check runs here, on the text in the box; its
 * answer is never sent to Python, synced, stored or logged.
 */

const DEBOUNCE_MS = 800;
const SEARCH_MS = 300;
const NO_KERNEL_MS = 5000;
const SHORT = 600;
const CRISIS_MS = 400; // check when typing pauses, so "die" in "diet" does not flash the resources
const NO_REPLY = "Not saved yet: the course app is not answering. Your words are still in the box. " +
  "If this goes on, copy them somewhere safe.";


/**
 * Printable worksheet for the read-only book: the prompts and ruled lines.
 * @param {HTMLElement} root @param {string[]} prompts
 */
function worksheet(root, prompts) {
  root.classList.add("sg-journal-sheet");
  root.append(h("p", { class: "sg-note" }, "Print this page, or copy the questions, and write your answers by hand."));
  const list = h("ol");
  for (const prompt of prompts) {
    const item = h("li");
    item.append(h("p", { dir: "auto" }, prompt));
    const lines = h("div", { class: "sg-journal-lines", "aria-hidden": "true" });
    for (let i = 0; i < 6; i++) lines.append(h("div", { class: "sg-journal-line" }));
    item.append(lines);
    list.append(item);
  }
  root.append(list, h("p", { class: "sg-note" }, "In the course app your answers save privately on your device."));
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("journal");
  const root = h("section", { class: "sg-widget sg-journal", "aria-labelledby": `${id}-title` });
  const book = isBook();
  root.append(h("h3", { id: `${id}-title` }, book ? "Reflection worksheet" : "Your private journal"));
  el.append(root);
  /** @type {string[]} */
  const prompts = model.get("prompts");
  if (book) {
    worksheet(root, prompts);
    return () => root.remove();
  }

  root.append(h("p", { class: "sg-note" },
    "Write as much or as little as you like, or skip it. Your words save by themselves, only on this device."));
  const hasCrisisPhrase = crisisMatcher(model.get("crisis_phrases"));
  /** @type {Set<number>} */ const crisisTimers = new Set();
  /** The crisis resources under a box while its text has a crisis phrase; returns [place, check now].
   * @param {HTMLTextAreaElement} box @returns {[HTMLElement, () => void]} */
  const crisisUnder = (box) => {
    const spot = crisisSpot(() => model.get("resources"));
    let timer = 0;
    const check = () => { window.clearTimeout(timer); crisisTimers.delete(timer); spot.show(hasCrisisPhrase(box.value)); };
    box.addEventListener("input", () => {
      window.clearTimeout(timer);
      crisisTimers.delete(timer);
      crisisTimers.add(timer = window.setTimeout(check, CRISIS_MS));
    });
    box.addEventListener("blur", check);
    return [spot.el, check];
  };
  /** @type {(() => void)[]} */ const crisisChecks = [];
  const boxes = prompts.map((prompt, slot) => {
    const label = h("label", { for: `${id}-box-${slot}`, dir: "auto" }, prompt);
    const box = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: `${id}-box-${slot}`, rows: "4", dir: "auto", maxlength: "200000" }));
    const [spot, check] = crisisUnder(box);
    crisisChecks.push(check);
    root.append(label, box, spot);
    return box;
  });
  const status = h("p", { role: "status", class: "sg-journal-status" });
  root.append(status);

  const past = h("div", { class: "sg-journal-past" });
  const searchBox = /** @type {HTMLInputElement} */ (h("input", { type: "search", id: `${id}-search`, dir: "auto" }));
  const empty = h("p", { class: "sg-note" });
  const list = h("ul", { class: "sg-journal-list", "aria-labelledby": `${id}-past` });
  const heading = h("h4", { id: `${id}-past`, tabindex: "-1" }, "Your past notes, newest first");
  past.append(heading,
    h("label", { for: `${id}-search` }, "Search your notes"), searchBox, empty, list);
  root.append(past);

  /** @type {Map<number, number>} */ const timers = new Map();
  /** @type {Map<number, (ok: boolean) => void>} */ const waiting = new Map();
  let ref = 0, noReply = 0, searchTimer = 0;

  const showStatus = () => {
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };
  /** Send a message; `then` runs when Python answers. @param {object} msg @param {(ok: boolean) => void} [then] */
  const send = (msg, then = () => {}) => {
    waiting.set(++ref, then);
    status.textContent = "Saving…";
    status.classList.remove("sg-error");
    window.clearTimeout(noReply);
    noReply = window.setTimeout(() => {
      status.textContent = NO_REPLY;
      status.classList.add("sg-error");
    }, NO_KERNEL_MS);
    try {
      model.send({ ...msg, ref });
    } catch (err) {
      window.clearTimeout(noReply);
      status.textContent = `Not saved: ${err}. Your words are still in the box.`;
      status.classList.add("sg-error");
    }
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.type !== "done") return;
    window.clearTimeout(noReply);
    showStatus();
    const then = waiting.get(msg.ref);
    waiting.delete(msg.ref);
    if (then) then(Boolean(msg.ok));
  };

  /** @param {number} slot */
  const flush = (slot) => {
    if (!timers.has(slot)) return;
    window.clearTimeout(timers.get(slot));
    timers.delete(slot);
    send({ type: "draft", slot, text: boxes[slot].value });
  };
  const flushAll = () => [...timers.keys()].forEach(flush);
  const onHide = () => { if (document.visibilityState === "hidden") flushAll(); };
  boxes.forEach((box, slot) => {
    box.addEventListener("input", () => {
      window.clearTimeout(timers.get(slot));
      timers.set(slot, window.setTimeout(() => flush(slot), DEBOUNCE_MS));
    });
    box.addEventListener("blur", () => flush(slot));
  });
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flushAll);

  searchBox.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      model.set("search", searchBox.value);
      model.save_changes();
    }, SEARCH_MS);
  });

  /** @typedef {{id: number, text: string, prompt: string, when: string, edited: string}} Entry */
  /** @typedef {{li: HTMLElement, entry: Entry, mode: "view"|"edit"|"confirm", draft: string, open: boolean}} Row */
  /** @type {Map<number, Row>} */ const rows = new Map();

  /** The box showing this entry in this visit, if any. @param {number} entryId */
  const slotOf = (entryId) => /** @type {number[]} */ (model.get("draft_ids")).indexOf(entryId);

  /** Draw one past entry in its current mode. @param {Row} row @param {string} [focus] */
  const paint = (row, focus) => {
    const { li, entry } = row;
    const metaId = `${id}-meta-${entry.id}`;
    li.replaceChildren();
    const meta = h("p", { class: "sg-note sg-journal-meta", id: metaId },
      entry.edited ? `${entry.when} (changed ${entry.edited})` : entry.when);
    if (entry.prompt) meta.append(h("br"), h("span", { dir: "auto" }, entry.prompt));
    li.append(meta);
    const actions = h("div", { class: "sg-journal-actions" });
    if (row.mode === "edit") {
      const box = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: `${id}-edit-${entry.id}`, rows: "6", dir: "auto", maxlength: "200000", "aria-describedby": metaId }));
      box.value = row.draft;
      box.addEventListener("input", () => { row.draft = box.value; });
      const save = button("Save changes"), cancel = button("Cancel", "sg-secondary");
      save.addEventListener("click", () => send({ type: "edit", id: entry.id, text: row.draft }, (ok) => {
        if (!ok) return;  // keep the edit box and its text
        const slot = slotOf(entry.id);
        if (slot >= 0) { boxes[slot].value = row.draft; crisisChecks[slot](); }
        row.mode = "view";
        paint(row, "edit");
      }));
      cancel.addEventListener("click", () => { row.mode = "view"; paint(row, "edit"); });
      actions.append(save, cancel);
      li.append(h("label", { for: box.id }, "Change your note"), box, crisisUnder(box)[0], actions);
      if (focus) box.focus();
      return;
    }
    const text = h("p", { class: "sg-journal-text", dir: "auto" }, entry.text);
    li.append(text);
    if (entry.text.length > SHORT) {
      text.classList.toggle("sg-journal-clamp", !row.open);
      const more = button(row.open ? "Show less" : "Show all", "sg-secondary");
      more.setAttribute("aria-expanded", String(row.open));
      more.addEventListener("click", () => { row.open = !row.open; paint(row, "more"); });
      actions.append(more);
      if (focus === "more") window.setTimeout(() => more.focus());
    }
    if (row.mode === "confirm") {
      const ask = h("p", { class: "sg-warn" }, "Delete this note for good? This cannot be undone.");
      const yes = button("Yes, delete it"), no = button("Keep it", "sg-secondary");
      yes.addEventListener("click", () => {
        const slot = slotOf(entry.id);
        send({ type: "delete", id: entry.id }, (ok) => {
          if (!ok) return;
          if (slot >= 0) { boxes[slot].value = ""; crisisChecks[slot](); }
          heading.focus();  // the note is gone: land on the list
        });
      });
      no.addEventListener("click", () => { row.mode = "view"; paint(row, "delete"); });
      actions.append(yes, no);
      li.append(ask, actions);
      no.focus();
      return;
    }
    const edit = button("Edit", "sg-secondary"), del = button("Delete", "sg-secondary");
    edit.setAttribute("aria-describedby", metaId);
    del.setAttribute("aria-describedby", metaId);
    edit.addEventListener("click", () => { row.mode = "edit"; row.draft = entry.text; paint(row, "box"); });
    del.addEventListener("click", () => { row.mode = "confirm"; paint(row); });
    actions.append(edit, del);
    li.append(actions);
    if (focus === "edit") edit.focus();
    if (focus === "delete") del.focus();
  };

  /** Update the list in place, so a note being edited keeps its text and focus. */
  const showEntries = () => {
    /** @type {Entry[]} */ const entries = model.get("entries");
    const keep = new Set(entries.map((e) => e.id));
    for (const [key, row] of rows) if (!keep.has(key)) { row.li.remove(); rows.delete(key); }
    entries.forEach((entry, i) => {
      let row = rows.get(entry.id);
      if (!row) {
        row = { li: h("li", { class: "sg-journal-entry" }), entry, mode: "view", draft: "", open: false };
        rows.set(entry.id, row);
        paint(row);
      } else if (row.entry.text !== entry.text || row.entry.edited !== entry.edited) {
        row.entry = entry;
        if (row.mode === "view") paint(row);
      }
      if (list.children[i] !== row.li) list.insertBefore(row.li, list.children[i] || null);
    });
    const searching = model.get("search") !== "";
    empty.textContent = entries.length ? "" : searching ? "No notes match your search." : "No notes yet.";
    empty.hidden = entries.length > 0;
  };

  model.on("change:status", showStatus);
  model.on("change:error", showStatus);
  model.on("change:entries", showEntries);
  model.on("msg:custom", onMsg);
  showStatus();
  showEntries();
  // Voila may have run this notebook in a preheated kernel before the page was asked for:
  // ask for the list again, so notes saved since then show too.
  try { model.send({ type: "refresh" }); } catch (err) { status.textContent = `Your past notes may be out of date: ${err}`; }

  return () => {
    flushAll();
    timers.forEach((t) => window.clearTimeout(t));
    window.clearTimeout(noReply);
    window.clearTimeout(searchTimer);
    crisisTimers.forEach((t) => window.clearTimeout(t));
    document.removeEventListener("visibilitychange", onHide);
    window.removeEventListener("pagehide", flushAll);
    model.off("change:status", showStatus);
    model.off("change:error", showStatus);
    model.off("change:entries", showEntries);
    model.off("msg:custom", onMsg);
    root.remove();
  };
}

export default { render };
