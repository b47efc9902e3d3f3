/* The presenter view: the projector view opened with #presenter (key p or the "Presenter view" link), on the
   facilitator's screen while the projected view is on the wall. Beside the current slide it shows the next
   step (a copy, inert), the presenter notes of the current slide (the hidden .slide-notes an author wrote with
   '::: notes'), the time of day and the time elapsed since this window was opened (kept across the pages it
   goes through; "Restart the timer" sets it to zero). Both views follow each other (present.js). */
(function () {
  "use strict";
  var api = window.MoocPresent;
  var panel = document.querySelector(".presenter");
  if (!api || !api.presenter || !panel) { return; }
  var preview = panel.querySelector(".presenter-preview");
  var last = panel.querySelector(".presenter-last");
  var notes = panel.querySelector(".presenter-notes-text");
  var none = panel.querySelector(".presenter-no-notes");
  var clock = panel.querySelector(".presenter-clock");
  var elapsed = panel.querySelector(".presenter-elapsed");
  var reset = panel.querySelector(".presenter-reset");
  var STARTED = "mooc-presenter-started";
  var opened = Date.now();
  panel.hidden = false;

  function started() {
    try {
      var kept = parseInt(window.sessionStorage.getItem(STARTED) || "", 10);
      if (kept > 0) { return kept; }
      window.sessionStorage.setItem(STARTED, String(opened));
    } catch (error) { /* no storage: from this page's opening */ }
    return opened;
  }

  function two(value) { return (value < 10 ? "0" : "") + value; }

  function tick() {
    var now = new Date();
    clock.textContent = two(now.getHours()) + ":" + two(now.getMinutes());
    var seconds = Math.max(0, Math.floor((now.getTime() - started()) / 1000));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor(seconds / 60) % 60;
    elapsed.textContent = (hours ? hours + ":" + two(minutes) : String(minutes)) + ":" + two(seconds % 60);
  }

  function copy(step) {
    var slide = step.slide.cloneNode(true);
    slide.hidden = false;
    slide.setAttribute("inert", "");
    slide.removeAttribute("id");
    Array.prototype.forEach.call(slide.querySelectorAll("[id], .slide-notes, track"), function (element) {
      if (element.classList.contains("slide-notes") || element.tagName === "TRACK") {
        element.parentNode.removeChild(element);
      } else {
        element.removeAttribute("id");
      }
    });
    var reveal = slide.querySelector("details.reveal");
    if (reveal) {
      reveal.open = step.reveal;
      slide.classList.toggle("revealed", step.reveal);
    }
    return slide;
  }

  function follow(index) {
    var step = api.steps[index];
    var next = api.steps[index + 1];
    preview.textContent = "";
    last.hidden = !!next;
    if (next) {
      var slide = copy(next);
      preview.appendChild(slide);
      api.fit(slide);
    }
    notes.textContent = "";
    var written = step.slide.querySelector(".slide-notes");
    if (written) {
      Array.prototype.forEach.call(written.childNodes, function (node) { notes.appendChild(node.cloneNode(true)); });
    }
    none.hidden = !!written;
  }

  reset.addEventListener("click", function () {
    opened = Date.now();
    try { window.sessionStorage.setItem(STARTED, String(opened)); } catch (error) { /* kept in this page */ }
    tick();
  });
  window.addEventListener("resize", function () {
    var slide = preview.querySelector(".slide");
    if (slide) { api.fit(slide); }
  });
  api.onShow(follow);
  follow(api.current());
  tick();
  window.setInterval(tick, 1000);
}());
