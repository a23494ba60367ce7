// @ts-check
/**
 * Steady Ground progressive muscle relaxation: the browser side of MuscleRelaxation.
 *
 * Python sends the muscle groups and the seconds to get ready, tense and let
 * go; this file runs the clock (frameClock of widgets/lib/practice.js, as the
 * breathing pacer does: the position comes from performance.now() minus the
 * start and the paused time, plus any skipped time, so it does not drift).
 * In the static book (html[data-sg-channel="book"]) the exercise runs fully,
 * never waits for a reply, and says that nothing is saved.
 */

/** @typedef {{key: string, name: string, tense: string, release: string}} Group */
/** @typedef {{g: number, kind: "prepare"|"tense"|"release", start: number, seconds: number, cue: string}} Segment */
/**
 * One session in progress (its clock is the view's FrameClock): the ticked `groups` and their `segs`,
 * `total` seconds, `jump` seconds skipped over, the `skipped` groups, the `wall` start time for the
 * record, and the `seg` on screen.
 * @typedef {{groups: Group[], segs: Segment[], total: number, jump: number, skipped: Set<number>, wall: Date, seg: number}} Run
 */
/**
 * A finished session waiting for the optional "after" rating: the record_session arguments but the ratings.
 * @typedef {{started_at: string, duration_s: number, groups_done: number, completed: boolean}} Pending
 */
/**
 * @typedef {object} PmrView
 * @property {HTMLElement} root
 * @property {HTMLElement} summary
 * @property {HTMLElement} setup     the parts to include and the "before" rating, shown between sessions
 * @property {HTMLElement} partsBox
 * @property {RatingField} before
 * @property {HTMLElement} part
 * @property {HTMLElement} shapeBox
 * @property {HTMLElement} shape
 * @property {HTMLElement} cue
 * @property {HTMLElement} count
 * @property {HTMLElement} bar
 * @property {HTMLProgressElement} progress
 * @property {HTMLElement} afterBox  the "after" rating and Finish, shown while a session waits to be saved
 * @property {RatingField} after
 * @property {HTMLButtonElement} finishBtn
 * @property {HTMLElement} meta
 * @property {HTMLButtonElement} mainBtn
 * @property {HTMLButtonElement} skipBtn
 * @property {HTMLButtonElement} stopBtn
 */

const PHASE = { prepare: "Get ready", tense: "Tense gently", release: "Let go" };
const SETTLE = "Sit or lie down. Keep breathing normally while you tense. Eyes open or closed, as you like.";
const PAUSED = "Paused. Let your body rest. Press Resume to carry on.";
const NOT_ANSWERING = "Not saved: the course app did not answer.";

/** The guide's elements, in page order. @param {string} id @param {string} safety @returns {PmrView} */
function buildPmr(id, safety) {
  const mainBtn = button("Start"), finishBtn = button("Finish");
  const progress = /** @type {HTMLProgressElement} */ (h("progress", { id: `${id}-progress`, max: "1", value: "0" }));
  /** @type {PmrView} */
  const view = {
    root: h("div", { class: "sg-widget sg-pmr", role: "group", "aria-labelledby": `${id}-title`, tabindex: "-1", "data-lm-suppress-shortcuts": "true" }),
    summary: h("p", { class: "sg-pmr-summary" }),
    setup: h("div", { class: "sg-pmr-setup" }),
    partsBox: h("fieldset", { class: "sg-pmr-parts" }),
    before: ratingField(`${id}-before`, "How calm do you feel right now?", () => mainBtn.focus()),
    part: h("p", { class: "sg-pmr-part" }, "Press Start when you are ready."),
    shapeBox: h("div", { class: "sg-pmr-shapebox", "aria-hidden": "true" }),
    shape: h("div", { class: "sg-pmr-shape" }),
    cue: h("p", { class: "sg-pmr-cue", "aria-live": "polite" }),
    count: h("p", { class: "sg-pmr-count" }),
    bar: h("div", { class: "sg-pmr-bar" }),
    progress,
    afterBox: h("div", { class: "sg-pmr-after" }),
    after: ratingField(`${id}-after`, "How calm do you feel now?", () => finishBtn.focus()),
    finishBtn,
    meta: h("p", { class: "sg-pmr-meta" }),
    mainBtn,
    skipBtn: button("Skip this part", "sg-secondary"),
    stopBtn: button("Stop", "sg-secondary"),
  };
  const stage = h("div", { class: "sg-pmr-stage" });
  const buttons = h("div", { class: "sg-pmr-buttons" });
  view.setup.append(view.partsBox, view.before.node);
  view.shapeBox.append(view.shape);
  view.bar.append(h("label", { for: progress.id }, "Progress through this step"), progress);
  stage.append(view.part, view.shapeBox, view.cue, view.count, view.bar);
  buttons.append(view.mainBtn, view.skipBtn, view.stopBtn);
  view.afterBox.append(view.after.node, view.finishBtn);
  view.root.append(h("h3", { class: "sg-pmr-title", id: `${id}-title` }, "Progressive muscle relaxation"),
    h("p", { class: "sg-warn" }, safety), h("p", { class: "sg-note" }, SETTLE), view.summary, view.setup, stage,
    view.afterBox, view.meta, buttons);
  return view; // render() adds the calm view, the keys and the status line
}

/** One checkbox a muscle group, all ticked. @param {PmrView} view @param {string} id @param {Group[]} groups */
function updateParts(view, id, groups) {
  view.partsBox.replaceChildren(h("legend", {}, "Parts to include today (untick any you want to skip)"));
  groups.forEach((g, i) => {
    const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-g${i}` }));
    box.checked = true;
    const row = h("div", { class: "sg-pmr-part-choice" });
    row.append(box, " ", h("label", { for: box.id }, g.name));
    view.partsBox.append(row);
  });
}

/** The ticked groups, in order. @param {AnyModel} model @param {PmrView} view @returns {Group[]} */
function chosenGroups(model, view) {
  const ticks = /** @type {NodeListOf<HTMLInputElement>} */ (view.partsBox.querySelectorAll("input[type=checkbox]"));
  return /** @type {Group[]} */ (model.get("steps")).filter((_, i) => ticks[i] && ticks[i].checked);
}

/** @param {AnyModel} model */
const perGroup = (model) => model.get("prepare_s") + model.get("tense_s") + model.get("release_s");

/**
 * The summary line, the meta line (unless `keepMeta`: the last session's numbers stay) and Start.
 * @param {AnyModel} model @param {PmrView} view @param {boolean} running @param {boolean} [keepMeta]
 */
function updateSummary(model, view, running, keepMeta = false) {
  const n = chosenGroups(model, view).length;
  view.summary.textContent = `${n} ${n === 1 ? "part" : "parts"}: tense ${model.get("tense_s")} s, then let go for ${model.get("release_s")} s. About ${Math.max(1, Math.round(n * perGroup(model) / 60))} min.`;
  if (!running && !keepMeta) view.meta.textContent = `Time left ${clock(n * perGroup(model))} · Parts done: 0 of ${n}`;
  view.mainBtn.disabled = n === 0 && !running;
}

/** @param {PmrView} view @param {"idle"|"running"|"paused"} mode @param {boolean} waiting a session waits for its "after" rating */
function updateMode(view, mode, waiting) {
  const active = mode !== "idle";
  view.mainBtn.textContent = mode === "running" ? "Pause" : mode === "paused" ? "Resume" : "Start";
  view.skipBtn.disabled = view.stopBtn.disabled = !active;
  view.setup.hidden = active || waiting;
  view.afterBox.hidden = !waiting;
  view.root.classList.toggle("sg-pmr--active", active);
}

/** Parts whose "let go" ended by `t` and were not skipped. @param {Run} r @param {number} t */
function partsDone(r, t) {
  return r.segs.filter((x) => x.kind === "release" && x.start + x.seconds <= t && !r.skipped.has(x.g)).length;
}

/** Draw the session `t` seconds in (skips counted). @param {PmrView} view @param {Run} run @param {number} t */
function drawPart(view, run, t) {
  let i = 0;
  while (i < run.segs.length - 1 && t >= run.segs[i + 1].start) i++;
  const s = run.segs[i], into = t - s.start, frac = Math.min(1, into / s.seconds);
  if (i !== run.seg) {
    run.seg = i;
    view.cue.textContent = s.cue;
    view.part.textContent = `Part ${s.g + 1} of ${run.groups.length}: ${run.groups[s.g].name} · ${PHASE[s.kind]}`;
    view.root.dataset.phase = s.kind;
  }
  practiceText(view.count, String(Math.max(1, Math.ceil(s.seconds - into))));
  practiceText(view.meta, `Time left ${clock(Math.ceil(run.total - t))} · Parts done: ${partsDone(run, t)} of ${run.groups.length}`);
  const level = s.kind === "tense" ? 1 - 0.45 * ease(into / 1.5) : s.kind === "release" ? 0.55 + 0.45 * ease(frac) : 1;
  view.shape.style.transform = `scale(${level.toFixed(4)})`;
  view.progress.value = frac;
}

/** The segments of a session: get ready, tense, let go, for each group. @param {Group[]} picked @param {number[]} seconds */
function segments(picked, [prep, tense, release]) {
  /** @type {Segment[]} */
  const segs = [];
  picked.forEach((g, k) => {
    const at = k * (prep + tense + release);
    segs.push({ g: k, kind: "prepare", start: at, seconds: prep, cue: `Get ready for your ${g.name.toLowerCase()}.` },
      { g: k, kind: "tense", start: at + prep, seconds: tense, cue: g.tense },
      { g: k, kind: "release", start: at + prep + tense, seconds: release, cue: g.release });
  });
  return segs;
}

/**
 * One view's sessions: start, pause, resume, skip a part, finish, and saving a finished one.
 * @param {AnyModel} model @param {PmrView} view @param {StatusLine} line @param {boolean} book
 */
function pmrSessions(model, view, line, book) {
  /** @type {Run | null} */
  let run = null;
  /** @type {Pending | null} */
  let pending = null;
  const ticker = frameClock((seconds) => draw(seconds), line);
  /** @param {"idle"|"running"|"paused"} mode */
  const setMode = (mode) => updateMode(view, mode, pending !== null);

  /** @param {number} elapsed seconds run, pauses left out */
  function draw(elapsed) {
    if (!run) return;
    if (elapsed + run.jump >= run.total) finish(true, elapsed);
    else drawPart(view, run, elapsed + run.jump);
  }

  function start() {
    if (pending) void send(); // a new start saves the last session without an "after" rating
    const picked = chosenGroups(model, view);
    if (!picked.length) throw new Error("no muscle group is ticked");
    const seconds = [model.get("prepare_s"), model.get("tense_s"), model.get("release_s")];
    run = { groups: picked, segs: segments(picked, seconds), total: picked.length * seconds.reduce((a, b) => a + b, 0),
      jump: 0, skipped: new Set(), wall: new Date(), seg: -1 };
    ticker.start();
    line.say("");
    setMode("running");
  }

  function pause() {
    if (!run || !ticker.pause()) return; // not running, or the time was up
    view.cue.textContent = PAUSED;
    run.seg = -1;
    setMode("paused");
  }

  function resume() {
    if (run && ticker.resume()) setMode("running");
  }

  /** Jump to the next part; the skipped part does not count as done. */
  function skipPart() {
    if (!run) return;
    const t = ticker.elapsed() + run.jump;
    const g = run.segs.find((x) => x.start <= t && t < x.start + x.seconds)?.g ?? run.groups.length - 1;
    run.skipped.add(g);
    const next = run.segs.find((x) => x.g === g + 1);
    run.jump += (next ? next.start : run.total) - t;
    run.seg = -1;
    if (ticker.paused()) resume(); else draw(ticker.elapsed());
  }

  /** End the session; ask for the optional "after" rating if a part was done.
   * @param {boolean} completed @param {number} [elapsed] seconds run, pauses left out */
  function finish(completed, elapsed = ticker.elapsed()) {
    if (!run) return;
    const r = run;
    run = null;
    ticker.stop();
    const done = partsDone(r, Math.min(elapsed + r.jump, r.total));
    view.shape.style.transform = ""; view.progress.value = completed ? 1 : 0; view.count.textContent = "";
    delete view.root.dataset.phase;
    view.part.textContent = `Parts done: ${done} of ${r.groups.length}`;
    view.cue.textContent = completed ? "Finished. Take a moment to notice how your body feels." : "Stopped. Rest as long as you like.";
    if (done >= 1 && !book) {
      pending = { started_at: r.wall.toISOString(), duration_s: Math.max(0.1, Math.round(elapsed * 10) / 10),
        groups_done: done, completed };
      view.after.reset();
    }
    const hadFocus = view.root.contains(document.activeElement);
    setMode("idle");
    if (!pending) updateSummary(model, view, false, true);
    if (hadFocus) { if (pending) view.after.focus(); else view.mainBtn.focus(); } // Stop is now disabled
    if (book) line.say(PRACTICE_BOOK_NOTE);
    else if (done < 1) line.say("Nothing saved: no part was finished.");
    else line.say("If you like, rate how calm you feel now, then press Finish to save.");
  }

  async function send() {
    if (!pending) return;
    const args = { ...pending, before: view.before.value(), after: view.after.value() };
    pending = null;
    setMode("idle");
    updateSummary(model, view, false, true);
    view.before.reset();
    await ask(model, line, "record_session", args, { noReply: NOT_ANSWERING });
  }

  function toggle() {
    if (run && ticker.running()) pause(); else if (run) resume(); else start();
  }

  return { toggle, skipPart, send, stop: () => finish(false), active: () => run !== null,
    dispose: () => { run = null; ticker.stop(); } };
}

/**
 * Buttons, part ticks, keys and trait listeners; the returned function removes them all.
 * @param {AnyModel} model @param {PmrView} view @param {StatusLine} line @param {string} id
 * @param {ReturnType<typeof pmrSessions>} sessions
 */
function bindPmr(model, view, line, id, sessions) {
  const onSettings = guard(line, () => {
    if (sessions.active()) return;
    updateParts(view, id, model.get("steps"));
    updateSummary(model, view, false);
  });
  const onTick = guard(line, () => updateSummary(model, view, sessions.active()));
  view.partsBox.addEventListener("change", onTick);
  const offs = [
    practiceClicks(line, [[view.mainBtn, sessions.toggle], [view.skipBtn, sessions.skipPart],
      [view.stopBtn, sessions.stop], [view.finishBtn, () => { void sessions.send(); }]]),
    practiceKeys(view.root, line, sessions),
    listen(model, { "change:steps": onSettings, "change:tense_s": onSettings, "change:release_s": onSettings }),
    () => view.partsBox.removeEventListener("change", onTick),
  ];
  return { onSettings, unbind: () => offs.forEach((off) => off()) };
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("pmr");
  const view = buildPmr(id, model.get("safety"));
  const line = statusLine(model, "sg-pmr-status");
  const calm = calmView(model, line, { id, cls: "sg-pmr-calm", shape: view.shapeBox, bar: view.bar });
  view.root.append(calm.el, h("p", { class: "sg-note" }, PRACTICE_KEYS), line.el);
  el.append(view.root);
  const sessions = pmrSessions(model, view, line, isBook());
  const { onSettings, unbind } = bindPmr(model, view, line, id, sessions);
  onSettings();
  guard(line, () => updateMode(view, "idle", false))();

  return () => {
    unbind();
    sessions.dispose();
    calm.dispose();
    view.before.dispose(); view.after.dispose();
    line.dispose();
    view.root.remove();
  };
}

export default { render };
