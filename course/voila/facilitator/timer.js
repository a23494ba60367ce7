// @ts-check
// The session plan and its timer: the list of parts with their minutes, the part
// on now with a countdown (Start/Pause, Next, Back, and keys), its "how" text and
// what comes next. The timer lives in this page only; this tab's sessionStorage
// keeps which part is on and the time left, so a reload comes back paused there.

/** @typedef {import("./api.js").Plan} Plan */

const STORE_KEY = "sg-facilitator-timer";
const TICK_MS = 250;
const MINUTE_MS = 60_000;
/** Where Space presses what has focus (a heading focused after an action is not one of them). */
const PRESSABLE = "button, a[href], summary, input, select, textarea, [role=button], [tabindex]:not([tabindex='-1'])";

/**
 * A time as M:SS (H:MM:SS from an hour up).
 * @param {number} ms not negative
 * @returns {string}
 */
export function clockText(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** @param {number} minutes @returns {string} */
const minutesText = (minutes) => `${minutes} min`;

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The facilitator page has no #${id}`);
  return el;
}

export class PlanTimer {
  constructor() {
    this.els = {
      panel: byId("fa-now"),
      count: byId("fa-now-count"),
      activity: byId("fa-activity"),
      clock: byId("fa-clock"),
      clockLabel: byId("fa-clock-label"),
      timeUp: byId("fa-timeup"),
      how: byId("fa-how"),
      nextUp: byId("fa-nextup"),
      list: byId("fa-plan"),
      total: byId("fa-plan-total"),
      start: /** @type {HTMLButtonElement} */ (byId("fa-start")),
      next: /** @type {HTMLButtonElement} */ (byId("fa-next")),
      back: /** @type {HTMLButtonElement} */ (byId("fa-back")),
    };
    /** @type {Plan | null} */
    this.plan = null;
    this.planText = "";
    this.index = 0;
    /** Time left when paused (ms; below 0 is over time). */
    this.leftMs = 0;
    /** When the part ends, by Date.now(), while running. */
    this.endsAt = 0;
    this.running = false;
    this.ticker = 0;
    /** The part the page shows now (-1: none yet). */
    this.drawn = -1;
    this.els.start.addEventListener("click", () => this.toggle());
    this.els.next.addEventListener("click", () => this.go(this.index + 1));
    this.els.back.addEventListener("click", () => this.go(this.index - 1));
    window.addEventListener("pagehide", () => this.save());
  }

  /** Time left in the part on now, in ms (below 0: over time). */
  get left() {
    return this.running ? this.endsAt - Date.now() : this.leftMs;
  }

  /**
   * Show a plan. The same plan again changes nothing; another module's starts at its first part
   * (or where this tab left it).
   * @param {Plan} plan
   */
  show(plan) {
    const text = JSON.stringify(plan);
    if (text === this.planText) return;
    const sameModule = this.plan !== null && this.plan.module === plan.module;
    this.plan = plan;
    this.planText = text;
    this.drawList();
    if (sameModule) {
      this.index = Math.min(this.index, plan.segments.length - 1);
    } else {
      this.pause();
      this.restore(plan);
    }
    this.update();
  }

  /** @param {Plan} plan */
  restore(plan) {
    this.index = 0;
    this.leftMs = plan.segments.length ? plan.segments[0].minutes * MINUTE_MS : 0;
    try {
      const kept = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (kept && kept.module === plan.module && Number.isInteger(kept.index)
          && kept.index >= 0 && kept.index < plan.segments.length && Number.isFinite(kept.left)) {
        this.index = kept.index;
        this.leftMs = Math.min(kept.left, plan.segments[kept.index].minutes * MINUTE_MS);
      }
    } catch (_err) {
      // nothing kept, or storage is off: start at the first part
    }
  }

  save() {
    if (!this.plan) return;
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ module: this.plan.module, index: this.index, left: this.left }));
    } catch (_err) {
      // storage is off: a reload starts at the first part
    }
  }

  start() {
    if (!this.plan || this.running) return;
    this.running = true;
    this.endsAt = Date.now() + this.leftMs;
    this.ticker = window.setInterval(() => this.update(), TICK_MS);
    this.update();
  }

  pause() {
    if (!this.running) return;
    this.leftMs = this.left;
    this.running = false;
    window.clearInterval(this.ticker);
    this.save();
    this.update();
  }

  toggle() {
    if (this.running) this.pause();
    else this.start();
  }

  /**
   * Go to part `index` with its full time; a running timer keeps running.
   * @param {number} index
   */
  go(index) {
    if (!this.plan || index < 0 || index >= this.plan.segments.length || index === this.index) return;
    this.index = index;
    this.leftMs = this.plan.segments[index].minutes * MINUTE_MS;
    if (this.running) this.endsAt = Date.now() + this.leftMs;
    this.save();
    this.update();
  }

  drawList() {
    const { list, total } = this.els;
    if (!this.plan) return;
    this.drawn = -1;
    total.textContent = `${this.plan.segments.length} parts, ${this.plan.total_minutes} minutes in all.`;
    list.replaceChildren(...this.plan.segments.map((segment) => {
      const item = document.createElement("li");
      const start = document.createElement("span");
      start.className = "fa-seg-start";
      start.textContent = segment.start;
      const name = document.createElement("span");
      name.className = "fa-seg-name";
      name.textContent = segment.activity;
      const minutes = document.createElement("span");
      minutes.className = "fa-seg-minutes";
      minutes.textContent = minutesText(segment.minutes);
      const now = document.createElement("span");
      now.className = "fa-seg-now";
      now.textContent = "Now";
      item.append(start, name, minutes, now);
      return item;
    }));
  }

  /** Draw the part on now, the clock and the buttons (every tick while running). */
  update() {
    const { els, plan } = this;
    if (!plan || !plan.segments.length) return;
    const segment = plan.segments[this.index];
    const next = plan.segments[this.index + 1];
    const left = this.left;
    const over = left <= 0;
    els.count.textContent = `part ${this.index + 1} of ${plan.segments.length}`;
    if (this.drawn !== this.index) {
      this.drawn = this.index;
      els.activity.textContent = segment.activity;
      els.how.textContent = segment.how;
      els.nextUp.textContent = next ? `${next.activity} (${minutesText(next.minutes)})` : "Nothing. This is the last part.";
      [...els.list.children].forEach((item, i) => {
        item.classList.toggle("fa-current", i === this.index);
        item.classList.toggle("fa-done", i < this.index);
        if (i === this.index) item.setAttribute("aria-current", "step");
        else item.removeAttribute("aria-current");
      });
    }
    els.clock.textContent = over ? clockText(-left) : clockText(Math.ceil(left / 1000) * 1000);
    const paused = this.running ? "" : ", paused";
    els.clockLabel.textContent = over ? `over time${paused}` : `left of ${minutesText(segment.minutes)}${paused}`;
    const upText = over ? "Time is up for this part." : "";
    if (els.timeUp.textContent !== upText) els.timeUp.textContent = upText;
    els.panel.classList.toggle("fa-over", over);
    els.panel.classList.toggle("fa-running", this.running);
    els.start.textContent = this.running ? "Pause" : "Start";
    els.back.disabled = this.index === 0;
    els.next.disabled = this.index === plan.segments.length - 1;
  }
}

/**
 * Is the key meant for a field the person is typing in?
 * @param {EventTarget | null} target
 */
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["button", "submit", "reset", "checkbox", "radio"].includes(target.type);
}

/**
 * Keys: Space starts or pauses, N or → goes to the next part, B or ← back. Never while
 * typing in a field, nor with Ctrl, Alt or Cmd; Space on a button or link keeps its own meaning.
 * @param {PlanTimer} timer
 */
export function installKeys(timer) {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    const key = event.key;
    if (key === " " || key === "Spacebar") {
      const target = event.target;
      if (target instanceof Element && target.closest(PRESSABLE)) return;
      event.preventDefault();
      if (!event.repeat) timer.toggle();
    } else if (key === "n" || key === "N" || key === "ArrowRight") {
      event.preventDefault();
      if (!event.repeat) timer.go(timer.index + 1);
    } else if (key === "b" || key === "B" || key === "ArrowLeft") {
      event.preventDefault();
      if (!event.repeat) timer.go(timer.index - 1);
    }
  });
}
