// @ts-check
// Shared helpers of the guided practices (pacer, grounding, muscle relaxation). Part of the shared helpers: see core.js.
// Every name here is global in every widget's module, so each one says "practice" or is plainly this file's.

/**
 * A clock for one practice session, driven by requestAnimationFrame.
 * @typedef {object} FrameClock
 * @property {() => void} start  start from zero, now (a running session starts over)
 * @property {() => boolean} pause  freeze the time and draw that moment once; no frames until resume.
 *   False when it was not running, or when that last frame ended the session (stopped the clock)
 * @property {() => boolean} resume carry on, the time spent paused left out; false when it was not paused
 * @property {() => void} stop   no more frames (a stopped clock keeps its time until the next start)
 * @property {(now?: number) => number} elapsed  seconds so far, pauses left out
 * @property {() => boolean} running  started, not paused, not stopped
 * @property {() => boolean} paused
 */

/**
 * An optional 0-10 rating field.
 * @typedef {{node: HTMLElement, reset: () => void, value: () => number | null, focus: () => void, dispose: () => void}} RatingField
 */

const PRACTICE_KEYS = "Keys: Space starts, pauses or resumes. Escape stops.";
const PRACTICE_BOOK_NOTE = "In this read-only book nothing is saved.";

/**
 * The one clock of the pacer and the muscle relaxation guide. Each frame the
 * time is computed from performance.now() minus the start and the time spent
 * paused, never by adding up frame times, so it does not drift.
 * `onFrame(seconds, now)` draws the session; it may call `stop()` (the time is
 * up). An error in it shows on the status line (as guard() does) and stops the clock.
 * @param {(seconds: number, now: number) => void} onFrame
 * @param {{say: (text: string, error?: boolean) => void}} line
 * @returns {FrameClock}
 */
function frameClock(onFrame, line) {
  let t0 = 0, pausedMs = 0, pauseAt = -1, raf = 0, on = false;

  /** @param {number} now */
  const elapsed = (now = performance.now()) => Math.max(0, ((pauseAt >= 0 ? pauseAt : now) - t0 - pausedMs) / 1000);
  const cancel = () => { if (raf) cancelAnimationFrame(raf); raf = 0; };
  /** Draw the moment `now`; an error stops the clock. @param {number} now */
  const draw = (now) => {
    let drawn = false;
    guard(line, () => { onFrame(elapsed(now), now); drawn = true; })();
    if (!drawn) on = false;
  };
  /** @param {number} now */
  const frame = (now) => {
    raf = 0;
    if (!on || pauseAt >= 0) return;
    draw(now);
    if (on && pauseAt < 0 && !raf) raf = requestAnimationFrame(frame);
  };

  return {
    start() {
      cancel();
      t0 = performance.now(); pausedMs = 0; pauseAt = -1; on = true;
      raf = requestAnimationFrame(frame);
    },
    pause() {
      if (!on || pauseAt >= 0) return false;
      pauseAt = performance.now();
      cancel();
      draw(pauseAt);
      return on;
    },
    resume() {
      if (!on || pauseAt < 0) return false;
      pausedMs += performance.now() - pauseAt;
      pauseAt = -1;
      raf = requestAnimationFrame(frame);
      return true;
    },
    stop() {
      if (on && pauseAt < 0) pauseAt = performance.now(); // keep the time it stopped at
      on = false;
      cancel();
    },
    elapsed,
    running: () => on && pauseAt < 0,
    paused: () => on && pauseAt >= 0,
  };
}

/**
 * An optional 0-10 calm rating: a native range that counts only once it is
 * moved, and a Skip button that clears it and calls `onSkip` (to move on).
 * @param {string} id  unique id prefix
 * @param {string} question  the legend, e.g. "How calm do you feel right now?"
 * @param {() => void} onSkip
 * @returns {RatingField}
 */
function ratingField(id, question, onSkip) {
  const node = h("fieldset", { class: "sg-rating" });
  const label = h("label", { for: `${id}-range` }, "Calm, from 0 (not calm at all) to 10 (completely calm)");
  const row = h("div", { class: "sg-rating-row" });
  const range = /** @type {HTMLInputElement} */ (h("input", { type: "range", id: `${id}-range`, min: "0", max: "10", step: "1", value: "5" }));
  const out = h("output", { for: `${id}-range`, class: "sg-rating-value", "aria-hidden": "true" });
  const skip = button("Skip rating", "sg-secondary");
  row.append(range, out, skip);
  node.append(h("legend", {}, `${question} (optional)`), label, row);
  /** @type {number | null} */
  let value = null;
  const show = () => {
    out.textContent = value === null ? "Not rated" : `${value} out of 10`;
    node.classList.toggle("sg-rating--unset", value === null);
    range.setAttribute("aria-valuetext", value === null ? "Not rated yet" : `${value} out of 10`);
  };
  const reset = () => { value = null; range.value = "5"; show(); };
  const onInput = () => { value = Number(range.value); show(); };
  const onSkipClick = () => { reset(); onSkip(); };
  range.addEventListener("input", onInput);
  skip.addEventListener("click", onSkipClick);
  show();
  return {
    node, reset, value: () => value, focus: () => range.focus(),
    dispose: () => { range.removeEventListener("input", onInput); skip.removeEventListener("click", onSkipClick); },
  };
}

/**
 * Set a plain UI trait (state, calm view) and push it to Python; in a page
 * with no kernel there is nowhere to push, and that is fine.
 * @param {AnyModel} model
 * @param {string} name
 * @param {any} value
 */
function practiceSync(model, name, value) {
  model.set(name, value);
  try { model.save_changes(); } catch (err) { console.debug("Steady Ground: no kernel to sync with", err); }
}

/**
 * Change a node's text only when it differs, to keep the page (and screen readers) quiet.
 * @param {HTMLElement} node
 * @param {string} text
 */
function practiceText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * The calm view: a checkbox bound to the `reduced_motion` trait. It starts on
 * when the system asks for reduced motion (prefers-reduced-motion); the learner
 * can change it. On, the moving `shape` is hidden and the progress `bar` shown.
 * @param {AnyModel} model
 * @param {StatusLine} line
 * @param {{id: string, cls: string, shape: HTMLElement, bar: HTMLElement}} parts
 * @returns {{el: HTMLElement, dispose: () => void}}
 */
function calmView(model, line, { id, cls, shape, bar }) {
  const el = h("p", { class: cls });
  const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: `${id}-calm` }));
  el.append(box, " ", h("label", { for: box.id }, "Calm view (no moving shape)"));
  const show = guard(line, () => {
    const calm = Boolean(model.get("reduced_motion"));
    box.checked = calm;
    shape.hidden = calm;
    bar.hidden = !calm;
  });
  const motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  const onMotion = guard(line, () => {
    if (motion && motion.matches && !model.get("reduced_motion")) practiceSync(model, "reduced_motion", true);
    show();
  });
  const onBox = guard(line, () => { practiceSync(model, "reduced_motion", box.checked); show(); });
  box.addEventListener("change", onBox);
  motion?.addEventListener?.("change", onMotion);
  const stop = listen(model, { "change:reduced_motion": show });
  onMotion();
  return {
    el,
    dispose: () => { box.removeEventListener("change", onBox); motion?.removeEventListener?.("change", onMotion); stop(); },
  };
}

/**
 * The keys of a timed practice, on its root: Space starts, pauses or resumes
 * (but keeps its own meaning on a button, field or link); Escape stops a
 * session that is under way.
 * @param {HTMLElement} root
 * @param {StatusLine} line
 * @param {{toggle: () => void, stop: () => void, active: () => boolean}} keys
 * @returns {() => void} removes the listener
 */
function practiceKeys(root, line, { toggle, stop, active }) {
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (e.key === "Escape" && active()) {
      e.preventDefault(); e.stopPropagation();
      guard(line, stop)();
    } else if ((e.key === " " || e.key === "Spacebar") && !e.repeat) {
      const target = /** @type {HTMLElement} */ (e.target);
      if (target.closest("button, input, select, textarea, a, label")) return; // native Space
      e.preventDefault(); e.stopPropagation();
      guard(line, toggle)();
    }
  };
  root.addEventListener("keydown", onKey);
  return () => root.removeEventListener("keydown", onKey);
}

/**
 * Click handlers, each wrapped in guard(); the returned function removes them all.
 * @param {StatusLine} line
 * @param {[HTMLElement, () => void][]} pairs
 * @returns {() => void}
 */
function practiceClicks(line, pairs) {
  /** @type {[HTMLElement, () => void][]} */
  const wired = pairs.map(([node, fn]) => [node, guard(line, fn)]);
  for (const [node, fn] of wired) node.addEventListener("click", fn);
  return () => { for (const [node, fn] of wired) node.removeEventListener("click", fn); };
}
