/* The certificate page: unlocked exactly when graded points / total graded points reach the pass mark. */
(function () {
  "use strict";
  var P = window.MoocProgress;
  var page = P.coursePage();
  if (!page) { return; }
  var course = page.course, messages = page.messages, store = page.store;
  var total = P.summary(course, store.read());
  function n(value) { return P.formatNumber(value, course.decimal); }
  var values = { earned: n(total.earned), total: n(total.total), needed: n(total.needed),
                 missing: n(total.missing), percent: total.percent, mark: total.mark };
  var locked = document.querySelector(".certificate-locked");
  var unlocked = document.querySelector(".certificate-unlocked");
  var sheet = document.querySelector(".certificate-sheet");
  document.querySelector(".needs-js").hidden = true;

  if (!total.passed) {
    locked.querySelector(".certificate-status").textContent =
      course.total ? P.format(messages.locked, values) + " " +
        P.format(window.MoocPlural.pick(messages.missing, total.missing), { n: values.missing }) : messages.no_quiz;
    locked.hidden = false;
    return;
  }
  unlocked.querySelector(".certificate-status-ok").textContent = P.format(messages.unlocked, values);
  unlocked.hidden = false;
  sheet.hidden = false;
  var name = document.getElementById("learner-name");
  var date = new Date();
  var dateText;
  try {
    dateText = date.toLocaleDateString(document.documentElement.lang, { day: "numeric", month: "long", year: "numeric" });
  } catch (error) {
    dateText = date.toISOString().slice(0, 10);
  }
  sheet.querySelector(".sheet-score").textContent = P.format(messages.score, values);
  sheet.querySelector(".sheet-date").textContent = P.format(messages.date, { date: dateText });
  function showName() { sheet.querySelector(".sheet-name").textContent = name.value.trim() || "…"; }
  name.addEventListener("input", showName);
  showName();
  var print = document.querySelector(".certificate-print");  // none in Kolibri, whose sandbox cannot print
  if (!print) { return; }
  print.addEventListener("click", function () {
    if (!name.value.trim()) {
      unlocked.querySelector(".certificate-status-ok").textContent = messages.name_missing;
      name.focus();
      return;
    }
    window.print();
  });
}());
