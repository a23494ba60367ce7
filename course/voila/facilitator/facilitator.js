// @ts-check
// The facilitator's page for a workshop (served by course/voila_app.py): the chosen
// module's session plan with a timer (timer.js), the room pulse (pulse.js), how many
// people are connected, the guide's prompts and what to watch for, and "End session".
// It asks the server for the room's state every 3 seconds and right after each
// action; when a request fails it says so calmly and keeps showing what it last knew.
// Shown on a projector, so it holds nothing private: the plan and counts only.

import { ApiError, facilitatorApi } from "./api.js";
import { PulsePanel, byId, make } from "./pulse.js";
import { PlanTimer, clockText, installKeys } from "./timer.js";

/** @typedef {import("./api.js").RoomState} RoomState */
/** @typedef {import("./api.js").Plan} Plan */
/** @typedef {import("./api.js").Api} Api */

export const POLL_MS = 3000;
const CHOSEN_KEY = "sg-facilitator-module";
const OFFLINE = "Cannot reach the course server right now. This page shows what it last knew and tries again "
  + "every few seconds.";
const BACK = "Connected to the course server again.";


/** "Module 3: Calming the body" from "m03" and its title. @param {string} id @param {string} title */
export function moduleHeading(id, title) {
  const number = Number.parseInt(id.replace(/^m/, ""), 10);
  return Number.isNaN(number) ? title : `Module ${number}: ${title}`;
}

/** @param {number} n */
export const connectedText = (n) => `${n} ${n === 1 ? "person" : "people"} connected`;

class FacilitatorPage {
  /** @param {Api} api */
  constructor(api) {
    this.api = api;
    this.timer = new PlanTimer();
    this.pulse = new PulsePanel({
      ask: (question) => this.act(() => this.api.ask(question)),
      close: () => this.act(() => this.api.close()),
    });
    this.els = {
      title: byId("fa-title"),
      room: byId("fa-room"),
      status: byId("fa-status"),
      planArea: byId("fa-plan-area"),
      guide: byId("fa-guide"),
      noPlan: byId("fa-no-plan"),
      choose: byId("fa-choose"),
      chooseForm: /** @type {HTMLFormElement} */ (byId("fa-choose-form")),
      chooseSelect: /** @type {HTMLSelectElement} */ (byId("fa-choose-module")),
      chooseError: byId("fa-choose-error"),
      prompts: byId("fa-prompts"),
      watch: byId("fa-watch"),
      crisis: byId("fa-crisis"),
      endStart: byId("fa-end-start"),
      endButton: /** @type {HTMLButtonElement} */ (byId("fa-end")),
      endConfirm: byId("fa-end-confirm"),
      endYes: /** @type {HTMLButtonElement} */ (byId("fa-end-yes")),
      endNo: /** @type {HTMLButtonElement} */ (byId("fa-end-no")),
      ended: byId("fa-ended"),
      stopsIn: byId("fa-stops-in"),
      stopNow: /** @type {HTMLButtonElement} */ (byId("fa-stop-now")),
      stopConfirm: byId("fa-stop-confirm"),
      stopYes: /** @type {HTMLButtonElement} */ (byId("fa-stop-yes")),
      stopNo: /** @type {HTMLButtonElement} */ (byId("fa-stop-no")),
      nextSession: /** @type {HTMLButtonElement} */ (byId("fa-next-session")),
      endError: byId("fa-end-error"),
    };
    /** @type {RoomState | null} */
    this.state = null;
    /** @type {Plan | null} a plan chosen here, when the workshop was started without a module */
    this.chosen = null;
    this.choosing = false;
    this.planText = "";
    this.modulesText = "";
    this.sent = 0;
    this.applied = 0;
    this.poller = 0;
    this.offline = false;
    /** @type {"" | "end" | "stop"} which confirmation is showing */
    this.confirming = "";
    /** When the participants' pages stop, by Date.now() (null: not counting down). */
    this.stopsAt = /** @type {number | null} */ (null);
    this.wire();
    installKeys(this.timer);
    window.setInterval(() => this.drawStopsIn(), 1000);
  }

  wire() {
    const { els } = this;
    els.chooseForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.choose(els.chooseSelect.value);
    });
    els.endButton.addEventListener("click", () => this.confirm("end", els.endNo));
    els.endNo.addEventListener("click", () => this.confirm("", els.endButton));
    els.endYes.addEventListener("click", () => this.end(false));
    els.stopNow.addEventListener("click", () => this.confirm("stop", els.stopNo));
    els.stopNo.addEventListener("click", () => this.confirm("", els.stopNow));
    els.stopYes.addEventListener("click", () => this.end(true));
    els.nextSession.addEventListener("click", () => this.nextSession());
  }

  /** The hub's room: a new session once everyone's pages have stopped; focus goes back to "End session". */
  async nextSession() {
    const { els } = this;
    els.nextSession.disabled = true;
    els.endError.textContent = "";
    const outcome = await this.act(() => this.api.next());
    els.nextSession.disabled = false;
    if (outcome === true) els.endButton.focus();
    else els.endError.textContent = String(outcome);
  }

  /** Ask for the room's state now, then every POLL_MS. */
  async refresh() {
    window.clearTimeout(this.poller);
    const ticket = ++this.sent;
    try {
      this.apply(await this.api.state(), ticket);
    } catch (err) {
      this.failed(err);
    } finally {
      if (ticket === this.sent) this.poller = window.setTimeout(() => this.refresh(), POLL_MS);
    }
  }

  /**
   * Run an action; show its new state and ask again at once.
   * @param {() => Promise<RoomState>} request
   * @returns {Promise<boolean | string>} true when done, or what went wrong in plain words
   */
  async act(request) {
    const ticket = ++this.sent;
    try {
      this.apply(await request(), ticket);
      return true;
    } catch (err) {
      this.failed(err);
      if (err instanceof ApiError && err.status === 0) return "The course server is not answering, so that did not happen. Try again in a moment.";
      return err instanceof Error ? err.message : String(err);
    } finally {
      this.refresh();
    }
  }

  /** @param {unknown} err */
  failed(err) {
    if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403) {
      return;  // a refused action: its own panel shows why
    }
    if (!(err instanceof ApiError)) console.error("Steady Ground facilitator page:", err);
    this.offline = true;
    this.say(err instanceof ApiError && err.status ? err.message : OFFLINE);
  }

  /** @param {string} text */
  say(text) {
    if (this.els.status.textContent !== text) this.els.status.textContent = text;
  }

  /**
   * @param {RoomState} state
   * @param {number} ticket the request's number: an answer older than one shown already is dropped
   */
  apply(state, ticket) {
    if (ticket < this.applied) return;
    this.applied = ticket;
    this.state = state;
    if (this.offline) {
      this.offline = false;
      this.say(BACK);
      window.setTimeout(() => { if (!this.offline) this.say(""); }, 5000);
    }
    this.drawModule(state);
    this.els.room.textContent = connectedText(state.connected);
    this.pulse.show(state);
    this.drawEnd(state);
  }

  /** @param {RoomState} state */
  drawModule(state) {
    const { els } = this;
    els.choose.hidden = state.module !== null;
    if (state.module === null) this.drawChooser(state);
    const plan = state.module ? state.plan : this.chosen;
    const ref = state.module || (plan ? { id: plan.module, title: plan.title } : null);
    const heading = ref ? moduleHeading(ref.id, ref.title) : "Choose a module";
    if (els.title.textContent !== heading) els.title.textContent = heading;
    els.planArea.hidden = !plan;
    els.guide.hidden = !plan;
    els.noPlan.hidden = Boolean(plan) || !state.module;
    if (!plan) return;
    this.timer.show(plan);
    const text = JSON.stringify(plan);
    if (text === this.planText) return;
    this.planText = text;
    els.prompts.replaceChildren(...plan.prompts.map((p) => make("li", p)));
    els.watch.replaceChildren(...plan.watch.map((w) => {
      const item = document.createElement("li");
      item.append(make("strong", w.sign), document.createTextNode(`: ${w.what_to_do}`));
      return item;
    }));
    els.crisis.textContent = plan.crisis;
  }

  /** @param {RoomState} state */
  drawChooser(state) {
    const { chooseSelect } = this.els;
    const text = JSON.stringify(state.modules);
    if (text !== this.modulesText) {
      this.modulesText = text;
      const current = chooseSelect.value;
      chooseSelect.replaceChildren(...state.modules.map((m) => {
        const option = make("option", moduleHeading(m.id, m.title));
        option.value = m.id;
        return option;
      }));
      if (current) chooseSelect.value = current;
    }
    if (!this.chosen) {
      let kept = "";
      try {
        kept = sessionStorage.getItem(CHOSEN_KEY) || "";
      } catch (_err) {
        kept = "";
      }
      if (kept && state.modules.some((m) => m.id === kept) && !this.choosing) {
        chooseSelect.value = kept;
        this.choose(kept);
      }
    }
  }

  /** @param {string} id */
  async choose(id) {
    if (!id || this.choosing) return;
    this.choosing = true;
    this.els.chooseError.textContent = "";
    try {
      this.chosen = await this.api.plan(id);
      try {
        sessionStorage.setItem(CHOSEN_KEY, id);
      } catch (_err) {
        // storage is off: choose again after a reload
      }
      if (this.state) this.drawModule(this.state);
    } catch (err) {
      this.els.chooseError.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      this.choosing = false;
    }
  }

  /**
   * Show one confirmation ("end", "stop") or none, and move focus where the person will act next.
   * @param {"" | "end" | "stop"} which
   * @param {HTMLElement} focus
   */
  confirm(which, focus) {
    this.confirming = which;
    this.els.endError.textContent = "";
    if (this.state) this.drawEnd(this.state);
    focus.focus();
  }

  /** @param {boolean} now */
  async end(now) {
    const { els } = this;
    const buttons = [els.endYes, els.stopYes];
    for (const b of buttons) b.disabled = true;
    const outcome = await this.act(() => this.api.end(now));
    for (const b of buttons) b.disabled = false;
    if (outcome === true) {
      this.confirming = "";
      if (this.state) this.drawEnd(this.state);
      const target = this.els.stopNow.closest("[hidden]") ? this.els.ended : this.els.stopNow;
      target.focus();
    } else {
      els.endError.textContent = String(outcome);
    }
  }

  /** @param {RoomState} state */
  drawEnd(state) {
    const { els } = this;
    if (state.ended && this.confirming === "end") this.confirming = "";
    els.endStart.hidden = state.ended || this.confirming === "end";
    els.endConfirm.hidden = state.ended || this.confirming !== "end";
    els.ended.hidden = !state.ended;
    this.stopsAt = state.ended && state.stops_in ? Date.now() + state.stops_in * 1000 : null;
    const stopping = this.stopsAt !== null;
    if (!stopping && this.confirming === "stop") this.confirming = "";
    els.stopNow.hidden = !stopping || this.confirming === "stop";
    els.stopConfirm.hidden = !stopping || this.confirming !== "stop";
    els.nextSession.hidden = !(state.can_start_next && state.stopped);
    this.drawStopsIn();
  }

  drawStopsIn() {
    const { stopsIn } = this.els;
    if (!this.state || !this.state.ended) return;
    const left = this.stopsAt === null ? 0 : this.stopsAt - Date.now();
    const text = left > 0 ? `participants' pages stop in ${clockText(Math.ceil(left / 1000) * 1000)}.`
      : "participants' pages have stopped.";
    if (stopsIn.textContent !== text) stopsIn.textContent = text;
  }
}

/** Start the page: the course's base URL is on the body (data-base, put there by the server). */
export function mountFacilitator() {
  const base = document.body.dataset.base || "/";
  const page = new FacilitatorPage(facilitatorApi(base));
  page.refresh();
  return page;
}

mountFacilitator();
