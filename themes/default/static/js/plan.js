/* The course plan with the learner's progress, on the course page and on a module's page: each listed sequence
   marked viewed / quiz done (in words, for screen readers, not only by a sign), each module's state, how many
   sequences were viewed, the "Start" link turned into "Resume where I left off" (to the first sequence not
   viewed or whose quiz is not done), and on the course page the certificate's state.
   Without this script the page is the plain list and the link goes to the first sequence. */
(function () {
  "use strict";
  var P = window.MoocProgress;
  var page = P && P.coursePage();
  if (!page) { return; }
  var course = page.course, messages = page.messages, state = page.store.read();

  function n(value) { return P.formatNumber(value, course.decimal); }

  /* A message with a count: its forms by plural category, the one the count takes (plural.js). */
  function counted(forms, count, values) {
    return P.format(window.MoocPlural.pick(forms, count), values);
  }

  function isFinished(id) {
    return state.seen[id] === 1 && (!course.quizzes[id] || Boolean(state.quizzes[id]));
  }

  var items = document.querySelectorAll("li[data-sequence]");
  var viewed = 0, started = false, resume = null;
  for (var i = 0; i < items.length; i++) {
    var id = items[i].getAttribute("data-sequence");
    var quiz = course.quizzes[id], record = state.quizzes[id];
    var seen = state.seen[id] === 1;
    var marks = [];
    if (seen) { marks.push(messages.viewed); viewed++; }
    if (quiz && record) {
      marks.push(quiz.graded ? P.format(messages.quiz_score, { score: n(record.best), points: n(quiz.points) })
                             : messages.quiz_done);
    }
    started = started || marks.length > 0;
    var mark = items[i].querySelector(".plan-mark");
    if (mark) { mark.textContent = marks.length ? "(" + marks.join(", ") + ")" : ""; }
    items[i].classList.toggle("plan-seen", seen);
    if (!resume && !isFinished(id)) { resume = items[i]; }
  }

  var modules = document.querySelectorAll("[data-plan-module]");
  for (var m = 0; m < modules.length; m++) {
    var inModule = modules[m].querySelectorAll("li[data-sequence]");
    var moduleViewed = 0, moduleFinished = 0;
    for (var s = 0; s < inModule.length; s++) {
      var key = inModule[s].getAttribute("data-sequence");
      if (state.seen[key] === 1) { moduleViewed++; }
      if (isFinished(key)) { moduleFinished++; }
    }
    var moduleMark = modules[m].querySelector(".plan-module-mark");
    if (!moduleMark || !inModule.length) { continue; }
    if (moduleFinished === inModule.length) {
      moduleMark.textContent = "(" + messages.module_done + ")";
    } else if (moduleViewed > 0) {
      moduleMark.textContent = "(" + counted(messages.viewed_of, moduleViewed,
                                             { n: moduleViewed, total: inModule.length }) + ")";
    }
  }

  var summary = document.querySelector(".plan-summary");
  if (summary && items.length) {
    summary.textContent = counted(messages.viewed_of, viewed, { n: viewed, total: items.length });
    summary.hidden = false;
  }

  var button = document.querySelector(".plan-resume");
  if (button && started) {
    var target = resume || items[0];
    var link = target && target.querySelector("a[href]");
    if (link) {
      button.setAttribute("href", link.getAttribute("href"));
      button.textContent = resume ? messages.resume : messages.again;
    }
  }

  var certificate = document.querySelector(".plan-certificate");
  if (certificate && course.total) {
    var total = P.summary(course, state);
    certificate.textContent = total.passed ? messages.certificate_reached
                                           : counted(messages.certificate_missing, total.missing, { n: n(total.missing) });
    certificate.hidden = false;
  }
}());
