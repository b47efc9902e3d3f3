/* The progress page: what the learner has viewed and scored, the total against the pass mark,
   reset, and saving to / loading from a file to move between devices (not in Kolibri: the page has no such
   buttons there, Kolibri keeps the progress with the learner's account). */
(function () {
  "use strict";
  var P = window.MoocProgress;
  var page = P.coursePage();
  if (!page) { return; }
  var course = page.course, messages = page.messages, store = page.store;
  var summaryBox = document.querySelector(".progress-summary");
  var messageBox = document.querySelector(".progress-message");
  var saveButton = document.querySelector(".progress-save");
  var loadInput = document.querySelector(".progress-load");
  var fileName = document.getElementById("progress-file-name");
  var resetButton = document.querySelector(".progress-reset");
  function n(value) { return P.formatNumber(value, course.decimal); }

  function render() {
    var state = store.read();
    var rows = document.querySelectorAll("tr[data-sequence]");
    for (var i = 0; i < rows.length; i++) {
      var id = rows[i].getAttribute("data-sequence");
      var quiz = course.quizzes[id], record = state.quizzes[id];
      rows[i].querySelector(".cell-seen").textContent = state.seen[id] ? "✓ " + messages.seen : messages.not_seen;
      if (quiz) {
        rows[i].querySelector(".cell-quiz").textContent = record ? "✓ " + P.format(messages.done, { n: record.n })
                                                                 : messages.todo;
        rows[i].querySelector(".score-value").textContent = (record ? n(record.best) : "—") + " / " + n(quiz.points);
      }
    }
    var total = P.summary(course, state);
    var text = P.format(messages.summary, { earned: n(total.earned), total: n(total.total),
                                            percent: total.percent, mark: total.mark });
    text += " " + (total.passed ? messages.passed : P.format(window.MoocPlural.pick(messages.missing, total.missing), { n: n(total.missing) }));
    summaryBox.textContent = text;
  }

  function say(text) { messageBox.textContent = text; }

  var needsJs = document.querySelector(".needs-js");
  if (needsJs) { needsJs.hidden = true; }
  if (!store.persistent()) { document.querySelector(".progress-storage").hidden = false; }
  render();
  if (!resetButton) { return; }

  saveButton.addEventListener("click", function () {
    var today = new Date().toISOString().slice(0, 10);
    var blob = new Blob([JSON.stringify(store.exportFile(today), null, 1)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "progression-" + course.course + "-" + today + ".json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  });

  loadInput.addEventListener("change", function () {
    var file = loadInput.files && loadInput.files[0];
    if (!file) { return; }
    fileName.textContent = file.name;  // the picker's own text is out of sight
    var reader = new FileReader();
    reader.onload = function () {
      var parsed = store.parseFile(String(reader.result));
      loadInput.value = "";
      if (parsed.error) { say(messages[parsed.error]); return; }
      if (!window.confirm(messages.confirm_load)) { return; }
      store.write(parsed.state);
      render();
      say(messages.loaded);
    };
    reader.onerror = function () { say(messages.corrupt); };
    reader.readAsText(file);
  });

  resetButton.addEventListener("click", function () {
    if (!window.confirm(messages.confirm_reset)) { return; }
    store.clear();
    render();
    say(messages.reset_done);
  });

  saveButton.disabled = false;
  loadInput.disabled = false;
  resetButton.disabled = false;
}());
