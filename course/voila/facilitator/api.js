// @ts-check
// The facilitator page's one way to the server: the JSON API under
// <base>steady/facilitator/api/ (served by course/voila_app.py). Same origin; the
// facilitator's cookie authenticates; every POST carries the _xsrf cookie's value
// in the X-XSRFToken header, as Jupyter servers expect.

/** @typedef {{id: string, title: string}} ModuleRef */
/** @typedef {{start: string, minutes: number, activity: string, how: string}} Segment */
/** @typedef {{sign: string, what_to_do: string}} WatchItem */
/**
 * A module's session plan, read from its facilitator guide (course/guides.py SessionPlan.to_json).
 * @typedef {{module: string, title: string, total_minutes: number, segments: Segment[],
 *   prompts: string[], watch: WatchItem[], crisis: string}} Plan
 */
/** @typedef {{question: string, kind: "gauge" | "choice"}} Preset */
/**
 * What the facilitator sees of a closed question: counts per option only when at
 * least `threshold` people answered (`shown`), otherwise just `message`.
 * @typedef {{shown: boolean, counts: number[] | null, median: number | null, message: string}} PulseResult
 */
/**
 * @typedef {{id: string, question: string, kind: "gauge" | "choice", options: string[], open: boolean,
 *   answered: number, result: PulseResult | null}} Pulse
 */
/**
 * @typedef {{module: ModuleRef | null, plan: Plan | null, modules: ModuleRef[], connected: number,
 *   threshold: number, presets: Preset[], pulse: Pulse | null, ended: boolean, stops_in: number | null,
 *   stopped?: boolean, can_start_next?: boolean}} RoomState
 */

/** A request the server refused (`status` > 0) or that never reached it (`status` 0). */
export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** The _xsrf cookie's value, URL-decoded ("" when there is none). @returns {string} */
export function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  if (!match) return "";
  try {
    return decodeURIComponent(match[1]);
  } catch (_err) {
    return match[1];
  }
}

/**
 * The words for a refused request: the server's own message when it gave one.
 * @param {Response} response
 * @returns {Promise<string>}
 */
async function problem(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === "string" && body.error.trim()) return body.error;
  } catch (_err) {
    // not JSON: say it in our words below
  }
  if (response.status === 401 || response.status === 403) {
    return "The server did not accept this page. Open the facilitator link again.";
  }
  return `The server could not do that (error ${response.status}).`;
}

/**
 * @param {string} url
 * @param {RequestInit} init
 * @returns {Promise<any>}
 */
async function call(url, init) {
  let response;
  try {
    // Every request carries the _xsrf token, reads too: on JupyterHub the login cookie counts for a script's
    // request only with it (course/voila/static/page.js does the same).
    const headers = { "X-XSRFToken": xsrfToken(), ...(init.headers || {}) };
    response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...init, headers });
  } catch (_err) {
    throw new ApiError("The course server is not answering.", 0);
  }
  if (!response.ok) throw new ApiError(await problem(response), response.status);
  try {
    return await response.json();
  } catch (_err) {
    throw new ApiError("The course server sent an answer this page cannot read.", response.status);
  }
}

/**
 * The API of the course served at `base` ("/" or "/course/").
 * @param {string} base
 */
export function facilitatorApi(base) {
  const root = `${base}steady/facilitator/api/`;
  /**
   * @param {string} path
   * @param {object} body
   * @returns {Promise<RoomState>}
   */
  const post = (path, body) => call(root + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-XSRFToken": xsrfToken() },
    body: JSON.stringify(body),
  });
  return {
    /** @returns {Promise<RoomState>} */
    state: () => call(`${root}state`, { method: "GET" }),
    /** @param {string} id @returns {Promise<Plan>} */
    plan: (id) => call(`${root}plan/${encodeURIComponent(id)}`, { method: "GET" }),
    /** @param {{question: string, kind: "gauge"} | {question: string, kind: "choice", options: string[]}} question */
    ask: (question) => post("pulse", question),
    close: () => post("pulse/close", {}),
    /** @param {boolean} now stop the participants' pages at once, not after `stops_in` seconds */
    end: (now) => post("end", now ? { now: true } : {}),
    /** The hub's room: the next session, once the last one has stopped. @returns {Promise<RoomState>} */
    next: () => post("next", {}),
  };
}

/** @typedef {ReturnType<typeof facilitatorApi>} Api */
