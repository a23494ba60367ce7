// @ts-check
// Steady Ground safety bar: crisis resources one click away and a quick exit.
// One ES module for every channel: anywidget calls render(); plain pages (the
// Voila landing page, every book page) call mountSafetyBar(resources). On those
// pages this file runs alone (and, on book pages opened from disk, as a classic
// script made by course/book.py), so it uses none of the helpers of widgets/lib/
// and its top-level names must differ from theirs (the widget gets them in front).
//
// Quick exit, after GOV.UK Frontend's "Exit this page": the "Leave now" button,
// or Shift pressed and released on its own three times in a row. A Shift press
// counts only if no other key went down or up (and no Shift-click) while it was
// held, and any other key resets the count, so typing capitals never leaves. Each
// lone press must come within PRESS_WINDOW_MS of the one before (GOV.UK's 5 s
// per-press timer: slow hands still make it, a stray press long ago does not).
// Leaving covers the page at once with a blank overlay, takes the page out of
// view, screen readers and the keyboard, then swaps it with location.replace() so
// Back does not return. A page restored from the back/forward cache is made
// usable again (overlay removed, count reset).

const BAR_ID = "sg-safety-bar";
const OVERLAY_ID = "sg-exit-overlay";
const PRESSES_TO_LEAVE = 3;
const PRESS_WINDOW_MS = 5000;
/** Screen-reader words, as GOV.UK's, kept quiet and neutral (polite status). */
const SAY = {
  more: (/** @type {number} */ n) => `Shift, press ${n} more ${n === 1 ? "time" : "times"} to leave.`,
  cleared: "Shift presses cleared.",
  leaving: "Loading.",
};

/**
 * The page's one quick-exit state. The Voila page and the anywidget each load
 * their own copy of this module (the widget's from a blob: URL), so the state
 * and the key listeners live once on window, not in the module.
 * @typedef {{url: string, count: number, alone: boolean, leaving: boolean,
 *   timer: number, quiet: number, bodyStyle: string | null}} ExitState
 * @returns {ExitState}
 */
function state() {
  const w = /** @type {any} */ (window);
  return (w.__sgQuickExit ??= {
    url: "", count: 0, alone: false, leaving: false, timer: 0, quiet: 0, bodyStyle: null,
  });
}

/** @param {string} text */
function say(text) {
  const status = document.querySelector(`#${BAR_ID} .sg-exit-status`);
  if (status) status.textContent = text;
}

/** Light as many of the button's three dots as lone Shift presses so far. */
function showCount() {
  const { count } = state();
  const lights = document.querySelector(`#${BAR_ID} .sg-exit-lights`);
  if (!lights) return;
  lights.classList.toggle("sg-exit-lights--on", count > 0);
  lights.querySelectorAll("span").forEach((dot, i) => dot.classList.toggle("sg-exit-light--lit", i < count));
}

/**
 * Forget lone Shift presses so far.
 * @param {boolean} announce say so (only when there was a count to forget)
 */
function resetCount(announce) {
  const s = state();
  window.clearTimeout(s.timer);
  window.clearTimeout(s.quiet);
  const had = s.count > 0;
  s.count = 0;
  showCount();
  if (announce && had) {
    say(SAY.cleared);
    s.quiet = window.setTimeout(() => say(""), PRESS_WINDOW_MS);
  }
}

/**
 * Leave the page for a neutral site. The overlay covers the page before the
 * other site answers (on a slow network the page would otherwise stay in
 * view); location.replace() drops this page from the tab's history.
 * @param {string} url
 */
export function leaveNow(url) {
  const s = state();
  try {  // text a module page carries across a reload (course page.js) must not wait in this tab
    Object.keys(sessionStorage).filter((k) => k.startsWith("sg-carry:")).forEach((k) => sessionStorage.removeItem(k));
  } catch (_err) {
    // storage blocked: nothing was kept
  }
  resetCount(false);
  say("");
  if (!s.leaving) {
    s.leaving = true;
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    const overlay = document.createElement("div");
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alert");
    // Inline, so the cover never waits for a stylesheet. Outside <body>, so no
    // transformed ancestor can shrink it, and hiding <body> leaves it shown.
    Object.assign(overlay.style, {
      position: "fixed", top: "0", right: "0", bottom: "0", left: "0", zIndex: "2147483647", margin: "0", padding: "1rem",
      background: "#ffffff", color: "#1f2a30", visibility: "visible", display: "block",
      font: "1rem system-ui, sans-serif", transition: "none", animation: "none",
    });
    document.documentElement.append(overlay);
    overlay.textContent = SAY.leaving;  // set after insertion: screen readers announce it more reliably
    if (document.body) {
      s.bodyStyle = document.body.getAttribute("style");
      // Nothing behind the cover may be seen, read, focused or clicked, whatever
      // the page's own styles say (a theme's `visibility: visible` would
      // show through a hidden body; nothing shows through display: none).
      document.body.style.setProperty("display", "none", "important");
      document.body.inert = true;
    }
    // No "Leave site?" prompt from any other script may hold the learner here.
    window.addEventListener("beforeunload", noLeavePrompt, true);
  }
  try {
    /** @type {Window} */ (window.top).location.replace(url);
  } catch (_err) {
    window.location.replace(url);
  }
}

/** @param {Event} event */
function noLeavePrompt(event) {
  event.stopImmediatePropagation();
}

/** Undo leaveNow's cover and forget any count: the page came back from the back/forward cache. */
function restorePage() {
  const s = state();
  document.getElementById(OVERLAY_ID)?.remove();
  if (s.leaving && document.body) {
    if (s.bodyStyle === null) document.body.removeAttribute("style");
    else document.body.setAttribute("style", s.bodyStyle);
    document.body.inert = false;
  }
  window.removeEventListener("beforeunload", noLeavePrompt, true);
  s.leaving = false;
  s.alone = false;
  resetCount(false);
  say("");
}

/**
 * Three lone presses of Shift leave the page. Installed once per page, in the
 * capture phase on window, so no widget can swallow the keys first.
 * @param {string} url
 */
function installShiftExit(url) {
  const s = state();
  if (s.url) return;
  s.url = url;
  /** Another key: a Shift held now is not alone, and the count starts over. */
  const interrupt = () => {
    s.alone = false;
    resetCount(true);
  };
  window.addEventListener("keydown", (event) => {
    if (event.key !== "Shift") return interrupt();
    if (!event.repeat) s.alone = true;
  }, true);
  window.addEventListener("keyup", (event) => {
    if (event.key !== "Shift") return interrupt();
    if (!s.alone || s.leaving) return;
    s.alone = false;
    s.count += 1;
    window.clearTimeout(s.timer);
    window.clearTimeout(s.quiet);
    showCount();
    if (s.count >= PRESSES_TO_LEAVE) return leaveNow(s.url);
    say(SAY.more(PRESSES_TO_LEAVE - s.count));
    s.timer = window.setTimeout(() => resetCount(true), PRESS_WINDOW_MS);
  }, true);
  // A Shift-click (selecting text) or Shift-scroll: that Shift press is not alone.
  for (const type of ["pointerdown", "wheel"]) {
    window.addEventListener(type, (event) => {
      if (/** @type {MouseEvent} */ (event).shiftKey) s.alone = false;
    }, { capture: true, passive: true });
  }
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) restorePage();
  });
}

/**
 * The help links and the quick exit's target, from course/resources.yml.
 * @typedef {{quick_exit: {label: string, url: string},
 *   resources: Array<{id: string, name: string, what: string, links: Array<{label: string, href: string}>}>}} BarResources
 */

/**
 * Build the bar's DOM (no innerHTML: resource text is data, never markup).
 * @param {BarResources} resources
 * @returns {HTMLElement}
 */
export function buildBar(resources) {
  const bar = document.createElement("aside");
  bar.id = BAR_ID;
  bar.className = "sg-safety-bar";
  bar.setAttribute("aria-label", "Help now and quick exit");

  const details = document.createElement("details");
  details.className = "sg-safety-help";
  const summary = document.createElement("summary");
  summary.textContent = "Get help now";
  details.append(summary);

  const panel = document.createElement("div");
  panel.className = "sg-safety-panel";
  const intro = document.createElement("p");
  intro.textContent = "Free, private support, any time. If you are in danger now, call 911.";
  panel.append(intro);
  const list = document.createElement("ul");
  for (const item of resources.resources) {
    const li = document.createElement("li");
    li.dataset.resource = item.id;
    const name = document.createElement("strong");
    name.textContent = item.name;
    const what = document.createElement("span");
    what.textContent = " " + item.what + " ";
    li.append(name, what);
    for (const link of item.links) {
      const a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.label;
      if (link.href.startsWith("https://")) {
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      }
      li.append(a, " ");
    }
    list.append(li);
  }
  panel.append(list);
  const hint = document.createElement("p");
  hint.className = "sg-safety-hint";
  hint.textContent = "Leave now (or press Shift three times on its own) opens a weather page. It cannot erase your browser history, or hide this page from someone who monitors your device. A private window leaves less behind.";
  panel.append(hint);
  details.append(panel);

  const exit = document.createElement("button");
  exit.type = "button";
  exit.className = "sg-leave-now";
  exit.textContent = resources.quick_exit.label;
  exit.title = "Leave this page at once (or press Shift three times on its own)";
  exit.addEventListener("click", () => leaveNow(resources.quick_exit.url));
  // Three dots light up with each lone Shift press (as GOV.UK's); hidden from
  // screen readers, which hear the status line instead.
  const lights = document.createElement("span");
  lights.className = "sg-exit-lights";
  lights.setAttribute("aria-hidden", "true");
  for (let i = 0; i < PRESSES_TO_LEAVE; i++) lights.append(document.createElement("span"));
  exit.append(lights);
  const status = document.createElement("span");
  status.className = "sg-exit-status";
  status.setAttribute("role", "status");

  bar.append(details, exit, status);
  return bar;
}

/**
 * Put the bar at the top of a plain page. Idempotent: a page has one bar.
 * @param {BarResources} resources
 * @returns {HTMLElement}
 */
export function mountSafetyBar(resources) {
  const existing = document.getElementById(BAR_ID);
  if (existing) return existing;
  const bar = buildBar(resources);
  bar.classList.add("sg-safety-bar--page");
  document.body.prepend(bar);
  installShiftExit(resources.quick_exit.url);
  return bar;
}

/**
 * anywidget entry point.
 * @param {RenderContext} ctx
 * @returns {() => void}
 */
function render({ model, el }) {
  /** @type {BarResources} */
  const resources = model.get("resources");
  installShiftExit(resources.quick_exit.url);
  if (document.getElementById(BAR_ID)) {
    // The page already shows the bar (Voila template, book page): do not repeat it.
    el.classList.add("sg-safety-bar-present");
    return () => {};
  }
  const bar = buildBar(resources);
  el.classList.add("sg-widget");
  el.append(bar);
  return () => bar.remove();
}

export default { render };
