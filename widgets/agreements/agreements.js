// @ts-check
/**
 * Steady Ground "Our agreements": the browser side of OurAgreements (module 6).
 *
 * A short list the couple writes together: for each agreement an area, their
 * own words, the day they look at it again (due ones say so in words), and,
 * if they like, a kind next step for when it is missed (a talk at the
 * check-in, or the repair steps of module 8; nothing else can be chosen).
 * Nobody "signs": there is no name, no date signed and no consequence on it.
 * Python checks and saves every change and writes the printable page
 * (escaped HTML, trait `print_html`); "Download to print" saves that string.
 * Learner text is only set with textContent or .value. In the static book it
 * prints a worksheet instead.
 *
 * Under the text box a standing hint says an agreement is an offer about
 * yourself, never access to the other's phone, accounts, money or
 * whereabouts; words that sound like access on demand (`access_words`) bring
 * a soft warning there while typing, and on the kept agreement
 * (`sounds_like_access`). It never blocks: what was typed stays. Every
 * agreement says "Added on <day>." and one changed after it was added also
 * "Changed on <day>.", for both to see (an older one kept with no day shows none).
 * CONTENT.md rule 6: while the text box holds a crisis phrase, the crisis
 * resources show under it (crisisWatch); nothing about it leaves the page.
 */

/**
 * @typedef {{area: string, text: string, review: string, missed: string, added?: string, changed?: string}} Agreement
 * added: the day (YYYY-MM-DD) it was added, or "" (kept before that day was); changed: the day of the last
 * change after it was added, or ""
 */
/**
 * @typedef {{editing: number, removing: number, drafts: Map<string, string>,
 *   hasCrisisPhrase: (text: string) => boolean, soundsLikeAccess: (text: string) => boolean} & CouplesFrame} View
 * editing: the agreement being changed, or -1; removing: the one asking "Remove it?", or -1;
 * drafts: what is typed or picked in a form and not saved yet, by field id, so a redraw never loses it;
 * hasCrisisPhrase, soundsLikeAccess: checks of the text in a box, run here only
 */

/** Typing must pause this long before the access check, so a word half typed never flashes the warning. */
const ACCESS_PAUSE_MS = 400;

const ON_A_DAY = "on a day I choose";

/** @param {string[]} partners */
const listTitle = (partners) => (partners.length === 1 ? "My boundaries" : "Our agreements");

/** @param {string[]} partners */
const notContract = (partners) => (partners.length === 1
  ? "Not a contract: you can reopen or drop any of these at any time."
  : "Not a contract: either of you can reopen or drop any agreement at any time.");

const KIND_NEXT_STEP = "If an agreement is missed, it is a reason to talk, never a reason to punish. " +
  "Talk about it at your check-in, or use the repair steps in module 8.";

/** "2026-12-26" as people read it, on this device's calendar: "Dec 26, 2026". @param {string} iso */
function readDay(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" });
}

/** Printable worksheet for the read-only book. @param {HTMLElement} root @param {AnyModel} model */
function agreementsSheet(root, model) {
  /** @type {string[]} */ const partners = model.get("partners");
  const solo = partners.length === 1;
  root.append(h("p", { class: "sg-note" }, solo
    ? "Print this page and write a few boundaries for yourself, each with a day to look at it again."
    : "Print this page and write a few small agreements together, each with a day to look at it again. Keep the list short."));
  const heads = ["Area", solo ? "My boundary" : "Our agreement", "Look at it again on", "If it is missed (optional)"];
  root.append(h("p", { class: "sg-note" }, model.get("offer_hint") || ""),
    blankTable("sg-agreements-sheet", solo ? "One boundary in each row" : "One agreement in each row", heads, 6));
  const ideasId = newId("agreements-ideas");
  const ideas = h("ul", { class: "sg-agreements-sheet-ideas", "aria-labelledby": ideasId });
  for (const [area, text] of /** @type {string[][]} */ (model.get("suggestions"))) {
    ideas.append(h("li", {}, `${area}: ${text}`));
  }
  root.append(h("p", { class: "sg-agreements-sub", id: ideasId }, "Ideas to start from"), ideas,
    h("p", {}, KIND_NEXT_STEP), h("p", { class: "sg-agreements-free" }, notContract(partners)));
}

// -- build: the parts of the form

/**
 * A labelled list to choose from.
 * @param {View} view @param {HTMLElement} set @param {string} fid @param {string} label
 * @param {[string, string][]} options [value, shown] @param {string} value
 */
function choiceField(view, set, fid, label, options, value) {
  const select = /** @type {HTMLSelectElement} */ (h("select", { id: fid }));
  for (const [v, shown] of options) select.append(h("option", { value: v }, shown));
  select.value = view.drafts.get(fid) ?? value;
  view.on(select, "change", () => view.drafts.set(fid, select.value));
  set.append(h("label", { for: fid }, label), select);
  return select;
}

/**
 * When to look again: a choice ("in a month", ...) or a day of your own.
 * @param {View} view @param {HTMLElement} set @param {string} p id prefix @param {string} review the saved day, or ""
 */
function reviewField(view, set, p, review) {
  /** @type {string[]} */ const later = view.model.get("later_choices");
  const when = choiceField(view, set, `${p}-when`, "Look at it again",
    [...later.map((c) => /** @type {[string, string]} */ ([c, c])), [ON_A_DAY, ON_A_DAY]], review ? ON_A_DAY : "in a month");
  const fid = `${p}-day`;
  const day = /** @type {HTMLInputElement} */ (h("input", { id: fid, type: "date" }));
  day.value = view.drafts.get(fid) ?? review;
  const dayLabel = h("label", { for: fid }, "The day to look again");
  const showDay = () => { day.hidden = dayLabel.hidden = when.value !== ON_A_DAY; };
  view.on(day, "input", () => view.drafts.set(fid, day.value));
  view.on(when, "change", showDay);
  showDay();
  set.append(dayLabel, day);
  return () => (when.value === ON_A_DAY ? day.value : when.value);
}

/**
 * The fields of one agreement, for adding or changing it.
 * @param {View} view @param {string} p id prefix @param {Partial<Agreement>} agreement @param {string} legend
 * @param {string} submit @param {(a: Agreement) => void} onSubmit @param {(() => void) | null} onCancel
 */
function agreementForm(view, p, agreement, legend, submit, onSubmit, onCancel) {
  const { model } = view;
  const solo = model.get("partners").length === 1;
  const form = h("form", { class: "sg-agreements-form" });
  const set = h("fieldset");
  set.append(h("legend", {}, legend));
  /** @type {string[]} */ const areas = model.get("areas");
  const area = choiceField(view, set, `${p}-area`, "Area", areas.map((a) => [a, a]), agreement.area || areas[0]);
  const tid = `${p}-text`;
  const text = /** @type {HTMLTextAreaElement} */ (h("textarea", {
    id: tid, rows: "2", maxlength: "300", dir: "auto", "aria-describedby": `${tid}-hint ${tid}-access`,
  }));
  text.value = view.drafts.get(tid) ?? (agreement.text || "");
  view.on(text, "input", () => view.drafts.set(tid, text.value));
  set.append(h("label", { for: tid }, solo ? "The boundary, in your own words" : "The agreement, in your own words"), text,
    h("p", { class: "sg-note sg-agreements-offer", id: `${tid}-hint` }, model.get("offer_hint")),
    accessWarning(view, text, `${tid}-access`), crisisUnder(view, text));
  const review = reviewField(view, set, p, agreement.review || "");
  /** @type {Record<string, string>} */ const steps = model.get("missed_choices");
  const missed = choiceField(view, set, `${p}-missed`, "If it is missed (optional)",
    Object.entries(steps).map(([k, v]) => [k, k ? v : "Nothing written"]), agreement.missed || "");
  missed.setAttribute("aria-describedby", `${p}-missed-note`);
  set.append(h("p", { class: "sg-note", id: `${p}-missed-note` },
    "Only kind next steps are offered here. A missed agreement is a reason to talk, never a reason to punish."));
  formButtons(view, form, set, submit, onCancel, "sg-agreements-actions");
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    onSubmit({ area: area.value, text: text.value, review: review(), missed: missed.value });
  });
  return form;
}

/**
 * The soft warning under a text box while its words sound like access on demand:
 * checked when typing pauses, when focus leaves, and when drawn. Never a block.
 * @param {View} view @param {HTMLTextAreaElement} text @param {string} id
 */
function accessWarning(view, text, id) {
  const spot = h("p", { class: "sg-agreements-access", id, "aria-live": "polite" });
  let timer = 0;
  const check = () => {
    window.clearTimeout(timer);
    spot.textContent = view.soundsLikeAccess(text.value) ? view.model.get("access_warning") : "";
  };
  const onInput = () => { window.clearTimeout(timer); timer = window.setTimeout(check, ACCESS_PAUSE_MS); };
  text.addEventListener("input", onInput);
  text.addEventListener("focusout", check);
  view.drawn(() => {
    window.clearTimeout(timer);
    text.removeEventListener("input", onInput);
    text.removeEventListener("focusout", check);
  });
  check();
  return spot;
}

/**
 * CONTENT.md rule 6: the crisis resources under the text box while it holds a crisis phrase.
 * @param {View} view @param {HTMLTextAreaElement} text
 */
function crisisUnder(view, text) {
  const watch = crisisWatch(text, () => view.hasCrisisPhrase(text.value), () => view.model.get("resources") || []);
  view.drawn(watch.dispose);
  watch.check();
  return watch.el;
}

/** Forget a form's drafts once it is saved or cancelled. @param {View} view @param {string} prefix */
function dropDrafts(view, prefix) {
  for (const key of [...view.drafts.keys()]) if (key.startsWith(prefix)) view.drafts.delete(key);
}

/**
 * Edit, Remove (asked first), and for a due one "We looked at it: keep it".
 * @param {View} view @param {HTMLElement} li @param {number} i @param {boolean} due
 */
function agreementButtons(view, li, i, due) {
  const solo = view.model.get("partners").length === 1;
  const row = h("div", { class: "sg-agreements-actions" });
  if (view.removing === i) {
    const yes = button("Yes, remove it"), no = button("Cancel", "sg-secondary");
    no.id = `${view.id}-keep${i}`;
    view.on(yes, "click", () => view.act("remove_agreement", { index: i }, () => { view.removing = view.editing = -1; view.redraw(); }));
    view.on(no, "click", () => {
      view.removing = -1;
      view.redraw();
      document.getElementById(`${view.id}-remove${i}`)?.focus();
    });
    row.append(yes, no);
    li.append(h("p", { class: "sg-warn" }, solo ? "Remove this from your list?" : "Remove this agreement? Either of you can, at any time."), row);
    return;
  }
  if (due) {
    const keep = button(solo ? "I looked at it: keep it" : "We looked at it: keep it");
    keep.setAttribute("aria-label", `${solo ? "I" : "We"} looked at number ${i + 1} again: keep it, and look again in a month`);
    view.on(keep, "click", () => view.act("looked_again", { index: i, review: "in a month" }));
    row.append(keep);
  }
  const change = button("Edit", "sg-secondary"), drop = button("Remove", "sg-secondary");
  change.id = `${view.id}-edit${i}`;
  drop.id = `${view.id}-remove${i}`;
  change.setAttribute("aria-label", `Edit number ${i + 1}`);
  drop.setAttribute("aria-label", `Remove number ${i + 1}`);
  view.on(change, "click", () => {
    dropDrafts(view, `${view.id}-e${i}-`);  // start from the agreement as saved
    view.editing = i;
    view.redraw();
    document.getElementById(`${view.id}-e${i}-text`)?.focus();
  });
  view.on(drop, "click", () => {
    view.removing = i;
    view.redraw();
    document.getElementById(`${view.id}-keep${i}`)?.focus();
  });
  row.append(change, drop);
  li.append(row);
}

/**
 * One agreement as it reads.
 * @param {View} view @param {Agreement} a @param {number} i @param {boolean} due @param {boolean} access
 */
function agreementItem(view, a, i, due, access) {
  const li = h("li", { class: `sg-agreements-item${due ? " sg-agreements-is-due" : ""}` });
  if (i === view.editing) {
    const done = () => { dropDrafts(view, `${view.id}-e${i}-`); view.editing = -1; view.redraw(); };
    li.append(agreementForm(view, `${view.id}-e${i}`, a, `Change number ${i + 1}`, "Save changes",
      (next) => view.act("edit_agreement", { index: i, ...next }, (ok) => { if (ok) done(); }), done));
    return li;
  }
  /** @type {Record<string, string>} */ const steps = view.model.get("missed_choices");
  li.append(h("p", { class: "sg-agreements-area" }, a.area), h("p", { class: "sg-agreements-text", dir: "auto" }, a.text));
  if (a.added || a.changed) {
    const days = h("p", { class: "sg-agreements-days" });
    if (a.added) days.append(h("span", { class: "sg-agreements-added" }, `Added on ${readDay(a.added)}.`));
    if (a.added && a.changed) days.append(" ");
    if (a.changed) days.append(h("span", { class: "sg-agreements-changed" }, `Changed on ${readDay(a.changed)}.`));
    li.append(days);
  }
  if (access) li.append(h("p", { class: "sg-agreements-access" }, view.model.get("access_warning")));
  const when = h("p", { class: "sg-note" }, `Look at it again: ${readDay(a.review)}.`);
  if (due) when.append(" ", h("strong", { class: "sg-agreements-due-tag" }, "Time to look at this again."));
  li.append(when);
  if (a.missed && steps[a.missed]) li.append(h("p", { class: "sg-note" }, `If it is missed: ${steps[a.missed]}`));
  agreementButtons(view, li, i, due);
  return li;
}

/** Starting examples, added with one click (then edited like any other). @param {View} view */
function ideasPart(view) {
  /** @type {Agreement[]} */ const list = view.model.get("agreements");
  const have = new Set(list.map((a) => a.text));
  const part = h("div", { class: "sg-agreements-ideas" });
  const label = h("p", { class: "sg-agreements-sub", id: `${view.id}-ideas` }, "Ideas to start from");
  const row = h("ul", { "aria-labelledby": label.id });
  for (const [area, text] of /** @type {string[][]} */ (view.model.get("suggestions"))) {
    if (have.has(text)) continue;
    const add = button(`Add: ${text}`, "sg-secondary");
    view.on(add, "click", () => view.act("add_agreement", { area, text }, (ok) => {
      if (!ok) return;
      const last = view.model.get("agreements").length - 1;
      document.getElementById(`${view.id}-edit${last}`)?.focus();  // ready to change the words
    }));
    const li = h("li");
    li.append(add);
    row.append(li);
  }
  if (!row.children.length) return part;
  part.append(label, h("p", { class: "sg-note" }, "Add one with one click, then change the words so they fit you."), row);
  return part;
}

/** "Add an agreement". @param {View} view */
function addPart(view) {
  const solo = view.model.get("partners").length === 1;
  const p = `${view.id}-new`;
  return agreementForm(view, p, {}, solo ? "Add a boundary" : "Add an agreement", "Add to the list",
    (next) => view.act("add_agreement", next, (ok) => {
      if (!ok) return;  // keep what was typed
      dropDrafts(view, `${p}-`);
      view.redraw();
      document.getElementById(`${p}-text`)?.focus();
    }), null);
}

/** What is due, in words. @param {Agreement[]} list @param {number[]} due @param {boolean} solo */
function dueLine(list, due, solo) {
  if (!list.length) return solo ? "No boundaries written yet." : "No agreements written yet.";
  if (due.length) return `${due.length} of ${list.length} ${due.length === 1 ? "is" : "are"} due for a look now.`;
  const next = list.map((a) => a.review).sort()[0];
  return `Nothing is due yet. The next look is on ${readDay(next)}.`;
}

/** "Download to print", and that it is not a contract. @param {View} view @param {string[]} partners */
function printPart(view, partners) {
  const get = button("Download to print");
  get.setAttribute("aria-describedby", `${view.id}-print-note`);
  view.on(get, "click", () => {
    const page = view.model.get("print_html");
    const name = partners.length === 1 ? "my-boundaries.html" : "our-agreements.html";
    downloadPage(view.line, page, name, "The list is downloaded. Open it in your browser to print it. " +
      "If someone else uses this device, delete the file when you are done.");
  });
  const out = h("div", { class: "sg-agreements-actions" });
  out.append(get, h("span", { id: `${view.id}-print-note`, class: "sg-note" }, "A page you can print."));
  return out;
}

/** The list from the model (couplesFrame keeps focus and calls this again on changes). @param {View} view */
function drawAgreements(view) {
  const { model, body } = view;
  /** @type {string[]} */ const partners = model.get("partners");
  /** @type {Agreement[]} */ const list = model.get("agreements");
  /** @type {number[]} */ const due = model.get("due");
  /** @type {number[]} */ const access = model.get("sounds_like_access") || [];
  const solo = partners.length === 1;
  const items = h("ol", { class: "sg-agreements-list", "aria-label": solo ? "Your boundaries" : "Your agreements" });
  list.forEach((a, i) => items.append(agreementItem(view, a, i, due.includes(i), access.includes(i))));
  body.append(h("p", { class: "sg-note" }, solo
    ? "Write a few boundaries for yourself, in your own words. Give each one a day to look at it again."
    : "Write a few small agreements together, in your own words. Each of you offers what you can; nobody is pushed. Give each one a day to look at it again."),
  h("p", { class: "sg-agreements-due" }, dueLine(list, due, solo)), items, ideasPart(view), addPart(view),
  h("p", { class: "sg-note" }, KIND_NEXT_STEP), h("p", { class: "sg-agreements-free" }, notContract(partners)),
  printPart(view, partners));
}

/**
 * The same rule as Python's sounds_like_access: an access word, or an "on demand" word next to a device word.
 * @param {AnyModel} model @returns {(text: string) => boolean}
 */
function accessMatcher(model) {
  const access = crisisMatcher(model.get("access_words") || []);
  const onDemand = crisisMatcher(model.get("on_demand_words") || []);
  const device = crisisMatcher(model.get("device_words") || []);
  return (text) => access(text) || (onDemand(text) && device(text));
}

/** @param {RenderContext} ctx @returns {() => void} */
function render(ctx) {
  const state = {
    editing: -1, removing: -1, drafts: new Map(),
    hasCrisisPhrase: crisisMatcher(ctx.model.get("crisis_phrases") || []),
    // the shared whole-word matcher of widgets/lib/crisis.js, here with the words that sound like access on demand
    soundsLikeAccess: accessMatcher(ctx.model),
  };
  return couplesFrame(ctx, state, {
    kind: "agreements",
    title: listTitle,
    traits: ["agreements", "due", "partners", "missed_choices", "suggestions", "sounds_like_access", "offer_hint"],
    worksheet: (root) => agreementsSheet(root, ctx.model),
    draw: drawAgreements,
  });
}

export default { render };
