/* Quiz scoring rules (and scoring-parts.js), mirrored by model/scoring.py and tested on the same cases. */
(function () {
  "use strict";
  var PRECISION = 10000;
  var kinds = {};

  function normaliseText(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "")
      .toLowerCase().replace(/ß/g, "ss").replace(/\s+/g, "");
  }

  function parseNumber(text) {
    var cleaned = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(/,/g, ".");
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(cleaned)) { return null; }
    return parseFloat(cleaned);
  }

  function round(value) { return Math.floor(value * PRECISION + 0.5) / PRECISION; }

  function score(question, response) {
    var points = Number(question.points);
    if (response === null || response === undefined) { return 0; }
    switch (question.type) {
      case "single":
        return question.correct.length === 1 && question.correct[0] === response ? points : 0;
      case "multiple": {
        var picked = {}, right = 0, wrong = 0, i;
        for (i = 0; i < response.length; i++) { picked[Number(response[i])] = true; }
        var correct = {};
        for (i = 0; i < question.correct.length; i++) { correct[question.correct[i]] = true; }
        Object.keys(picked).forEach(function (key) { if (correct[key]) { right++; } else { wrong++; } });
        if (!question.partial) {
          return right === question.correct.length && wrong === 0 ? points : 0;
        }
        return round(Math.max(0, points * (right - wrong) / question.correct.length));
      }
      case "true_false":
        return response === question.answer ? points : 0;
      case "text": {
        var given = normaliseText(response);
        if (!given) { return 0; }
        for (var a = 0; a < question.answers.length; a++) {
          if (normaliseText(question.answers[a]) === given) { return points; }
        }
        return 0;
      }
      case "numeric": {
        var number = parseNumber(response);
        if (number === null) { return 0; }
        return Math.abs(number - question.answer) <= question.tolerance + 1e-9 ? points : 0;
      }
      default:
        if (!kinds.hasOwnProperty(question.type)) { throw new Error("unknown question type " + question.type); }
        return kinds[question.type](question, response, points);
    }
  }

  function passed(earned, total, num, den) {
    return total > 0 && earned * den >= total * num - 1e-9;
  }

  window.MoocScoring = { score: score, passed: passed, normaliseText: normaliseText, parseNumber: parseNumber,
                         round: round, kinds: kinds };
}());
