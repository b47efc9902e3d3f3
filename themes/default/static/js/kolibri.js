/* In a Kolibri channel (exports/kolibri.py): the learner's progress told to Kolibri, so that a coach sees who
   has done the course.

   Kolibri runs an HTML5 app in a sandbox page that gives the frame holding the course an xAPI interface
   (window.xAPI of the parent frame; hashi's xAPIInterface). It keeps the statements with the learner's
   progress and computes the resource's progress from them: 1 (complete) once a statement's verb is passed,
   completed or mastered; 0.01 once there is any. Without a statement, Kolibri's progress for an HTML5 app is
   the time spent against the resource's duration, which would call a course complete that nobody did.
   So this sends: "initialized" once, on the first page the learner opens; "scored" for each quiz checked,
   with the quiz's best score; and once, when course.yml's lms_completion says the course is done, as a SCORM
   package or a cmi5 AU says it: "completed" once every sequence has been viewed (viewed, the default), or
   "passed", with the points, once the graded quizzes reach the pass mark (passed: the certificate's rule,
   progress-store.js summary; with no graded quiz, viewed).

   An app is the whole course, or one module (--apps module: every module's app is the same zip, entered at
   its module's page). Kolibri keeps each app's storage apart, and the first page an app opens is its entry:
   the grain is kept from there, and a module's app is done with its module's sequences and quizzes. */
(function () {
  "use strict";
  var VERBS = "http://adlnet.gov/expapi/verbs/";
  var ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment";
  var COURSE = "http://adlnet.gov/expapi/activities/course";
  var MODULE = "http://adlnet.gov/expapi/activities/module";
  var config;
  try { config = JSON.parse(document.getElementById("mooc-report").textContent); } catch (error) { return; }
  var lang = document.documentElement.lang || "und";

  function findInterface() {
    var here = window;
    for (var depth = 0; depth < 4; depth++) {
      try {
        if (here.xAPI && typeof here.xAPI.sendStatement === "function") { return here.xAPI; }
      } catch (error) {
        return null;  // another origin: not Kolibri's sandbox page
      }
      if (here.parent === here) { return null; }
      here = here.parent;
    }
    return null;
  }

  var xapi = findInterface();
  if (!xapi) { return; }

  function named(text) { var map = {}; map[lang] = text; return map; }

  function activity(id, title, type) {
    return { objectType: "Activity", id: id, definition: { name: named(title), type: type } };
  }

  function send(verb, object, result) {
    var statement = { verb: { id: VERBS + verb, display: { "en-US": verb } }, object: object };
    if (result) { statement.result = result; }
    try { xapi.sendStatement(statement); } catch (error) { /* Kolibri keeps its time-based progress */ }
  }

  // What this learner has already said to Kolibri: kept in the page's storage, which Kolibri's sandbox keeps
  // with the learner's progress, per resource.
  function flag(name, set) {
    var key = config.key + ":kolibri:" + name;
    try {
      if (set) { window.localStorage.setItem(key, "1"); return true; }
      return window.localStorage.getItem(key) === "1";
    } catch (error) {
      return false;
    }
  }

  var course = activity(config.iri, config.title, COURSE);

  function score(raw, max) {
    return { raw: raw, min: 0, max: max, scaled: max > 0 ? Math.min(1, raw / max) : 0 };
  }

  // The app's grain: "" (the course) or a module's id, said by the entry page on the app's first visit.
  function grain() {
    var key = config.key + ":kolibri:grain";
    try {
      var kept = window.localStorage.getItem(key);
      if (kept !== null) { return kept; }
      window.localStorage.setItem(key, config.entry_module || "");
    } catch (error) { /* no storage: the course */ }
    return config.entry_module || "";
  }
  var module = grain();

  // The course, or the module: its sequences, its graded quizzes and their total, as progress-store.js reads
  // them.
  function scope() {
    var quizzes = {}, total = 0;
    Object.keys(config.quizzes).forEach(function (key) {
      if (module && key.split("/")[0] !== module) { return; }
      quizzes[key] = config.quizzes[key];
      if (quizzes[key].graded) { total += quizzes[key].points; }
    });
    return { key: config.key, site: config.site, course: config.course, pass_mark: config.pass_mark,
             quizzes: quizzes, total: module ? total : config.total,
             sequences: config.sequences.filter(function (key) { return !module || key.split("/")[0] === module; }),
             quizHashes: Object.keys(quizzes).reduce(function (hashes, key) {
               hashes[key] = quizzes[key].hash; return hashes; }, {}) };
  }
  var subject = module ? activity(config.iri + module + "/", config.modules[module] || config.title, MODULE)
                       : course;

  // Says, once, that the course (or the module) is done, when it is.
  function done() {
    var P = window.MoocProgress;
    if (!P || flag("done")) { return; }
    var within = scope();
    var state = P.open(within).read();
    if (config.completion === "passed" && within.total) {
      var total = P.summary(within, state);
      if (!total.passed) { return; }
      send("passed", subject, { score: score(total.earned, total.total), success: true, completion: true });
    } else {
      if (!within.sequences.every(function (key) { return state.seen[key] === 1; })) { return; }
      send("completed", subject, { completion: true });
    }
    flag("done", true);
  }

  window.MoocKolibri = {
    quizResult: function (record, quiz) {
      var page = window.MoocProgress && window.MoocProgress.readConfig("mooc-page");
      var id = page && page.sequence ? page.sequence : "";
      send("scored", activity(config.iri + id + "#quiz", config.titles[id] || config.title, ASSESSMENT),
           { score: score(record.best, quiz.points) });
      done();
    }
  };

  if (!flag("initialized")) {
    send("initialized", subject);
    flag("initialized", true);
  }
  // After the page's other scripts (seen.js marks its sequence viewed), which are deferred as this one is and
  // come after it: all of them have run when DOMContentLoaded comes.
  if (document.readyState === "complete") { done(); } else { document.addEventListener("DOMContentLoaded", done); }
}());
