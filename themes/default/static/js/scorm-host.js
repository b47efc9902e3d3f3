/* The SCO of a SCORM package: its launch page (launch.html) holds the course's pages in a frame and is the one
   page that talks to the LMS. A package is ONE SCO for the whole course: real runtimes (Open edX's SCORM block,
   wagtail-lms, scormhost) launch one SCO, keep one state for it and refuse a second Initialize; a page that
   moves to the next sequence would end the session. So this page initialises once, keeps the learner's whole
   course (sequences viewed, each quiz's last attempt) in cmi.suspend_data (scorm-codec.js), and reports the
   course's score as the site computes it (graded points earned on each quiz's best attempt / all graded
   points), as a percentage (raw 0-100, min 0, max 100; scaled 0-1 in 2004), with the status the course's
   pass mark and `lms_completion` give. Each quiz answered adds one interaction per question
   (cmi.interactions, interactions.js: its id, type, right and given responses, result, points). The pages in
   the frame tell it what happens (scorm.js, through window.MoocScormHost). An LMS may put its API on its page
   after this page loaded (Open edX's block makes it once its own scripts ran, while its frame already loads
   the package): this page looks again for 10 s, keeping what happened meanwhile, then reports it. Without an LMS it does nothing: the frame shows the
   course as the website does. */
(function () {
  "use strict";

  var codec = window.MoocScormCodec, scoring = window.MoocScoring, progress = window.MoocProgress;
  var interactions = window.MoocInteractions;
  var course = progress && progress.readConfig("mooc-course");
  var sco = progress && progress.readConfig("mooc-sco");
  var frame = document.getElementById("mooc-course-frame");

  /* The course's first page is loaded once this page can answer it (window.MoocScormHost set). */
  function startFrame() {
    if (frame && frame.getAttribute("data-start") && !frame.getAttribute("src")) {
      frame.setAttribute("src", frame.getAttribute("data-start"));
    }
  }
  if (!codec || !scoring || !course || !sco) { startFrame(); return; }

  // --- Finding the LMS, as the specifications say: up the frames, then in the opener windows -------------
  var DEPTH = 7, PATIENCE = 10000, EVERY = 250;

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

  // --- The learner's course: what the LMS kept, and what happens in this session -------------------------
  var hashes = {};
  Object.keys(course.quizzes).forEach(function (id) { hashes[id] = course.quizzes[id].hash; });
  var state = { viewed: {}, quizzes: {} };
  var attempts = []; // quizzes answered whose interactions the LMS has not been given yet
  var session = null; // the LMS, once connected
  var alone = false; // no LMS was found: nothing to keep for one
  var finished = false;

  function decimal(value, places) {
    var factor = Math.pow(10, places);
    return String(Math.round(value * factor) / factor);
  }

  function outcome() {
    var earned = 0, attempted = true;
    Object.keys(course.quizzes).forEach(function (id) {
      var quiz = course.quizzes[id], record = state.quizzes[id];
      if (!quiz.graded) { return; }
      if (record) { earned += Math.min(Number(record.best), quiz.points); } else { attempted = false; }
    });
    earned = scoring.round(earned);
    var viewed = course.sequences.every(function (id) { return state.viewed[id]; });
    var graded = course.total > 0;
    var passed = graded && scoring.passed(earned, course.total, course.pass_mark[0], course.pass_mark[1]);
    return {
      earned: earned, graded: graded, passed: passed, attempted: graded && attempted, viewed: viewed,
      completed: sco.completion === "passed" && graded ? passed : viewed,
      seen: course.sequences.filter(function (id) { return state.viewed[id]; }).length
    };
  }

  function connect(lms) {
    var v12 = lms.version === "1.2";
    var api = lms.api;
    var NAMES = v12 ? {
      initialize: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      entry: "cmi.core.entry", status: "cmi.core.lesson_status", exit: "cmi.core.exit", raw: "cmi.core.score.raw",
      min: "cmi.core.score.min", max: "cmi.core.score.max", time: "cmi.core.session_time"
    } : {
      initialize: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
      entry: "cmi.entry", status: "cmi.completion_status", exit: "cmi.exit", raw: "cmi.score.raw",
      min: "cmi.score.min", max: "cmi.score.max", time: "cmi.session_time"
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

    if (call(NAMES.initialize, [""]) !== "true") { return null; } // refused: the course still works, untracked
    var started = Date.now();
    // In 2004, reading cmi.suspend_data before anything was saved is an error (403): read it when the LMS says
    // the attempt is resumed, or when a status was reported before (scormhost says "ab-initio" at every launch;
    // completion_status is "unknown" until a SCO sets it). SCORM 1.2 answers "" without an error.
    var resumed = v12 || get(NAMES.entry) === "resume" || get(NAMES.status) !== "unknown";
    var kept = codec.decode(course.sequences, hashes, resumed ? get("cmi.suspend_data") : "");
    if (kept) { // what the LMS kept, then what this session did before the LMS was found
      Object.keys(state.viewed).forEach(function (id) { kept.viewed[id] = 1; });
      Object.keys(state.quizzes).forEach(function (id) { kept.quizzes[id] = state.quizzes[id]; });
      state = kept;
    }

    function report() {
      var now = outcome();
      if (now.graded) {
        set(NAMES.min, 0);
        set(NAMES.max, 100);
        set(NAMES.raw, decimal(100 * now.earned / course.total, 2)); // what Moodle grades on, in 1.2 and 2004
        if (!v12) { set("cmi.score.scaled", decimal(now.earned / course.total, 4)); }
      }
      if (v12) {
        // One status in 1.2: passed at the pass mark; once complete, failed when every graded quiz was tried.
        var status = now.passed ? "passed" : (now.completed ? (now.attempted ? "failed" : "completed") : "incomplete");
        set(NAMES.status, status);
      } else {
        set(NAMES.status, now.completed ? "completed" : "incomplete");
        set("cmi.success_status", now.passed ? "passed" : (now.attempted ? "failed" : "unknown"));
        if (course.sequences.length) { set("cmi.progress_measure", decimal(now.seen / course.sequences.length, 4)); }
      }
      set("cmi.suspend_data", codec.encode(course.sequences, state));
      commit();
    }

    function sessionTime() {
      var seconds = Math.max(0, (Date.now() - started) / 1000);
      if (!v12) { return "PT" + decimal(seconds, 2) + "S"; }
      var hours = Math.floor(seconds / 3600), minutes = Math.floor(seconds % 3600 / 60), rest = seconds % 60;
      function two(n) { return (n < 10 ? "0" : "") + n; }
      return two(Math.min(hours, 9999)) + ":" + two(minutes) + ":" + two(Math.floor(rest)) + "." +
        two(Math.floor((rest % 1) * 100));
    }

    function end() {
      set(NAMES.exit, "suspend");
      set(NAMES.time, sessionTime());
      commit();
      call(NAMES.finish, [""]);
    }

    // --- cmi.interactions: appended, one per question of each attempt (a journal: the same ids again) ------
    // An LMS that does not count them (Open edX's block answers "") gets them from 0 in each session.
    var next = parseInt(get("cmi.interactions._count"), 10);
    next = isFinite(next) && next >= 0 ? next : 0;
    var refused = false; // the LMS refused an interaction's id (full): no more this session

    function stamp(when) {
      if (!v12) { return when.toISOString(); }
      function two(n) { return (n < 10 ? "0" : "") + n; }
      return two(when.getHours()) + ":" + two(when.getMinutes()) + ":" + two(when.getSeconds());
    }

    function write(attempt) {
      attempt.questions.forEach(function (question, i) {
        if (refused) { return; }
        var texts = attempt.texts[i] || {}, response = attempt.record.last[i];
        var said;
        try { said = interactions.describe(question, response, texts, lms.version); } catch (error) { said = null; }
        if (!said) { return; }
        var at = "cmi.interactions." + next + ".";
        if (!set(at + "id", interactionId(attempt.sequence, i + 1))) { refused = true; return; }
        next += 1;
        set(at + "type", said.type);
        if (!v12 && texts.prompt) { set(at + "description", interactions.description(texts.prompt)); }
        set(at + (v12 ? "time" : "timestamp"), stamp(attempt.when));
        set(at + "weighting", question.points);
        said.patterns.forEach(function (pattern, k) { set(at + "correct_responses." + k + ".pattern", pattern); });
        if (said.response !== null) { set(at + (v12 ? "student_response" : "learner_response"), said.response); }
        set(at + "result", said.result);
      });
    }

    function journal() {
      if (!interactions) { attempts = []; return; }
      attempts.splice(0).forEach(write);
    }

    journal();
    report();
    return { version: lms.version, report: report, end: end, journal: journal };
  }

  function finish() {
    if (finished) { return; }
    finished = true;
    if (session) { session.end(); }
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  function changed() { if (session && !finished) { session.journal(); session.report(); } }

  /* A question's interaction id, the same in every attempt: "<module>_<sequence>-q<n>", in the characters SCORM
     1.2 allows in an identifier (content ids are lower-case letters, digits and hyphens: "_" tells the module
     from the sequence); cut, with a digest of the whole, within its 255 characters. */
  function interactionId(sequence, number) {
    var id = sequence.replace(/[^A-Za-z0-9-]/g, "_"), tail = "-q" + number;
    if (id.length + tail.length <= 255) { return id + tail; }
    var hash = 2166136261; // FNV-1a
    for (var i = 0; i < sequence.length; i++) { hash = Math.imul(hash ^ sequence.charCodeAt(i), 16777619) >>> 0; }
    return id.slice(0, 255 - tail.length - 8) + "_" + hash.toString(36).slice(0, 7) + tail;
  }

  /* What a page passed with an attempt: its quiz's questions and what it showed of them (a JSON text: nothing
     of the page's window is kept once the learner leaves it), when they are that quiz's. */
  function attemptOf(sequence, record, details) {
    var data;
    try { data = JSON.parse(details); } catch (error) { return null; }
    if (!data || data.hash !== record.h || !Array.isArray(data.questions) ||
        data.questions.length !== record.last.length) { return null; }
    return { sequence: sequence, record: JSON.parse(JSON.stringify(record)), questions: data.questions,
             texts: Array.isArray(data.texts) ? data.texts : [], when: new Date() };
  }

  var host = window.MoocScormHost = {
    version: null, // the LMS's SCORM version, once connected
    /* A page of the course was shown: a sequence's page counts as viewed. */
    viewed: function (sequence) {
      if (finished || !sequence || state.viewed[sequence] || course.sequences.indexOf(sequence) < 0) { return; }
      state.viewed[sequence] = 1;
      changed();
    },
    /* The LMS's record of a quiz ({h, n, best, last}), or null; undefined while no LMS is connected. */
    record: function (sequence) {
      if (!session) { return undefined; }
      var record = state.quizzes[sequence];
      return record ? JSON.parse(JSON.stringify(record)) : null;
    },
    /* A quiz was answered: its record as the quiz page stores it, and (``details``, JSON) its questions and
       their texts for the interactions. */
    quizResult: function (sequence, record, details) {
      if (finished || !record || hashes[sequence] !== record.h) { return; }
      state.quizzes[sequence] = { h: record.h, n: record.n, best: record.best,
                                  last: Array.isArray(record.last) ? record.last : [] };
      var attempt = details === undefined ? null : attemptOf(sequence, state.quizzes[sequence], details);
      if (attempt && !alone) { attempts.push(attempt); }
      state.viewed[sequence] = 1;
      changed();
    },
    finish: finish
  };

  function attempt() {
    if (session || finished) { return true; }
    var lms = findLms();
    if (!lms) { return false; }
    session = connect(lms);
    if (session) { host.version = session.version; }
    return true;
  }

  try { attempt(); } finally { startFrame(); }
  if (!session) {
    var waited = 0;
    var timer = window.setInterval(function () {
      waited += EVERY;
      if (attempt() || waited >= PATIENCE) {
        window.clearInterval(timer);
        if (!session) { alone = true; attempts = []; }
      }
    }, EVERY);
  }
}());
