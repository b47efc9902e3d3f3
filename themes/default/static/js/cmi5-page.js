/* A page inside a cmi5 package (`mooc export cmi5`), shown in the frame of an AU's launch page (cmi5.js): links out
   of the package open in a new window, so that the AU's frame stays on the course; on a sequence page, it tells the
   AU that the learner viewed the sequence and what they answered to its quiz, with the questions' texts for the
   "answered" statements. Without a launch page around it (the page opened alone), it does nothing: the page
   behaves as on the website. On a sequence page it runs after progress-store.js; quiz.js calls
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

  function text(element) { return element ? element.textContent.replace(/\s+/g, " ").trim() : ""; }

  /* What a statement says of each question: its prompt and its choices' labels, as the learner read them. */
  function questionTexts(count) {
    var form = document.querySelector("form.quiz");
    var texts = [];
    for (var i = 1; i <= count; i++) {
      var labels = [];
      var fieldset = document.getElementById("q" + i);
      var inputs = fieldset ? fieldset.querySelectorAll("ul.choices input") : [];
      for (var j = 0; j < inputs.length; j++) {
        labels.push(text(fieldset.querySelector("label[for='" + inputs[j].id + "']")));
      }
      texts.push({ prompt: text(document.getElementById("q" + i + "-prompt")), choices: labels });
    }
    return { title: text(form && form.querySelector("#quiz-title")), questions: texts };
  }

  // Data crosses to the launch page's window as JSON: nothing of this page is kept once it is left.
  session.viewed(page.sequence);
  window.MoocCmi5 = {
    quizResult: function (record, quiz) {
      try {
        session.quizResult(JSON.stringify({ sequence: page.sequence, record: record, quiz: quiz,
                                            texts: questionTexts(quiz.questions.length) }));
      } catch (error) { /* never break the quiz */ }
    }
  };
}());
