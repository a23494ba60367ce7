// @ts-check
// Crisis help shown inline (CONTENT.md safety rule 6). Part of the shared helpers: see core.js.

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


/** Typing must pause this long before a check, so "die" in "diet" never flashes the resources. */
const CRISIS_PAUSE_MS = 400;

/**
 * Show the crisis resources while `test()` is true. It is checked when typing
 * in `target` pauses and when focus leaves it; `check()` checks at once.
 * `target` may be one text box or a form holding several (input events bubble).
 * The answer stays in this page: nothing is sent, synced, stored or logged.
 * @param {HTMLElement} target
 * @param {() => boolean} test
 * @param {() => any[]} resources called when the box is drawn
 * @returns {{el: HTMLElement, check: () => void, dispose: () => void}}
 */
function crisisWatch(target, test, resources) {
  const spot = crisisSpot(resources);
  let timer = 0;
  const check = () => {
    window.clearTimeout(timer);
    spot.show(test());
  };
  const onInput = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, CRISIS_PAUSE_MS);
  };
  target.addEventListener("input", onInput);
  target.addEventListener("focusout", check);
  return {
    el: spot.el,
    check,
    dispose: () => {
      window.clearTimeout(timer);
      target.removeEventListener("input", onInput);
      target.removeEventListener("focusout", check);
    },
  };
}
