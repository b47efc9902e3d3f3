/* A page of a SCORM package, shown in the frame of the package's launch page (scorm-host.js), which alone
   talks to the LMS: this script tells it that a sequence was viewed and what its quiz's attempts were, and
   gives the quiz the LMS's record of the learner's last attempt (it replaces what this browser kept). Links
   to other sites open in a new window, so that the LMS's frame keeps the course. Without the launch page
   (the page opened on its own) it does nothing: the page behaves as on the website.
   With each attempt it passes the quiz's questions and what the page shows of them (quiz-texts.js), for the
   attempt's interactions. Runs after progress-store.js, scorm-codec.js and quiz-texts.js, before quiz.js
   (deferred scripts run in order). */
(function () {
  "use strict";

  // Links out of the package: a new window (the LMS frame stays on the course); never the opener.
  function external(link) {
    return /^(https?:)?\/\//i.test(link.getAttribute("href") || "") || /^mailto:/i.test(link.getAttribute("href") || "");
  }
  function markLinks() {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      if (external(links[i])) {
        links[i].target = "_blank";
        links[i].rel = ((links[i].rel || "") + " noopener").trim();
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", markLinks); } else { markLinks(); }

  function findHost() {
    var win = window;
    for (var depth = 0; depth < 7; depth++) {
      var parent;
      try { parent = win.parent; } catch (error) { return null; }
      if (!parent || parent === win) { return null; }
      try { if (parent.MoocScormHost) { return parent.MoocScormHost; } } catch (error) { return null; }
      win = parent;
    }
    return null;
  }

  var host = findHost();
  var progress = window.MoocProgress, codec = window.MoocScormCodec;
  var page = progress && progress.readConfig("mooc-page");
  if (!host || !page || !page.sequence || !codec) { return; }

  try { host.viewed(page.sequence); } catch (error) { /* never break the page */ }

  var quiz = progress.readConfig("mooc-quiz");
  var kept;
  try { kept = host.record(page.sequence); } catch (error) { kept = undefined; }
  if (quiz && kept !== undefined) { // undefined: no LMS (yet), the browser's record stays
    var restored = codec.forQuiz(kept, quiz);
    var hashes = {};
    hashes[page.sequence] = quiz.hash;
    page.quizHashes = hashes;
    try {
      // The LMS knows the learner: its record replaces whatever this browser kept for the quiz.
      progress.open(page).update(function (state) {
        if (restored) { state.quizzes[page.sequence] = restored; } else { delete state.quizzes[page.sequence]; }
      });
    } catch (error) { /* the quiz then starts afresh */ }
  }

  window.MoocScorm = {
    get version() { return host.version; }, // null until the launch page found the LMS
    quizResult: function (record, quiz) {
      var details;
      try {
        var texts = window.MoocQuizTexts ? window.MoocQuizTexts.read(quiz.questions).questions : [];
        details = JSON.stringify({ hash: quiz.hash, questions: quiz.questions, texts: texts });
      } catch (error) { details = undefined; } // the attempt still counts, without its interactions
      try { host.quizResult(page.sequence, record, details); } catch (error) { /* never break the quiz */ }
    }
  };
}());
