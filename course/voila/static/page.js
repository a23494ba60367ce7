// Shared by the landing page and every module page served by Voila:
// the safety bar first, then (on module pages) a link back to all modules.
import { mountSafetyBar } from "./safety_bar.js";

/** @param {{home?: string}} options */
export function mountPage(options = {}) {
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
