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
  var last = form.querySelector(".quiz-last");
  // Once scored: read-only, not disabled (greyed, untabbable).
  var locked = false;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  var plural = window.MoocPlural.pick;

  function number(value) {
    var text = String(Math.round(value * 100) / 100);
    return page.decimal === "," ? text.replace(".", ",") : text;
  }

  // Matching, cloze: a list, one per select or blank (null: left empty); ordering: the items' first places in
  // the learner's order; hotspot: a radio button (hotspot.js).
  function fieldsOf(fieldset) { return fieldset.querySelectorAll("select, .cloze input"); }

  function itemsOf(fieldset) { return fieldset.querySelectorAll("li[data-position]"); }

  function responseOf(fieldset, question) {
    if (question.type === "ordering") {
      return Array.prototype.map.call(itemsOf(fieldset), function (li) { return Number(li.getAttribute("data-position")); });
    }
    if (/^(matching|cloze)$/.test(question.type)) {
      return Array.prototype.map.call(fieldsOf(fieldset), function (field) {
        return field.value.trim() === "" ? null : (field.tagName === "SELECT" ? Number(field.value) : field.value);
      });
    }
    var inputs = fieldset.querySelectorAll("input"), value = inputs[0].value, picked = [];
    if (inputs[0].type === "text") { return value.trim() === "" ? null : value; }
    fieldset.querySelectorAll("input:checked").forEach(function (input) {
      picked.push(question.type === "true_false" ? input.value === "true" : Number(input.value));
    });
    return question.type === "multiple" ? picked : (picked.length ? picked[0] : null);
  }

  function responses() {
    return quiz.questions.map(function (question, i) { return responseOf(fieldsets[i], question); });
  }

  function answered(response) {
    return Array.isArray(response) ? response.some(function (part) { return part !== null; }) : response != null;
  }

  function restore(fieldset, question, response) {
    var inputs = fieldset.querySelectorAll("input"), type = question.type, list = Array.isArray(response) ? response : [];
    if (type === "ordering") {
      list.forEach(function (position) {
        Array.prototype.forEach.call(itemsOf(fieldset), function (li) {
          if (li.getAttribute("data-position") === String(position)) { li.parentNode.appendChild(li); }
        });
      });
      return;
    }
    if (/^(matching|cloze)$/.test(type)) {
      fieldsOf(fieldset).forEach(function (field, k) { field.value = list[k] == null ? "" : String(list[k]); });
      return;
    }
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "text") { input.value = response === null || response === undefined ? "" : String(response); }
      else if (type === "multiple") { input.checked = Array.isArray(response) && response.indexOf(Number(input.value)) >= 0; }
      else { input.checked = response !== null && String(response) === input.value; }
    }
    fieldset.dispatchEvent(new Event("change"));  // hotspot.js shows the zone picked
  }

  function showQuestion(fieldset, question, response, earned) {
    var box = fieldset.querySelector(".question-result");
    var full = earned >= question.points - 1e-9;
    var state = full ? "right" : (earned > 0 ? "partial" : "wrong");
    var label = answered(response) ? messages[state] : messages.unanswered;
    // Words and a sign, not a colour alone.
    box.textContent = (full ? "✓ " : (earned > 0 ? "◐ " : "✗ ")) + label + messages.colon + " " +
      format(plural(messages.points, question.points), { earned: number(earned), max: number(question.points) });
    box.className = "question-result result-" + state;
    box.hidden = false;
    fieldset.setAttribute("data-result", state);
    fieldset.querySelectorAll(".choice-feedback").forEach(function (feedback) {
      feedback.hidden = !fieldset.querySelector("input[value='" + feedback.getAttribute("data-choice") + "']:checked");
    });
    var details = fieldset.querySelector("details.answer");
    if (details) { details.hidden = false; details.open = true; }
  }

  function hideResults() {
    fieldsets.forEach(function (fieldset) {
      var box = fieldset.querySelector(".question-result"), details = fieldset.querySelector("details.answer");
      box.hidden = true;
      box.textContent = "";  // hidden, it still describes
      fieldset.removeAttribute("data-result");
      if (details) { details.open = false; details.hidden = true; }
      fieldset.querySelectorAll(".choice-feedback").forEach(function (feedback) { feedback.hidden = true; });
    });
    result.textContent = "";
  }

  function isLastAttempt() {
    var record = store.read().quizzes[page.sequence];
    return quiz.max_attempts > 0 && quiz.max_attempts - (record ? record.n : 0) === 1;
  }

  function setLocked(value) {
    locked = value;
    form.classList.toggle("quiz-locked", value);
    form.querySelectorAll("input, select, [data-zone]").forEach(function (input) {
      if (input.type === "text") { input.readOnly = value; }
      else if (value) { input.setAttribute("aria-disabled", "true"); }
      else { input.removeAttribute("aria-disabled"); }
    });
    submit.hidden = value;
    last.hidden = value || !isLastAttempt();
    if (last.hidden) { submit.removeAttribute("aria-describedby"); }
    else { submit.setAttribute("aria-describedby", last.id); }
  }

  // A locked choice does not change: no click (nor Space, nor its label) nor arrow key; nor a select.
  form.addEventListener("click", function (event) {
    if (locked && /^(radio|checkbox)$/.test(event.target.type)) { event.preventDefault(); }
  }, true);
  form.addEventListener("keydown", function (event) {
    var type = event.target.type;
    if (locked && (type === "radio" && /^Arrow/.test(event.key) || /^select/.test(type) && event.key !== "Tab")) {
      event.preventDefault();
    }
  }, true);
  form.addEventListener("mousedown", function (event) {
    if (locked && /^select/.test(event.target.type)) { event.preventDefault(); }
  }, true);

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
    // Focus, then text: heard once, as news. A restored attempt is not news.
    result.setAttribute("aria-live", announce ? "polite" : "off");
    result.textContent = announce ? "" : text;
    if (announce) {
      result.focus();
      window.setTimeout(function () { result.textContent = text; }, 50);
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
    // In a Kolibri channel, kolibri.js reports the course's score to Kolibri.
    if (window.MoocKolibri) { window.MoocKolibri.quizResult(record, quiz); }
    setLocked(true);
    showTotal(total, record, true);
  }

  function unanswered() {
    var blank = [];
    responses().forEach(function (response, i) { if (!answered(response)) { blank.push(i); } });
    return blank;
  }

  // Checked on the button's click, which also comes from Enter in a field (implicit submission), and which
  // cancels the submission: in a frame sandboxed without allow-forms (Kolibri) no submit event ever comes.
  // The submit event stays for a form submitted otherwise (requestSubmit).
  submit.addEventListener("click", check);
  form.addEventListener("submit", check);

  function check(event) {
    event.preventDefault();
    if (locked) { return; }  // Enter in a read-only field
    var blank = unanswered();
    if (!blank.length) { scoreNow(); return; }
    // Blanks: ask first; nothing is scored nor counted until confirmed.
    form.querySelector("#quiz-confirm-text").textContent = format(plural(messages.blank, blank.length),
      { n: blank.length }) + (isLastAttempt() ? " " + last.textContent : "");
    ask.hidden = false;
    ask.focus();
  }

  ask.querySelector(".quiz-confirm-yes").addEventListener("click", scoreNow);
  ask.querySelector(".quiz-confirm-no").addEventListener("click", function () {
    ask.hidden = true;
    var blank = unanswered();
    (blank.length ? fieldsets[blank[0]] : form).querySelector("input, select, [data-zone]").focus();
  });

  retry.addEventListener("click", function () {
    hideResults();
    setLocked(false);
    retry.hidden = true;
    form.querySelector("input, select, .order li:first-child .down, [data-zone]").focus();
  });

  // Start: the form is usable, answers hidden until checked; a stored attempt is shown again.
  form.classList.add("quiz-ready");
  hideResults();
  setLocked(false);
  if (!store.persistent()) { notice.hidden = false; }
  var stored = store.read().quizzes[page.sequence];
  if (stored && stored.last.length === quiz.questions.length) {
    for (var i = 0; i < quiz.questions.length; i++) { restore(fieldsets[i], quiz.questions[i], stored.last[i]); }
    var total = grade(stored.last);
    setLocked(true);
    showTotal(total, stored, false);
  }
}());
