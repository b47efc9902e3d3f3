/* The learner's progress for one course, kept in localStorage under a key unique to the site and course.
   Stored data is validated on every read: entries from an older build whose quiz changed (another hash)
   or that do not have the expected shape are dropped, never trusted. When storage is unavailable
   (private mode, blocked cookies, quota) the store works in memory and says so. */
(function () {
  "use strict";
  var VERSION = 1;
  var FORMAT = "mooc-progress";

  function emptyState() { return { v: VERSION, seen: {}, quizzes: {} }; }

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function isCount(value) { return typeof value === "number" && isFinite(value) && value >= 0; }

  function validQuiz(record) {
    return isObject(record) && typeof record.h === "string" && isCount(record.n) && record.n >= 1 &&
      isCount(record.best) && isCount(record.max) && record.best <= record.max + 1e-9 &&
      Array.isArray(record.last);
  }

  /* Returns {state, problems}: a clean state and how many entries had to be dropped. */
  function sanitise(data, quizHashes) {
    var state = emptyState(), problems = 0;
    if (!isObject(data) || data.v !== VERSION) { return { state: state, problems: data === null ? 0 : 1 }; }
    if (isObject(data.seen)) {
      Object.keys(data.seen).forEach(function (id) {
        if (data.seen[id] === 1) { state.seen[id] = 1; } else { problems++; }
      });
    } else { problems++; }
    if (isObject(data.quizzes)) {
      Object.keys(data.quizzes).forEach(function (id) {
        var record = data.quizzes[id];
        if (!validQuiz(record)) { problems++; return; }
        // A quiz changed since this was stored: its old answers and score no longer apply.
        if (quizHashes && quizHashes[id] !== undefined && quizHashes[id] !== record.h) { return; }
        state.quizzes[id] = { h: record.h, n: record.n, best: record.best, max: record.max, last: record.last };
      });
    } else { problems++; }
    return { state: state, problems: problems };
  }

  function probeStorage() {
    try {
      var storage = window.localStorage, probe = "mooc-probe";
      storage.setItem(probe, probe);
      storage.removeItem(probe);
      return storage;
    } catch (error) {
      return null;
    }
  }

  // Without storage, scripts of one page still share the visit's progress.
  var memory = {};

  function open(config) {
    var storage = probeStorage();
    var key = config.key;

    function read() {
      var raw = null;
      if (storage) {
        try { raw = storage.getItem(key); } catch (error) { raw = null; }
      } else {
        raw = memory[key] || null;
      }
      if (!raw) { return emptyState(); }
      try { return sanitise(JSON.parse(raw), config.quizHashes).state; } catch (error) { return emptyState(); }
    }

    function write(state) {
      var text = JSON.stringify(state);
      if (storage) {
        try { storage.setItem(key, text); return true; } catch (error) { storage = null; }
      }
      memory[key] = text;
      return false;
    }

    return {
      persistent: function () { return storage !== null; },
      read: read,
      write: write,
      update: function (change) { var state = read(); change(state); return write(state); },
      clear: function () {
        delete memory[key];
        if (storage) { try { storage.removeItem(key); } catch (error) { storage = null; } }
      },
      exportFile: function (today) {
        return { format: FORMAT, v: VERSION, site: config.site, course: config.course, saved: today, data: read() };
      },
      /* Validates a whole progress file before anything is written: all or nothing. */
      parseFile: function (text) {
        var file;
        try { file = JSON.parse(text); } catch (error) { return { error: "corrupt" }; }
        if (!isObject(file) || file.format !== FORMAT) { return { error: "corrupt" }; }
        if (file.v !== VERSION) { return { error: "version" }; }
        if (file.site !== config.site || file.course !== config.course) { return { error: "foreign" }; }
        var result = sanitise(file.data, config.quizHashes);
        if (result.problems > 0 || !isObject(file.data)) { return { error: "corrupt" }; }
        return { state: result.state };
      }
    };
  }

  /* Graded points earned (best attempt of each graded quiz of this build) against the pass mark. */
  function summary(course, state) {
    var earned = 0;
    Object.keys(course.quizzes).forEach(function (id) {
      var quiz = course.quizzes[id], record = state.quizzes[id];
      if (quiz.graded && record && record.h === quiz.hash) { earned += Math.min(record.best, quiz.points); }
    });
    earned = window.MoocScoring.round(earned);
    var num = course.pass_mark[0], den = course.pass_mark[1];
    // A learner is told whole points: "6 points are needed", "1 more point", never "5.2" or "0.7". Partial
    // credit may earn a fraction of a point, and so pass a little before the whole point it was told: it is
    // never told it has passed before it has (passed, below, is exact).
    var needed = Math.ceil(course.total * num / den - 1e-9);
    return {
      earned: earned, total: course.total, needed: needed,
      missing: Math.max(0, Math.ceil(needed - earned - 1e-9)),
      percent: course.total ? Math.floor(100 * earned / course.total) : 0,
      mark: Math.round(100 * num / den),
      passed: window.MoocScoring.passed(earned, course.total, num, den)
    };
  }

  function courseConfig() {
    var course = readConfig("mooc-course");
    if (!course) { return null; }
    course.quizHashes = {};
    Object.keys(course.quizzes).forEach(function (id) { course.quizHashes[id] = course.quizzes[id].hash; });
    return course;
  }

  /* What the course-wide pages (progress, certificate) start from: the course, their messages and the
     store; null when the page carries neither. */
  function coursePage() {
    var course = courseConfig();
    var messages = readConfig("mooc-messages");
    if (!course || !messages) { return null; }
    return { course: course, messages: messages, store: open(course) };
  }

  function formatNumber(value, decimal) {
    var text = String(Math.round(value * 100) / 100);
    return decimal === "," ? text.replace(".", ",") : text;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function readConfig(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  window.MoocProgress = { open: open, readConfig: readConfig, courseConfig: courseConfig, coursePage: coursePage,
                          sanitise: sanitise,
                          summary: summary, format: format, formatNumber: formatNumber, VERSION: VERSION };
}());
