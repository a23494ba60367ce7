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

/**
 * The crisis resources as a list: name, what, and safe links (tel:, sms:, https:).
 * @param {{name: string, what: string, links: {label: string, href: string}[]}[]} resources
 * @returns {HTMLElement}
 */
function resourceList(resources) {
  const list = h("ul", { class: "sg-resources" });
  for (const r of resources) {
    const item = h("li");
    item.append(h("strong", {}, r.name), h("span", {}, ` ${r.what} `));
    for (const link of r.links) {
      if (!/^(tel:|sms:|https:\/\/)/.test(link.href)) continue;
      const a = h("a", { href: link.href }, link.label);
      if (link.href.startsWith("https://")) a.setAttribute("rel", "noopener noreferrer");
      item.append(a, " ");
    }
    list.append(item);
  }
  return list;
}

const SG_CRISIS_LINE = "It sounds like things may be very hard right now. You do not have to handle this alone. " +
  "These are free and private, any time:";

/**
 * CONTENT.md safety rule 6: the crisis resources inline, after one gentle line.
 * Nothing more: no block, no question, and nothing about it leaves the page.
 * @param {{name: string, what: string, links: {label: string, href: string}[]}[]} resources
 * @returns {HTMLElement}
 */
function crisisBox(resources) {
  const box = h("div", { class: "sg-crisis" });
  box.append(h("p", { class: "sg-crisis-line" }, SG_CRISIS_LINE), resourceList(resources));
  return box;
}

/**
 * A place for the crisis box, announced politely by screen readers when it fills.
 * `show(true)` fills it, `show(false)` empties it; what it shows stays in this page only.
 * @param {() => any[]} resources called when the box is drawn
 * @returns {{el: HTMLElement, show: (on: boolean) => void, shown: () => boolean}}
 */
function crisisSpot(resources) {
  const el = h("div", { class: "sg-crisis-spot", "aria-live": "polite" });
  let on = false;
  return {
    el,
    show(next) {
      if (next === on) return;
      on = next;
      el.replaceChildren(...(on ? [crisisBox(resources())] : []));
    },
    shown: () => on,
  };
}

/**
 * Text as the crisis check reads it: one case, straight apostrophes, single spaces.
 * @param {string} text
 */
function crisisNormal(text) {
  return String(text).normalize("NFKC").toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u02bc\u2032`\u00b4]/g, "'").replace(/\s+/g, " ").trim();
}

/**
 * A test for the crisis phrases of course/crisis.yml: whole words or phrases,
 * any case, curly apostrophes and extra spaces allowed. It runs in the browser,
 * where the text is; its answer is never sent, synced, stored or logged.
 * @param {string[]} phrases
 * @returns {(text: string) => boolean}
 */
function crisisMatcher(phrases) {
  const parts = phrases.map(crisisNormal).filter(Boolean)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+"));
  if (!parts.length) return () => false;
  const found = new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join("|")})(?![\\p{L}\\p{N}])`, "u");
  return (text) => found.test(crisisNormal(text));
}

/**
 * The couples gate in a couples widget (CONTENT.md safety rule 1). Python sends
 * {"type": "gate", "open": bool, "solo": bool, "text": str}; the state is never a
 * widget trait. Closed: the neutral text, the same whatever closed it. Open: a
 * "Close couples exercises for now" button that needs no reason. The solo
 * version shows neither.
 * @param {any} model
 * @param {(open: boolean) => void} onChange called with the new state (false until Python answers)
 * @returns {{el: HTMLElement, open: () => boolean, dispose: () => void}}
 */
function couplesGate(model, onChange) {
  const el = h("div", { class: "sg-couples-gate" });
  let open = false;
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.type !== "gate") return;
    const changed = open !== Boolean(msg.open);
    open = Boolean(msg.open);
    el.replaceChildren();
    if (!msg.solo && !open) {
      // Ending never needs the check: what the two of you saved here can be deleted while closed.
      const forget = h("details", { class: "sg-couples-forget" });
      const yes = button("Delete it from this device", "sg-secondary");
      yes.addEventListener("click", () => {
        yes.disabled = true;
        try { model.send({ type: "forget_couple" }); } catch (_err) { yes.disabled = false; }
      });
      forget.append(h("summary", {}, "Delete what the two of you saved here"),
        h("p", {}, "This deletes what was saved in this exercise, for both of you, from this device. It cannot be undone."), yes);
      el.append(h("p", { class: "sg-couples-closed" }, msg.text), forget);
    }
    if (!msg.solo && open) {
      const close = button("Close couples exercises for now", "sg-secondary sg-couples-close");
      close.addEventListener("click", () => {
        close.disabled = true;
        try {
          model.send({ type: "close_couples" });
        } catch (_err) {
          close.disabled = false;
        }
      });
      el.append(close);
    }
    if (changed || !msg.solo) onChange(open);
  };
  model.on("msg:custom", onMsg);
  return { el, open: () => open, dispose: () => model.off("msg:custom", onMsg) };
}
