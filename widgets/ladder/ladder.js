// @ts-check
/**
 * Steady Ground reconnection ladder: the browser side of ReconnectionLadder.
 *
 * Python owns the rule (a step opens when every partner is ready) and saves
 * everything; this file draws the steps, asks Python to run the learner's
 * choices (request/ask, widgets/lib/core.js) and shows what Python says on the
 * status line. Learner text is only set with textContent or .value. Redraws
 * keep focus, typed drafts and open diaries. In the static book (no kernel) it
 * prints a worksheet instead. The couple's diary is shared, and it says so
 * where you write (SHARED_DIARY), with a pointer to places for notes of your
 * own; the solo diary says where its ratings show. Later steps (genital touch,
 * arousal, sex) are offered in a closed group of their own; a later step that is
 * next points back to "Sexual health first" (the couple's) or says it is only if
 * you want it (the solo ladder's). The rule is the same for every step.
 */

const SHARED_DIARY = "Both of you can read this diary.";
const SHARED_DIARY_MORE = "Write only what you are happy for your partner to read. For notes just for you, " +
  "use the solo ladder or the journal on this page when you are on your own, or paper you keep to yourself. " +
  "On a shared device, anyone who opens the course can see what it saves.";
const SOLO_DIARY = "This diary is yours, saved on this device. Its \"how safe\" ratings also show in your progress review in module 9.";
const DIARY_FIELDS = ["sens", "emo", "note"];
const LATER_ABOUT = {
  couple: "A later step opens only when you are both ready, like every step, " +
    "and \"Step back\" works the same way. Before any step with genital touch, read \"Sexual health first\" in this module.",
  solo: "Touch on your own terms, when you want to. You can stop, or step back, at any time.",
};
const LATER_NEXT = {
  couple: "Before this step, go over \"Sexual health first\" in this module: tests for both of you, and condoms " +
    "or dental dams until the results are in and the window periods have passed. Each of you says yes on your own, " +
    "with no pressure. Either of you can stop at any time.",
  solo: "Only if you want this step. You can stop at any time.",
};

/**
 * @typedef {{sensations: string, emotions: string, safety: number, note: string, when: string}} Entry
 * @typedef {{text: string, ready: boolean[], diary: Entry[], later?: boolean}} Step
 */
/**
 * What the learner has on one ladder that Python does not keep.
 * @typedef {object} LadderState
 * @property {Map<string, string>} drafts typed text by field id, kept across redraws
 * @property {Set<string>} openDiaries ids of the diaries shown open
 * @property {Set<number>} editing steps being changed
 * @property {number} removing the step asking "remove?", or -1
 * @property {(text: string) => boolean} hasCrisisPhrase
 * @property {Set<string>} lowSafety diary forms that just saved a crisis phrase or a low "how safe": the resources stay
 * @property {boolean} laterOpen the group of later steps is shown open
 */
/** @typedef {LadderState & CouplesFrame} View */

/** @param {string[]} names */
const ladderTitle = (names) => (names.length === 1 ? "My ladder back to closeness" : "Our ladder back to closeness");

/**
 * Printable worksheet for the read-only book.
 * @param {HTMLElement} root @param {string[]} partners @param {string} example
 */
function worksheet(root, partners, example) {
  const solo = partners.length === 1;
  root.append(h("p", { class: "sg-note" }, solo
    ? "Print this page. Write your own steps, easiest first. Tick the box when you feel ready. Go back a step any time."
    : "Print this page. Write your own steps together, easiest first. A step starts only when you both tick it, so you go at the pace of the slower partner. Go back a step any time."));
  const list = h("ol", { class: "sg-ladder-sheet-steps" });
  for (let i = 0; i < 8; i++) {
    const li = h("li");
    li.append(h("span", { class: "sg-ladder-blank" }, i === 0 ? `${example} (example)` : ""));
    for (const name of partners) li.append(h("span", { class: "sg-ladder-box" }, `☐ ${solo ? "I'm ready" : `${name} is ready`}`));
    list.append(li);
  }
  const table = blankTable("sg-ladder-sheet-diary", "Sensation diary: what you noticed, not how it went",
    ["Step", "Sensations", "Emotions", "How safe (0-10)"], 5);
  const note = solo ? "In the course app your ladder and diary are saved on your device."
    : `${SHARED_DIARY} For notes just for you, use a separate sheet that you keep to yourself.`;
  const later = solo ? `Later steps, such as touch with arousal allowed, are only if and when you want them.`
    : `Later steps, with genital touch or sex, are only if you both want them. Before any of them, read "Sexual health first" in module 7.`;
  root.append(list, h("p", { class: "sg-note" }, later), table, h("p", { class: solo ? "sg-note" : "sg-warn" }, note));
}

/** @param {View} view */
const soloLadder = (view) => view.model.get("partners").length === 1;

// -- build: one part of the ladder each

/**
 * A labelled text field; its draft survives redraws.
 * @param {View} view @param {string} fid @param {string} label @param {boolean} [area]
 * @returns {[HTMLElement, HTMLInputElement | HTMLTextAreaElement]}
 */
function buildField(view, fid, label, area = false) {
  const input = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (h(area ? "textarea" : "input", area
    ? { id: fid, rows: "2", maxlength: "1000", dir: "auto" }
    : { id: fid, type: "text", maxlength: "200", dir: "auto" }));
  input.value = view.drafts.get(fid) || "";
  view.on(input, "input", () => view.drafts.set(fid, input.value));
  return [h("label", { for: fid }, label), input];
}

/**
 * One-click ideas (those not on the ladder yet), as buttons.
 * @param {View} view @param {Set<string>} have @param {string} trait @param {boolean} later
 */
function ideaButtons(view, have, trait, later) {
  /** @type {HTMLButtonElement[]} */ const found = [];
  view.model.get(trait).forEach((/** @type {string} */ text, /** @type {number} */ k) => {
    if (have.has(text)) return;
    const add = button(`+ ${text}`, "sg-secondary");
    add.id = `${view.id}-${later ? "later" : "idea"}${k}`;
    add.setAttribute("aria-label", `${later ? "Add later step" : "Add step"}: ${text}`);
    view.on(add, "click", () => view.act("add_step", { text, later }));
    found.push(add);
  });
  return found;
}

/** Ideas for first steps, then the later steps in a closed group of their own. @param {View} view @param {Step[]} steps */
function buildIdeas(view, steps) {
  const have = new Set(steps.map((s) => s.text));
  const ideas = h("div", { class: "sg-ladder-ideas", role: "group", "aria-labelledby": `${view.id}-ideas` });
  ideas.append(h("p", { id: `${view.id}-ideas`, class: "sg-ladder-label" }, "Ideas for first steps (one click adds them)"),
    ...ideaButtons(view, have, "suggestions", false));
  const later = /** @type {HTMLDetailsElement} */ (h("details", { class: "sg-ladder-later", id: `${view.id}-later` }));
  later.open = view.laterOpen;
  view.on(later, "toggle", () => { view.laterOpen = later.open; });
  const solo = soloLadder(view);
  const aboutId = `${view.id}-later-about`;
  const group = h("div", { class: "sg-ladder-ideas", role: "group", "aria-labelledby": `${view.id}-later-sum`, "aria-describedby": aboutId });
  group.append(h("p", { id: aboutId, class: "sg-note" }, solo ? LATER_ABOUT.solo : LATER_ABOUT.couple),
    ...ideaButtons(view, have, "later_suggestions", true));
  later.append(h("summary", { id: `${view.id}-later-sum` }, solo ? "Later steps, only if you want them" : "Later steps, only if you both want them"), group);
  const box = h("div", { class: "sg-ladder-idea-groups" });
  box.append(ideas, later);
  return box;
}

/** "Write a step of your own". @param {View} view */
function buildAddForm(view) {
  const form = h("form", { class: "sg-ladder-add" });
  const fid = `${view.id}-new`;
  const add = button("Add step");
  add.type = "submit";
  form.append(...buildField(view, fid, "Write a step of your own"), add);
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    view.act("add_step", { text: view.drafts.get(fid) || "" }, (ok) => {
      if (!ok) return;
      view.drafts.delete(fid);
      view.redraw();
      document.getElementById(fid)?.focus();
    });
  });
  return form;
}

/** A step's words, being changed. @param {View} view @param {Step} step @param {number} i */
function buildEditForm(view, step, i) {
  const form = h("form", { class: "sg-ladder-edit" });
  const fid = `${view.id}-e${i}`;
  if (!view.drafts.has(fid)) view.drafts.set(fid, step.text);
  const done = () => { view.editing.delete(i); view.drafts.delete(fid); view.redraw(); };
  const save = button("Save step");
  save.type = "submit";
  const cancel = button("Cancel", "sg-secondary");
  view.on(cancel, "click", done);
  form.append(...buildField(view, fid, `Change step ${i + 1}`), save, cancel);
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    view.act("edit_step", { index: i, text: view.drafts.get(fid) || "" }, (ok) => { if (ok) done(); });
  });
  return form;
}

/** Edit and Remove (which asks first). @param {View} view @param {Step} step @param {number} i */
function buildStepTools(view, step, i) {
  const tools = h("div", { class: "sg-ladder-tools" });
  if (view.removing === i) {
    const yes = button(`Yes, remove step ${i + 1}`), keep = button("Keep it", "sg-secondary");
    keep.id = `${view.id}-keep`;
    const done = () => { view.removing = -1; view.redraw(); };
    view.on(yes, "click", () => view.act("remove_step", { index: i }, done));
    view.on(keep, "click", done);
    tools.append(h("p", { class: "sg-warn" }, step.diary.length ? "Remove this step and its diary? This cannot be undone." : "Remove this step?"), yes, keep);
    return tools;
  }
  const edit = button("Edit", "sg-secondary"), del = button("Remove", "sg-secondary");
  edit.setAttribute("aria-label", `Edit step ${i + 1}`);
  del.setAttribute("aria-label", `Remove step ${i + 1}`);
  view.on(edit, "click", () => { view.editing.add(i); view.redraw(); document.getElementById(`${view.id}-e${i}`)?.focus(); });
  view.on(del, "click", () => { view.removing = i; view.redraw(); document.getElementById(`${view.id}-keep`)?.focus(); });
  tools.append(edit, del);
  return tools;
}

/** "I'm ready for this step", one box per partner. @param {View} view @param {Step} step @param {number} i */
function buildReady(view, step, i) {
  const ready = h("div", { class: "sg-ladder-ready" });
  /** @type {string[]} */ const names = view.model.get("partners");
  names.forEach((name, p) => {
    const cid = `${view.id}-r${i}-${p}`;
    const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: cid }));
    box.checked = Boolean(step.ready[p]);
    view.on(box, "change", () => view.act("set_ready", { index: i, partner: p, ready: box.checked }, (ok) => { if (!ok) view.redraw(); }));
    const row = h("div");
    row.append(box, h("label", { for: cid }, names.length === 1 ? "I'm ready for this step" : `${name}: I'm ready for this step`));
    ready.append(row);
  });
  return ready;
}

/** One saved diary entry. @param {View} view @param {Entry} e @param {number} i step @param {number} j entry */
function buildEntry(view, e, i, j) {
  const li = h("li");
  li.append(h("p", { class: "sg-note" }, `${e.when}. How safe it felt: ${e.safety} out of 10`));
  for (const [label, key] of /** @type {const} */ ([["Sensations", "sensations"], ["Emotions", "emotions"], ["Note", "note"]])) {
    if (e[key]) li.append(h("p", { dir: "auto" }, `${label}: ${e[key]}`));
  }
  const del = button("Remove entry", "sg-secondary");
  del.setAttribute("aria-label", `Remove diary entry ${j + 1} of step ${i + 1}`);
  view.on(del, "click", () => view.act("remove_entry", { index: i, entry: j }));
  li.append(del);
  return li;
}

/**
 * CONTENT.md rule 6: the crisis resources in a diary form while its words hold
 * a crisis phrase (crisisWatch, widgets/lib/crisis.js), and after it saved
 * such words or a "how safe" of 0-1, until the next typing: saving never hides
 * help that was just shown. Nothing about it leaves the page.
 * @param {View} view @param {string} p the form's id prefix @param {HTMLElement} set
 */
function watchDiary(view, p, set) {
  const words = () => DIARY_FIELDS.some((k) => view.hasCrisisPhrase(view.drafts.get(`${p}${k}`) || ""));
  const watch = crisisWatch(set, () => view.lowSafety.has(p) || words(), () => view.model.get("resources") || []);
  view.on(set, "input", () => view.lowSafety.delete(p));
  view.drawn(watch.dispose);
  watch.check();
  return watch.el;
}

/** "How safe did it feel?", 0-10; its draft survives redraws. @param {View} view @param {string} rangeId */
function buildSafety(view, rangeId) {
  const range = /** @type {HTMLInputElement} */ (h("input", { id: rangeId, type: "range", min: "0", max: "10", step: "1" }));
  range.value = view.drafts.get(rangeId) || "5";
  const out = h("output", { for: rangeId, "aria-hidden": "true" });
  const sync = () => {
    out.textContent = range.value;
    range.setAttribute("aria-valuetext", `${range.value} out of 10`);
    view.drafts.set(rangeId, range.value);
  };
  view.on(range, "input", sync);
  sync();
  const row = h("div", { class: "sg-ladder-range" });
  row.append(range, out);
  return { row, range };
}

/** A new diary entry. @param {View} view @param {number} i @param {string} aboutId */
function buildEntryForm(view, i, aboutId) {
  const p = `${view.id}-d${i}-`;
  const form = h("form", { class: "sg-ladder-form" });
  const set = h("fieldset", { "aria-describedby": aboutId });
  const { row, range } = buildSafety(view, `${p}safety`);
  const submit = button("Add to diary");
  submit.type = "submit";
  set.append(h("legend", {}, "A new diary entry"),
    ...buildField(view, `${p}sens`, "Sensations: what did you notice? (warmth, pressure, texture)", true),
    ...buildField(view, `${p}emo`, "Emotions: what did you feel?", true),
    h("label", { for: range.id }, "How safe did it feel? 0 = not safe at all, 10 = completely safe"),
    row, ...buildField(view, `${p}note`, "A note (optional)", true), watchDiary(view, p, set), submit);
  form.append(set);
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    const value = (/** @type {string} */ k) => view.drafts.get(`${p}${k}`) || "";
    const safety = Number(range.value);
    view.act("add_entry", { index: i, sensations: value("sens"), emotions: value("emo"), safety, note: value("note") }, (ok) => {
      if (ok) {
        const hadPhrase = DIARY_FIELDS.some((k) => view.hasCrisisPhrase(value(k)));
        [...DIARY_FIELDS, "safety"].forEach((k) => view.drafts.delete(`${p}${k}`));
        if (hadPhrase || (view.model.get("crisis_safety") || []).includes(safety)) view.lowSafety.add(p);
      }
      view.redraw();
    });
  });
  return form;
}

/** The sensation diary of an open step. @param {View} view @param {Step} step @param {number} i */
function buildDiary(view, step, i) {
  const box = /** @type {HTMLDetailsElement} */ (h("details", { class: "sg-ladder-diary", id: `${view.id}-d${i}` }));
  box.open = view.openDiaries.has(box.id);
  view.on(box, "toggle", () => (box.open ? view.openDiaries.add(box.id) : view.openDiaries.delete(box.id)));
  const solo = soloLadder(view);
  const count = `${step.diary.length} ${step.diary.length === 1 ? "entry" : "entries"}`;
  box.append(h("summary", {}, `${solo ? "Sensation diary" : "Shared sensation diary"} for step ${i + 1} (${count})`));
  const aboutId = `${view.id}-d${i}-about`;
  const about = h("p", { id: aboutId, class: solo ? "sg-note" : "sg-ladder-shared" });
  if (solo) about.append(SOLO_DIARY);
  else about.append(h("strong", {}, SHARED_DIARY), ` ${SHARED_DIARY_MORE}`);
  const list = h("ul", { class: "sg-ladder-entries" });
  step.diary.forEach((e, j) => list.append(buildEntry(view, e, i, j)));
  box.append(about, list, buildEntryForm(view, i, aboutId));
  return box;
}

/** One step of the ladder. @param {View} view @param {Step} step @param {number} i @param {number} opened */
function buildStep(view, step, i, opened) {
  const state = i < opened ? "open" : i === opened ? "next" : "locked";
  const li = h("li", { class: `sg-ladder-step sg-ladder-${state}` });
  const label = {
    open: "Open",
    next: soloLadder(view) ? "Next: open it when you are ready" : "Next: opens when you are both ready",
    locked: "Locked for now",
  }[state];
  const head = h("div", { class: "sg-ladder-head" });
  head.append(h("span", { class: "sg-ladder-text", dir: "auto" }, step.text),
    h("span", { class: "sg-ladder-badge" }, step.later ? `Later step. ${label}` : label));
  li.append(head, view.editing.has(i) ? buildEditForm(view, step, i) : buildStepTools(view, step, i));
  if (state === "next" && step.later) li.append(h("p", { class: "sg-ladder-health" }, soloLadder(view) ? LATER_NEXT.solo : LATER_NEXT.couple));
  if (state === "next") li.append(buildReady(view, step, i));
  if (state === "open") li.append(buildDiary(view, step, i));
  return li;
}

/** "Step back": no reason needed. @param {View} view @param {number} opened */
function buildBack(view, opened) {
  const back = button("Step back", "sg-secondary");
  back.id = `${view.id}-back`;
  back.disabled = opened === 0;
  back.setAttribute("aria-describedby", `${view.id}-back-note`);
  view.on(back, "click", () => view.act("step_back"));
  const row = h("div", { class: "sg-ladder-back" });
  row.append(back, h("span", { id: `${view.id}-back-note`, class: "sg-note" }, "Go down one step. No reason needed. Going back a step is part of the plan, not a failure."));
  return row;
}

// -- draw: the ladder from the model (couplesFrame keeps focus and calls it again on changes)

/** @param {View} view */
function drawLadder(view) {
  const { model, body } = view;
  const solo = soloLadder(view);
  /** @type {Step[]} */ const steps = model.get("steps");
  /** @type {number} */ const opened = model.get("opened");
  const list = h("ol", { class: "sg-ladder-steps", "aria-label": "Your steps, first step first" });
  steps.forEach((s, i) => list.append(buildStep(view, s, i, opened)));
  if (!steps.length) list.append(h("li", { class: "sg-note" }, "No steps yet. Add an idea above or write your own."));
  body.append(h("p", { class: "sg-note" }, solo
    ? "Write your own steps, easiest first. A step opens when you say you are ready. Go at your own pace."
    : "Write your own steps together, easiest first. A step opens only when you are both ready, so you go at the pace of the slower partner. That is the plan working."),
  buildIdeas(view, steps), buildAddForm(view), list, buildBack(view, opened));
}

/** @param {RenderContext} ctx @returns {() => void} */
function render(ctx) {
  /** @type {LadderState} */
  const state = {
    drafts: new Map(),
    openDiaries: new Set(),
    editing: new Set(),
    removing: -1,
    hasCrisisPhrase: crisisMatcher(ctx.model.get("crisis_phrases") || []),
    lowSafety: new Set(),
    laterOpen: false,
  };
  return couplesFrame(ctx, state, {
    kind: "ladder",
    title: ladderTitle,
    traits: ["steps", "opened", "partners", "suggestions", "later_suggestions"],
    worksheet: (root) => worksheet(root, ctx.model.get("partners"), ctx.model.get("suggestions")[0]),
    draw: drawLadder,
  });
}

export default { render };
