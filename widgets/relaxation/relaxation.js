// @ts-check
/**
 * Steady Ground progressive muscle relaxation: the browser side of MuscleRelaxation.
 *
 * Python sends the muscle groups and the seconds to get ready, tense and let
 * go; this file runs the clock. Each frame the position comes from
 * performance.now() minus the start and the paused time (plus any skipped
 * time), never from adding up frames, so it does not drift. Nothing waits for
 * a reply from Python: in the static book (html[data-sg-channel="book"]) the
 * exercise runs fully and says that nothing is saved.
 */

/** @typedef {{key: string, name: string, tense: string, release: string}} Group */
/** @typedef {{g: number, kind: "prepare"|"tense"|"release", start: number, seconds: number, cue: string}} Segment */
/**
 * One session in progress: the ticked `groups` and their `segs`, `total` seconds, `t0` = performance.now()
 * at start, `pausedMs` spent paused, `jumpMs` skipped over, `pauseAt` (-1 when running), the `skipped`
 * groups, the `wall` start time for the record, and the `seg` on screen.
 * @typedef {{groups: Group[], segs: Segment[], total: number, t0: number, pausedMs: number, jumpMs: number,
 *   pauseAt: number, skipped: Set<number>, wall: Date, seg: number}} Run
 */

const KEYS = "Keys: Space starts, pauses or resumes. Escape stops.";
const BOOK_NOTE = "In this read-only book nothing is saved.";
const PHASE = { prepare: "Get ready", tense: "Tense gently", release: "Let go" };
const NO_REPLY_MS = 5000;


/**
 * An optional 0-10 rating: a native range that counts only once it is moved,
 * and a Skip button that clears it and moves on. (Same as in grounding.js.)
 * @param {string} id @param {string} question @param {() => void} onSkip
 */
function ratingField(id, question, onSkip) {
  const box = h("fieldset", { class: "sg-rating" });
  const label = h("label", { for: `${id}-range` }, "Calm, from 0 (not calm at all) to 10 (completely calm)");
  const row = h("div", { class: "sg-rating-row" });
  const range = /** @type {HTMLInputElement} */ (h("input", { type: "range", id: `${id}-range`, min: "0", max: "10", step: "1", value: "5" }));
  const out = h("output", { for: `${id}-range`, class: "sg-rating-value", "aria-hidden": "true" });
  const skip = h("button", { type: "button", class: "sg-secondary" }, "Skip rating");
  row.append(range, out, skip);
  box.append(h("legend", {}, `${question} (optional)`), label, row);
  /** @type {number | null} */
  let value = null;
  const show = () => {
    out.textContent = value === null ? "Not rated" : `${value} out of 10`;
    box.classList.toggle("sg-rating--unset", value === null);
    range.setAttribute("aria-valuetext", value === null ? "Not rated yet" : `${value} out of 10`);
  };
  const reset = () => { value = null; range.value = "5"; show(); };
  range.addEventListener("input", () => { value = Number(range.value); show(); });
  skip.addEventListener("click", () => { reset(); onSkip(); });
  show();
  return { node: box, reset, value: () => value };
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("pmr");
  const book = isBook();
  const root = h("div", { class: "sg-widget sg-pmr", role: "group", "aria-labelledby": `${id}-title`, tabindex: "-1", "data-lm-suppress-shortcuts": "true" });
  const title = h("h3", { class: "sg-pmr-title", id: `${id}-title` }, "Progressive muscle relaxation");
  const safety = h("p", { class: "sg-warn" }, model.get("safety"));
  const settle = h("p", { class: "sg-note" }, "Sit or lie down. Keep breathing normally while you tense. Eyes open or closed, as you like.");
  const summary = h("p", { class: "sg-pmr-summary" });
  const setup = h("div", { class: "sg-pmr-setup" });
  const partsBox = h("fieldset", { class: "sg-pmr-parts" });
  const mainBtn = /** @type {HTMLButtonElement} */ (h("button", { type: "button" }, "Start"));
  const before = ratingField(`${id}-before`, "How calm do you feel right now?", () => mainBtn.focus());
  setup.append(partsBox, before.node);
  const stage = h("div", { class: "sg-pmr-stage" });
  const part = h("p", { class: "sg-pmr-part" }, "Press Start when you are ready.");
  const shapeBox = h("div", { class: "sg-pmr-shapebox", "aria-hidden": "true" });
  const shape = h("div", { class: "sg-pmr-shape" });
  const cue = h("p", { class: "sg-pmr-cue", "aria-live": "polite" });
  const count = h("p", { class: "sg-pmr-count" });
  const bar = h("div", { class: "sg-pmr-bar" });
  const progress = /** @type {HTMLProgressElement} */ (h("progress", { id: `${id}-progress`, max: "1", value: "0" }));
  const meta = h("p", { class: "sg-pmr-meta" });
  const buttons = h("div", { class: "sg-pmr-buttons" });
  const skipBtn = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "sg-secondary" }, "Skip this part"));
  const stopBtn = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "sg-secondary" }, "Stop"));
  const calmRow = h("p", { class: "sg-pmr-calm" });
  const calmBox = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-calm` }));
  const afterBox = h("div", { class: "sg-pmr-after" });
  const finishBtn = /** @type {HTMLButtonElement} */ (h("button", { type: "button" }, "Finish"));
  const after = ratingField(`${id}-after`, "How calm do you feel now?", () => finishBtn.focus());
  const status = h("p", { class: "sg-pmr-status", role: "status" });
  const error = h("p", { class: "sg-error", role: "alert" });

  shapeBox.append(shape);
  bar.append(h("label", { for: progress.id }, "Progress through this step"), progress);
  stage.append(part, shapeBox, cue, count, bar);
  buttons.append(mainBtn, skipBtn, stopBtn);
  calmRow.append(calmBox, " ", h("label", { for: calmBox.id }, "Calm view (no moving shape)"));
  afterBox.append(after.node, finishBtn);
  root.append(title, safety, settle, summary, setup, stage, afterBox, meta, buttons, calmRow, h("p", { class: "sg-note" }, KEYS), status, error);
  el.append(root);

  /** @type {Run | null} */
  let run = null;
  /** @type {Record<string, any> | null} a finished session waiting for the "after" rating */
  let pending = null;
  let raf = 0, waiting = 0;
  /** @type {HTMLInputElement[]} */
  let ticks = [];
  /** Push local changes to Python; without a kernel there is nowhere to push. */
  const sync = () => { try { model.save_changes(); } catch (e) { console.debug("Steady Ground: no kernel to sync with", e); } };

  /** Run a callback; show any error instead of losing it. @param {() => void} fn */
  function guard(fn) {
    try { fn(); } catch (e) {
      error.textContent = `Something went wrong in the muscle relaxation guide: ${e instanceof Error ? e.message : e}`;
      console.error(e);
    }
  }
  /** @param {HTMLElement} node @param {string} text */
  const setText = (node, text) => { if (node.textContent !== text) node.textContent = text; };
  const groups = () => /** @type {Group[]} */ (model.get("steps"));
  const perGroup = () => model.get("prepare_s") + model.get("tense_s") + model.get("release_s");
  const chosen = () => groups().filter((_, i) => ticks[i] && ticks[i].checked);

  function showSettings() {
    if (run) return;
    partsBox.replaceChildren(h("legend", {}, "Parts to include today (untick any you want to skip)"));
    ticks = groups().map((g, i) => {
      const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-g${i}` }));
      box.checked = true;
      box.addEventListener("change", () => guard(showSummary));
      const row = h("div", { class: "sg-pmr-part-choice" });
      row.append(box, " ", h("label", { for: box.id }, g.name));
      partsBox.append(row);
      return box;
    });
    showSummary();
  }
  /** @param {unknown} [resetMeta] false keeps the last session's numbers on screen */
  function showSummary(resetMeta = true) {
    const n = chosen().length;
    summary.textContent = `${n} ${n === 1 ? "part" : "parts"}: tense ${model.get("tense_s")} s, then let go for ${model.get("release_s")} s. About ${Math.max(1, Math.round(n * perGroup() / 60))} min.`;
    if (!run && resetMeta) meta.textContent = `Time left ${clock(n * perGroup())} · Parts done: 0 of ${n}`;
    mainBtn.disabled = n === 0 && !run;
  }
  function showCalm() {
    const calm = !!model.get("reduced_motion");
    calmBox.checked = calm; shapeBox.hidden = calm; bar.hidden = !calm;
  }
  function setMode(/** @type {"idle"|"running"|"paused"} */ mode) {
    const active = mode !== "idle";
    mainBtn.textContent = mode === "running" ? "Pause" : mode === "paused" ? "Resume" : "Start";
    skipBtn.disabled = stopBtn.disabled = !active;
    setup.hidden = active || !!pending;
    afterBox.hidden = !pending;
    root.classList.toggle("sg-pmr--active", active);
  }

  /** Parts whose "let go" ended by `t` and were not skipped. @param {Run} r @param {number} t */
  const partsDone = (r, t) => r.segs.filter((x) => x.kind === "release" && x.start + x.seconds <= t && !r.skipped.has(x.g)).length;
  /** Seconds into the session (pauses left out, skips counted). @param {Run} r @param {number} now */
  const position = (r, now) => ((r.pauseAt >= 0 ? r.pauseAt : now) - r.t0 - r.pausedMs + r.jumpMs) / 1000;

  /** @param {number} now */
  function draw(now) {
    if (!run) return;
    const t = position(run, now);
    if (t >= run.total) { finish(true, now); return; }
    let i = 0;
    while (i < run.segs.length - 1 && t >= run.segs[i + 1].start) i++;
    const s = run.segs[i], into = t - s.start, frac = Math.min(1, into / s.seconds);
    if (i !== run.seg) {
      run.seg = i;
      cue.textContent = s.cue;
      part.textContent = `Part ${s.g + 1} of ${run.groups.length}: ${run.groups[s.g].name} · ${PHASE[s.kind]}`;
      root.dataset.phase = s.kind;
    }
    setText(count, String(Math.max(1, Math.ceil(s.seconds - into))));
    setText(meta, `Time left ${clock(Math.ceil(run.total - t))} · Parts done: ${partsDone(run, t)} of ${run.groups.length}`);
    const level = s.kind === "tense" ? 1 - 0.45 * ease(into / 1.5) : s.kind === "release" ? 0.55 + 0.45 * ease(frac) : 1;
    shape.style.transform = `scale(${level.toFixed(4)})`;
    progress.value = frac;
  }

  /** @param {number} now */
  function frame(now) {
    raf = 0;
    guard(() => { draw(now); if (run && run.pauseAt < 0) raf = requestAnimationFrame(frame); });
  }

  function start() {
    if (pending) send(); // a new start saves the last session without an "after" rating
    const picked = chosen();
    if (!picked.length) throw new Error("no muscle group is ticked");
    const [prep, tense, release] = [model.get("prepare_s"), model.get("tense_s"), model.get("release_s")];
    /** @type {Segment[]} */
    const segs = [];
    picked.forEach((g, k) => {
      const at = k * (prep + tense + release);
      segs.push({ g: k, kind: "prepare", start: at, seconds: prep, cue: `Get ready for your ${g.name.toLowerCase()}.` },
        { g: k, kind: "tense", start: at + prep, seconds: tense, cue: g.tense },
        { g: k, kind: "release", start: at + prep + tense, seconds: release, cue: g.release });
    });
    run = { groups: picked, segs, total: picked.length * (prep + tense + release), t0: performance.now(), pausedMs: 0,
      jumpMs: 0, pauseAt: -1, skipped: new Set(), wall: new Date(), seg: -1 };
    error.textContent = ""; status.textContent = "";
    setMode("running");
    raf = requestAnimationFrame(frame);
  }
  function pause() {
    if (!run || run.pauseAt >= 0) return;
    run.pauseAt = performance.now();
    cancelAnimationFrame(raf); raf = 0;
    draw(run.pauseAt);
    cue.textContent = "Paused. Let your body rest. Press Resume to carry on.";
    run.seg = -1;
    setMode("paused");
  }
  function resume() {
    if (!run || run.pauseAt < 0) return;
    run.pausedMs += performance.now() - run.pauseAt;
    run.pauseAt = -1;
    setMode("running");
    raf = requestAnimationFrame(frame);
  }
  /** Jump to the next part; the skipped part does not count as done. */
  function skipPart() {
    if (!run) return;
    const now = performance.now(), t = position(run, now);
    const g = run.segs.find((x) => x.start <= t && t < x.start + x.seconds)?.g ?? run.groups.length - 1;
    run.skipped.add(g);
    const next = run.segs.find((x) => x.g === g + 1);
    run.jumpMs += ((next ? next.start : run.total) - t) * 1000;
    run.seg = -1;
    if (run.pauseAt >= 0) resume(); else draw(now);
  }
  /** End the session; ask for the optional "after" rating if a part was done.
   * @param {boolean} completed @param {number} [now] */
  function finish(completed, now = performance.now()) {
    if (!run) return;
    const r = run;
    run = null;
    cancelAnimationFrame(raf); raf = 0;
    const t = Math.min(position(r, now), r.total);
    const done = partsDone(r, t);
    const spent = ((r.pauseAt >= 0 ? r.pauseAt : now) - r.t0 - r.pausedMs) / 1000;
    shape.style.transform = ""; progress.value = completed ? 1 : 0; count.textContent = "";
    delete root.dataset.phase;
    part.textContent = `Parts done: ${done} of ${r.groups.length}`;
    cue.textContent = completed ? "Finished. Take a moment to notice how your body feels." : "Stopped. Rest as long as you like.";
    if (done >= 1 && !book) {
      pending = { type: "session", started_at: r.wall.toISOString(), duration_s: Math.max(0.1, Math.round(spent * 10) / 10),
        groups_done: done, completed };
      after.reset();
    }
    const hadFocus = root.contains(document.activeElement);
    setMode("idle");
    if (!pending) showSummary(false);
    if (hadFocus) (pending ? after.node.querySelector("input") || finishBtn : mainBtn).focus(); // Stop is now disabled
    if (book) status.textContent = BOOK_NOTE;
    else if (done < 1) status.textContent = "Nothing saved: no part was finished.";
    else status.textContent = "If you like, rate how calm you feel now, then press Finish to save.";
  }
  function send() {
    if (!pending) return;
    const msg = { ...pending, before: before.value(), after: after.value() };
    pending = null;
    setMode("idle");
    showSummary(false);
    before.reset();
    status.textContent = "Saving…";
    status.classList.remove("sg-error");
    try {
      model.set("status_message", ""); model.save_changes();
      model.send(msg);
    } catch (e) {
      status.textContent = `Not saved: the course app could not be reached (${e instanceof Error ? e.message : e}).`;
      status.classList.add("sg-error");
      return;
    }
    window.clearTimeout(waiting);
    waiting = window.setTimeout(() => {
      status.textContent = "Not saved: the course app did not answer.";
      status.classList.add("sg-error");
    }, NO_REPLY_MS);
  }
  function toggle() {
    if (run && run.pauseAt < 0) pause(); else if (run) resume(); else start();
  }

  /** @param {KeyboardEvent} e */
  function onKey(e) {
    if (e.key === "Escape" && run) {
      e.preventDefault(); e.stopPropagation();
      guard(() => finish(false));
    } else if ((e.key === " " || e.key === "Spacebar") && !e.repeat) {
      if (/** @type {HTMLElement} */ (e.target).closest("button, input, select, textarea, a, label")) return;
      e.preventDefault(); e.stopPropagation();
      guard(toggle);
    }
  }
  const onStatus = () => guard(() => {
    if (!model.get("status_message")) return;
    window.clearTimeout(waiting);
    status.textContent = model.get("status_message");
    status.classList.toggle("sg-error", !!model.get("status_error"));
  });
  const onSettings = () => guard(showSettings);
  const motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  const onMotion = () => guard(() => {
    if (motion && motion.matches && !model.get("reduced_motion")) { model.set("reduced_motion", true); sync(); }
    showCalm();
  });
  /** @type {[HTMLElement, string, () => void][]} */
  const wired = [
    [mainBtn, "click", () => guard(toggle)], [skipBtn, "click", () => guard(skipPart)],
    [stopBtn, "click", () => guard(() => finish(false))], [finishBtn, "click", () => guard(send)],
    [calmBox, "change", () => guard(() => { model.set("reduced_motion", calmBox.checked); sync(); showCalm(); })],
  ];
  for (const [node, ev, fn] of wired) node.addEventListener(ev, fn);
  root.addEventListener("keydown", onKey);
  motion?.addEventListener?.("change", onMotion);
  const settingsEvents = ["steps", "tense_s", "release_s"].map((n) => `change:${n}`);
  for (const ev of settingsEvents) model.on(ev, onSettings);
  model.on("change:reduced_motion", onMotion);
  model.on("change:status_message", onStatus);
  guard(() => { showSettings(); setMode("idle"); onMotion(); });

  return () => {
    cancelAnimationFrame(raf); window.clearTimeout(waiting);
    run = null;
    for (const [node, ev, fn] of wired) node.removeEventListener(ev, fn);
    root.removeEventListener("keydown", onKey);
    motion?.removeEventListener?.("change", onMotion);
    for (const ev of settingsEvents) model.off(ev, onSettings);
    model.off("change:reduced_motion", onMotion);
    model.off("change:status_message", onStatus);
    root.remove();
  };
}

export default { render };
