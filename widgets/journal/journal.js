// @ts-check
/**
 * Steady Ground journal: the browser side of Journal (widgets/journal/__init__.py).
 *
 * One labelled text box per prompt. About 0.8 s after typing stops, and at
 * once when the box loses focus, the tab is hidden or the page is left (before
 * Voila closes the kernel's connection, see bindDrafts), the box's text goes to
 * Python (the save_draft action), which saves it. The text stays in the
 * box whatever happens; a failed or late save only changes the status line, and
 * a late answer still counts. Learner text is only ever set with textContent or
 * .value, never as HTML. In the static book (no kernel) the widget prints a
 * worksheet instead.
 *
 * A journal made with keep=False sends nothing while you type: the text lives
 * only in its box, and a standing line says it is gone when the page closes
 * (no "unsaved changes" prompt, which would only point at it). Each box has
 * "Keep on this device"; after a confirm that says who can read kept notes,
 * the box's text goes to Python once (keep_entry) and is listed with the rest.
 * When the page is left, those boxes are emptied, so the back button or the
 * browser's page cache cannot bring the text back.
 *
 * CONTENT.md rule 6: while a box's text holds a crisis phrase, the crisis
 * resources show under it. The check runs here, on the text in the box; its
 * answer is never sent to Python, synced, stored or logged.
 */

const DEBOUNCE_MS = 800;
/** Fired by the course's Voila page before Voila closes the kernel's connection (see bindDrafts). */
const LEAVE_EVENT = "sg-leave";
const SEARCH_MS = 300;
const SHORT = 600;
const JOURNAL_NO_REPLY = "Not saved yet: the course app is not answering. Your words are still in the box. " +
  "If this goes on, copy them somewhere safe.";
const NOT_KEPT_LINE = "Not kept: this writing is gone when you close the page. " +
  "Copy it to paper, or choose Keep on this device.";
const KEEP_RISK = "Anyone who opens the course on this device can read kept notes. Keep this one?";

/** @typedef {{id: number, text: string, prompt: string, when: string, edited: string}} Entry */
/** @typedef {{li: HTMLElement, entry: Entry, mode: "view"|"edit"|"confirm", draft: string, open: boolean}} Row */
/**
 * One journal on the page.
 * @typedef {object} View
 * @property {AnyModel} model
 * @property {string} id prefix of the element ids
 * @property {boolean} keeps true: boxes save as you type; false: kept only when the writer chooses
 * @property {StatusLine} line
 * @property {(text: string) => boolean} hasCrisisPhrase
 * @property {HTMLTextAreaElement[]} boxes one per prompt
 * @property {(() => void)[]} crisisChecks check box `slot` for crisis phrases now
 * @property {Map<number, number>} drafts slot -> the debounce timer of a box whose text is not sent yet
 * @property {Set<number>} timers other timers, cleared when the view closes
 * @property {Map<number, Row>} rows the past entries shown, by entry id
 * @property {HTMLElement} heading
 * @property {HTMLElement} list
 * @property {HTMLElement} empty
 * @property {HTMLInputElement} searchBox
 * @property {(() => void)[]} stops what to undo when the view closes
 */

/**
 * Printable worksheet for the read-only book: the prompts and ruled lines.
 * @param {HTMLElement} root @param {string[]} prompts @param {boolean} keeps
 */
function worksheet(root, prompts, keeps) {
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
  root.append(list, h("p", { class: "sg-note" }, keeps ? "In the course app your answers save privately on your device."
    : "In the course app, nothing you write here is kept unless you choose to keep it."));
}

// -- small tools

/**
 * Listen to an element's event; an error in the handler shows on the status line.
 * @param {View} view @param {EventTarget} target @param {string} event @param {(ev: Event) => void} fn
 */
function on(view, target, event, fn) {
  target.addEventListener(event, guard(view.line, fn));
}

/**
 * Run `fn` after `ms`; the timer is cleared if the view closes first.
 * @param {View} view @param {number} ms @param {() => void} fn @returns {number}
 */
function later(view, ms, fn) {
  const timer = window.setTimeout(() => { view.timers.delete(timer); guard(view.line, fn)(); }, ms);
  view.timers.add(timer);
  return timer;
}

/** @param {View} view @param {number} timer */
function cancel(view, timer) {
  window.clearTimeout(timer);
  view.timers.delete(timer);
}

/**
 * Ask Python to run one of the journal's actions. The status line says how it
 * went; `then` gets whether it did, to tidy the page (edit mode, an emptied box).
 * @param {View} view @param {string} name @param {Record<string, any>} args @param {(ok: boolean) => void} [then]
 */
function act(view, name, args, then = () => {}) {
  ask(view.model, view.line, name, args, { noReply: JOURNAL_NO_REPLY })
    .then(guard(view.line, (/** @type {Reply} */ reply) => then(reply.ok)));
}

/** The box showing this entry in this visit, or -1. @param {View} view @param {number} entryId */
function slotOf(view, entryId) {
  return /** @type {number[]} */ (view.model.get("draft_ids")).indexOf(entryId);
}

// -- build: the parts of the journal

/**
 * A text box with the crisis resources under it while its text holds a crisis phrase.
 * @param {View} view @param {string} boxId @param {string} rows @param {Record<string, string>} [attrs]
 * @returns {{box: HTMLTextAreaElement, spot: HTMLElement, check: () => void}}
 */
function buildBox(view, boxId, rows, attrs = {}) {
  const box = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: boxId, rows, dir: "auto", maxlength: "200000", ...attrs }));
  const watch = crisisWatch(box, () => view.hasCrisisPhrase(box.value), () => view.model.get("resources"));
  view.stops.push(watch.dispose);
  return { box, spot: watch.el, check: watch.check };
}

/** One box per prompt; in a not-kept journal, each with Keep on this device. @param {View} view @param {HTMLElement} root */
function buildPrompts(view, root) {
  // A not-kept box: the standing line describes it, and autocomplete=off asks the browser not to
  // remember it (Firefox's session restore, written to disk, skips such text boxes).
  /** @type {Record<string, string>} */
  // data-sg-unkept: the page's "Reload page" (course/voila/static/page.js) never carries this text.
  const unkept = view.keeps ? {} : { autocomplete: "off", "aria-describedby": `${view.id}-unkept`, "data-sg-unkept": "" };
  /** @type {string[]} */ (view.model.get("prompts")).forEach((prompt, slot) => {
    const { box, spot, check } = buildBox(view, `${view.id}-box-${slot}`, "4", unkept);
    view.boxes.push(box);
    view.crisisChecks.push(check);
    root.append(h("label", { for: box.id, id: `${box.id}-label`, dir: "auto" }, prompt), box, spot);
    if (!view.keeps) root.append(buildKeeper(view, slot));
  });
}

/**
 * Under a not-kept box: Keep on this device, then a confirm that says who can read kept notes.
 * Yes sends the box's text to Python once; the box empties (the note is in the list now).
 * @param {View} view @param {number} slot @returns {HTMLElement}
 */
function buildKeeper(view, slot) {
  const box = view.boxes[slot];
  const area = h("div", { class: "sg-journal-keep" });
  const said = h("p", { class: "sg-note", "aria-live": "polite" });
  let busy = false;
  /** @param {boolean} [focus] */
  const offer = (focus) => {
    const keep = button("Keep on this device", "sg-secondary");
    keep.setAttribute("aria-describedby", `${box.id}-label`);
    on(view, keep, "click", () => {
      if (!box.value.trim()) {
        said.textContent = "Nothing to keep yet: this box is empty.";
        return;
      }
      said.textContent = "";
      askFirst();
    });
    const actions = h("div", { class: "sg-journal-actions" });
    actions.append(keep);
    area.replaceChildren(actions, said);
    if (focus) keep.focus();
  };
  const askFirst = () => {
    const yes = button("Yes, keep it on this device"), no = button("Cancel", "sg-secondary");
    on(view, yes, "click", () => {
      if (busy) return;
      busy = true;
      const text = box.value;
      act(view, "keep_entry", { slot, text }, (ok) => {
        busy = false;
        offer(!ok);
        if (!ok) return; // the status line says why; the text stays in the box
        if (box.value === text) { box.value = ""; view.crisisChecks[slot](); }
        said.textContent = "Kept. You can find it below, in the notes you kept.";
        box.focus();
      });
    });
    on(view, no, "click", () => offer(true));
    const actions = h("div", { class: "sg-journal-actions" });
    actions.append(yes, no);
    area.replaceChildren(h("p", { class: "sg-warn" }, KEEP_RISK), actions);
    no.focus();
  };
  on(view, box, "input", () => { said.textContent = ""; });
  offer();
  return area;
}

/** The past notes: heading, search, list. @param {View} view @returns {HTMLElement} */
function buildPast(view) {
  const past = h("div", { class: "sg-journal-past" });
  past.append(view.heading, h("label", { for: view.searchBox.id }, "Search your notes"), view.searchBox, view.empty, view.list);
  return past;
}

/** @param {AnyModel} model @param {string} id @returns {View} */
function buildView(model, id) {
  const keeps = model.get("keep") !== false;
  return {
    model, id, keeps,
    line: statusLine(model, "sg-journal-status"),
    hasCrisisPhrase: crisisMatcher(model.get("crisis_phrases")),
    boxes: [], crisisChecks: [], drafts: new Map(), timers: new Set(), rows: new Map(),
    heading: h("h4", { id: `${id}-past`, tabindex: "-1" },
      keeps ? "Your past notes, newest first" : "Notes you kept on this device, newest first"),
    list: h("ul", { class: "sg-journal-list", "aria-labelledby": `${id}-past` }),
    empty: h("p", { class: "sg-note" }),
    searchBox: /** @type {HTMLInputElement} */ (h("input", { type: "search", id: `${id}-search`, dir: "auto" })),
    stops: [],
  };
}

// -- past entries: one row each, drawn in its mode (view, edit, confirm)

/** When it was written (and changed), and its prompt. @param {Entry} entry @param {string} metaId */
function buildMeta(entry, metaId) {
  const meta = h("p", { class: "sg-note sg-journal-meta", id: metaId },
    entry.edited ? `${entry.when} (changed ${entry.edited})` : entry.when);
  if (entry.prompt) meta.append(h("br"), h("span", { dir: "auto" }, entry.prompt));
  return meta;
}

/**
 * The note in an edit box, with Save changes and Cancel.
 * @param {View} view @param {Row} row @param {string} metaId @param {string} [focus]
 */
function paintEdit(view, row, metaId, focus) {
  const { entry } = row;
  const { box, spot } = buildBox(view, `${view.id}-edit-${entry.id}`, "6", { "aria-describedby": metaId });
  box.value = row.draft;
  on(view, box, "input", () => { row.draft = box.value; });
  const save = button("Save changes"), cancelEdit = button("Cancel", "sg-secondary");
  on(view, save, "click", () => act(view, "edit_entry", { entry_id: entry.id, text: row.draft }, (ok) => {
    if (!ok) return; // keep the edit box and its text
    const slot = slotOf(view, entry.id);
    if (slot >= 0) { view.boxes[slot].value = row.draft; view.crisisChecks[slot](); }
    row.mode = "view";
    paintRow(view, row, "edit");
  }));
  on(view, cancelEdit, "click", () => { row.mode = "view"; paintRow(view, row, "edit"); });
  const actions = h("div", { class: "sg-journal-actions" });
  actions.append(save, cancelEdit);
  row.li.append(h("label", { for: box.id }, "Change your note"), box, spot, actions);
  if (focus) box.focus();
}

/**
 * The note's text; a long one is clamped, with Show all / Show less in `actions`.
 * @param {View} view @param {Row} row @param {HTMLElement} actions @param {string} [focus]
 */
function buildText(view, row, actions, focus) {
  const text = h("p", { class: "sg-journal-text", dir: "auto" }, row.entry.text);
  if (row.entry.text.length > SHORT) {
    text.classList.toggle("sg-journal-clamp", !row.open);
    const more = button(row.open ? "Show less" : "Show all", "sg-secondary");
    more.setAttribute("aria-expanded", String(row.open));
    on(view, more, "click", () => { row.open = !row.open; paintRow(view, row, "more"); });
    actions.append(more);
    if (focus === "more") window.setTimeout(() => more.focus());
  }
  return text;
}

/** "Delete this note for good?" @param {View} view @param {Row} row @param {HTMLElement} actions */
function paintConfirm(view, row, actions) {
  const { entry } = row;
  const yes = button("Yes, delete it"), no = button("Keep it", "sg-secondary");
  on(view, yes, "click", () => {
    const slot = slotOf(view, entry.id);
    act(view, "delete_entry", { entry_id: entry.id }, (ok) => {
      if (!ok) return;
      if (slot >= 0) { view.boxes[slot].value = ""; view.crisisChecks[slot](); }
      view.heading.focus(); // the note is gone: land on the list
    });
  });
  on(view, no, "click", () => { row.mode = "view"; paintRow(view, row, "delete"); });
  actions.append(yes, no);
  row.li.append(h("p", { class: "sg-warn" }, "Delete this note for good? This cannot be undone."), actions);
  no.focus();
}

/**
 * Edit and Delete under the note.
 * @param {View} view @param {Row} row @param {HTMLElement} actions @param {string} metaId @param {string} [focus]
 */
function paintChoices(view, row, actions, metaId, focus) {
  const edit = button("Edit", "sg-secondary"), del = button("Delete", "sg-secondary");
  edit.setAttribute("aria-describedby", metaId);
  del.setAttribute("aria-describedby", metaId);
  on(view, edit, "click", () => { row.mode = "edit"; row.draft = row.entry.text; paintRow(view, row, "box"); });
  on(view, del, "click", () => { row.mode = "confirm"; paintRow(view, row); });
  actions.append(edit, del);
  row.li.append(actions);
  if (focus === "edit") edit.focus();
  if (focus === "delete") del.focus();
}

/** Draw one past entry in its current mode. @param {View} view @param {Row} row @param {string} [focus] */
function paintRow(view, row, focus) {
  const metaId = `${view.id}-meta-${row.entry.id}`;
  row.li.replaceChildren(buildMeta(row.entry, metaId));
  if (row.mode === "edit") {
    paintEdit(view, row, metaId, focus);
    return;
  }
  const actions = h("div", { class: "sg-journal-actions" });
  row.li.append(buildText(view, row, actions, focus));
  if (row.mode === "confirm") paintConfirm(view, row, actions);
  else paintChoices(view, row, actions, metaId, focus);
}

/** Update the list in place, so a note being edited keeps its text and focus. @param {View} view */
function updateEntries(view) {
  /** @type {Entry[]} */ const entries = view.model.get("entries");
  const keep = new Set(entries.map((e) => e.id));
  for (const [key, row] of view.rows) if (!keep.has(key)) { row.li.remove(); view.rows.delete(key); }
  entries.forEach((entry, i) => {
    let row = view.rows.get(entry.id);
    if (!row) {
      row = { li: h("li", { class: "sg-journal-entry" }), entry, mode: "view", draft: "", open: false };
      view.rows.set(entry.id, row);
      paintRow(view, row);
    } else if (row.entry.text !== entry.text || row.entry.edited !== entry.edited) {
      row.entry = entry;
      if (row.mode === "view") paintRow(view, row);
    }
    if (view.list.children[i] !== row.li) view.list.insertBefore(row.li, view.list.children[i] || null);
  });
  const searching = view.model.get("search") !== "";
  view.empty.textContent = entries.length ? "" : searching ? "No notes match your search." : "No notes yet.";
  view.empty.hidden = entries.length > 0;
}

// -- bind: drafts save by themselves; search as you type

/** Send box `slot`'s text now if it changed since it was last sent. @param {View} view @param {number} slot */
function flush(view, slot) {
  if (!view.drafts.has(slot)) return;
  window.clearTimeout(view.drafts.get(slot));
  view.drafts.delete(slot);
  act(view, "save_draft", { slot, text: view.boxes[slot].value });
}

/** @param {View} view */
function flushAll(view) {
  [...view.drafts.keys()].forEach((slot) => flush(view, slot));
}

/**
 * Save a box when typing pauses, when it loses focus, and at once when the tab is hidden or the page is left.
 *
 * Leaving (reload, closing the tab, another page): Voila's page frees its kernel in a `beforeunload`
 * listener, which sends the shutdown and closes the kernel's connection, so a save sent later (on
 * `pagehide`) never arrived. A window's listeners run in the order they were added, and Voila's is
 * added before any widget draws; so the course's page template adds one first, which fires LEAVE_EVENT
 * (course/voila/index.html.j2), and the words not sent yet go out on the still-open connection, ahead
 * of the shutdown. `beforeunload` and `pagehide` themselves cover the pages with no such template
 * (JupyterLab, which keeps the kernel) and a leaving with no `beforeunload` (a phone's browser).
 * @param {View} view
 */
function bindDrafts(view) {
  view.boxes.forEach((box, slot) => {
    on(view, box, "input", () => {
      window.clearTimeout(view.drafts.get(slot));
      view.drafts.set(slot, window.setTimeout(guard(view.line, () => flush(view, slot)), DEBOUNCE_MS));
    });
    on(view, box, "blur", () => flush(view, slot));
  });
  const onHide = guard(view.line, () => { if (document.visibilityState === "hidden") flushAll(view); });
  const onLeave = guard(view.line, () => flushAll(view));
  const leaving = [LEAVE_EVENT, "beforeunload", "pagehide"];
  document.addEventListener("visibilitychange", onHide);
  leaving.forEach((name) => window.addEventListener(name, onLeave));
  view.stops.push(() => {
    document.removeEventListener("visibilitychange", onHide);
    leaving.forEach((name) => window.removeEventListener(name, onLeave));
  });
}

/**
 * A not-kept journal sends nothing while you type. When the page is left (closed, reloaded,
 * or put in the browser's page cache), its boxes are emptied so Back cannot show the text again.
 * @param {View} view
 */
function bindUnkept(view) {
  const onPageHide = () => view.boxes.forEach((box) => { box.value = ""; });
  window.addEventListener("pagehide", onPageHide);
  view.stops.push(() => window.removeEventListener("pagehide", onPageHide));
}

/** The search box filters the past notes (Python lists the matches). @param {View} view */
function bindSearch(view) {
  let timer = 0;
  on(view, view.searchBox, "input", () => {
    cancel(view, timer);
    timer = later(view, SEARCH_MS, () => {
      view.model.set("search", view.searchBox.value);
      view.model.save_changes();
    });
  });
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("journal");
  const book = isBook();
  const root = h("section", { class: "sg-widget sg-journal", "aria-labelledby": `${id}-title` });
  root.append(h("h3", { id: `${id}-title` }, book ? "Reflection worksheet" : "Your private journal"));
  el.append(root);
  if (book) {
    worksheet(root, model.get("prompts"), model.get("keep") !== false);
    return () => root.remove();
  }

  const view = buildView(model, id);
  if (view.keeps) {
    root.append(h("p", { class: "sg-note" },
      "Write as much or as little as you like, or skip it. Your words save by themselves, only on this device."));
  } else {
    root.append(h("p", { class: "sg-note" }, "Write as much or as little as you like, or skip it."),
      h("p", { class: "sg-journal-unkept", id: `${id}-unkept` }, NOT_KEPT_LINE));
  }
  buildPrompts(view, root);
  root.append(view.line.el, buildPast(view));
  if (view.keeps) bindDrafts(view);
  else bindUnkept(view);
  bindSearch(view);
  view.stops.push(listen(model, { "change:entries": guard(view.line, () => updateEntries(view)) }));
  updateEntries(view);
  // Voila may have run this notebook in a preheated kernel before the page was asked for:
  // ask for the list again, so notes saved since then show too.
  request(model, "refresh").then(guard(view.line, (/** @type {Reply} */ reply) => {
    if (reply.local) view.line.say(`Your past notes may be out of date: ${reply.error}`, true);
  }));

  return () => {
    flushAll(view);
    view.timers.forEach((timer) => window.clearTimeout(timer));
    view.stops.forEach((stop) => stop());
    view.line.dispose();
    root.remove();
  };
}

export default { render };
