// @ts-check
/**
 * Steady Ground breathing pacer: the browser side of BreathingPacer.
 *
 * Python sends the settings as a list of phases; this file runs the clock
 * (frameClock of widgets/lib/practice.js: the position comes from
 * performance.now() minus the start and the time spent paused, so it does not
 * drift). Nothing here waits for Python: in the static book there is no
 * kernel and the pacer must still work. A session of at least one full cycle
 * is saved with the `record_session` action.
 */

/** @typedef {{name: "inhale"|"hold"|"exhale"|"top-up inhale", seconds: number, cue: string}} Phase */
/**
 * @typedef {object} Run  one session in progress (its clock is the view's FrameClock)
 * @property {Phase[]} phases   copied at start; later setting changes apply next time
 * @property {number[]} levels  fullness 0..1 at the start of each phase, plus the end
 * @property {number} cycle     seconds per cycle
 * @property {number} cycles    cycles in the session
 * @property {number} total     seconds in the session
 * @property {Date} wall        wall-clock start, for the saved record
 * @property {string} pattern
 * @property {string} cueKey    which phase the cue shows ("cycle:phase")
 */
/**
 * @typedef {object} PacerView
 * @property {HTMLElement} root
 * @property {HTMLElement} summary
 * @property {HTMLElement} note
 * @property {HTMLElement} shapeBox
 * @property {HTMLElement} shape
 * @property {HTMLElement} cue
 * @property {HTMLElement} count
 * @property {HTMLElement} bar
 * @property {HTMLProgressElement} progress
 * @property {HTMLElement} meta
 * @property {HTMLButtonElement} mainBtn
 * @property {HTMLButtonElement} stopBtn
 */

const SAFETY = "Breathe gently and do not force it. If you feel dizzy or light-headed, stop and breathe normally.";
const SETTLE = "Sit or lie down. Eyes open or closed, as you like. If focusing on your breath feels upsetting, stop and try grounding instead.";
const READY = "Press Start when you are ready.";
const PAUSED = "Paused. Breathe normally. Press Resume to carry on.";
const NOT_ANSWERING = "Not saved: the course app did not answer.";


/** Lungs' fullness at each phase boundary. @param {Phase[]} phases @returns {number[]} */
function levels(phases) {
  const out = [0];
  phases.forEach((p, i) => {
    const prev = out[out.length - 1];
    const topUpNext = phases[i + 1] && phases[i + 1].name === "top-up inhale";
    out.push(p.name === "inhale" ? (topUpNext ? 0.75 : 1) : p.name === "top-up inhale" ? 1 : p.name === "exhale" ? 0 : prev);
  });
  return out;
}

/** The pacer's elements, in page order. @param {string} id @returns {PacerView} */
function buildPacer(id) {
  const root = h("div", { class: "sg-widget sg-pacer", role: "group", "aria-labelledby": `${id}-title`, tabindex: "-1", "data-lm-suppress-shortcuts": "true" });
  const stage = h("div", { class: "sg-pacer-stage" });
  const shapeBox = h("div", { class: "sg-pacer-shapebox", "aria-hidden": "true" });
  const shape = h("div", { class: "sg-pacer-shape" });
  const bar = h("div", { class: "sg-pacer-bar" });
  const progress = /** @type {HTMLProgressElement} */ (h("progress", { id: `${id}-progress`, max: "1", value: "0" }));
  const view = {
    root, shapeBox, shape, bar, progress,
    summary: h("p", { class: "sg-pacer-summary" }),
    note: h("p", { class: "sg-warn sg-pacer-note" }),
    cue: h("p", { class: "sg-pacer-cue", "aria-live": "polite" }, READY),
    count: h("p", { class: "sg-pacer-count" }),
    meta: h("p", { class: "sg-pacer-meta" }),
    mainBtn: button("Start"),
    stopBtn: button("Stop", "sg-secondary"),
  };
  const buttons = h("div", { class: "sg-pacer-buttons" });
  shapeBox.append(shape);
  bar.append(h("label", { for: progress.id }, "Progress through this step"), progress);
  stage.append(shapeBox, view.cue, view.count, bar);
  buttons.append(view.mainBtn, view.stopBtn);
  root.append(h("h3", { class: "sg-pacer-title", id: `${id}-title` }, "Breathing pacer"), view.summary,
    h("p", { class: "sg-warn" }, SAFETY), view.note, h("p", { class: "sg-note" }, SETTLE), stage, view.meta, buttons);
  return view; // render() adds the calm view, the keys and the status line
}

/** Text that depends only on the settings (and the meta line while no session runs).
 * @param {AnyModel} model @param {PacerView} view @param {boolean} running */
function updateSettings(model, view, running) {
  view.summary.textContent = model.get("summary");
  view.note.textContent = model.get("pattern_note");
  view.note.hidden = !view.note.textContent;
  if (running) return;
  const phases = /** @type {Phase[]} */ (model.get("phases"));
  const cycles = model.get("session_cycles");
  const total = cycles * phases.reduce((a, p) => a + p.seconds, 0);
  view.meta.textContent = `Time left ${clock(Math.round(total))} · Cycles done: 0 of ${cycles}`;
}

/** The buttons and the synced `state` trait. @param {AnyModel} model @param {PacerView} view @param {string} s */
function updateState(model, view, s) {
  if (model.get("state") !== s) practiceSync(model, "state", s);
  const active = s === "running" || s === "paused";
  view.mainBtn.textContent = s === "running" ? "Pause" : s === "paused" ? "Resume" : s === "done" ? "Start again" : "Start";
  view.stopBtn.disabled = !active;
  view.root.classList.toggle("sg-pacer--active", active);
}

/** Draw the session `t` seconds in. @param {PacerView} view @param {Run} run @param {number} t */
function drawBreath(view, run, t) {
  const k = Math.floor(t / run.cycle);
  let inPhase = t - k * run.cycle;
  let i = 0;
  while (i < run.phases.length - 1 && inPhase >= run.phases[i].seconds) inPhase -= run.phases[i++].seconds;
  const phase = run.phases[i];
  const frac = Math.min(1, inPhase / phase.seconds);
  const key = `${k}:${i}`;
  if (key !== run.cueKey) { run.cueKey = key; view.cue.textContent = phase.cue; }
  practiceText(view.count, String(Math.max(1, Math.ceil(phase.seconds - inPhase))));
  practiceText(view.meta, `Time left ${clock(Math.ceil(run.total - t))} · Cycles done: ${k} of ${run.cycles}`);
  const level = run.levels[i] + (run.levels[i + 1] - run.levels[i]) * ease(frac);
  view.shape.style.transform = `scale(${(0.4 + 0.6 * level).toFixed(4)})`;
  view.progress.value = frac;
}

/**
 * One view's sessions: start, pause, resume, finish, and saving a finished one.
 * @param {AnyModel} model @param {PacerView} view @param {StatusLine} line
 */
function pacerSessions(model, view, line) {
  /** @type {Run | null} */
  let run = null;
  const ticker = frameClock((t) => draw(t), line);

  /** @param {number} seconds */
  function draw(seconds) {
    if (!run) return;
    const t = Math.min(seconds, run.total);
    if (t >= run.total) finish(true, t);
    else drawBreath(view, run, t);
  }

  function start() {
    const phases = /** @type {Phase[]} */ (model.get("phases")).map((p) => ({ ...p }));
    const cycle = phases.reduce((a, p) => a + p.seconds, 0);
    const cycles = model.get("session_cycles");
    if (!phases.length || !(cycle > 0) || !(cycles > 0)) throw new Error("the breathing settings are empty");
    run = { phases, levels: levels(phases), cycle, cycles, total: cycle * cycles, wall: new Date(),
      pattern: model.get("pattern"), cueKey: "" };
    ticker.start();
    line.say("");
    updateState(model, view, "running");
  }

  function pause() {
    if (!run || !ticker.pause()) return; // not running, or the time was up
    view.cue.textContent = PAUSED;
    run.cueKey = "";
    updateState(model, view, "paused");
  }

  function resume() {
    if (run && ticker.resume()) updateState(model, view, "running");
  }

  /** End the session; save it if at least one full cycle was done.
   * @param {boolean} completed @param {number} [seconds] */
  function finish(completed, seconds = ticker.elapsed()) {
    if (!run) return;
    const r = run;
    run = null;
    ticker.stop();
    const duration = completed ? r.total : Math.min(seconds, r.total);
    const cycles = completed ? r.cycles : Math.floor(duration / r.cycle);
    view.shape.style.transform = "";
    view.progress.value = completed ? 1 : 0;
    view.count.textContent = "";
    view.cue.textContent = completed ? "Finished. Let your breath find its own pace." : "Stopped. Breathe normally.";
    view.meta.textContent = `Time left ${clock(Math.ceil(r.total - duration))} · Cycles done: ${cycles} of ${r.cycles}`;
    updateState(model, view, completed ? "done" : "idle");
    if (cycles >= 1 && !isBook()) {
      void ask(model, line, "record_session", { started_at: r.wall.toISOString(),
        duration_s: Math.round(duration * 10) / 10, cycles, pattern: r.pattern, completed }, { noReply: NOT_ANSWERING });
    }
  }

  function toggle() {
    const s = model.get("state");
    if (s === "running" && run) pause();
    else if (s === "paused" && run) resume();
    else start();
  }

  return { toggle, stop: () => finish(false), active: () => run !== null,
    dispose: () => { run = null; ticker.stop(); } };
}

/**
 * Buttons, keys and trait listeners; the returned function removes them all.
 * @param {AnyModel} model @param {PacerView} view @param {StatusLine} line
 * @param {ReturnType<typeof pacerSessions>} sessions
 */
function bindPacer(model, view, line, sessions) {
  const onSettings = guard(line, () => updateSettings(model, view, sessions.active()));
  const settings = Object.fromEntries(["summary", "pattern_note", "phases", "session_cycles"].map((n) => [`change:${n}`, onSettings]));
  const offs = [
    practiceClicks(line, [[view.mainBtn, sessions.toggle], [view.stopBtn, sessions.stop]]),
    practiceKeys(view.root, line, sessions),
    listen(model, settings),
  ];
  return () => offs.forEach((off) => off());
}

/** @param {RenderContext} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("pacer");
  const view = buildPacer(id);
  const line = statusLine(model, "sg-pacer-status");
  const calm = calmView(model, line, { id, cls: "sg-pacer-calm", shape: view.shapeBox, bar: view.bar });
  view.root.append(calm.el, h("p", { class: "sg-note" }, PRACTICE_KEYS), line.el);
  el.append(view.root);
  const sessions = pacerSessions(model, view, line);
  const unbind = bindPacer(model, view, line, sessions);
  guard(line, () => {
    updateState(model, view, "idle"); // a fresh view has no session running
    updateSettings(model, view, false);
  })();

  return () => {
    unbind();
    sessions.dispose();
    calm.dispose();
    line.dispose();
    view.root.remove();
  };
}

export default { render };
