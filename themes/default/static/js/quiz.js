/* Scores the quiz of a sequence page in the browser, shows feedback, and keeps attempts in the
   learner's progress. Without JavaScript the quiz stays readable: answers sit in <details>. */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz");
  var page = window.MoocProgress.readConfig("mooc-page");
  var quiz = window.MoocProgress.readConfig("mooc-quiz");
  if (!form || !page || !quiz) { return; }
  var hashes = {};
  hashes[page.sequence] = quiz.hash;
  page.quizHashes = hashes;
  var store = window.MoocProgress.open(page);
  var messages = quiz.messages;
  var fieldsets = form.querySelectorAll("fieldset.question");
  var result = form.querySelector(".quiz-result");
  var submit = form.querySelector("button[type=submit]");
  var retry = form.querySelector("button.quiz-retry");
  var notice = form.querySelector(".quiz-storage");
  var ask = form.querySelector(".quiz-confirm");
  var askText = form.querySelector("#quiz-confirm-text");
  var last = form.querySelector(".quiz-last");
  // Once scored, the answers stay as given until "Try again": read-only, not disabled, so that they keep
  // their colours, stay in the tab order and still tell their name, state and verdict to a screen reader.
  var locked = false;
  var shown = null;  // the responses on display while locked

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  /* The form of a message for ``n`` (forms by CLDR plural category: plural.js). */
  function plural(forms, n) { return window.MoocPlural.pick(forms, n); }

  function number(value) {
    var text = String(Math.round(value * 100) / 100);
    return page.decimal === "," ? text.replace(".", ",") : text;
  }

  function inputsOf(fieldset) { return fieldset.querySelectorAll("input"); }

  function responseOf(fieldset, question) {
    var inputs = inputsOf(fieldset);
    var i;
    switch (question.type) {
      case "single":
        for (i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return Number(inputs[i].value); } }
        return null;
      case "multiple": {
        var picked = [];
        for (i = 0; i < inputs.length; i++) { if (inputs[i].checked) { picked.push(Number(inputs[i].value)); } }
        return picked;
      }
      case "true_false":
        for (i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return inputs[i].value === "true"; } }
        return null;
      default: {
        var text = inputs[0].value;
        return text.trim() === "" ? null : text;
      }
    }
  }

  function responses() {
    var list = [];
    for (var i = 0; i < quiz.questions.length; i++) { list.push(responseOf(fieldsets[i], quiz.questions[i])); }
    return list;
  }

  function answered(response) {
    return response !== null && response !== undefined && !(Array.isArray(response) && response.length === 0);
  }

  function restore(fieldset, question, response) {
    var inputs = inputsOf(fieldset);
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (question.type === "single") { input.checked = response === Number(input.value); }
      else if (question.type === "multiple") { input.checked = Array.isArray(response) && response.indexOf(Number(input.value)) >= 0; }
      else if (question.type === "true_false") { input.checked = response !== null && String(response) === input.value; }
      else { input.value = response === null || response === undefined ? "" : String(response); }
    }
  }

  function showQuestion(fieldset, question, response, earned) {
    var box = fieldset.querySelector(".question-result");
    var full = earned >= question.points - 1e-9;
    var state = full ? "right" : (earned > 0 ? "partial" : "wrong");
    var label = answered(response) ? messages[state] : messages.unanswered;
    // The verdict is words and a sign, not a colour alone; it describes the question and each of its
    // controls (aria-describedby in the template), so it is heard with them.
    box.textContent = (full ? "✓ " : (earned > 0 ? "◐ " : "✗ ")) + label + messages.colon + " " +
      format(plural(messages.points, question.points), { earned: number(earned), max: number(question.points) });
    box.className = "question-result result-" + state;
    box.hidden = false;
    fieldset.setAttribute("data-result", state);
    var feedback = fieldset.querySelectorAll(".choice-feedback");
    var inputs = inputsOf(fieldset);
    for (var i = 0; i < feedback.length; i++) {
      var choice = feedback[i].getAttribute("data-choice");
      var chosen = false;
      for (var j = 0; j < inputs.length; j++) { if (inputs[j].value === choice && inputs[j].checked) { chosen = true; } }
      feedback[i].hidden = !chosen;
    }
    var details = fieldset.querySelector("details.answer");
    if (details) { details.hidden = false; details.open = true; }
  }

  function hideResults() {
    for (var i = 0; i < fieldsets.length; i++) {
      var fieldset = fieldsets[i];
      var box = fieldset.querySelector(".question-result");
      box.hidden = true;
      box.textContent = "";
      fieldset.removeAttribute("data-result");
      var details = fieldset.querySelector("details.answer");
      if (details) { details.open = false; details.hidden = true; }
      var feedback = fieldset.querySelectorAll(".choice-feedback");
      for (var j = 0; j < feedback.length; j++) { feedback[j].hidden = true; }
    }
    result.textContent = "";
  }

  function attemptsUsed() {
    var record = store.read().quizzes[page.sequence];
    return record ? record.n : 0;
  }

  function isLastAttempt() {
    return quiz.max_attempts > 0 && quiz.max_attempts - attemptsUsed() === 1;
  }

  /* "Last attempt" by the submit button (and in its description) while one attempt is left. */
  function showLastAttempt() {
    var lastOne = !locked && isLastAttempt();
    last.hidden = !lastOne;
    if (lastOne) { submit.setAttribute("aria-describedby", last.id); }
    else { submit.removeAttribute("aria-describedby"); }
  }

  function setLocked(value, given) {
    locked = value;
    shown = value ? given : null;
    form.classList.toggle("quiz-locked", value);
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      input.disabled = false;
      if (input.type === "text") { input.readOnly = value; }
      else if (value) { input.setAttribute("aria-disabled", "true"); }
      else { input.removeAttribute("aria-disabled"); }
    }
    submit.hidden = value;
    showLastAttempt();
  }

  // A locked choice does not change: no click (nor Space, nor a click on its label) and no arrow key
  // moving the selection in a radio group; Tab still goes through.
  form.addEventListener("click", function (event) {
    var target = event.target;
    if (locked && target.tagName === "INPUT" && (target.type === "radio" || target.type === "checkbox")) {
      event.preventDefault();
    }
  }, true);
  form.addEventListener("keydown", function (event) {
    if (locked && event.target.type === "radio" && /^Arrow/.test(event.key)) { event.preventDefault(); }
  }, true);
  form.addEventListener("change", function (event) {
    if (!locked || !shown) { return; }
    for (var i = 0; i < fieldsets.length; i++) {
      if (fieldsets[i].contains(event.target)) { restore(fieldsets[i], quiz.questions[i], shown[i]); }
    }
  });

  function showTotal(earned, record, announce) {
    var text = format(plural(messages.total, quiz.points), {
      earned: number(earned), max: number(quiz.points), percent: Math.round(100 * earned / (quiz.points || 1)) });
    if (record.n > 1 || record.best > earned) {
      text += " " + format(messages.best, { best: number(record.best) });
    }
    var left = quiz.max_attempts > 0 ? quiz.max_attempts - record.n : -1;
    if (left === 0) { text += " " + messages.no_attempts_left; }
    else if (left > 0) { text += " " + format(messages.attempts_left, { n: left }); }
    retry.hidden = left === 0;
    if (announce) {
      // Focus first, text a moment later: the score is then heard once, as the live region's news, rather
      // than as the focused element's content and again as the region's update.
      result.removeAttribute("aria-live");
      result.textContent = "";
      result.focus();
      window.setTimeout(function () { result.textContent = text; }, 50);
    } else {
      // An attempt shown again when the page opens is there to read, not news to announce.
      result.setAttribute("aria-live", "off");
      result.textContent = text;
    }
  }

  function grade(given) {
    var total = 0;
    for (var i = 0; i < quiz.questions.length; i++) {
      var earned = window.MoocScoring.score(quiz.questions[i], given[i]);
      total += earned;
      showQuestion(fieldsets[i], quiz.questions[i], given[i], earned);
    }
    return window.MoocScoring.round(total);
  }

  function scoreNow() {
    ask.hidden = true;
    var given = responses();
    var total = grade(given);
    var record = null;
    var kept = store.update(function (state) {
      var old = state.quizzes[page.sequence];
      var attempts = old ? old.n + 1 : 1;
      record = { h: quiz.hash, n: attempts, best: Math.max(total, old ? old.best : 0), max: quiz.points,
                 last: given };
      state.quizzes[page.sequence] = record;
      state.seen[page.sequence] = 1;
    });
    if (!kept) { notice.hidden = false; }
    // In an LMS (SCORM package), the runtime adapter reports the attempt; on the website it is absent.
    if (window.MoocScorm) { window.MoocScorm.quizResult(record, quiz); }
    // In a cmi5 package, the page tells its AU (cmi5-page.js), which sends the statements.
    if (window.MoocCmi5) { window.MoocCmi5.quizResult(record, quiz); }
    setLocked(true, given);
    showTotal(total, record, true);
  }

  function unanswered() {
    var given = responses();
    var blank = [];
    for (var i = 0; i < given.length; i++) { if (!answered(given[i])) { blank.push(i); } }
    return blank;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (locked) { return; }  // Enter in a read-only field
    var blank = unanswered();
    if (blank.length === 0) { scoreNow(); return; }
    // Questions left blank: ask first; nothing is scored nor counted as an attempt until confirmed.
    var text = format(plural(messages.blank, blank.length), { n: blank.length });
    if (isLastAttempt()) { text += " " + last.textContent; }
    askText.textContent = text;
    ask.hidden = false;
    ask.focus();
  });

  ask.querySelector(".quiz-confirm-yes").addEventListener("click", scoreNow);
  ask.querySelector(".quiz-confirm-no").addEventListener("click", function () {
    ask.hidden = true;
    var blank = unanswered();
    var target = blank.length ? inputsOf(fieldsets[blank[0]])[0] : form.querySelector("input");
    if (target) { target.focus(); }
  });

  retry.addEventListener("click", function () {
    hideResults();
    setLocked(false, null);
    retry.hidden = true;
    var first = form.querySelector("input");
    if (first) { first.focus(); }
  });

  // Start: the form is usable, answers hidden until checked; a stored attempt is shown again.
  form.classList.add("quiz-ready");
  submit.hidden = false;
  hideResults();
  if (!store.persistent()) { notice.hidden = false; }
  var stored = store.read().quizzes[page.sequence];
  if (stored && stored.last.length === quiz.questions.length) {
    for (var i = 0; i < quiz.questions.length; i++) { restore(fieldsets[i], quiz.questions[i], stored.last[i]); }
    var total = grade(stored.last);
    setLocked(true, stored.last);
    showTotal(total, stored, false);
  } else {
    showLastAttempt();
  }
}());
