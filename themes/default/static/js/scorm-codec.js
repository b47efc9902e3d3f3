/* The compact encoding of a learner's whole course in SCORM's cmi.suspend_data (a SCORM package is one SCO for
   the whole course: see scorm-host.js). Loaded by the package's launch page and by its pages (scorm.js).

   "2~<viewed>~<quiz>|<quiz>|..."
   <viewed>: the sequences viewed, as bit masks in base 36 over the course's sequence order, 50 sequences to a
             mask (exact in a double), joined by "."; "" when none.
   <quiz>:   "<sequence index in base 36>:<hash>:<attempts>:<best>:<a1>,<a2>,..." for each quiz attempted, where
             each answer is "" unanswered; digits: the index of a single choice; "m" + base-36 bit mask: the
             indices of a multiple choice ("M" + "."-joined indices past 52); "t"/"f": true/false; "'" + text: a
             text or numeric answer, with "%", ",", "|" escaped as %25, %2C, %7C.
   The whole stays within 4,096 characters (SCORM 1.2's limit; 2004 gets the same budget): when it would not,
   text answers are cut, the longest first, and as a last resort answers are dropped (the scores stay). */
(function () {
  "use strict";

  var FORMAT = "2";
  var LIMIT = 4096;
  var MASK_BITS = 52; // indices below this fit a bit mask held exactly in a double
  var VIEWED_CHUNK = 50;

  function escapeText(text) { return text.replace(/%/g, "%25").replace(/,/g, "%2C").replace(/\|/g, "%7C"); }
  function unescapeText(text) {
    return text.replace(/%(25|2C|7C)/g, function (_, code) { return code === "25" ? "%" : (code === "2C" ? "," : "|"); });
  }

  function isIndex(value) { return typeof value === "number" && isFinite(value) && value >= 0 && value % 1 === 0; }

  function encodeAnswer(value) {
    if (value === true) { return "t"; }
    if (value === false) { return "f"; }
    if (isIndex(value)) { return String(value); }
    if (typeof value === "string") { return "'" + escapeText(value); }
    if (Array.isArray(value)) {
      var indices = [], mask = 0, i;
      for (i = 0; i < value.length; i++) {
        if (isIndex(value[i]) && indices.indexOf(value[i]) < 0) { indices.push(value[i]); }
      }
      indices.sort(function (a, b) { return a - b; });
      if (indices.length && indices[indices.length - 1] >= MASK_BITS) { return "M" + indices.join("."); }
      for (i = 0; i < indices.length; i++) { mask += Math.pow(2, indices[i]); }
      return "m" + mask.toString(36);
    }
    return ""; // unanswered (null), or anything unexpected
  }

  function decodeAnswer(token) {
    if (token === "") { return null; }
    if (token === "t") { return true; }
    if (token === "f") { return false; }
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

  /* Cuts the text answers of every quiz so that the whole is at most ``room`` characters: every text keeps
     the same maximum length (the longest are cut first). ``lists``: each quiz's answer tokens; ``fixed``: the
     characters besides them. False when even empty texts do not fit. */
  function fitTexts(lists, fixed, room) {
    var texts = [], total = fixed, i, j;
    for (i = 0; i < lists.length; i++) {
      total += Math.max(0, lists[i].length - 1); // separators
      for (j = 0; j < lists[i].length; j++) {
        var token = lists[i][j];
        if (token.charAt(0) === "'") { texts.push([i, j]); total += 1; } else { total += token.length; }
      }
    }
    var lengths = texts.map(function (at) { return lists[at[0]][at[1]].length - 1; });
    var sum = lengths.reduce(function (a, b) { return a + b; }, 0);
    if (total + sum <= room) { return true; }
    var budget = room - total;
    if (budget < 0) { return false; }
    var low = 0, high = Math.max.apply(null, lengths);
    while (low < high) { // the largest cap whose total fits
      var mid = Math.ceil((low + high) / 2), used = 0;
      for (i = 0; i < lengths.length; i++) { used += Math.min(lengths[i], mid); }
      if (used <= budget) { low = mid; } else { high = mid - 1; }
    }
    for (i = 0; i < texts.length; i++) {
      var body = lists[texts[i][0]][texts[i][1]].slice(1);
      if (body.length > low) { lists[texts[i][0]][texts[i][1]] = "'" + cutEscaped(body, low); }
    }
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
    return prefix + heads.map(function (head, k) { return head + lists[k].join(","); }).join("|");
  }

  /* The state encoded in ``text``, or null when it is not one (an older package's, or damaged). Records of a
     quiz whose hash is not in ``hashes`` (a quiz changed since) are left out. */
  function decode(sequences, hashes, text) {
    if (typeof text !== "string" || text.slice(0, 2) !== FORMAT + "~") { return null; }
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

  function fitsQuestion(value, question) {
    if (value === null) { return true; }
    switch (question.type) {
      case "single": return isIndex(value) && (question.choices === undefined || value < question.choices);
      case "multiple": return Array.isArray(value);
      case "true_false": return typeof value === "boolean";
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
