/* The compact encoding of a learner's whole course in SCORM's cmi.suspend_data (a SCORM package is one SCO for
   the whole course: see scorm-host.js). Loaded by the package's launch page and by its pages (scorm.js).

   "3~<viewed>~<quiz>|<quiz>|..."
   <viewed>: the sequences viewed, as bit masks in base 36 over the course's sequence order, 50 sequences to a
             mask (exact in a double), joined by "."; "" when none.
   <quiz>:   "<sequence index in base 36>:<hash>:<attempts>:<best>:<a1>,<a2>,..." for each quiz attempted, where
             each answer is "" unanswered; digits: a position (a single choice, a hotspot's zone); "-1": a
             hotspot's click outside every zone; "t"/"f": true/false; "'" + text: a text or numeric answer, with
             "%", ",", "|" escaped as %25, %2C, %7C; "m" + base-36 bit mask: a list of positions in increasing
             order, each once (a multiple choice's picks; "M" + "."-joined positions when one is past 52), which
             the mask gives back exactly; "L" + "."-joined elements: any other list, in its order (a matching's
             option per left side, an ordering's positions, a cloze's blanks), each element "" (null), digits
             (a position) or "'" + text ("." escaped too, as %2E).
   Format 2 (before matching, ordering, cloze and hotspot questions) had no "-1" nor "L": it is read the same.
   The whole stays within 4,096 characters (SCORM 1.2's limit; 2004 gets the same budget): when it would not,
   texts are cut (a list's texts as the others), the longest first, and as a last resort answers are dropped
   (the scores stay). */
(function () {
  "use strict";

  var FORMAT = "3";
  var READS = { "2": true, "3": true }; // format 3 only added tokens: a format 2 text reads the same
  var LIMIT = 4096;
  var MASK_BITS = 52; // indices below this fit a bit mask held exactly in a double
  var VIEWED_CHUNK = 50;

  function escapeText(text) { return text.replace(/%/g, "%25").replace(/,/g, "%2C").replace(/\|/g, "%7C"); }
  // "%2E" cannot be found in an older text: its "%" was escaped.
  var UNESCAPED = { "25": "%", "2C": ",", "7C": "|", "2E": "." };
  function unescapeText(text) {
    return text.replace(/%(25|2C|7C|2E)/g, function (_, code) { return UNESCAPED[code]; });
  }

  function isIndex(value) { return typeof value === "number" && isFinite(value) && value >= 0 && value % 1 === 0; }

  /* A list's element: a position, a text, or "" (null, and anything unexpected). */
  function encodeElement(value) {
    if (isIndex(value)) { return String(value); }
    if (typeof value === "string") { return "'" + escapeText(value).replace(/\./g, "%2E"); }
    return "";
  }

  function increasing(value) {
    for (var i = 0; i < value.length; i++) {
      if (!isIndex(value[i]) || (i > 0 && value[i] <= value[i - 1])) { return false; }
    }
    return true;
  }

  /* An answer's token; a list that is not increasing positions is an array of its elements' tokens, joined
     once its texts fit (see fitTexts). */
  function encodeAnswer(value) {
    if (value === true) { return "t"; }
    if (value === false) { return "f"; }
    if (value === -1) { return "-1"; }
    if (isIndex(value)) { return String(value); }
    if (typeof value === "string") { return "'" + escapeText(value); }
    if (Array.isArray(value)) {
      if (!increasing(value)) { return value.map(encodeElement); }
      if (value.length && value[value.length - 1] >= MASK_BITS) { return "M" + value.join("."); }
      var mask = 0;
      for (var i = 0; i < value.length; i++) { mask += Math.pow(2, value[i]); }
      return "m" + mask.toString(36);
    }
    return ""; // unanswered (null), or anything unexpected
  }

  function joinAnswer(token) { return Array.isArray(token) ? "L" + token.join(".") : token; }

  function decodeElement(token) {
    if (token === "") { return null; }
    if (/^[0-9]+$/.test(token)) { return Number(token); }
    if (token.charAt(0) === "'") { return unescapeText(token.slice(1)); }
    return undefined;
  }

  function decodeAnswer(token) {
    if (token === "") { return null; }
    if (token === "t") { return true; }
    if (token === "f") { return false; }
    if (token === "-1") { return -1; }
    if (/^[0-9]+$/.test(token)) { return Number(token); }
    if (token.charAt(0) === "'") { return unescapeText(token.slice(1)); }
    if (/^m[0-9a-z]+$/.test(token)) {
      var mask = parseInt(token.slice(1), 36), picked = [];
      for (var i = 0; i < MASK_BITS && mask > 0; i++) {
        if (mask % 2 === 1) { picked.push(i); }
        mask = Math.floor(mask / 2);
      }
      return picked;
    }
    if (/^M[0-9]+(\.[0-9]+)*$/.test(token)) { return token.slice(1).split(".").map(Number); }
    if (token.charAt(0) === "L") {
      var list = token.slice(1).split(".").map(decodeElement);
      return list.indexOf(undefined) >= 0 ? undefined : list;
    }
    return undefined; // not an answer
  }

  function cutEscaped(body, max) {
    var end = max;
    var escape = body.lastIndexOf("%", end - 1);
    if (escape >= 0 && escape > end - 3) { end = escape; } // do not split an escape
    var code = body.charCodeAt(end - 1);
    if (end > 0 && code >= 0xd800 && code <= 0xdbff) { end -= 1; } // nor a surrogate pair
    return body.slice(0, end);
  }

  /* Cuts the texts of every quiz's answers (a text answer, a list's text element) so that the whole is at most
     ``room`` characters: every text keeps the same maximum length (the longest are cut first). ``lists``: each
     quiz's answer tokens (a list's, an array of its elements' tokens); ``fixed``: the characters besides them.
     False when even empty texts do not fit. */
  function fitTexts(lists, fixed, room) {
    var texts = [], total = fixed;
    function count(tokens) {
      total += Math.max(0, tokens.length - 1); // separators
      for (var k = 0; k < tokens.length; k++) {
        var token = tokens[k];
        if (Array.isArray(token)) { total += 1; count(token); } // "L", then its elements
        else if (token.charAt(0) === "'") { texts.push({ tokens: tokens, at: k }); total += 1; }
        else { total += token.length; }
      }
    }
    lists.forEach(count);
    var lengths = texts.map(function (text) { return text.tokens[text.at].length - 1; });
    var sum = lengths.reduce(function (a, b) { return a + b; }, 0);
    if (total + sum <= room) { return true; }
    var budget = room - total;
    if (budget < 0) { return false; }
    var low = 0, high = Math.max.apply(null, lengths);
    while (low < high) { // the largest cap whose total fits
      var mid = Math.ceil((low + high) / 2), used = 0;
      for (var i = 0; i < lengths.length; i++) { used += Math.min(lengths[i], mid); }
      if (used <= budget) { low = mid; } else { high = mid - 1; }
    }
    texts.forEach(function (text) {
      var body = text.tokens[text.at].slice(1);
      if (body.length > low) { text.tokens[text.at] = "'" + cutEscaped(body, low); }
    });
    return true;
  }

  function encodeViewed(sequences, viewed) {
    var chunks = [], any = false;
    for (var start = 0; start < sequences.length; start += VIEWED_CHUNK) {
      var mask = 0;
      for (var i = start; i < Math.min(sequences.length, start + VIEWED_CHUNK); i++) {
        if (viewed[sequences[i]]) { mask += Math.pow(2, i - start); any = true; }
      }
      chunks.push(mask.toString(36));
    }
    return any ? chunks.join(".") : "";
  }

  function decodeViewed(sequences, text) {
    var viewed = {};
    if (text === "") { return viewed; }
    var chunks = text.split(".");
    for (var c = 0; c < chunks.length; c++) {
      if (!/^[0-9a-z]+$/.test(chunks[c])) { return null; }
      var mask = parseInt(chunks[c], 36);
      for (var i = 0; i < VIEWED_CHUNK && mask > 0; i++) {
        if (mask % 2 === 1 && sequences[c * VIEWED_CHUNK + i] !== undefined) { viewed[sequences[c * VIEWED_CHUNK + i]] = 1; }
        mask = Math.floor(mask / 2);
      }
    }
    return viewed;
  }

  /* ``state``: {viewed: {sequence id: 1}, quizzes: {sequence id: {h, n, best, last}}}; ``sequences``: the
     course's sequence ids, in order (the indices the text uses). */
  function encode(sequences, state) {
    var heads = [], lists = [];
    for (var i = 0; i < sequences.length; i++) {
      var record = state.quizzes[sequences[i]];
      if (!record || !/^[0-9a-f]+$/.test(String(record.h)) || !(record.n >= 1)) { continue; }
      heads.push([i.toString(36), record.h, String(record.n), String(record.best)].join(":") + ":");
      lists.push((Array.isArray(record.last) ? record.last : []).map(encodeAnswer));
    }
    var prefix = FORMAT + "~" + encodeViewed(sequences, state.viewed) + "~";
    var fixed = prefix.length + Math.max(0, heads.length - 1);
    heads.forEach(function (head) { fixed += head.length; });
    if (!fitTexts(lists, fixed, LIMIT)) { // answers that cannot fit even without their texts: keep the scores
      lists = lists.map(function () { return []; });
    }
    return prefix + heads.map(function (head, k) { return head + lists[k].map(joinAnswer).join(","); }).join("|");
  }

  /* The state encoded in ``text``, or null when it is not one (an older package's, or damaged). Records of a
     quiz whose hash is not in ``hashes`` (a quiz changed since) are left out. */
  function decode(sequences, hashes, text) {
    if (typeof text !== "string" || text.charAt(1) !== "~" || !READS.hasOwnProperty(text.charAt(0))) { return null; }
    var cut = text.indexOf("~", 2);
    if (cut < 0) { return null; }
    var viewed = decodeViewed(sequences, text.slice(2, cut));
    if (viewed === null) { return null; }
    var state = { viewed: viewed, quizzes: {} }, rest = text.slice(cut + 1);
    if (rest === "") { return state; }
    var entries = rest.split("|");
    for (var e = 0; e < entries.length; e++) {
      var parts = [], entry = entries[e];
      for (var k = 0; k < 4; k++) {
        var colon = entry.indexOf(":");
        if (colon < 0) { return null; }
        parts.push(entry.slice(0, colon));
        entry = entry.slice(colon + 1);
      }
      if (!/^[0-9a-z]+$/.test(parts[0]) || !/^[0-9a-f]+$/.test(parts[1]) || !/^[0-9]+$/.test(parts[2])) { return null; }
      var id = sequences[parseInt(parts[0], 36)], attempts = Number(parts[2]), best = Number(parts[3]);
      if (id === undefined || attempts < 1 || parts[3] === "" || !isFinite(best) || best < 0) { return null; }
      var last = entry === "" ? [] : entry.split(",").map(decodeAnswer);
      if (last.indexOf(undefined) >= 0) { return null; }
      if (hashes[id] === parts[1]) { state.quizzes[id] = { h: parts[1], n: attempts, best: best, last: last }; }
    }
    return state;
  }

  function below(value, size) { return isIndex(value) && (size === undefined || value < size); }

  function listOf(value, size, fits) { return Array.isArray(value) && value.length === size && value.every(fits); }

  /* Whether ``value`` is an answer of ``question``'s shape (model/scoring.py question_data): a restored record
     is one the page can show again. */
  function fitsQuestion(value, question) {
    if (value === null) { return true; }
    switch (question.type) {
      case "single": return below(value, question.choices);
      case "multiple": return Array.isArray(value);
      case "true_false": return typeof value === "boolean";
      case "hotspot": return value === -1 || below(value, question.zones);
      case "matching":
        return listOf(value, question.correct.length, function (given) {
          return given === null || below(given, question.options);
        });
      case "ordering":
        return listOf(value, question.correct.length, function (given) { return below(given, value.length); });
      case "cloze":
        return listOf(value, question.blanks.length, function (given, k) {
          var options = question.blanks[k].options; // undefined: a text blank
          return given === null || (options === undefined ? typeof given === "string" : below(given, options));
        });
      default: return typeof value === "string";
    }
  }

  /* A quiz's record as the quiz page stores it ({h, n, best, max, last}), when ``record`` is an attempt at
     ``quiz`` (same hash, answers that fit its questions; answers dropped for room come back unanswered). */
  function forQuiz(record, quiz) {
    if (!record || record.h !== quiz.hash || record.best > quiz.points + 1e-9) { return null; }
    var count = quiz.questions.length, last = record.last.slice();
    if (last.length === 0) { while (last.length < count) { last.push(null); } }
    if (last.length !== count) { return null; }
    for (var i = 0; i < count; i++) { if (!fitsQuestion(last[i], quiz.questions[i])) { return null; } }
    return { h: record.h, n: record.n, best: record.best, max: quiz.points, last: last };
  }

  window.MoocScormCodec = { encode: encode, decode: decode, forQuiz: forQuiz, LIMIT: LIMIT };
}());
