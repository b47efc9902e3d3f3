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

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function number(value) {
    var text = String(Math.round(value * 100) / 100);
    return page.decimal === "," ? text.replace(".", ",") : text;
  }

  function responseOf(fieldset, question) {
    var inputs = fieldset.querySelectorAll("input");
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

  function restore(fieldset, question, response) {
    var inputs = fieldset.querySelectorAll("input");
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
    var label = response === null ? messages.unanswered : messages[state];
    box.textContent = (full ? "✓ " : (earned > 0 ? "◐ " : "✗ ")) + label + messages.colon + " " +
      format(messages.points, { earned: number(earned), max: number(question.points) });
    box.className = "question-result result-" + state;
    box.hidden = false;
    fieldset.setAttribute("data-result", state);
    var feedback = fieldset.querySelectorAll(".choice-feedback");
    var inputs = fieldset.querySelectorAll("input");
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
      fieldset.querySelector(".question-result").hidden = true;
      fieldset.removeAttribute("data-result");
      var details = fieldset.querySelector("details.answer");
      if (details) { details.open = false; details.hidden = true; }
      var feedback = fieldset.querySelectorAll(".choice-feedback");
      for (var j = 0; j < feedback.length; j++) { feedback[j].hidden = true; }
    }
    result.hidden = true;
  }

  function setDisabled(disabled) {
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) { inputs[i].disabled = disabled; }
    submit.hidden = disabled;
  }

  function showTotal(earned, record) {
    var text = format(messages.total, { earned: number(earned), max: number(quiz.points),
                                        percent: Math.round(100 * earned / (quiz.points || 1)) });
    if (record.n > 1 || record.best > earned) {
      text += " " + format(messages.best, { best: number(record.best) });
    }
    var left = quiz.max_attempts > 0 ? quiz.max_attempts - record.n : -1;
    if (left === 0) { text += " " + messages.no_attempts_left; }
    else if (left > 0) { text += " " + format(messages.attempts_left, { n: left }); }
    result.textContent = text;
    result.hidden = false;
    setDisabled(true);
    retry.hidden = left === 0;
  }

  function grade(responses) {
    var total = 0;
    for (var i = 0; i < quiz.questions.length; i++) {
      var earned = window.MoocScoring.score(quiz.questions[i], responses[i]);
      total += earned;
      showQuestion(fieldsets[i], quiz.questions[i], responses[i], earned);
    }
    return window.MoocScoring.round(total);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var responses = [];
    for (var i = 0; i < quiz.questions.length; i++) { responses.push(responseOf(fieldsets[i], quiz.questions[i])); }
    var total = grade(responses);
    var record = null;
    var kept = store.update(function (state) {
      var old = state.quizzes[page.sequence];
      var attempts = old ? old.n + 1 : 1;
      record = { h: quiz.hash, n: attempts, best: Math.max(total, old ? old.best : 0), max: quiz.points,
                 last: responses };
      state.quizzes[page.sequence] = record;
      state.seen[page.sequence] = 1;
    });
    if (!kept) { notice.hidden = false; }
    // In an LMS (SCORM package), the runtime adapter reports the attempt; on the website it is absent.
    if (window.MoocScorm) { window.MoocScorm.quizResult(record, quiz); }
    // In a cmi5 package, the page tells its AU (cmi5-page.js), which sends the statements.
    if (window.MoocCmi5) { window.MoocCmi5.quizResult(record, quiz); }
    showTotal(total, record);
    result.focus();
  });

  retry.addEventListener("click", function () {
    hideResults();
    setDisabled(false);
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
    showTotal(grade(stored.last), stored);
  }
}());
