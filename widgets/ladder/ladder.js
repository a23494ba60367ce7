// @ts-check
/**
 * Steady Ground reconnection ladder: the browser side of ReconnectionLadder.
 *
 * Python owns the rule (a step opens when every partner is ready) and saves
 * everything; this file draws the steps, asks Python to run the learner's
 * choices (request/ask, widgets/lib/core.js) and shows what Python says on the
 * status line. The couple's ladder asks if you are both ready in a round of
 * private turns on this one screen, as the check for two does: partner 1's
 * turn while partner 2 looks away, a cleared hand-over screen, partner 2's
 * turn, one shared result. Python says which screen comes next in its replies
 * (never a trait), and each screen is the same whatever was answered; nothing
 * on the page keeps an answer. On a turn the answer is a Yes / Not yet radio
 * pair, and one fixed "Done" button sends it, so the pointer ends on Done
 * whatever the answer. The screens after an answer also cover the window with
 * a clear shield that hides a mouse pointer that has not moved since (no
 * cursor, no hover anywhere) until it moves, in case Done was pressed from the
 * keyboard with the pointer still on the chosen radio button.
 * "Stop asking" ends a round on any screen. Learner text is only set with textContent or .value. Redraws
 * keep focus, typed drafts and open diaries. In the static book (no kernel) it
 * prints a worksheet instead. The couple's diary is shared, and it says so
 * where you write (SHARED_DIARY), with a pointer to places for notes of your
 * own; the solo diary says where its ratings show. Later steps (genital touch,
 * arousal, sex) are offered in a closed group of their own, and a step you write
 * asks whether it includes genital touch or sex. Every step from the first later
 * step up (`later_from`) is a later step: when next it points back to "Sexual
 * health first" (the couple's) or says it is only if you want it (the solo
 * ladder's), and it is open only for now: the next visit asks again.
 */

const SHARED_DIARY = "Both of you can read this diary.";
const SHARED_DIARY_MORE = "Write only what you are happy for your partner to read. For notes just for you, " +
  "use the solo ladder or the journal on this page when you are on your own, or paper you keep to yourself. " +
  "On a shared device, anyone who opens the course can see what it saves.";
const SOLO_DIARY = "This diary is yours, saved on this device. Its \"how safe\" ratings also show in your progress review in module 9.";
const DIARY_FIELDS = ["sens", "emo", "note"];
const LATER_AGAIN = "Later steps are asked again each time, because a yes is only for now.";
const LATER_ABOUT = {
  couple: "A later step opens only when you both say yes, each on your own turn, like every step. " +
    `${LATER_AGAIN} "Step back" works the same way. Before any step with genital touch, read "Sexual health first" in this module.`,
  solo: `Touch on your own terms, when you want to. You can stop, or step back, at any time. ${LATER_AGAIN}`,
};
const SOLO_DEVICE = "Anyone who opens the course on this device can see this list. Paper you keep to yourself is more private.";
const LATER_QUESTION = { couple: "Does this step include genital touch or sex?", solo: "Does this step include genital touch or arousal?" };
const LATER_HINT = { couple: "Yes makes it a later step: it comes with the \"Sexual health first\" note, and you are asked again each time.",
  solo: "Yes makes it a later step: you are asked again each time." };
const ASK_NOTE = "Each of you answers on your own turn, while the other looks away. No one sees the other's answer.";
const ANSWERS = [["yes", "Yes, I'm ready"], ["no", "Not yet"]];
const DONE = "Done: clear my answer from the screen";
const CHOOSE_FIRST = "Please choose \"Yes, I'm ready\" or \"Not yet\" first. Take your time.";
const STILL_PX = 4; // a mouse that moved less than this since the answer has not moved
const TURN_PRIVATE = "Your answer is never saved or shown to anyone. At the end you both see one result. " +
  "If either of you says not yet, you stay where you are, and no one is told who said it or why.";
const NOT_ANSWERING = "The course app is not answering. Please reload the page.";
const LATER_NEXT = {
  couple: "Before this step, go over \"Sexual health first\" in this module: tests for both of you, and condoms " +
    "or dental dams until the results are in and the window periods have passed. Each of you says yes on your own, " +
    "with no pressure. Either of you can stop at any time.",
  solo: "Only if you want this step. You can stop at any time.",
};

/**
 * @typedef {{sensations: string, emotions: string, safety: number, note: string, when: string}} Entry
 * @typedef {{text: string, diary: Entry[], later?: boolean}} Step
 * @typedef {{screen: "turn" | "handover" | "together" | "result" | "wait", step: number, turn: number,
 *   result?: {open: boolean, text: string, more: string}}} RoundScreen
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
 * @property {RoundScreen | null} round the round of private turns on screen, or null (never an answer)
 * @property {{x: number, y: number, mouse: boolean} | null} pointer where the pointer last was, and whether a mouse
 * @property {boolean} still a mouse has not moved since an answer was sent: the next screens hide it
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
    ? "Print this page. Write your own steps, easiest first. Tick \"open\" when you feel ready. Go back a step any time."
    : "Print this page. Write your own steps together, easiest first. Before the next step, ask each other kindly, with no pressure. " +
      "A step starts only when you both say yes, so you go at the pace of the slower partner. Either of you can say \"not yet\", " +
      "and no one needs to say why. Go back a step any time."));
  const list = h("ol", { class: "sg-ladder-sheet-steps" });
  for (let i = 0; i < 8; i++) {
    const li = h("li");
    li.append(h("span", { class: "sg-ladder-blank" }, i === 0 ? `${example} (example)` : ""),
      h("span", { class: "sg-ladder-box" }, "☐ open"));
    list.append(li);
  }
  const table = blankTable("sg-ladder-sheet-diary", "Sensation diary: what you noticed, not how it went",
    ["Step", "Sensations", "Emotions", "How safe (0-10)"], 5);
  const note = solo ? "In the course app your ladder and diary are saved on your device."
    : `${SHARED_DIARY} For notes just for you, use a separate sheet that you keep to yourself.`;
  const later = solo ? `Later steps, such as touch with arousal allowed, are only if and when you want them. ${LATER_AGAIN}`
    : `Later steps, with genital touch or sex, are only if you both want them. Before any of them, read "Sexual health first" in module 7. ${LATER_AGAIN}`;
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
  group.append(h("p", { id: aboutId, class: "sg-note" }, solo ? LATER_ABOUT.solo : LATER_ABOUT.couple));
  if (solo) group.append(h("p", { class: "sg-ladder-device" }, SOLO_DEVICE));
  group.append(...ideaButtons(view, have, "later_suggestions", true));
  later.append(h("summary", { id: `${view.id}-later-sum` }, solo ? "Later steps, only if you want them" : "Later steps, only if you both want them"), group);
  const box = h("div", { class: "sg-ladder-idea-groups" });
  box.append(ideas, later);
  return box;
}

/**
 * "Does this step include genital touch or sex?": No / Yes, its choice kept as a draft.
 * @param {View} view @param {string} fid the step's text field
 * @returns {[HTMLElement, () => boolean | null]} the question, and its answer (null while unanswered)
 */
function buildLaterQuestion(view, fid) {
  const solo = soloLadder(view);
  const key = `${fid}-later`;
  const set = h("fieldset", { class: "sg-ladder-question", "aria-describedby": `${key}-hint` });
  set.append(h("legend", {}, solo ? LATER_QUESTION.solo : LATER_QUESTION.couple));
  for (const [value, label] of [["no", "No"], ["yes", "Yes, it is a later step"]]) {
    const rid = `${key}-${value}`;
    const radio = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: key, id: rid, value }));
    radio.checked = view.drafts.get(key) === value;
    view.on(radio, "change", () => view.drafts.set(key, value));
    const row = h("div", { class: "sg-ladder-choice" });
    row.append(radio, h("label", { for: rid }, label));
    set.append(row);
  }
  set.append(h("p", { id: `${key}-hint`, class: "sg-note" }, solo ? LATER_HINT.solo : LATER_HINT.couple));
  const answer = () => (view.drafts.has(key) ? view.drafts.get(key) === "yes" : null);
  return [set, answer];
}

/**
 * The step's words and the later-step question, then `send(text, later)`; unanswered, it asks
 * first and keeps the typing.
 * @param {View} view @param {string} fid @param {() => boolean | null} answer
 * @param {(text: string, later: boolean) => void} send
 */
function submitStep(view, fid, answer, send) {
  const later = answer();
  if (later === null) {
    const solo = soloLadder(view);
    view.line.say(`Please answer first: ${(solo ? LATER_QUESTION.solo : LATER_QUESTION.couple).toLowerCase()}`, true);
    document.getElementById(`${fid}-later-no`)?.focus();
    return;
  }
  send(view.drafts.get(fid) || "", later);
}

/** "Write a step of your own", and whether it includes genital touch or sex. @param {View} view */
function buildAddForm(view) {
  const form = h("form", { class: "sg-ladder-add" });
  const fid = `${view.id}-new`;
  const add = button("Add step");
  add.type = "submit";
  const [question, answer] = buildLaterQuestion(view, fid);
  form.append(...buildField(view, fid, "Write a step of your own"), question, add);
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    submitStep(view, fid, answer, (text, later) => view.act("add_step", { text, later }, (ok) => {
      if (!ok) return;
      view.drafts.delete(fid);
      view.drafts.delete(`${fid}-later`);
      view.redraw();
      document.getElementById(fid)?.focus();
    }));
  });
  return form;
}

/** A step's words, being changed. @param {View} view @param {Step} step @param {number} i */
function buildEditForm(view, step, i) {
  const form = h("form", { class: "sg-ladder-edit" });
  const fid = `${view.id}-e${i}`;
  if (!view.drafts.has(fid)) {
    view.drafts.set(fid, step.text);
    view.drafts.set(`${fid}-later`, step.later ? "yes" : "no");
  }
  const done = () => { view.editing.delete(i); view.drafts.delete(fid); view.drafts.delete(`${fid}-later`); view.redraw(); };
  const save = button("Save step");
  save.type = "submit";
  const cancel = button("Cancel", "sg-secondary");
  view.on(cancel, "click", done);
  const [question, answer] = buildLaterQuestion(view, fid);
  form.append(...buildField(view, fid, `Change step ${i + 1}`), question, save, cancel);
  view.on(form, "submit", (ev) => {
    ev.preventDefault();
    submitStep(view, fid, answer, (text, later) => view.act("edit_step", { index: i, text, later }, (ok) => { if (ok) done(); }));
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

/**
 * The next step's way to open. The couple's: "Ask if we're both ready for step N", a round of
 * private turns. The solo ladder's: "I'm ready for this step".
 * @param {View} view @param {number} i
 */
function buildReady(view, i) {
  const ready = h("div", { class: "sg-ladder-ready" });
  if (soloLadder(view)) {
    const go = button("I'm ready for this step");
    view.on(go, "click", () => view.act("set_ready", { index: i }));
    ready.append(go);
    return ready;
  }
  const noteId = `${view.id}-ask-note`;
  const ask = button(`Ask if we're both ready for step ${i + 1}`);
  ask.setAttribute("aria-describedby", noteId);
  view.on(ask, "click", () => roundAct(view, "ask_ready", { index: i }));
  ready.append(ask, h("p", { id: noteId, class: "sg-note" }, ASK_NOTE));
  return ready;
}

// -- the round: private turns, one shared result (Python says which screen comes next)

/**
 * Ask Python for a step of the round. The screen is cleared first, so what is shown while the
 * answer travels is the same for everyone; then the screen Python's reply names. A problem is
 * said on this page only (Python keeps it off the synced status line) and the ladder comes back.
 * @param {View} view @param {string} name @param {Record<string, any>} [args]
 */
function roundAct(view, name, args = {}) {
  if (view.round) {
    view.round = { ...view.round, screen: "wait" };
    view.redraw();
  }
  view.line.say("");
  request(view.model, name, args, { slow: () => view.line.say(NOT_ANSWERING, true) }).then(guard(view.line, (/** @type {Reply} */ reply) => {
    if (!reply.ok) {
      view.round = null;
      view.line.say(reply.gate ? "" : reply.error || NOT_ANSWERING, !reply.gate);
      view.redraw();
      return;
    }
    const v = reply.value || {};
    view.round = v.round === "result" ? { screen: "result", step: v.step, turn: 0, result: { open: v.open, text: v.text, more: v.more } }
      : v.done === 1 ? { screen: "handover", step: v.step, turn: 2 }
      : v.round === "answered" ? { screen: "together", step: v.step, turn: 0 }
      : v.round === "turn" ? { screen: "turn", step: v.step, turn: v.turn }
      : null;
    view.redraw();
    document.getElementById(`${view.id}-round`)?.focus();
  }));
}

/** "Stop asking": on every screen of the round, for either partner. @param {View} view */
function stopButton(view) {
  const stop = button("Stop asking", "sg-secondary");
  view.on(stop, "click", () => {
    view.round = null;
    view.redraw();
    document.getElementById(`${view.id}-steps`)?.focus();
    request(view.model, "cancel_round").then(guard(view.line, () => view.line.say("You stopped asking. Nothing changed, and nothing was kept.")));
  });
  return stop;
}

/**
 * One partner's turn: "Yes, I'm ready" / "Not yet" as radio buttons, nothing chosen, and one
 * "Done" that is the only way an answer leaves. The answer is cleared from the screen first.
 * @param {View} view @param {RoundScreen} round
 */
function turnScreen(view, round) {
  /** @type {string[]} */ const names = view.model.get("partners");
  const me = names[round.turn - 1], other = names[2 - round.turn];
  /** @type {Step} */ const step = view.model.get("steps")[round.step];
  const n = round.step + 1;
  const key = `${view.id}-answer`;
  const set = h("fieldset", { class: "sg-ladder-question sg-ladder-answer", "aria-describedby": `${key}-private` });
  set.append(h("legend", { class: "sg-ladder-question-text" }, `${me}, are you ready for step ${n}?`),
    h("p", { class: "sg-ladder-text", dir: "auto" }, step ? step.text : ""));
  /** @type {HTMLInputElement[]} */ const radios = [];
  for (const [value, label] of ANSWERS) {
    const radio = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: key, id: `${key}-${value}`, value }));
    const row = h("div", { class: "sg-ladder-choice" });
    row.append(radio, h("label", { for: radio.id }, label));
    set.append(row);
    radios.push(radio);
  }
  const parts = [h("p", { class: "sg-warn" }, `${other}, please look away from the screen until it is your turn.`), set];
  if (round.step >= view.model.get("later_from")) parts.push(h("p", { class: "sg-ladder-health" }, `${LATER_NEXT.couple} ${LATER_AGAIN}`));
  const done = button(DONE);
  view.on(done, "click", () => {
    const picked = radios.find((r) => r.checked);
    if (!picked) {
      view.line.say(CHOOSE_FIRST);
      radios[0].focus();
      return;
    }
    const ready = picked.value === "yes";
    radios.forEach((r) => { r.checked = false; }); // the answer leaves the screen before it leaves the page
    view.still = Boolean(view.pointer && view.pointer.mouse);
    roundAct(view, "answer_ready", { turn: round.turn, ready });
  });
  const row = h("div", { class: "sg-ladder-round-actions" });
  row.append(done, stopButton(view));
  return { heading: `Turn ${round.turn} of 2: ${me}`,
    parts: [...parts, h("p", { class: "sg-note", id: `${key}-private` }, TURN_PRIVATE), row] };
}

/** The screen the round is on; the same words whatever anyone answered. @param {View} view @param {RoundScreen} round */
function roundScreen(view, round) {
  /** @type {string[]} */ const names = view.model.get("partners");
  const row = h("div", { class: "sg-ladder-round-actions" });
  if (round.screen === "turn") return turnScreen(view, round);
  if (round.screen === "wait") return { heading: "One moment", parts: [h("p", {}, "Clearing the screen…")] };
  if (round.screen === "handover") {
    const start = button(`I'm ${names[1]}: start my turn`);
    view.on(start, "click", () => { view.round = { ...round, screen: "turn" }; view.redraw(); document.getElementById(`${view.id}-round`)?.focus(); });
    row.append(start, stopButton(view));
    return { heading: "Thank you", parts: [h("p", {}, "Your answer is gone from this screen, and it is never saved."),
      h("p", {}, `Now give the screen to ${names[1]}, and a moment alone with it.`), row] };
  }
  if (round.screen === "together") {
    const see = button("See the result");
    view.on(see, "click", () => roundAct(view, "finish_round"));
    row.append(see, stopButton(view));
    return { heading: "Both of you have answered", parts: [h("p", {}, "Sit together and look at the result."), row] };
  }
  const back = button("Back to the ladder");
  view.on(back, "click", () => { view.round = null; view.redraw(); document.getElementById(`${view.id}-steps`)?.focus(); });
  row.append(back);
  const result = round.result || { open: false, text: "", more: "" };
  return { heading: `Step ${round.step + 1}: the result`, parts: [h("p", { class: "sg-ladder-result" }, result.text),
    h("p", {}, result.more), row] };
}

/** The round in place of the ladder, its heading taking the focus on each new screen. @param {View} view @param {RoundScreen} round */
function drawRound(view, round) {
  const { heading, parts } = roundScreen(view, round);
  const box = h("div", { class: "sg-ladder-round", role: "group", "aria-labelledby": `${view.id}-round` });
  if (view.still && round.screen !== "turn" && round.screen !== "result") {
    box.append(h("div", { class: "sg-ladder-shield", "aria-hidden": "true" })); // gone when the mouse moves
  }
  box.append(h("h4", { id: `${view.id}-round`, tabindex: "-1" }, heading), ...parts);
  view.body.append(box);
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

/**
 * One step of the ladder. Every step from the first later step up is a later step.
 * @param {View} view @param {Step} step @param {number} i @param {number} opened
 */
function buildStep(view, step, i, opened) {
  const state = i < opened ? "open" : i === opened ? "next" : "locked";
  const later = i >= view.model.get("later_from");
  const li = h("li", { class: `sg-ladder-step sg-ladder-${state}` });
  const label = {
    open: later ? "Open for now" : "Open",
    next: soloLadder(view) ? "Next: open it when you are ready" : "Next: opens when you both say yes",
    locked: "Locked for now",
  }[state];
  const head = h("div", { class: "sg-ladder-head" });
  head.append(h("span", { class: "sg-ladder-text", dir: "auto" }, step.text),
    h("span", { class: "sg-ladder-badge" }, later ? `Later step. ${label}` : label));
  li.append(head, view.editing.has(i) ? buildEditForm(view, step, i) : buildStepTools(view, step, i));
  if (state === "next" && later) li.append(h("p", { class: "sg-ladder-health" }, `${soloLadder(view) ? LATER_NEXT.solo : LATER_NEXT.couple} ${LATER_AGAIN}`));
  if (state === "next") li.append(buildReady(view, i));
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
  if (view.round) return drawRound(view, view.round);
  const solo = soloLadder(view);
  /** @type {Step[]} */ const steps = model.get("steps");
  /** @type {number} */ const opened = model.get("opened");
  const list = h("ol", { class: "sg-ladder-steps", id: `${view.id}-steps`, tabindex: "-1", "aria-label": "Your steps, first step first" });
  steps.forEach((s, i) => list.append(buildStep(view, s, i, opened)));
  if (!steps.length) list.append(h("li", { class: "sg-note" }, "No steps yet. Add an idea above or write your own."));
  body.append(h("p", { class: "sg-note" }, solo
    ? "Write your own steps, easiest first. A step opens when you say you are ready. Go at your own pace."
    : "Write your own steps together, easiest first. A step opens only when you both say yes, each on your own turn, so you go at the pace of the slower partner. That is the plan working."),
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
    round: null,
    pointer: null,
    still: false,
  };
  // Where the pointer is. After an answer, a mouse that has not moved is not the next partner's:
  // the screens hide it under a clear shield (sg-ladder-shield) until it really moves.
  const track = (/** @type {PointerEvent} */ ev) => {
    const at = state.pointer;
    if (state.still && at && Math.hypot(ev.clientX - at.x, ev.clientY - at.y) < STILL_PX) return;
    if (state.still) {
      state.still = false;
      const { body } = /** @type {LadderState & {body?: HTMLElement}} */ (state); // this ladder's, once drawn
      body?.querySelectorAll(".sg-ladder-shield").forEach((shield) => shield.remove());
    }
    state.pointer = { x: ev.clientX, y: ev.clientY, mouse: ev.pointerType === "mouse" };
  };
  document.addEventListener("pointermove", track, true);
  document.addEventListener("pointerdown", track, true);
  // Couples exercises closed (by either partner, at any time): a round on screen ends with them.
  const stopRound = listen(ctx.model, { "msg:custom": (/** @type {any} */ msg) => { if (msg && msg.type === "gate" && !msg.open) state.round = null; } });
  const done = couplesFrame(ctx, state, {
    kind: "ladder",
    title: ladderTitle,
    traits: ["steps", "opened", "later_from", "partners", "suggestions", "later_suggestions"],
    worksheet: (root) => worksheet(root, ctx.model.get("partners"), ctx.model.get("suggestions")[0]),
    draw: drawLadder,
  });
  return () => {
    document.removeEventListener("pointermove", track, true);
    document.removeEventListener("pointerdown", track, true);
    stopRound();
    done();
  };
}

export default { render };
