/* Projector view: one slide at a time, a question's answer revealed as its own step.
   Arrow keys, Page Up/Down (what a presentation clicker sends), Space, Home/End; f toggles full screen.
   Nothing is scored or stored. Without JavaScript every slide shows, one after the other. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var controls = document.querySelector(".present-controls");
  var count = document.querySelector(".present-count");
  if (!slides.length || !controls) { return; }
  var steps = [];
  slides.forEach(function (slide) {
    var reveal = slide.querySelector("details.reveal");
    steps.push({ slide: slide, reveal: false });
    if (reveal) { steps.push({ slide: slide, reveal: true }); }
  });
  var current = 0;
  document.documentElement.classList.add("one-slide");
  controls.hidden = false;

  function show(index) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    var step = steps[current];
    slides.forEach(function (slide) {
      var active = slide === step.slide;
      slide.hidden = !active;
      if (!active) {
        var playing = slide.querySelector("video");
        if (playing && !playing.paused) { playing.pause(); }
      }
    });
    var reveal = step.slide.querySelector("details.reveal");
    if (reveal) {
      reveal.open = step.reveal;
      step.slide.classList.toggle("revealed", step.reveal);
    }
    count.textContent = (current + 1) + " / " + steps.length;
  }

  function fullScreen() {
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen(); }
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && (target.tagName === "VIDEO" || target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter":
        if (event.key === "Enter" && target && (target.tagName === "BUTTON" || target.tagName === "A" || target.tagName === "SUMMARY")) { return; }
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
        show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(steps.length - 1); break;
      case "f": case "F": fullScreen(); break;
      default: return;
    }
    event.preventDefault();
  });
  document.querySelector(".present-next").addEventListener("click", function () { show(current + 1); });
  document.querySelector(".present-prev").addEventListener("click", function () { show(current - 1); });
  document.querySelector(".present-full").addEventListener("click", fullScreen);
  // A click on the summary itself also counts as the reveal step.
  steps.forEach(function (step, index) {
    if (!step.reveal) { return; }
    step.slide.querySelector("details.reveal summary").addEventListener("click", function (event) {
      event.preventDefault();
      show(current === index ? index - 1 : index);
    });
  });
  show(0);
}());
