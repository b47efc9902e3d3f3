/* The scoring of matching, ordering, cloze and hotspot questions, mirrored by mooc_builder/model/scoring.py and
   tested on the same cases. Added to scoring.js (run after it) by the pages whose quiz asks one of these types,
   so that the others do not carry it. Responses name positions in the order the page shows things
   (mooc_builder/model/questions.py): a matching, each left side's option (null: none); an ordering, the items'
   positions in the learner's order; a cloze, each blank's text or option; a hotspot, the zone (-1: none). */
(function () {
  "use strict";
  var scoring = window.MoocScoring, round = scoring.round, normaliseText = scoring.normaliseText;

  function isIndex(value) { return typeof value === "number" && isFinite(value) && value >= 0 && value % 1 === 0; }

  function blankRight(blank, given) {
    if (blank.options !== undefined) { return isIndex(given) && given === blank.correct; }
    if (typeof given !== "string") { return false; }
    var text = normaliseText(given);
    if (!text) { return false; }
    for (var a = 0; a < blank.answers.length; a++) {
      if (normaliseText(blank.answers[a]) === text) { return true; }
    }
    return false;
  }

  /* The most items that ``given`` puts side by side as the right order has them. */
  function longestRun(given, correct) {
    var rank = {}, best = 0, run = 0, k;
    for (k = 0; k < correct.length; k++) { rank[correct[k]] = k; }
    for (k = 0; k < given.length; k++) {
      var follows = k > 0 && rank.hasOwnProperty(given[k - 1]) && rank.hasOwnProperty(given[k]) &&
        rank[given[k]] === rank[given[k - 1]] + 1;
      run = follows ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return best;
  }

  /* Matching, ordering, cloze: a list of answers; all right, or (partial) points in proportion. */
  function scoreParts(question, response, points) {
    var size = question.type === "cloze" ? question.blanks.length : question.correct.length, right = 0, k;
    if (!Array.isArray(response) || response.length !== size || size === 0) { return 0; }
    if (question.type === "ordering") {
      var seen = {};
      for (k = 0; k < size; k++) {
        if (!isIndex(response[k]) || response[k] >= size || seen[response[k]]) { return 0; }
        seen[response[k]] = true;
      }
      right = longestRun(response, question.correct);
      if (right === size) { return points; }
      // A run of one item is no knowledge of the order: every shuffle has one.
      return question.partial && right >= 2 ? round(points * right / size) : 0;
    }
    for (k = 0; k < size; k++) {
      if (question.type === "matching" ? response[k] === question.correct[k] && isIndex(response[k])
        : blankRight(question.blanks[k], response[k])) { right++; }
    }
    if (right === size) { return points; }
    return question.partial ? round(points * right / size) : 0;
  }

  scoring.kinds.matching = scoreParts;
  scoring.kinds.ordering = scoreParts;
  scoring.kinds.cloze = scoreParts;
  scoring.kinds.hotspot = function (question, response, points) {
    return isIndex(response) && question.correct.indexOf(response) >= 0 ? points : 0;
  };
  scoring.longestRun = longestRun;
}());
