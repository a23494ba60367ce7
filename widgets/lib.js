// Helpers shared by every widget's front end. widgets/esm.py puts this file in
// front of each widget's ES module: anywidget loads a module from a blob: URL,
// so it cannot import a sibling file. Plain functions only; no exports here.

let sgIdCount = 0;

/**
 * An element id unique on the page, even when each widget instance loads its
 * own copy of the module (so counters alone would repeat).
 * @param {string} prefix
 * @returns {string}
 */
function newId(prefix) {
  return `sg-${prefix}-${++sgIdCount}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Make an element. Text is set with textContent: learner text is never markup.
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function h(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

/**
 * @param {string} text
 * @param {string} [cls]
 * @returns {HTMLButtonElement}
 */
function button(text, cls = "") {
  return /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: cls }, text));
}

/** True on the static book's pages: no kernel, so widgets show their read-only or worksheet form. */
function isBook() {
  return document.documentElement.dataset.sgChannel === "book";
}

/**
 * Seconds as a clock: 95 -> "1:35".
 * @param {number} s
 */
function clock(s) {
  return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
}

/**
 * Smooth 0..1 -> 0..1, like a breath: slow at both ends.
 * @param {number} x
 */
function ease(x) {
  return 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, x)));
}
