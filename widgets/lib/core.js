// @ts-check
// Helpers shared by every widget's front end. widgets/base.py puts the files of
// widgets/lib/ (this one first) in front of each widget's ES module: anywidget
// loads a module from a blob: URL, so it cannot import a sibling file. Plain
// functions and constants only, no exports; `tsc -p jsconfig.json` checks them
// together with every widget (make typecheck).

/** @typedef {import("@anywidget/types").AnyModel<any>} AnyModel */
/** @typedef {{model: AnyModel, el: HTMLElement}} RenderContext */
/**
 * What Python answers to a request (widgets/base.py): `ok`, and when not ok the
 * problem in plain words (`error`); `gate` when a couples exercise was closed.
 * `local` marks a reply made here because the message could not be sent.
 * @typedef {{ok: boolean, error?: string, gate?: boolean, local?: boolean, value?: any}} Reply
 */
/**
 * A status line: `say` shows the page's own words, `show` Python's status traits.
 * @typedef {{el: HTMLElement, say: (text: string, error?: boolean) => void, show: () => void, dispose: () => void}} StatusLine
 */

/** How long the page waits for the kernel before it says the course app is not answering. */
const NO_KERNEL_MS = 5000;
const NO_REPLY = "The course app is not answering. What you wrote is still on this page. " +
  "If this goes on, copy it somewhere safe and reload the page.";
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


/**
 * An error as plain text.
 * @param {unknown} err
 */
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The widget's status line (role=status, so screen readers hear it). It shows
 * Python's `status` and `error` traits whenever they change, and the page's own
 * words (saving, not answering) when `say` is called.
 * @param {AnyModel} model
 * @param {string} [cls] extra class names
 * @returns {StatusLine}
 */
function statusLine(model, cls = "") {
  const el = h("p", { role: "status", class: `sg-status ${cls}`.trim() });
  /** @param {string} text @param {boolean} [error] */
  const say = (text, error = false) => {
    el.textContent = text;
    el.classList.toggle("sg-error", error);
  };
  const show = () => say(model.get("status") || "", Boolean(model.get("error")));
  model.on("change:status", show);
  model.on("change:error", show);
  show();
  return {
    el, say, show,
    dispose: () => { model.off("change:status", show); model.off("change:error", show); },
  };
}

/**
 * Ask Python to run one of the widget's actions (a method marked @action in
 * widgets/base.py) and resolve with its reply. It speaks anywidget's command
 * protocol ({id, kind: "anywidget-command", name, msg}). Unlike anywidget's own
 * invoke(), a late answer still counts: after NO_KERNEL_MS `slow()` runs once,
 * and the promise still resolves when the answer comes (slow Wi-Fi, a kernel
 * busy saving). It never rejects.
 * @param {AnyModel} model
 * @param {string} name
 * @param {Record<string, any>} [args]
 * @param {{slow?: () => void}} [opts]
 * @returns {Promise<Reply>}
 */
function request(model, name, args = {}, { slow } = {}) {
  const id = newId("req");
  return new Promise((resolve) => {
    let timer = 0;
    /** @param {any} msg */
    const onMsg = (msg) => {
      if (!msg || msg.kind !== "anywidget-command-response" || msg.id !== id) return;
      window.clearTimeout(timer);
      model.off("msg:custom", onMsg);
      const reply = msg.response;
      resolve(reply && typeof reply === "object" ? reply : { ok: false, error: "The course app gave no answer." });
    };
    model.on("msg:custom", onMsg);
    if (slow) timer = window.setTimeout(slow, NO_KERNEL_MS);
    try {
      model.send({ id, kind: "anywidget-command", name, msg: args });
    } catch (err) {
      window.clearTimeout(timer);
      model.off("msg:custom", onMsg);
      resolve({ ok: false, local: true, error: `This page could not reach the course app (${errorText(err)}).` });
    }
  });
}

/**
 * request() with the status line kept up to date: `pending` while it waits,
 * `noReply` if Python is slow or cannot be reached, then Python's own status;
 * empty when the couples exercises were closed (their gate line says so).
 * @param {AnyModel} model
 * @param {StatusLine} line
 * @param {string} name
 * @param {Record<string, any>} [args]
 * @param {{pending?: string, noReply?: string}} [words]
 * @returns {Promise<Reply>}
 */
async function ask(model, line, name, args = {}, { pending = "Saving…", noReply = NO_REPLY } = {}) {
  if (pending) line.say(pending);
  const reply = await request(model, name, args, { slow: () => line.say(noReply, true) });
  if (reply.local) {
    console.error(reply.error);
    line.say(noReply, true);  // the widget's own words: what is kept, what to do
  } else if (reply.gate) {
    line.say("");  // closed: the gate's neutral line says so; never an older "Saved"
  } else {
    line.show();
  }
  return reply;
}

/**
 * Wrap an event handler so that an error in it shows on the status line
 * (and in the console) instead of silently breaking the widget.
 * @template {any[]} A
 * @param {{say: (text: string, error?: boolean) => void}} line
 * @param {(...args: A) => void} fn
 * @returns {(...args: A) => void}
 */
function guard(line, fn) {
  return (...args) => {
    try {
      fn(...args);
    } catch (err) {
      line.say(`Something went wrong: ${errorText(err)}`, true);
      console.error(err);
    }
  };
}

/**
 * Listen to model events for the life of a view; the returned function stops them all.
 * @param {AnyModel} model
 * @param {Record<string, (...args: any[]) => void>} handlers event name -> handler ("change:status", "msg:custom")
 * @returns {() => void}
 */
function listen(model, handlers) {
  for (const [event, fn] of Object.entries(handlers)) model.on(event, fn);
  return () => { for (const [event, fn] of Object.entries(handlers)) model.off(event, fn); };
}

/**
 * An empty table to fill in by hand (the book's worksheets): a caption, column heads and blank rows.
 * @param {string} cls @param {string} caption @param {string[]} heads @param {number} rows
 * @returns {HTMLElement}
 */
function blankTable(cls, caption, heads, rows) {
  const table = h("table", { class: cls });
  const head = h("tr");
  for (const col of heads) head.append(h("th", { scope: "col" }, col));
  table.append(h("caption", {}, caption), head);
  for (let r = 0; r < rows; r++) {
    const row = h("tr");
    for (let c = 0; c < heads.length; c++) row.append(h("td"));
    table.append(row);
  }
  return table;
}

/**
 * Save text Python wrote as a file through this browser (nothing goes to the server); throws if it cannot.
 * @param {string} content @param {string} filename @param {string} type its MIME type
 */
function saveTextFile(content, filename, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = /** @type {HTMLAnchorElement} */ (h("a", { href: url, download: filename }));
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Save a page Python wrote (whole, escaped HTML) as a file; the status line
 * says `done`, or why it did not work.
 * @param {StatusLine} line @param {string} html @param {string} filename @param {string} done
 */
function downloadPage(line, html, filename, done) {
  try {
    saveTextFile(html, filename, "text/html");
    line.say(done);
  } catch (err) {
    line.say(`The download did not work: ${errorText(err)}`, true);
  }
}

/**
 * Redraw part of a widget with `fn`, then put the keyboard focus back on the
 * element (by id) that had it, so a keyboard or screen-reader user keeps their place.
 * @param {HTMLElement} root the part being redrawn
 * @param {() => void} fn
 */
function keepFocus(root, fn) {
  const active = document.activeElement;
  const focused = active && root.contains(active) ? active.id : "";
  fn();
  if (focused) document.getElementById(focused)?.focus();
}
