/* A page inside a cmi5 package (`mooc export cmi5`), shown in the frame of an AU's launch page (cmi5.js): links out
   of the package open in a new window, so that the AU's frame stays on the course; on a sequence page, it tells the
   AU that the learner viewed the sequence and what they answered to its quiz, with the questions' texts for the
   "answered" statements. Without a launch page around it (the page opened alone), it does nothing: the page
   behaves as on the website. On a sequence page it runs after progress-store.js and quiz-texts.js; quiz.js calls
   window.MoocCmi5.quizResult after each attempt. */
(function () {
  "use strict";
  var session = null;
  try {
    session = window.parent !== window ? window.parent.MoocCmi5Session || null : null;
  } catch (error) {
    session = null; // a frame of another site: not our AU
  }
  if (!session) { return; }

  var links = document.querySelectorAll("a[href]");
  for (var k = 0; k < links.length; k++) {
    if (/^https?:$/.test(links[k].protocol) && links[k].origin !== window.location.origin && !links[k].target) {
      links[k].target = "_blank";
      links[k].rel = "noopener";
    }
  }

  var page = window.MoocProgress && window.MoocProgress.readConfig("mooc-page");
  if (!page || !page.sequence) { return; }

  /* What a statement says of each question: its prompt and the labels of what the learner picks from, as the
     learner read them (quiz-texts.js). */
  function texts(quiz) {
    try { return window.MoocQuizTexts.read(quiz.questions); } catch (error) { return { questions: [] }; }
  }

  // Data crosses to the launch page's window as JSON: nothing of this page is kept once it is left.
  session.viewed(page.sequence);
  window.MoocCmi5 = {
    quizResult: function (record, quiz) {
      try {
        session.quizResult(JSON.stringify({ sequence: page.sequence, record: record, quiz: quiz,
                                            texts: texts(quiz) }));
      } catch (error) { /* never break the quiz */ }
    }
  };
}());
