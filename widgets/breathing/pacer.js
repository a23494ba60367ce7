// @ts-check
/**
 * Steady Ground breathing pacer: the browser side of BreathingPacer.
 *
 * Python sends the settings as a list of phases; this file runs the clock.
 * Every frame the position is computed from performance.now() minus the
 * start and the time spent paused, never by adding up frame times, so it
 * does not drift. Nothing here waits for a reply from Python: in the static
 * book there is no kernel and the pacer must still work.
 */

/** @typedef {{name: "inhale"|"hold"|"exhale"|"top-up inhale", seconds: number, cue: string}} Phase */
/**
 * @typedef {object} Run  one session in progress
 * @property {Phase[]} phases   copied at start; later setting changes apply next time
 * @property {number[]} levels  fullness 0..1 at the start of each phase, plus the end
 * @property {number} cycle     seconds per cycle
 * @property {number} cycles    cycles in the session
 * @property {number} total     seconds in the session
 * @property {number} t0        performance.now() at start
 * @property {number} pausedMs  total time spent paused
 * @property {number} pauseAt   performance.now() when paused, or -1
 * @property {Date} wall        wall-clock start, for the saved record
 * @property {string} pattern
 * @property {string} cueKey    which phase the cue shows ("cycle:phase")
 */

const SAFETY = "Breathe gently and do not force it. If you feel dizzy or light-headed, stop and breathe normally.";
const SETTLE = "Sit or lie down. Eyes open or closed, as you like. If focusing on your breath feels upsetting, stop and try grounding instead.";
const KEYS = "Keys: Space starts, pauses or resumes. Escape stops.";
const READY = "Press Start when you are ready.";


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


/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("pacer");
  const root = h("div", { class: "sg-widget sg-pacer", role: "group", "aria-labelledby": `${id}-title`, tabindex: "-1", "data-lm-suppress-shortcuts": "true" });
  const title = h("h3", { class: "sg-pacer-title", id: `${id}-title` }, "Breathing pacer");
  const summary = h("p", { class: "sg-pacer-summary" });
  const safety = h("p", { class: "sg-warn" }, SAFETY);
  const note = h("p", { class: "sg-warn sg-pacer-note" });
  const settle = h("p", { class: "sg-note" }, SETTLE);
  const stage = h("div", { class: "sg-pacer-stage" });
  const shapeBox = h("div", { class: "sg-pacer-shapebox", "aria-hidden": "true" });
  const shape = h("div", { class: "sg-pacer-shape" });
  const cue = h("p", { class: "sg-pacer-cue", "aria-live": "polite" }, READY);
  const count = h("p", { class: "sg-pacer-count" });
  const bar = h("div", { class: "sg-pacer-bar" });
  const barLabel = h("label", { for: `${id}-progress` }, "Progress through this step");
  const progress = /** @type {HTMLProgressElement} */ (h("progress", { id: `${id}-progress`, max: "1", value: "0" }));
  const meta = h("p", { class: "sg-pacer-meta" });
  const buttons = h("div", { class: "sg-pacer-buttons" });
  const mainBtn = /** @type {HTMLButtonElement} */ (h("button", { type: "button" }, "Start"));
  const stopBtn = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "sg-secondary" }, "Stop"));
  const calmRow = h("p", { class: "sg-pacer-calm" });
  const calmBox = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-calm` }));
  const calmLabel = h("label", { for: `${id}-calm` }, "Calm view (no moving shape)");
  const keys = h("p", { class: "sg-note" }, KEYS);
  const status = h("p", { class: "sg-pacer-status", role: "status" });
  const error = h("p", { class: "sg-error", role: "alert" });

  shapeBox.append(shape);
  bar.append(barLabel, progress);
  stage.append(shapeBox, cue, count, bar);
  buttons.append(mainBtn, stopBtn);
  calmRow.append(calmBox, " ", calmLabel);
  root.append(title, summary, safety, note, settle, stage, meta, buttons, calmRow, keys, status, error);
  el.append(root);

  /** @type {Run | null} */
  let run = null;
  let raf = 0;
  const state = () => model.get("state");

  /** Push local changes to Python; without a kernel there is nowhere to push. */
  function sync() {
    try { model.save_changes(); } catch (e) { console.debug("Steady Ground pacer: no kernel to sync with", e); }
  }

  /** Run a callback; show any error instead of losing it. @param {() => void} fn */
  function guard(fn) {
    try { fn(); } catch (e) {
      error.textContent = `Something went wrong in the pacer: ${e instanceof Error ? e.message : e}`;
      console.error(e);
    }
  }

  /** @param {string} s */
  function setState(s) {
    if (state() !== s) { model.set("state", s); sync(); }
    const active = s === "running" || s === "paused";
    mainBtn.textContent = s === "running" ? "Pause" : s === "paused" ? "Resume" : s === "done" ? "Start again" : "Start";
    stopBtn.disabled = !active;
    root.classList.toggle("sg-pacer--active", active);
  }

  /** Text that depends only on the settings. */
  function showSettings() {
    summary.textContent = model.get("summary");
    note.textContent = model.get("pattern_note");
    note.hidden = !note.textContent;
    if (!run) {
      const phases = /** @type {Phase[]} */ (model.get("phases"));
      const cycles = model.get("session_cycles");
      const total = cycles * phases.reduce((a, p) => a + p.seconds, 0);
      meta.textContent = `Time left ${clock(Math.round(total))} · Cycles done: 0 of ${cycles}`;
    }
  }

  function showCalm() {
    const calm = !!model.get("reduced_motion");
    calmBox.checked = calm;
    shapeBox.hidden = calm;
    bar.hidden = !calm;
  }

  /** Seconds of breathing so far (paused time left out). @param {Run} r @param {number} now */
  const elapsed = (r, now) => ((r.pauseAt >= 0 ? r.pauseAt : now) - r.t0 - r.pausedMs) / 1000;

  /** Draw the session at time `now`; finish it when the time is up. @param {number} now */
  function draw(now) {
    if (!run) return;
    const t = Math.min(elapsed(run, now), run.total);
    if (t >= run.total) { finish(true, now); return; }
    const k = Math.floor(t / run.cycle);
    let inPhase = t - k * run.cycle;
    let i = 0;
    while (i < run.phases.length - 1 && inPhase >= run.phases[i].seconds) inPhase -= run.phases[i++].seconds;
    const phase = run.phases[i];
    const frac = Math.min(1, inPhase / phase.seconds);
    const key = `${k}:${i}`;
    if (key !== run.cueKey) { run.cueKey = key; cue.textContent = phase.cue; }
    setText(count, String(Math.max(1, Math.ceil(phase.seconds - inPhase))));
    setText(meta, `Time left ${clock(Math.ceil(run.total - t))} · Cycles done: ${k} of ${run.cycles}`);
    const level = run.levels[i] + (run.levels[i + 1] - run.levels[i]) * ease(frac);
    shape.style.transform = `scale(${(0.4 + 0.6 * level).toFixed(4)})`;
    progress.value = frac;
  }

  /** Change text only when it differs, to keep the page quiet. @param {HTMLElement} node @param {string} text */
  function setText(node, text) { if (node.textContent !== text) node.textContent = text; }

  /** @param {number} now */
  function frame(now) {
    raf = 0;
    guard(() => {
      draw(now);
      if (run && run.pauseAt < 0) raf = requestAnimationFrame(frame);
    });
  }

  function start() {
    const phases = /** @type {Phase[]} */ (model.get("phases")).map((p) => ({ ...p }));
    const cycle = phases.reduce((a, p) => a + p.seconds, 0);
    const cycles = model.get("session_cycles");
    if (!phases.length || !(cycle > 0) || !(cycles > 0)) throw new Error("the breathing settings are empty");
    run = { phases, levels: levels(phases), cycle, cycles, total: cycle * cycles, t0: performance.now(),
      pausedMs: 0, pauseAt: -1, wall: new Date(), pattern: model.get("pattern"), cueKey: "" };
    error.textContent = "";
    model.set("status_message", "");
    setState("running");
    raf = requestAnimationFrame(frame);
  }

  function pause() {
    if (!run || run.pauseAt >= 0) return;
    run.pauseAt = performance.now();
    cancelAnimationFrame(raf); raf = 0;
    draw(run.pauseAt);
    cue.textContent = "Paused. Breathe normally. Press Resume to carry on.";
    run.cueKey = "";
    setState("paused");
  }

  function resume() {
    if (!run || run.pauseAt < 0) return;
    run.pausedMs += performance.now() - run.pauseAt;
    run.pauseAt = -1;
    setState("running");
    raf = requestAnimationFrame(frame);
  }

  /** End the session; tell Python if at least one full cycle was done.
   * @param {boolean} completed @param {number} [now] */
  function finish(completed, now = performance.now()) {
    if (!run) return;
    const r = run;
    run = null;
    cancelAnimationFrame(raf); raf = 0;
    const duration = completed ? r.total : Math.min(elapsed(r, now), r.total);
    const cycles = completed ? r.cycles : Math.floor(duration / r.cycle);
    shape.style.transform = "";
    progress.value = completed ? 1 : 0;
    count.textContent = "";
    cue.textContent = completed ? "Finished. Let your breath find its own pace." : "Stopped. Breathe normally.";
    meta.textContent = `Time left ${clock(Math.ceil(r.total - duration))} · Cycles done: ${cycles} of ${r.cycles}`;
    setState(completed ? "done" : "idle");
    if (cycles >= 1) {
      const msg = { type: "session", started_at: r.wall.toISOString(), duration_s: Math.round(duration * 10) / 10,
        cycles, pattern: r.pattern, completed };
      try { model.send(msg); } catch (e) { console.debug("Steady Ground pacer: no kernel, session not saved", e); }
    }
  }

  function toggle() {
    const s = state();
    if (s === "running" && run) pause();
    else if (s === "paused" && run) resume();
    else start();
  }

  /** @param {KeyboardEvent} e */
  function onKey(e) {
    if (e.key === "Escape" && run) {
      e.preventDefault(); e.stopPropagation();
      guard(() => finish(false));
    } else if ((e.key === " " || e.key === "Spacebar") && !e.repeat) {
      const target = /** @type {HTMLElement} */ (e.target);
      if (target.closest("button, input, select, textarea, a, label")) return; // native Space
      e.preventDefault(); e.stopPropagation();
      guard(toggle);
    }
  }

  const onMain = () => guard(toggle);
  const onStop = () => guard(() => finish(false));
  const onCalm = () => guard(() => { model.set("reduced_motion", calmBox.checked); sync(); showCalm(); });
  const onStatus = () => guard(() => { status.textContent = model.get("status_message"); });
  const onSettings = () => guard(showSettings);
  const onCalmTrait = () => guard(showCalm);
  const motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  const onMotion = () => guard(() => {
    if (motion && motion.matches && !model.get("reduced_motion")) { model.set("reduced_motion", true); sync(); }
    showCalm();
  });

  mainBtn.addEventListener("click", onMain);
  stopBtn.addEventListener("click", onStop);
  calmBox.addEventListener("change", onCalm);
  root.addEventListener("keydown", onKey);
  motion?.addEventListener?.("change", onMotion);
  const settingsEvents = ["summary", "pattern_note", "phases", "session_cycles"].map((n) => `change:${n}`);
  for (const ev of settingsEvents) model.on(ev, onSettings);
  model.on("change:reduced_motion", onCalmTrait);
  model.on("change:status_message", onStatus);

  guard(() => {
    setState("idle"); // a fresh view has no session running
    showSettings(); onMotion(); onStatus();
  });

  return () => {
    cancelAnimationFrame(raf);
    run = null;
    motion?.removeEventListener?.("change", onMotion);
    for (const ev of settingsEvents) model.off(ev, onSettings);
    model.off("change:reduced_motion", onCalmTrait);
    model.off("change:status_message", onStatus);
    root.removeEventListener("keydown", onKey);
    root.remove();
  };
}

export default { render };
