// Steady Ground book: put the safety bar (help now, quick exit) at the top of
// every page. window.SG_RESOURCES comes from sg-resources.js, generated from
// course/resources.yml at build time. mountSafetyBar is idempotent.
import { mountSafetyBar } from "./safety_bar/safety_bar.js";

/**
 * Keep --sg-safety-bar-height equal to the bar's height (it grows when "Get
 * help now" opens or the bar wraps), so sg-book.css can keep the theme's
 * sticky headers below it.
 * @param {HTMLElement} bar
 */
export function trackBarHeight(bar) {
  const set = () => document.documentElement.style.setProperty("--sg-safety-bar-height", `${bar.offsetHeight}px`);
  new ResizeObserver(set).observe(bar);
  set();
}

try {
  trackBarHeight(mountSafetyBar(window.SG_RESOURCES));
} catch (err) {
  console.error("[steady-ground] the safety bar could not be shown", err);
}
