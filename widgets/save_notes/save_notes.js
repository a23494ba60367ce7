// @ts-check
/**
 * The page side of SaveNotes (workshop pages only): "Save my notes" and one calm line.
 *
 * Python writes the file's text (escaped Markdown); this browser saves it as a
 * download, so the notes go to the participant's own device and nowhere else.
 * While the page is in view it asks Python every few seconds whether anything
 * was saved since the last download, and the line says so (a polite status:
 * it changes when the state changes, never on each keystroke).
 *
 * The page's own "session ended" notice (course/voila/static/page.js) saves
 * through the same function: window.sgSaveNotes().
 */

const CHECK_MS = 4000;
const NOTES_SAY = {
  empty: "Nothing is written on this page yet.",
  unsaved: "You have notes that are not saved to your device yet.",
  saved: (/** @type {string} */ at) => `Saved to your device at ${at}.`,
  nothing: "There is nothing to save yet: nothing is written on this page.",
  noReply: "The course app is not answering, so your notes were not saved to your device. " +
    "Try again in a moment.",
  help: "Notes you write on this page are gone when you close it. " +
    "Saving puts a file in this device's downloads, where anyone who uses the device could open it.",
};

/** @typedef {{ok: boolean, text: string}} SaveResult */

/** @param {number} n */
function two(n) {
  return String(n).padStart(2, "0");
}

/**
 * A neutral file name: no course or module name, only when it was saved (local time).
 * @param {Date} now
 */
function notesFileName(now) {
  return `notes-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}.md`;
}

/** @param {RenderContext} ctx */
function render({ model, el }) {
  if (isBook()) return () => {};
  const root = h("section", { class: "sg-widget sg-save-notes", "aria-label": "Your notes" });
  const row = h("div", { class: "sg-save-notes-row" });
  const save = button("Save my notes");
  const line = h("p", { role: "status", class: "sg-status sg-save-notes-line" });
  row.append(save, line);
  root.append(row, h("p", { class: "sg-note sg-save-notes-help" }, NOTES_SAY.help));
  el.append(root);

  let savedAt = "";
  let override = "";  // the page's own words after a click, until the state changes
  let busy = false;
  let checking = false;

  const paint = () => {
    let text = "";
    let problem = false;
    if (model.get("error")) {
      text = model.get("status") || "";
      problem = true;
    } else if (override) {
      text = override;
    } else if (!model.get("has_notes")) {
      text = NOTES_SAY.empty;
    } else if (model.get("unsaved")) {
      text = NOTES_SAY.unsaved;
    } else if (savedAt) {
      text = NOTES_SAY.saved(savedAt);
    }
    if (line.textContent !== text) line.textContent = text;
    line.classList.toggle("sg-error", problem);
    line.classList.toggle("sg-save-notes-unsaved", !problem && !override && Boolean(model.get("unsaved")));
  };
  const onState = () => { override = ""; paint(); };

  /** Ask Python whether anything changed (one question at a time, only while the page is in view). */
  const check = async () => {
    if (checking || busy || document.visibilityState !== "visible") return;
    checking = true;
    try {
      await request(model, "check");
    } finally {
      checking = false;
    }
  };

  /** @returns {Promise<SaveResult>} */
  const saveNotes = async () => {
    if (busy) return { ok: false, text: line.textContent || "" };
    busy = true;
    save.setAttribute("aria-busy", "true");
    override = "";
    try {
      const reply = await request(model, "notes", {}, {
        slow: () => { override = NOTES_SAY.noReply; paint(); },
      });
      if (!reply.ok) {
        override = reply.local ? NOTES_SAY.noReply : "";
        paint();
        return { ok: false, text: reply.local ? NOTES_SAY.noReply : String(reply.error || "") };
      }
      if (!reply.value) {
        override = NOTES_SAY.nothing;
        paint();
        return { ok: false, text: NOTES_SAY.nothing };
      }
      const now = new Date();
      saveTextFile(String(reply.value.text), notesFileName(now), "text/markdown;charset=utf-8");
      savedAt = `${two(now.getHours())}:${two(now.getMinutes())}`;
      await request(model, "saved", { version: String(reply.value.version) });
      override = "";
      paint();
      return { ok: true, text: NOTES_SAY.saved(savedAt) };
    } catch (err) {
      override = `The download did not work: ${errorText(err)}`;
      paint();
      console.error(err);
      return { ok: false, text: override };
    } finally {
      busy = false;
      save.removeAttribute("aria-busy");
    }
  };

  save.addEventListener("click", () => { saveNotes(); });
  const w = /** @type {any} */ (window);
  w.sgSaveNotes = saveNotes;
  const stop = listen(model, {
    "change:has_notes": onState, "change:unsaved": onState, "change:status": paint, "change:error": paint,
  });
  const timer = window.setInterval(check, CHECK_MS);
  const onVisible = () => { if (document.visibilityState === "visible") check(); };
  document.addEventListener("visibilitychange", onVisible);
  paint();
  request(model, "check");
  return () => {
    stop();
    window.clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
    if (w.sgSaveNotes === saveNotes) delete w.sgSaveNotes;
    root.remove();
  };
}

export default { render };
