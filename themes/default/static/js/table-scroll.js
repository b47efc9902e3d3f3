/* A table wider than the page scrolls in its own region (.table-wrap: role=region, a name, tabindex=0, so that
   the arrow keys scroll it once it has the focus). When it does, a hint above it says so, and the region is
   described by it; when the window grows and the table fits, the hint goes. The hint's text is the script
   tag's data-hint, in the page's language. Without JavaScript the table still scrolls in its region. */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = script && script.getAttribute("data-hint");
  if (!text) { return; }
  var regions = [];

  function update() {
    regions.forEach(function (region, index) {
      var wide = region.scrollWidth > region.clientWidth + 1;
      var hint = region.previousElementSibling;
      if (!hint || !hint.classList.contains("scroll-hint")) {
        if (!wide) { return; }
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.id = "mooc-scroll-hint-" + (index + 1);
        hint.textContent = text;
        region.parentNode.insertBefore(hint, region);
      }
      hint.hidden = !wide;
      var described = (region.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== hint.id;
      });
      if (wide) { described.push(hint.id); }
      if (described.length) {
        region.setAttribute("aria-describedby", described.join(" "));
      } else {
        region.removeAttribute("aria-describedby");
      }
    });
  }

  function start() {
    regions = Array.prototype.slice.call(document.querySelectorAll(".table-wrap[role=region]"));
    if (!regions.length) { return; }
    update();
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
