/* The projector view's menu (present.html): where the window is short or narrow (a projector's window zoomed
   400 % is 320x180 CSS px, a phone), present.css folds the bar's less used controls (blank screen, full
   screen, presenter view, leaving) under one "Menu" button, so that the bar keeps one row and the slide the
   rest of the height. The button opens and closes them (aria-expanded); Escape, a click elsewhere or using one
   of them closes them, and the focus comes back to the button. Elsewhere the button is not shown and the
   controls stand in the bar. */
(function () {
  "use strict";
  var toggle = document.querySelector(".present-menu");
  var more = document.getElementById("mooc-present-more");
  if (!toggle || !more) { return; }

  function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }

  function set(open, refocus) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    more.classList.toggle("open", open);
    if (!open && refocus && toggle.offsetParent !== null) { toggle.focus(); }
  }

  toggle.addEventListener("click", function () { set(!isOpen(), false); });
  more.addEventListener("click", function (event) {
    if (isOpen() && event.target.closest && event.target.closest("button")) { set(false, true); }
  });
  document.addEventListener("click", function (event) {
    if (isOpen() && !toggle.contains(event.target) && !more.contains(event.target)) { set(false, false); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) { set(false, more.contains(document.activeElement)); }
  });
}());
