/* SCORM runtime adapter: included only in the pages of a SCORM package (`mooc export scorm`).
   It looks for the LMS's API as the specifications say (API_1484_11 for SCORM 2004, API for SCORM 1.2, in the
   parent frames, then in the opener windows) and, when there is one, reports the sequence to it: completed when
   viewed, or the quiz's score and passed/failed against the course's pass mark; the last attempt is kept in
   cmi.suspend_data and given back to quiz.js at the next launch. Without an API it does nothing at all, so the
   page behaves exactly as on the website. It never throws: every call to the LMS is guarded.
   Runs after progress-store.js and before quiz.js (deferred scripts run in order). */
(function () {
  "use strict";

  // --- The compact encoding of a quiz attempt in cmi.suspend_data ------------------------------------------
  // "1~<hash>~<attempts>~<best>~<a1>,<a2>,..." where each answer is: "" unanswered; digits: the index of a
  // single choice; "m" + base-36 bit mask: the indices of a multiple choice ("M" + "."-joined indices past 52);
  // "t"/"f": true/false; "'" + text: a text or numeric answer, with "%" and "," escaped as %25 and %2C.
  var FORMAT = "1";
  var LIMIT = 4096; // SCORM 1.2's cmi.suspend_data is at most 4,096 characters; 2004 gets the same budget
  var MASK_BITS = 52; // indices below this fit a bit mask held exactly in a double

  function escapeText(text) { return text.replace(/%/g, "%25").replace(/,/g, "%2C"); }
  function unescapeText(text) {
    return text.replace(/%(25|2C)/g, function (_, code) { return code === "25" ? "%" : ","; });
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

  /* Cuts text answers so that the whole stays within the limit: every text keeps the same maximum length
     (the longest ones are cut first); a surrogate pair or an escape is never cut in half. */
  function fitTexts(tokens, room) {
    var texts = [], fixed = 0, i;
    for (i = 0; i < tokens.length; i++) {
      if (tokens[i].charAt(0) === "'") { texts.push(i); fixed += 1; } else { fixed += tokens[i].length; }
    }
    fixed += Math.max(0, tokens.length - 1); // separators
    var total = fixed;
    for (i = 0; i < texts.length; i++) { total += tokens[texts[i]].length - 1; }
    if (total <= room) { return tokens; }
    var budget = room - fixed;
    if (budget < 0 || texts.length === 0) { return null; }
    var lengths = texts.map(function (index) { return tokens[index].length - 1; });
    var low = 0, high = Math.max.apply(null, lengths);
    while (low < high) { // the largest cap whose total fits
      var mid = Math.ceil((low + high) / 2), sum = 0;
      for (i = 0; i < lengths.length; i++) { sum += Math.min(lengths[i], mid); }
      if (sum <= budget) { low = mid; } else { high = mid - 1; }
    }
    var out = tokens.slice();
    for (i = 0; i < texts.length; i++) {
      var body = out[texts[i]].slice(1);
      if (body.length > low) { out[texts[i]] = "'" + cutEscaped(body, low); }
    }
    return out;
  }

  function cutEscaped(body, max) {
    var end = max;
    var escape = body.lastIndexOf("%", end - 1);
    if (escape >= 0 && escape > end - 3) { end = escape; } // do not split %25 or %2C
    var code = body.charCodeAt(end - 1);
    if (end > 0 && code >= 0xd800 && code <= 0xdbff) { end -= 1; } // nor a surrogate pair
    return body.slice(0, end);
  }

  function encode(record) {
    var header = [FORMAT, String(record.h), String(record.n), String(record.best)].join("~") + "~";
    var last = Array.isArray(record.last) ? record.last : [];
    var tokens = fitTexts(last.map(encodeAnswer), LIMIT - header.length);
    if (tokens === null) { // answers that cannot fit even without their texts: keep the score, drop them
      tokens = last.map(function () { return ""; });
      if (header.length + tokens.length - 1 > LIMIT) { tokens = []; }
    }
    return header + tokens.join(",");
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

  function fitsQuestion(value, question) {
    if (value === null) { return true; }
    switch (question.type) {
      case "single": return isIndex(value) && (question.choices === undefined || value < question.choices);
      case "multiple": return Array.isArray(value);
      case "true_false": return typeof value === "boolean";
      default: return typeof value === "string";
    }
  }

  /* The record encoded in ``text`` when it is an attempt at ``quiz`` (same hash, same questions), else null.
     Without a quiz, any well-formed record is returned with max unknown (for tests of the codec). */
  function decode(text, quiz) {
    if (typeof text !== "string") { return null; }
    var parts = [], rest = text;
    for (var k = 0; k < 4; k++) {
      var cut = rest.indexOf("~");
      if (cut < 0) { return null; }
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
    if (parts[0] !== FORMAT || !/^[0-9a-f]+$/.test(parts[1]) || !/^[0-9]+$/.test(parts[2])) { return null; }
    var attempts = Number(parts[2]), best = Number(parts[3]);
    if (attempts < 1 || !isFinite(best) || best < 0 || parts[3] === "") { return null; }
    var last = rest === "" ? [] : rest.split(",").map(decodeAnswer);
    if (last.indexOf(undefined) >= 0) { return null; }
    var record = { h: parts[1], n: attempts, best: best, max: null, last: last };
    if (!quiz) { return record; }
    if (record.h !== quiz.hash || best > quiz.points + 1e-9) { return null; }
    var count = quiz.questions.length;
    if (last.length === 0) { last = []; while (last.length < count) { last.push(null); } } // answers dropped
    if (last.length !== count) { return null; }
    for (var i = 0; i < count; i++) { if (!fitsQuestion(last[i], quiz.questions[i])) { return null; } }
    record.last = last;
    record.max = quiz.points;
    return record;
  }

  window.MoocScormCodec = { encode: encode, decode: decode, LIMIT: LIMIT };

  // --- Finding the LMS ------------------------------------------------------------------------------------
  var DEPTH = 7;

  function apiIn(win, name) {
    try { return win && win[name] && typeof win[name] === "object" ? win[name] : null; } catch (error) { return null; }
  }

  function parentOf(win) {
    try { return win.parent && win.parent !== win ? win.parent : null; } catch (error) { return null; }
  }

  function openerOf(win) {
    try { return win.top && win.top.opener ? win.top.opener : (win.opener || null); } catch (error) { return null; }
  }

  function scan(start, name) {
    var win = start;
    for (var depth = 0; win && depth <= DEPTH; depth++) {
      var api = apiIn(win, name);
      if (api) { return api; }
      win = parentOf(win);
    }
    return null;
  }

  function search(name) {
    var found = scan(window, name);
    var opener = openerOf(window);
    for (var depth = 0; !found && opener && depth < DEPTH; depth++) {
      found = scan(opener, name);
      opener = openerOf(opener);
    }
    return found;
  }

  function findLms() {
    var api = search("API_1484_11");
    if (api && typeof api.Initialize === "function") { return { version: "2004", api: api }; }
    api = search("API");
    if (api && typeof api.LMSInitialize === "function") { return { version: "1.2", api: api }; }
    return null;
  }

  var progress = window.MoocProgress;
  var page = progress && progress.readConfig("mooc-page");
  var lms = page && page.sequence ? findLms() : null;
  if (!lms) { return; }

  // --- Talking to it --------------------------------------------------------------------------------------
  var v12 = lms.version === "1.2";
  var api = lms.api;
  var NAMES = v12 ? {
    initialize: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    status: "cmi.core.lesson_status", exit: "cmi.core.exit", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
    max: "cmi.core.score.max", time: "cmi.core.session_time"
  } : {
    initialize: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
    status: "cmi.completion_status", exit: "cmi.exit", raw: "cmi.score.raw", min: "cmi.score.min",
    max: "cmi.score.max", time: "cmi.session_time"
  };

  function call(name, args) {
    try {
      var result = api[name].apply(api, args);
      return result === true || result === "true" ? "true" : (result === false ? "false" : String(result));
    } catch (error) {
      return "false";
    }
  }
  function get(element) { return call(NAMES.get, [element]); }
  function set(element, value) { return call(NAMES.set, [element, String(value)]) === "true"; }
  function commit() { return call(NAMES.commit, [""]); }

  if (call(NAMES.initialize, [""]) !== "true") { return; } // refused (e.g. already finished): stay a web page
  var started = Date.now();
  var quiz = progress.readConfig("mooc-quiz");
  var passMark = page.pass_mark || [0, 1];

  function decimal(value, places) {
    var factor = Math.pow(10, places);
    return String(Math.round(value * factor) / factor);
  }

  function report(record) {
    var best = Number(record.best), max = Number(record.max) || 0;
    if (v12) { // 1.2 scores are on 0..100, the scale of adlcp:masteryscore: report a percentage
      set(NAMES.min, 0);
      set(NAMES.max, 100);
      set(NAMES.raw, decimal(max > 0 ? 100 * best / max : 0, 2));
    } else {
      set(NAMES.min, 0);
      set(NAMES.max, decimal(max, 4));
      set(NAMES.raw, decimal(best, 4));
      set("cmi.score.scaled", decimal(max > 0 ? best / max : 0, 4));
    }
    if (!quiz || !quiz.graded) {
      set(NAMES.status, "completed");
      return;
    }
    var passed = max > 0 && best * passMark[1] >= max * passMark[0] - 1e-9;
    if (v12) {
      set(NAMES.status, passed ? "passed" : "failed");
    } else {
      set(NAMES.status, "completed");
      set("cmi.success_status", passed ? "passed" : "failed");
    }
  }

  var restored = null;
  if (quiz) {
    var hashes = {};
    hashes[page.sequence] = quiz.hash;
    page.quizHashes = hashes;
    restored = decode(get("cmi.suspend_data"), quiz);
    try {
      // The LMS knows the learner: its record replaces whatever this browser kept for the quiz.
      progress.open(page).update(function (state) {
        if (restored) {
          state.quizzes[page.sequence] = { h: restored.h, n: restored.n, best: restored.best, max: restored.max,
                                           last: restored.last };
        } else {
          delete state.quizzes[page.sequence];
        }
      });
    } catch (error) { /* the quiz then starts afresh */ }
  }

  var status = get(NAMES.status);
  if (restored) {
    report(restored);
  } else if (quiz && quiz.graded) {
    var done = v12 ? /^(passed|failed|completed)$/.test(status) : status === "completed";
    if (!done) { set(NAMES.status, "incomplete"); }
  } else if (!(v12 && status === "passed")) {
    set(NAMES.status, "completed");
  }
  commit();

  function sessionTime() {
    var seconds = Math.max(0, (Date.now() - started) / 1000);
    if (!v12) { return "PT" + decimal(seconds, 2) + "S"; }
    var hours = Math.floor(seconds / 3600), minutes = Math.floor(seconds % 3600 / 60), rest = seconds % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.min(hours, 9999)) + ":" + two(minutes) + ":" + two(Math.floor(rest)) + "." +
      two(Math.floor((rest % 1) * 100));
  }

  var finished = false;
  function finish() {
    if (finished) { return; }
    finished = true;
    set(NAMES.exit, "suspend");
    set(NAMES.time, sessionTime());
    commit();
    call(NAMES.finish, [""]);
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  window.MoocScorm = {
    version: lms.version,
    quizResult: function (record, attempted) {
      if (finished || !record) { return; }
      try {
        if (attempted) { quiz = attempted; }
        report(record);
        set("cmi.suspend_data", encode(record));
      } catch (error) { /* never break the quiz */ }
      commit();
    }
  };
}());
