/* Projector view: c goes to the next chapter of the slide's video and plays it, shift+c to the previous one
   (the chapter buttons that chapters.js made; keys that present.js leaves alone). */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    if (event.key !== "c" && event.key !== "C") { return; }
    var name = event.target && event.target.tagName;
    if (name === "INPUT" || name === "TEXTAREA" || name === "SELECT") { return; }
    var slide = document.querySelector("main .slide:not([hidden]) .video-chapters");
    if (!slide) { return; }
    var items = Array.prototype.slice.call(slide.querySelectorAll("li[data-start]"));
    var current = -1;
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute("aria-current") === "true") { current = i; }
    }
    var target = items[event.shiftKey ? current - 1 : current + 1];
    var button = target && target.querySelector("button");
    if (!button) { return; }
    event.preventDefault();
    button.click();
  });
}());
