// Steady Ground safety bar: crisis resources one click away and a quick exit.
// One ES module for every channel: anywidget calls render(); plain pages (the
// Voila landing page, every book page) call mountSafetyBar(resources).

const BAR_ID = "sg-safety-bar";
const SHIFT_PRESSES = 3;
const SHIFT_WINDOW_MS = 1500;

/**
 * Leave the page for a neutral site. location.replace() drops this page from
 * the tab's history, so Back does not come back here.
 * @param {string} url
 */
export function leaveNow(url) {
  try {
    document.body.style.visibility = "hidden";
    window.top.location.replace(url);
  } catch (_err) {
    window.location.replace(url);
  }
}

/**
 * Three presses of Shift within 1.5 s leave the page. Installed once per page.
 * @param {string} url
 */
function installShiftExit(url) {
  if (window.__sgShiftExit) return;
  window.__sgShiftExit = true;
  /** @type {number[]} */
  let presses = [];
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Shift" || event.repeat) return;
    const now = performance.now();
    presses = presses.filter((t) => now - t < SHIFT_WINDOW_MS);
    presses.push(now);
    if (presses.length >= SHIFT_PRESSES) leaveNow(url);
  }, true);
}

/**
 * Build the bar's DOM (no innerHTML: resource text is data, never markup).
 * @param {{quick_exit: {label: string, url: string}, resources: Array<{id: string, name: string, what: string, links: Array<{label: string, href: string}>}>}} resources
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
  hint.textContent = "Leave now (or press Shift three times) opens a weather page. It cannot erase your browser history. A private window leaves less behind.";
  panel.append(hint);
  details.append(panel);

  const exit = document.createElement("button");
  exit.type = "button";
  exit.className = "sg-leave-now";
  exit.textContent = resources.quick_exit.label;
  exit.title = "Leave this page at once (or press Shift three times)";
  exit.addEventListener("click", () => leaveNow(resources.quick_exit.url));

  bar.append(details, exit);
  return bar;
}

/**
 * Put the bar at the top of a plain page. Idempotent: a page has one bar.
 * @param {Parameters<typeof buildBar>[0]} resources
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

/** anywidget entry point. */
function render({ model, el }) {
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
