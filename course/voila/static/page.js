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
const CARRY_MAX_AGE_MS = 10 * 60 * 1000;
const CARRY_WAIT_MS = 2 * 60 * 1000;
const FIELDS = "textarea, input[type=text], input:not([type])";
export const KERNEL_CHECK_MS = 30_000;

export const GONE_TEXT = "This page went to sleep while you were away, so it cannot save anything now. " +
  "Reload it to go on. What you typed in the boxes on this page will be put back after the reload.";

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

/**
 * Reload the page, carrying what is typed in its boxes to the new page: kept in this tab's
 * sessionStorage only for the moment of the reload (the new page reads and deletes it at once),
 * never in a cookie, the address or the server's log.
 */
export function reloadKeepingText() {
  const fields = textFields().filter(({ field }) => field.value.trim() !== "")
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
    sessionStorage.removeItem(name);
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
  const check = async () => {
    if (!id || notice || document.visibilityState !== "visible") return Boolean(notice);
    let status = 0;
    try {
      status = (await fetch(`${home}api/kernels/${encodeURIComponent(id)}`, { credentials: "same-origin", cache: "no-store" })).status;
    } catch (_err) {
      return false;  // offline or the course is restarting: ask again later
    }
    if (status !== 404 || notice) return Boolean(notice);
    notice = document.createElement("div");
    notice.id = "sg-kernel-gone";
    notice.className = "sg-kernel-gone";
    notice.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = GONE_TEXT;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload page";
    button.addEventListener("click", reloadKeepingText);
    notice.append(text, button);
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

/** @param {{home?: string}} options */
export function mountPage(options = {}) {
  if (options.home) ensureXsrfCookie(options.home);
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
    restoreCarriedText();
    /** @type {any} */ (window).sgCheckKernel = watchKernel(options.home, document.getElementById("sg-course-nav") || bar);
  }
}
