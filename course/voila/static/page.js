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
}
