// Shared by the landing page and every module page served by Voila:
// the safety bar first, then (on module pages) a link back to all modules.
import { mountSafetyBar } from "./safety_bar.js";

/**
 * Voila frees a page's kernel when the tab closes with a beacon that must carry
 * the server's _xsrf token, read from the _xsrf cookie. The landing page sets
 * that cookie; a module page opened directly (a bookmark, a new browser) does
 * not, and the beacon was refused (403), leaving the kernel until the idle cull.
 * Ask the landing page once for the cookie. The token still comes from the
 * server, so another site still cannot forge the request.
 * @param {string} home the course's base URL
 */
export async function ensureXsrfCookie(home) {
  if (/(?:^|;\s*)_xsrf=/.test(document.cookie)) return true;
  try {
    await fetch(home, { credentials: "same-origin", cache: "no-store" });
  } catch (err) {
    console.debug("Steady Ground: the course app did not answer; closing this tab may not free its kernel", err);
  }
  return /(?:^|;\s*)_xsrf=/.test(document.cookie);
}

const CARRY_KEY = "sg-carry:";
const CARRY_MAX_AGE_MS = 60 * 1000;
const CARRY_WAIT_MS = 2 * 60 * 1000;
const FIELDS = "textarea, input[type=text], input:not([type])";
export const KERNEL_CHECK_MS = 30_000;

export const NOT_ANSWERING_TEXT = "The course is not answering right now, so the page was not reloaded. " +
  "Try again in a moment.";
export const GONE_TEXT = "This page went to sleep while you were away, so it cannot save anything now. " +
  "Reload it to go on. What you typed in the boxes on this page will be put back after the reload.";
/** Said under GONE_TEXT while a box the learner chose not to keep (`data-sg-unkept`) holds text. */
export const UNKEPT_TEXT = "Writing you chose not to keep will not come back after the reload: copy it first.";

/** The kernel this page runs on, from the page's Jupyter settings. @returns {string} */
function kernelId() {
  const data = document.getElementById("jupyter-config-data");
  try {
    return String(JSON.parse(data ? data.textContent || "{}" : "{}").kernelId || "");
  } catch (_err) {
    return "";
  }
}

/**
 * The text boxes a learner types into, each with where it is (its cell on the page and
 * its place in that cell) and what it is called, so the same box is found after a reload.
 * @returns {{key: string, field: HTMLInputElement | HTMLTextAreaElement}[]}
 */
function textFields() {
  const cells = [...document.querySelectorAll("#rendered_cells .jp-Cell")];
  return cells.flatMap((cell, c) => [...cell.querySelectorAll(FIELDS)]
    .filter((f) => f instanceof HTMLInputElement || f instanceof HTMLTextAreaElement)
    .map((f, i) => {
      const field = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (f);
      const label = field.labels && field.labels[0] ? field.labels[0].textContent : field.getAttribute("aria-label");
      return { key: `${c}/${i}/${(label || "").trim()}`, field };
    }));
}

/** True while a box the learner chose not to keep (module 8's not-kept journal) holds text. */
function unkeptHoldsText() {
  return [...document.querySelectorAll("[data-sg-unkept]")].some((f) =>
    (f instanceof HTMLInputElement || f instanceof HTMLTextAreaElement) && f.value.trim() !== "");
}

/** Forget any text carried for a reload: on every page that loads, and before Leave now. */
export function dropCarriedText() {
  try {
    Object.keys(sessionStorage).filter((k) => k.startsWith(CARRY_KEY)).forEach((k) => sessionStorage.removeItem(k));
  } catch (_err) {
    // storage blocked: nothing was kept either
  }
}

/**
 * Reload the page, carrying what is typed in its boxes to the new page. The text waits in this
 * tab's sessionStorage only for the moment of the reload: only when the course answers (a reload
 * that cannot load would leave it behind), read and deleted by the new page at once, deleted by
 * every other page this tab opens, and never in a cookie, the address or the server's log.
 * @param {string} home the course's base URL
 * @param {HTMLElement} [line] where to say that the course is not answering
 */
export async function reloadKeepingText(home, line) {
  try {
    const answer = await fetch(home, { credentials: "same-origin", cache: "no-store", headers: xsrfHeader() });
    if (!answer.ok) throw new Error(String(answer.status));
  } catch (_err) {
    if (line) line.textContent = NOT_ANSWERING_TEXT;
    return;
  }
  // A box the learner chose not to keep (a not-kept journal) stays only in this page: never carried.
  const fields = textFields().filter(({ field }) => field.value.trim() !== "" && !field.hasAttribute("data-sg-unkept"))
    .map(({ key, field }) => ({ key, value: field.value }));
  try {
    if (fields.length) sessionStorage.setItem(CARRY_KEY + location.pathname, JSON.stringify({ at: Date.now(), fields }));
  } catch (err) {
    console.debug("Steady Ground: could not keep the typed text for the reload", err);
  }
  location.reload();
}

/**
 * After a reload that carried text: put each box's text back once its widget has drawn it,
 * as if typed (so the widget saves it as it would), then forget the carried text.
 * @returns {Promise<number>} how many boxes got their text back
 */
export function restoreCarriedText() {
  const name = CARRY_KEY + location.pathname;
  /** @type {{at: number, fields: {key: string, value: string}[]} | null} */
  let carried = null;
  try {
    carried = JSON.parse(sessionStorage.getItem(name) || "null");
    dropCarriedText();  // this page's and any other page's: none is for later
  } catch (_err) {
    carried = null;
  }
  if (!carried || !Array.isArray(carried.fields) || Date.now() - carried.at > CARRY_MAX_AGE_MS) return Promise.resolve(0);
  const waiting = new Map(carried.fields.map(({ key, value }) => [key, String(value)]));
  let restored = 0;
  return new Promise((resolve) => {
    const tryNow = () => {
      for (const { key, field } of textFields()) {
        const value = waiting.get(key);
        if (value === undefined || field.disabled) continue;
        waiting.delete(key);
        if (field.value === value) continue;
        field.value = value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));
        restored += 1;
      }
      if (!waiting.size) finish();
    };
    const observer = new MutationObserver(tryNow);
    const timer = window.setTimeout(() => finish(), CARRY_WAIT_MS);
    function finish() {
      observer.disconnect();
      window.clearTimeout(timer);
      waiting.clear();
      resolve(restored);
    }
    observer.observe(document.body, { childList: true, subtree: true });
    tryNow();
  });
}

/**
 * Tell the learner when the page's kernel is gone (stopped after a long time away, or the
 * course was restarted): nothing typed here could be saved any more. Checked when the tab
 * comes back into view, the network comes back, and every half minute while in view.
 * @param {string} home the course's base URL
 * @param {HTMLElement} after the element the notice goes after
 * @returns {() => Promise<boolean>} a check to run now (true when the kernel is gone)
 */
export function watchKernel(home, after) {
  const id = kernelId();
  let notice = /** @type {HTMLElement | null} */ (null);
  // A page being left has asked the server to stop its kernel: a check then would find it gone and
  // show the notice (and a 404) on a page the person is already leaving.
  let leaving = false;
  window.addEventListener("beforeunload", () => { leaving = true; });
  window.addEventListener("pagehide", () => { leaving = true; });
  window.addEventListener("pageshow", () => { leaving = false; });
  const check = async () => {
    if (!id || notice || leaving || document.visibilityState !== "visible") return Boolean(notice);
    let status = 0;
    try {
      status = (await fetch(`${home}api/kernels/${encodeURIComponent(id)}`, {
        credentials: "same-origin", cache: "no-store", headers: xsrfHeader(),
      })).status;
    } catch (_err) {
      return false;  // offline or the course is restarting: ask again later
    }
    if (leaving) return false;
    // 404: the kernel is gone; 403: the course restarted and no longer knows this page's login.
    if ((status !== 404 && status !== 403) || notice) return Boolean(notice);
    notice = document.createElement("div");
    notice.id = "sg-kernel-gone";
    notice.className = "sg-kernel-gone";
    notice.setAttribute("role", "alert");
    const text = document.createElement("p");
    if (room.ended) {
      // The facilitator ended the session and the server stopped this page: a reload cannot help.
      text.textContent = STOPPED_TEXT;
      notice.append(text);
      document.getElementById(ENDED_ID)?.remove();
    } else {
      text.textContent = GONE_TEXT;
      // Never carried (reloadKeepingText): say so while such a box holds writing, checked as it is typed.
      const unkept = document.createElement("p");
      unkept.id = "sg-kernel-gone-unkept";
      const sayUnkept = () => {
        const words = unkeptHoldsText() ? UNKEPT_TEXT : "";
        if (unkept.textContent !== words) unkept.textContent = words;
        unkept.hidden = !words;
      };
      sayUnkept();
      document.addEventListener("input", sayUnkept, true);
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Reload page";
      const said = document.createElement("p");
      said.setAttribute("role", "status");
      button.addEventListener("click", () => { sayUnkept(); reloadKeepingText(home, said); });
      notice.append(text, unkept, button, said);
    }
    after.after(notice);
    return true;
  };
  const soon = () => { check(); };
  document.addEventListener("visibilitychange", soon);
  window.addEventListener("focus", soon);
  window.addEventListener("online", soon);
  window.addEventListener("pageshow", soon);
  window.setInterval(soon, KERNEL_CHECK_MS);
  return check;
}

// -- The room (workshop only): the facilitator's pulse question and the end of the session.
// The server answers `steady/room` with the room's state in a workshop only; anywhere else
// (course start) with 204 No Content, or, from a server older than that, 404 (which the browser's
// console shows as an error), and the page stops asking. Which questions were answered or skipped is kept in
// this page's memory only: never in storage, a cookie or the address.

export const ROOM_POLL_MS = 5000;
const THANKS_MS = 4000;
const ENDED_ID = "sg-session-ended";
const PULSE_ID = "sg-pulse";
export const STOPPED_TEXT = "The facilitator has ended the session, and this page has stopped. " +
  "Notes that were not saved to this device are gone.";
const GAUGE_ENDS = ["Not at all", "Very much"];
/** What page.js knows of the room: read by watchKernel, so a page stopped at the end is not offered a reload. */
const room = { ended: false };

/**
 * @typedef {{id: string, question: string, kind: "gauge" | "choice", options: string[], labels?: string[]}} Pulse
 * @typedef {{ended: boolean, stops_in: number | null, pulse: Pulse | null}} RoomState
 */

/**
 * The X-XSRFToken header when the page has an _xsrf cookie. On JupyterHub a script's request (not a page
 * load) needs it even to read: without it the hub's login answers 403, and the kernel check took that for
 * a kernel gone (course/hub.py).
 * @returns {Record<string, string>}
 */
function xsrfHeader() {
  const token = xsrfToken();
  return token ? { "X-XSRFToken": token } : {};
}

/** The _xsrf cookie's value, as the server's XSRF check wants it in the X-XSRFToken header. */
function xsrfToken() {
  const found = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  if (!found) return "";
  try {
    return decodeURIComponent(found[1]);
  } catch (_err) {
    return found[1];
  }
}

/**
 * Make an element; text is set with textContent (questions and options are never markup).
 * @param {string} tag @param {Record<string, string>} [attrs] @param {string} [text]
 */
function make(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

/** @param {string} text @param {string} [cls] */
function pageButton(text, cls = "") {
  return /** @type {HTMLButtonElement} */ (make("button", { type: "button", class: cls }, text));
}

/** Seconds as a clock: 95 -> "1:35". @param {number} s */
function mmss(s) {
  const whole = Math.max(0, Math.ceil(s));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * A room state from the server, checked: anything unexpected is ignored rather than shown.
 * @param {any} data @returns {RoomState | null}
 */
function roomState(data) {
  if (!data || typeof data !== "object") return null;
  const stops = typeof data.stops_in === "number" && Number.isFinite(data.stops_in) ? Math.max(0, data.stops_in) : null;
  const p = data.pulse;
  /** @type {Pulse | null} */
  let pulse = null;
  if (p && typeof p === "object" && typeof p.id === "string" && p.id && typeof p.question === "string" &&
      (p.kind === "gauge" || p.kind === "choice") && Array.isArray(p.options) && p.options.length >= 2 &&
      p.options.length <= 11 && p.options.every((/** @type {unknown} */ o) => typeof o === "string")) {
    const labels = Array.isArray(p.labels) && p.labels.length === 2 && p.labels.every((/** @type {unknown} */ l) => typeof l === "string")
      ? p.labels : undefined;
    pulse = { id: p.id, question: p.question, kind: p.kind, options: p.options, labels };
  }
  return { ended: data.ended === true, stops_in: stops, pulse };
}

/**
 * Move the keyboard focus out of a part about to go, to the page's text, without scrolling.
 * @param {HTMLElement} part
 */
function focusAway(part) {
  if (!part.contains(document.activeElement)) return;
  const cells = document.getElementById("rendered_cells");
  if (cells) cells.focus({ preventScroll: true });
}

/**
 * Ask the server now and then whether the facilitator opened a pulse question or ended the
 * session; show the question as a small card after `after`, and the end as a notice that
 * offers the notes. Asks every ROOM_POLL_MS while the tab is in view, and when it comes back.
 * @param {string} home the course's base URL
 * @param {HTMLElement} after the element the card and the notice go after
 * @returns {() => Promise<boolean>} a check to run now (false once the server has no room)
 */
export function watchRoom(home, after) {
  /** Question ids answered or skipped on this page (memory only). */
  const done = new Set();
  let asking = false;
  let stopped = false;
  /** @type {{id: string, el: HTMLElement, finishing: boolean, sending: boolean} | null} */
  let card = null;
  /** @type {{el: HTMLElement, countdown: HTMLElement, timer: number, deadline: number | null} | null} */
  let notice = null;
  /** @type {HTMLElement | null} */
  let polite = null;
  /** @type {HTMLElement | null} */
  let urgent = null;

  /** Screen-reader words (live regions made once, before anything is said in them). */
  const announcers = () => {
    if (polite && urgent) return;
    polite = make("p", { role: "status", class: "sg-room-sr", id: "sg-room-status" });
    urgent = make("p", { role: "alert", class: "sg-room-sr", id: "sg-room-alert" });
    after.after(polite, urgent);
  };
  /** @param {HTMLElement | null} region @param {string} text */
  const say = (region, text) => {
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 100);
  };

  const removeCard = () => {
    if (!card) return;
    focusAway(card.el);
    card.el.remove();
    card = null;
  };

  /** @param {string} id @param {string} text */
  const finishCard = (id, text) => {
    done.add(id);
    if (!card || card.id !== id) return;
    const current = card;
    current.finishing = true;
    const hadFocus = current.el.contains(document.activeElement);
    const body = current.el.querySelector(".sg-pulse-body");
    const thanks = make("p", { class: "sg-pulse-thanks", tabindex: "-1" }, text);
    body?.replaceChildren(thanks);
    if (hadFocus) thanks.focus({ preventScroll: true });
    say(polite, text);
    window.setTimeout(() => { if (card === current) removeCard(); }, THANKS_MS);
  };

  /** @param {Pulse} pulse @param {number} choice @param {HTMLElement} status */
  const answer = async (pulse, choice, status) => {
    if (!card || card.id !== pulse.id || card.finishing || card.sending) return;
    const current = card;
    current.sending = true;
    const buttons = [...card.el.querySelectorAll("button")];
    buttons.forEach((b) => b.setAttribute("aria-disabled", "true"));
    status.textContent = "Sending your answer…";
    let code = 0;
    let error = "";
    try {
      await ensureXsrfCookie(home);
      const response = await fetch(`${home}steady/pulse/${encodeURIComponent(pulse.id)}`, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", "X-XSRFToken": xsrfToken() },
        body: JSON.stringify({ choice }),
      });
      code = response.status;
      if (!response.ok) {
        try {
          const data = await response.json();
          error = String(data.error || data.message || data.reason || "");
        } catch (_err) {
          error = "";
        }
      }
    } catch (_err) {
      code = 0;
    }
    if (code >= 200 && code < 300) return finishCard(pulse.id, "Thanks — your answer is anonymous.");
    if (code === 409) return finishCard(pulse.id, `Your answer was not counted: ${error || "this question is closed."}`);
    current.sending = false;
    buttons.forEach((b) => b.removeAttribute("aria-disabled"));
    status.textContent = "Your answer could not be sent. Try again, or skip the question.";
  };

  /** @param {Pulse} pulse */
  const showCard = (pulse) => {
    removeCard();
    const headingId = `${PULSE_ID}-heading`;
    const questionId = `${PULSE_ID}-question`;
    const el = make("section", { id: PULSE_ID, class: "sg-pulse", "aria-labelledby": headingId });
    const heading = make("h2", { id: headingId }, "A question from your facilitator");
    const body = make("div", { class: "sg-pulse-body" });
    const question = make("p", { id: questionId, class: "sg-pulse-question" }, pulse.question);
    const note = make("p", { class: "sg-pulse-note" },
      "Anonymous: your facilitator sees only how many chose each answer.");
    const status = make("p", { role: "status", class: "sg-pulse-status" });
    const options = make("div", { class: `sg-pulse-options sg-pulse-${pulse.kind}`, role: "group", "aria-labelledby": questionId });
    const gauge = pulse.kind === "gauge";
    const [low, high] = pulse.labels || GAUGE_ENDS;
    pulse.options.forEach((option, i) => {
      const b = pageButton(option, "sg-pulse-option");
      if (gauge) {
        const last = pulse.options.length - 1;
        const end = i === 0 ? `: ${low.toLowerCase()}` : i === last ? `: ${high.toLowerCase()}` : "";
        b.setAttribute("aria-label", `${option} out of ${last}${end}`);
      }
      b.addEventListener("click", () => { answer(pulse, i, status); });
      options.append(b);
    });
    const scale = make("div", { class: "sg-pulse-scale" });
    scale.append(options);
    if (gauge) {
      const ends = make("p", { class: "sg-pulse-ends", "aria-hidden": "true" });
      ends.append(make("span", {}, `0 = ${low}`), make("span", {}, `${pulse.options.length - 1} = ${high}`));
      scale.append(ends);
    }
    body.append(question, scale);
    const skip = pageButton("Skip", "sg-pulse-skip");
    skip.setAttribute("aria-label", "Skip this question");
    skip.addEventListener("click", () => {
      if (card && card.sending) return;
      done.add(pulse.id);
      removeCard();
      say(polite, "Question skipped.");
    });
    const foot = make("div", { class: "sg-pulse-foot" });
    foot.append(note, skip);
    body.append(foot, status);
    el.append(heading, body);
    // After the end-of-session notice, if there is one; else right after the course nav.
    const anchor = notice ? notice.el : after;
    anchor.after(el);
    card = { id: pulse.id, el, finishing: false, sending: false };
    say(polite, `Your facilitator asked a question, at the top of the page: ${pulse.question}`);
  };

  /** @param {number | null} stopsIn */
  const showEnded = (stopsIn) => {
    const deadline = stopsIn === null ? null : Date.now() + stopsIn * 1000;
    if (notice) {
      // Follow the server's clock when it differs by more than a moment.
      if (deadline === null || notice.deadline === null || Math.abs(deadline - notice.deadline) > 2000) notice.deadline = deadline;
      return;
    }
    const headingId = `${ENDED_ID}-heading`;
    const el = make("section", { id: ENDED_ID, class: "sg-session-ended", "aria-labelledby": headingId });
    const heading = make("h2", { id: headingId, class: "sg-room-sr" }, "The session has ended");
    const text = make("p", { class: "sg-ended-text" });
    const countdown = make("span", { class: "sg-ended-countdown" });
    const save = pageButton("Save my notes");
    const status = make("p", { role: "status", class: "sg-ended-status" });
    el.append(heading, text, save, status);
    after.after(el);
    notice = { el, countdown, timer: 0, deadline };
    const current = notice;
    let overdue = 0;
    const tick = () => {
      if (!current.el.isConnected) {  // the page has said it stopped (watchKernel), or the session goes on
        window.clearInterval(current.timer);
        return;
      }
      const lead = "The facilitator has ended the session. Save your notes now if you want to keep them; ";
      if (current.deadline === null) {
        text.textContent = `${lead}this page will stop soon.`;
        return;
      }
      const left = (current.deadline - Date.now()) / 1000;
      if (left <= 0) {
        text.textContent = `${lead}this page will stop any moment now.`;
        // Time is up: ask every 2 s whether the kernel is gone, so the page says it has stopped within seconds,
        // not at the next half-minute check (words typed meanwhile would be lost without a word).
        overdue += 1;
        const check = /** @type {any} */ (window).sgCheckKernel;
        if (overdue % 2 === 0 && typeof check === "function") check();
        return;
      }
      countdown.textContent = mmss(left);
      if (countdown.parentNode !== text) text.replaceChildren(`${lead}this page will stop in `, countdown, ".");
    };
    tick();
    current.timer = window.setInterval(tick, 1000);
    save.addEventListener("click", async () => {
      const saveNotes = /** @type {any} */ (window).sgSaveNotes;
      if (typeof saveNotes !== "function") {
        status.textContent = "There are no notes on this page to save.";
        return;
      }
      status.textContent = "Saving…";
      try {
        const result = await saveNotes();
        status.textContent = String(result && result.text ? result.text : "");
      } catch (err) {
        status.textContent = "Your notes could not be saved.";
        console.error(err);
      }
    });
    say(urgent, "The facilitator has ended the session. Save your notes now if you want to keep them: " +
      "the button is at the top of the page.");
  };

  const hideEnded = () => {
    if (!notice) return;
    window.clearInterval(notice.timer);
    focusAway(notice.el);
    notice.el.remove();
    notice = null;
  };

  /** @param {RoomState} state */
  const show = (state) => {
    announcers();
    room.ended = state.ended;
    if (state.ended) {
      removeCard();
      showEnded(state.stops_in);
      return;
    }
    hideEnded();
    const pulse = state.pulse && !done.has(state.pulse.id) ? state.pulse : null;
    if (card && card.finishing) return;  // let "Thanks" be read; the next check shows what is new
    if (!pulse) return removeCard();
    if (!card || card.id !== pulse.id) showCard(pulse);
  };

  const check = async () => {
    if (stopped) return false;
    if (asking || document.visibilityState !== "visible") return true;
    asking = true;
    try {
      let response;
      try {
        response = await fetch(`${home}steady/room`, {
          credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json", ...xsrfHeader() },
        });
      } catch (_err) {
        return true;  // offline, or the server is restarting: ask again later
      }
      if (response.status === 204 || response.status === 404 || response.status === 405) {
        stop();  // no room here (course start): stop asking
        return false;
      }
      if (!response.ok) return true;
      let state = null;
      try {
        state = roomState(await response.json());
      } catch (_err) {
        state = null;
      }
      if (state) show(state);
      return true;
    } finally {
      asking = false;
    }
  };
  const soon = () => { check(); };
  const onVisible = () => { if (document.visibilityState === "visible") check(); };
  const timer = window.setInterval(soon, ROOM_POLL_MS);
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("pageshow", soon);
  function stop() {
    stopped = true;
    window.clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
    window.removeEventListener("pageshow", soon);
  }
  check();
  return check;
}

/** @param {{home?: string}} options */
export function mountPage(options = {}) {
  if (options.home) ensureXsrfCookie(options.home);
  if (!(options.home && document.getElementById("rendered_cells"))) dropCarriedText();  // not a module page

  const data = document.getElementById("sg-resources");
  const bar = mountSafetyBar(JSON.parse(data ? data.textContent : "{}"));
  const cells = document.getElementById("rendered_cells");
  if (cells) {
    cells.setAttribute("role", "main");
    // Voila scrolls this box, not the page: a tab stop lets keyboard users scroll it
    // even when nothing inside can take focus (axe scrollable-region-focusable).
    cells.setAttribute("tabindex", "0");
  }
  if (options.home && cells && !document.getElementById("sg-course-nav")) {
    const nav = document.createElement("nav");
    nav.id = "sg-course-nav";
    nav.className = "sg-course-nav";
    nav.setAttribute("aria-label", "Course");
    const link = document.createElement("a");
    link.href = options.home;
    link.textContent = "← All modules";
    nav.append(link);
    bar.after(nav);
  }
  if (options.home && cells) {
    restoreCarriedText();  // reads the text carried to this page, if any, then deletes it
    const nav = document.getElementById("sg-course-nav") || bar;
    /** @type {any} */ (window).sgCheckKernel = watchKernel(options.home, nav);
    /** @type {any} */ (window).sgCheckRoom = watchRoom(options.home, nav);
  }
}
