/* A quiz's question and a learner's response in the words of the systems a package reports to: SCORM 2004
   (4th edition, RTE 4.1.6: cmi.interactions) and xAPI's cmi.interaction activities, which share their
   characterstrings, and SCORM 1.2 (RTE 3.4.2.7). Loaded by the launch pages of SCORM and cmi5 packages, after
   scoring.js (and scoring-parts.js when a quiz asks matching, ordering, cloze or hotspot questions).

   What the learner picks from is named by its position in the order the page shows it (0, 1, 2... for SCORM
   2004 and xAPI; the same as single characters 0-9 then a-z for SCORM 1.2, which allows nothing else): a
   choice, a matching's left side (its source) and option (its target), an ordering's item, a hotspot's zone
   in SCORM 1.2. Texts are the learner's own (a text, a cloze's text blank) or what the page showed (a cloze's
   select option, a hotspot's zone label in SCORM 2004 and xAPI, whose type "other" has no identifiers): nothing
   the learner did not see, no written order.

   describe(question, response, texts, target) -> {type, patterns, response, earned, result}
     question: the page's mooc-quiz question (model/scoring.py question_data); response: the learner's (null
     unanswered); texts: what the page showed ({prompt, choices, lefts, options, items, blanks, zones}, each
     optional: cmi5-page.js and scorm.js read them from the page, quiz-texts.js); target: "2004", "1.2" or
     "xapi". ``response`` is null when there is nothing to report (unanswered); ``result``: "correct",
     "incorrect" ("wrong" in 1.2) or, for partial credit, the points earned (the interaction's weighting is
     the question's points). */
(function () {
  "use strict";
  var scoring = window.MoocScoring;
  var RESERVED = /\[([,.:])\]/g; // SCORM 2004's delimiters: a text must not hold one

  function isIndex(value) { return typeof value === "number" && isFinite(value) && value >= 0 && value % 1 === 0; }

  function cut(text, max) {
    if (text.length <= max) { return text; }
    var end = max, code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) { end -= 1; } // not half a surrogate pair
    return text.slice(0, end);
  }

  /* A text as a node of a SCORM 2004 / xAPI characterstring: one line, no delimiter in it, not starting with
     "{" (read as a {lang=}, {case_matters=} delimiter), at most 250 characters (a localized string's SPM). */
  function text2004(value) {
    var text = String(value).replace(/\s+/g, " ").trim().replace(RESERVED, "($1)").replace(/^\{/, "(");
    return cut(text, 250);
  }

  /* SCORM 1.2: a CMIString255, one line. */
  function text12(value) { return cut(String(value).replace(/\s+/g, " ").trim(), 255); }

  function symbol(position, v12) { return v12 && position < 36 ? position.toString(36) : String(position); }

  /* Nodes of a list, joined as the version joins them. */
  function join(nodes, v12) { return nodes.join(v12 ? "," : "[,]"); }

  function names(positions, v12) { return join(positions.map(function (k) { return symbol(k, v12); }), v12); }

  function label(list, position) {
    return Array.isArray(list) && typeof list[position] === "string" && list[position].trim() ? list[position] : null;
  }

  function number(value) { return String(Number(Number(value).toPrecision(12))); }

  function answered(response) {
    if (response === null || response === undefined) { return false; }
    if (!Array.isArray(response)) { return true; }
    return response.some(function (part) { return part !== null && part !== undefined; });
  }

  /* A cloze's blank as the learner filled it, or as it is right: a text, or a select's option shown at
     ``position`` (its text when the page gave it). */
  function blankText(blank, options, given) {
    if (given === null || given === undefined) { return ""; }
    if (blank.options === undefined) { return typeof given === "string" ? given : ""; }
    return isIndex(given) ? (label(options, given) || String(given)) : "";
  }

  /* The type, the right responses and the learner's, by question type. */
  var KINDS = {
    single: function (q, r, t, v12) {
      return { type: "choice", patterns: [names(q.correct, v12)], response: isIndex(r) ? symbol(r, v12) : null };
    },
    multiple: function (q, r, t, v12) {
      var sorted = Array.isArray(r) ? r.filter(isIndex).sort(function (a, b) { return a - b; }) : [];
      // 1.2: in braces, every one of them is to be picked (RTE 3.4.2.7.6.1).
      return { type: "choice", patterns: [v12 ? "{" + names(q.correct, v12) + "}" : names(q.correct, v12)],
               response: sorted.length ? names(sorted, v12) : null };
    },
    true_false: function (q, r, t, v12) {
      function word(value) { return v12 ? (value ? "t" : "f") : String(value); }
      return { type: "true-false", patterns: [word(q.answer)], response: typeof r === "boolean" ? word(r) : null };
    },
    text: function (q, r, t, v12) {
      // The text type compares without case, accents nor spaces: case_matters=false says the first.
      return { type: "fill-in", patterns: q.answers.map(function (a) {
        return v12 ? text12(a) : "{case_matters=false}" + text2004(a);
      }), response: typeof r === "string" ? (v12 ? text12(r) : text2004(r)) : null };
    },
    numeric: function (q, r, t, v12, target) {
      var given = typeof r === "string" ? scoring.parseNumber(r) : null;
      var decimal = given === null ? null : number(given);
      if (decimal !== null && /e/i.test(decimal)) { decimal = null; } // too large or small for a SCORM decimal
      // 1.2's pattern is one number: the answer, its tolerance left unsaid.
      var pattern = v12 || !q.tolerance ? number(q.answer) :
        number(q.answer - q.tolerance) + "[:]" + number(q.answer + q.tolerance);
      // What is not a number is said as typed in xAPI (a string); SCORM's learner_response is a decimal.
      return { type: "numeric", patterns: [pattern],
               response: decimal !== null ? decimal : (target === "xapi" && typeof r === "string" ? r : null) };
    },
    matching: function (q, r, t, v12) {
      function pairs(list) {
        var out = [];
        for (var k = 0; k < list.length; k++) {
          if (isIndex(list[k])) { out.push(symbol(k, v12) + (v12 ? "." : "[.]") + symbol(list[k], v12)); }
        }
        return join(out, v12);
      }
      var given = Array.isArray(r) ? pairs(r) : "";
      return { type: "matching", patterns: [v12 ? "{" + pairs(q.correct) + "}" : pairs(q.correct)],
               response: given === "" ? null : given };
    },
    ordering: function (q, r, t, v12) {
      return { type: "sequencing", patterns: [names(q.correct, v12)],
               response: Array.isArray(r) && r.length && r.every(isIndex) ? names(r, v12) : null };
    },
    cloze: function (q, r, t, v12) {
      var blanks = Array.isArray(t.blanks) ? t.blanks : [];
      function node(value) { return v12 ? text12(value) : text2004(value); }
      var right = q.blanks.map(function (blank, k) {
        return node(blank.options === undefined ? blank.answers[0] : blankText(blank, blanks[k], blank.correct));
      });
      var given = Array.isArray(r) && r.length === q.blanks.length ? q.blanks.map(function (blank, k) {
        return node(blankText(blank, blanks[k], r[k]));
      }) : null;
      return { type: "fill-in", patterns: [(v12 ? "" : "{case_matters=false}") + join(right, v12)],
               response: given && answered(r) ? join(given, v12) : null };
    },
    hotspot: function (q, r, t, v12, target) {
      // No "other" in 1.2: a hotspot is one pick among the zones the page also lists; each right one alone is right.
      if (v12) {
        return { type: "choice", patterns: q.correct.map(function (k) { return symbol(k, true); }),
                 response: isIndex(r) ? symbol(r, true) : (r === -1 ? "" : null) };
      }
      function name(k) { return text2004(label(t.zones, k) || String(k)); }
      var right = q.correct.map(name);
      // A click outside every zone names none. 2004 has room for one pattern: the right zones, any one of them.
      return { type: "other", patterns: target === "xapi" ? right : [right.join("[,]")],
               response: isIndex(r) ? name(r) : (r === -1 ? "" : null) };
    }
  };

  function describe(question, response, texts, target) {
    var v12 = target === "1.2", kind = KINDS[question.type];
    if (!kind) { return null; }
    var described = kind(question, response, texts || {}, v12, target);
    var given = answered(response), earned = given ? scoring.score(question, response) : 0;
    var full = given && earned >= question.points - 1e-9; // unanswered is never right, even worth 0 points
    described.earned = earned;
    described.result = full ? "correct" : (earned > 0 ? number(scoring.round(earned)) : (v12 ? "wrong" : "incorrect"));
    return described;
  }

  /* A question's prompt as SCORM 2004's cmi.interactions.n.description: one line, 250 characters at most. */
  function description(prompt) {
    return cut(String(prompt || "").replace(/\s+/g, " ").trim().replace(/^\{/, "("), 250);
  }

  window.MoocInteractions = { describe: describe, description: description, answered: answered };
}());
