// Steady Ground book: a minimal quick exit for when ES modules cannot load
// (Chromium refuses them for pages opened from disk, file://). It adds
// nothing when the full bar is present.
(function () {
  "use strict";
  var helpUrl = new URL("../help.html", document.currentScript.src).href;

  function mountFallback() {
    var data = window.SG_RESOURCES;
    if (!data || document.getElementById("sg-safety-bar")) return;
    var bar = document.createElement("aside");
    bar.id = "sg-safety-bar";
    bar.className = "sg-safety-bar sg-safety-bar--page sg-safety-bar--fallback";
    bar.setAttribute("aria-label", "Help now and quick exit");
    var help = document.createElement("a");
    help.href = helpUrl;
    help.textContent = "Get help now";
    var leave = document.createElement("button");
    leave.type = "button";
    leave.className = "sg-leave-now";
    leave.textContent = data.quick_exit.label;
    leave.title = "Leave this page at once (or press Shift three times)";
    var leaveNow = function () {
      document.body.style.visibility = "hidden";
      window.location.replace(data.quick_exit.url);
    };
    leave.addEventListener("click", leaveNow);
    // Three presses of Shift within 1.5 s, as on the full bar.
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift" || event.repeat) return;
      var now = performance.now();
      presses = presses.filter(function (t) { return now - t < 1500; });
      presses.push(now);
      if (presses.length >= 3) leaveNow();
    }, true);
    bar.append(help, leave);
    document.body.prepend(bar);
    document.documentElement.style.setProperty("--sg-safety-bar-height", bar.offsetHeight + "px");
  }

  // Loaded with defer, after the module sg-book.js: deferred and module
  // scripts run in document order once the page is parsed, so by now the
  // full bar is either mounted or could not load.
  if (document.body) mountFallback();
  else document.addEventListener("DOMContentLoaded", mountFallback);
})();
