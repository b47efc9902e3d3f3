/* Projector view: one slide at a time, a question's answer revealed as its own step, each slide fitted to the
   area above the control bar (present-fit.js).
   Keys: Page Down / Page Up (what a presentation clicker sends) always move; → ↓ and ← ↑ move, Home / End go
   to the first / last step (except on a focused video, which keeps them to seek); Space and Enter move on
   only when the focus is on the slide itself: on a focused button, link, disclosure or video they do what
   that control does. k plays or pauses the slide's video; b or . blanks the screen (black) and back (any
   moving key also brings the slide back, without moving); f toggles full screen (the button says which);
   p opens the presenter view (presenter.js) in another window or tab.
   The presenter view and the projected view follow each other through localStorage (its storage event
   reaches the other tabs of the same origin, file:// included): each step, blank screen and page change is
   written under one key, with the kind of view that wrote it; a view follows the other kind only (two
   projected tabs leave each other alone), and goes to the page the other shows. Nothing is scored. Without
   JavaScript every slide shows, one after the other. */
(function () {
  "use strict";
  var root = document.documentElement;
  var main = document.querySelector("main.slides");
  var slides = Array.prototype.slice.call(document.querySelectorAll("main .slide"));
  var controls = document.querySelector(".present-controls");
  var count = document.querySelector(".present-count");
  var blank = document.querySelector(".present-blank");
  var blankButton = document.querySelector(".present-black");
  var fullButton = document.querySelector(".present-full");
  if (!main || !slides.length || !controls || !count) { return; }
  var fit = window.MoocFit || function () { return 1; };
  var presenter = window.location.hash === "#presenter";
  var KEY = "mooc-present";
  var FRESH = 10000; // ms: a state this recent was written by the other view just before this page loaded
  var here = window.location.href.split("#")[0];
  var role = presenter ? "presenter" : "wall"; // each view follows the other kind only, not a second projection
  var steps = [];
  slides.forEach(function (slide) {
    steps.push({ slide: slide, reveal: false });
    if (slide.querySelector("details.reveal")) { steps.push({ slide: slide, reveal: true }); }
  });
  var current = 0;
  var blanked = false;
  var listeners = [];
  var countLabel = count.getAttribute("data-label") || "{n} / {total}";
  var countShown = document.createElement("span");
  var countSaid = document.createElement("span");
  countShown.setAttribute("aria-hidden", "true");
  countSaid.className = "visually-hidden";
  count.appendChild(countShown);
  count.appendChild(countSaid);
  root.classList.add("one-slide");
  if (presenter) { root.classList.add("presenter-mode"); }
  controls.hidden = false;

  function measureBar() {
    root.style.setProperty("--bar", controls.offsetHeight + "px");
  }

  function store(where) {
    try { return where === "session" ? window.sessionStorage : window.localStorage; } catch (error) { return null; }
  }

  function read(where) {
    var storage = store(where);
    try {
      var state = storage && JSON.parse(storage.getItem(KEY) || "null");
      return state && typeof state.step === "number" ? state : null;
    } catch (error) { return null; }
  }

  function save() {
    var state = JSON.stringify({ href: here, step: current, blank: blanked, from: role, at: Date.now() });
    ["local", "session"].forEach(function (where) {
      var storage = store(where);
      try { if (storage) { storage.setItem(KEY, state); } } catch (error) { /* storage full or refused */ }
    });
  }

  function refit() {
    measureBar();
    fit(steps[current].slide);
  }

  function show(index, quiet) {
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
    countShown.textContent = (current + 1) + " / " + steps.length;
    countSaid.textContent = countLabel.replace("{n}", String(current + 1)).replace("{total}", String(steps.length));
    fit(step.slide);
    listeners.forEach(function (listener) { listener(current); });
    if (!quiet) { save(); }
  }

  function setBlank(on, quiet) {
    blanked = !!on;
    if (blank) { blank.hidden = !blanked; }
    if (blankButton) { blankButton.setAttribute("aria-pressed", blanked ? "true" : "false"); }
    root.classList.toggle("is-blank", blanked);
    if (!quiet) { save(); }
  }

  function fullScreen() {
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen().catch(function () {}); }
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  function fullLabel() {
    if (!fullButton) { return; }
    var label = fullButton.getAttribute(document.fullscreenElement ? "data-leave" : "data-enter");
    if (label) { fullButton.textContent = label; }
    measureBar();
  }

  function playPause() {
    var video = steps[current].slide.querySelector("video");
    if (!video) { return; }
    if (video.paused) {
      var playing = video.play();
      if (playing && playing.catch) { playing.catch(function () {}); }
    } else {
      video.pause();
    }
  }

  function openPresenter() {
    if (presenter) { return; }
    save();
    window.open(here + "#presenter", "mooc-presenter");
  }

  // A control that Space and Enter belong to when it has the focus.
  var CONTROLS = "a[href], button, summary, video, audio, input, select, textarea, [contenteditable], " +
    "[tabindex]:not([tabindex='-1'])";

  function onControl(target) {
    return !!(target && target.closest && target !== main && target.closest(CONTROLS));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    var name = target && target.tagName;
    if (name === "INPUT" || name === "TEXTAREA" || name === "SELECT") { return; }
    var inVideo = name === "VIDEO" || name === "AUDIO";
    var move = null;
    switch (event.key) {
      case "PageDown": move = current + 1; break;
      case "PageUp": move = current - 1; break;
      case "ArrowRight": case "ArrowDown": if (inVideo) { return; } move = current + 1; break;
      case "ArrowLeft": case "ArrowUp": if (inVideo) { return; } move = current - 1; break;
      case "Home": if (inVideo) { return; } move = 0; break;
      case "End": if (inVideo) { return; } move = steps.length - 1; break;
      case " ": case "Enter":
        if (onControl(target)) { return; }
        move = event.shiftKey ? current - 1 : current + 1; break;
      case "Backspace": move = current - 1; break;
      case "b": case "B": case ".": setBlank(!blanked); break;
      case "f": case "F": fullScreen(); break;
      case "k": case "K": playPause(); break;
      case "p": case "P": openPresenter(); break;
      case "Escape": if (!blanked) { return; } setBlank(false); break;
      default: return;
    }
    event.preventDefault();
    if (move === null) { return; }
    if (blanked) { setBlank(false); return; } // the slide comes back where it was
    show(move);
  });

  document.querySelector(".present-next").addEventListener("click", function () { show(current + 1); });
  document.querySelector(".present-prev").addEventListener("click", function () { show(current - 1); });
  if (fullButton) { fullButton.addEventListener("click", fullScreen); }
  if (blankButton) { blankButton.addEventListener("click", function () { setBlank(!blanked); }); }
  if (blank) { blank.addEventListener("click", function () { setBlank(false); }); }
  var presenterLink = document.querySelector(".present-presenter");
  if (presenterLink) {
    presenterLink.hidden = presenter;
    presenterLink.addEventListener("click", openPresenter);
  }
  document.addEventListener("fullscreenchange", function () { fullLabel(); refit(); });
  window.addEventListener("resize", refit);
  // A picture that loads, or a transcript that opens, changes what the slide needs.
  document.addEventListener("load", function (event) {
    if (event.target && event.target.tagName === "IMG") { fit(steps[current].slide); }
  }, true);
  document.addEventListener("toggle", function (event) {
    if (event.target && !event.target.classList.contains("reveal")) { fit(steps[current].slide); }
  }, true);
  // A click on the summary itself also counts as the reveal step.
  steps.forEach(function (step, index) {
    if (!step.reveal) { return; }
    step.slide.querySelector("details.reveal summary").addEventListener("click", function (event) {
      event.preventDefault();
      show(current === index ? index - 1 : index);
    });
  });
  // A link inside the slides to an anchor of theirs (a footnote) shows the slide that holds it.
  main.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
    var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    var slide = target && target.closest(".slide");
    if (!slide) { return; }
    event.preventDefault();
    for (var index = 0; index < steps.length; index++) {
      if (steps[index].slide === slide) { show(index); return; }
    }
  });
  // The other view moved, blanked, or went to another page.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY || !event.newValue) { return; }
    var state;
    try { state = JSON.parse(event.newValue); } catch (error) { return; }
    if (!state || typeof state.step !== "number" || state.from === role) { return; }
    if (state.href !== here) {
      if (typeof state.href === "string" && /^(https?|file):/.test(state.href)) {
        window.location.href = state.href + (presenter ? "#presenter" : "");
      }
      return;
    }
    if (state.step !== current) { show(state.step, true); }
    if (!!state.blank !== blanked) { setBlank(state.blank, true); }
  });

  window.MoocPresent = {
    steps: steps,
    presenter: presenter,
    current: function () { return current; },
    show: show,
    fit: fit,
    onShow: function (listener) { listeners.push(listener); }
  };

  measureBar();
  fullLabel();
  // Where to start: where this tab was (a reload), where the other view is when it just sent this page here
  // or when this is the presenter view opened beside it; else the first slide.
  var shared = read("local");
  if (shared && shared.from === role) { shared = null; }
  var own = read("session");
  var start = 0;
  if (shared && shared.href === here && (presenter || Date.now() - (shared.at || 0) < FRESH)) {
    start = shared.step;
    blanked = !!shared.blank;
  } else if (own && own.href === here && !presenter) {
    start = own.step;
  }
  setBlank(blanked, true);
  var follows = presenter && shared && shared.href === here;
  show(start, follows);
}());
