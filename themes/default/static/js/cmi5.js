/* The cmi5 assignable unit (AU) runtime, on an AU's launch page (cmi5.html) in a cmi5 package (`mooc export cmi5`).

   The LMS opens the page with the cmi5 launch parameters (endpoint, fetch, actor, registration, activityId). This
   script POSTs to the fetch URL for the auth token, reads the LMS.LaunchData state document, the learner's
   preferences and the AU's own state (the learner's progress, kept in the LRS so that another computer or another
   learner on this one starts from their own), sends "initialized", then shows the course's pages in the frame.
   The pages (cmi5-page.js) say what the learner views and answers; this script sends, with the LMS's context
   template, the session id and the registration:
   - "answered" for each question answered (cmi.interaction activities, interactions.js: the question, what the
     learner picked from, the right answer, the response);
   - "completed" once every sequence of the AU has been viewed (once per registration);
   - "passed" as soon as the graded points earned (best attempt per quiz) reach the pass mark (masteryScore);
   - "failed" on leaving, when every graded quiz has been tried and the points are below it (one judgement per
     session, as cmi5 asks: a learner below the mark can still pass in this session);
   - "terminated" when the learner leaves (the Leave button, then the LMS's returnURL) or closes the page.
   Statements are PUT one by one in order (statementId in the query), which every LRS takes, Open edX's cmi5 block
   included. In Browse or Review mode only "initialized" and "terminated" are sent. Opened without launch
   parameters, the page shows the course and records nothing. Runs after progress-store.js, scoring.js (and
   scoring-parts.js) and interactions.js. */
(function () {
  "use strict";
  var P = window.MoocProgress, I = window.MoocInteractions;
  var config = P.readConfig("mooc-au");
  var messages = P.readConfig("mooc-messages") || {};
  var frame = document.querySelector(".au-frame");
  var status = document.querySelector(".au-status");
  var leave = document.querySelector(".au-leave");
  if (!config || !frame) { return; }

  var ADL = "http://adlnet.gov/expapi/verbs/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var CATEGORY = CMI5 + "categories/cmi5", MOVE_ON = CMI5 + "categories/moveon";
  var SESSION = CMI5 + "extensions/sessionid", MASTERY = CMI5 + "extensions/masteryscore";
  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  // The AU's own state document. Open edX's cmi5 block keeps a document of this name (and no other), so the
  // progress survives there too.
  var STATE = "suspendData";
  var FORMAT = 1;

  function say(text) { if (status) { status.textContent = text || ""; } }
  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  function round4(value) { return Math.round(value * 10000) / 10000; }
  function show() { if (!frame.src) { frame.src = frame.getAttribute("data-start"); } }

  function uuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function launchParameters() {
    var query = new URLSearchParams(window.location.search), launch = {};
    var names = ["endpoint", "fetch", "actor", "registration", "activityId"];
    for (var i = 0; i < names.length; i++) {
      launch[names[i]] = query.get(names[i]);
      if (!launch[names[i]]) { return null; }
    }
    try { launch.actor = JSON.parse(launch.actor); } catch (error) { return null; }
    if (!isObject(launch.actor)) { return null; }
    if (launch.endpoint.slice(-1) !== "/") { launch.endpoint += "/"; }
    return launch;
  }

  var launch = launchParameters();
  if (!launch) { say(messages.alone); show(); return; }

  // --- Talking to the LMS's LRS -----------------------------------------------------------------------------
  var auth = null;

  function encode(params) {
    return Object.keys(params).map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); })
      .join("&");
  }

  function request(method, path, params, body, keepalive) {
    var headers = { "X-Experience-API-Version": "1.0.3", "Authorization": auth };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(launch.endpoint + path + "?" + encode(params), {
      method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store", keepalive: Boolean(keepalive)
    }).then(function (response) {
      // 409: a statement already stored under that id, as when an answer got lost and the PUT is sent again.
      if (!response.ok && response.status !== 404 && response.status !== 409) {
        throw new Error(method + " " + path + ": HTTP " + response.status);
      }
      return response;
    });
  }

  function getDocument(path, params) {
    return request("GET", path, params).then(function (response) {
      return response.status === 404 ? null : response.json().catch(function () { return null; });
    });
  }

  function stateParams() {
    return { stateId: STATE, activityId: launch.activityId, agent: JSON.stringify(launch.actor),
             registration: launch.registration };
  }

  function fetchToken() {
    return fetch(launch.fetch, { method: "POST", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error("fetch URL: HTTP " + response.status); }
      return response.json();
    }).then(function (answer) {
      if (!isObject(answer) || typeof answer["auth-token"] !== "string") {
        throw new Error("fetch URL: " + JSON.stringify(answer));
      }
      auth = "Basic " + answer["auth-token"];
    });
  }

  // --- The session --------------------------------------------------------------------------------------------
  var launchData = null, started = 0, sessionId = null, finished = false, judged = false, tracking = false;
  var state = null; // the learner's progress in this AU: {v, seen, quizzes}, as progress-store.js keeps it
  var reported = { completed: false, passed: false, failed: null }; // over the registration, from the state
  var queue = []; // statements and state saves not yet acknowledged, in order
  var flushing = null;
  var hashes = {};
  Object.keys(config.quizzes).forEach(function (id) { hashes[id] = config.quizzes[id].hash; });
  config.quizHashes = hashes;

  function duration() {
    var seconds = Math.max(0, (Date.now() - started) / 1000);
    var hours = Math.floor(seconds / 3600), minutes = Math.floor(seconds % 3600 / 60);
    return "PT" + (hours ? hours + "H" : "") + (hours || minutes ? minutes + "M" : "") +
      round4(seconds % 60).toFixed(2) + "S";
  }

  function langMap(text) { var map = {}; map[config.lang] = text; return map; }

  /* The LMS's context template, untouched (its session id and publisher id stay), with the registration, and
     ours added: a list gets our activities after its own, an extension is added where the template has none. */
  function context(extra) {
    var result = clone(launchData.contextTemplate);
    var activities = result.contextActivities = isObject(result.contextActivities) ? result.contextActivities : {};
    var extensions = result.extensions = isObject(result.extensions) ? result.extensions : {};
    result.registration = launch.registration;
    if (extensions[SESSION] === undefined) { extensions[SESSION] = sessionId; } // an LMS that gave none
    Object.keys(extra.contextActivities || {}).forEach(function (kind) {
      var list = activities[kind] === undefined ? [] : [].concat(activities[kind]);
      extra.contextActivities[kind].forEach(function (activity) {
        if (!list.some(function (known) { return known && known.id === activity.id; })) { list.push(activity); }
      });
      activities[kind] = list;
    });
    Object.keys(extra.extensions || {}).forEach(function (key) {
      if (extensions[key] === undefined) { extensions[key] = extra.extensions[key]; }
    });
    return result;
  }

  function statement(verb, object, result, extra) {
    var made = { id: uuid(), timestamp: new Date().toISOString(), actor: launch.actor,
                 verb: { id: ADL + verb, display: { "en-US": verb, "en": verb } },
                 object: object, context: context(extra || {}) };
    if (result) { made.result = result; }
    return made;
  }

  /* A cmi5 defined statement: about the AU, in the cmi5 category; "moveon" too when it says completion or success. */
  function defined(verb, result, masteryScore) {
    var categories = [{ id: CATEGORY, objectType: "Activity" }];
    if (result && (result.completion !== undefined || result.success !== undefined)) {
      categories.push({ id: MOVE_ON, objectType: "Activity" });
    }
    var extensions = {};
    if (masteryScore !== null && masteryScore !== undefined) { extensions[MASTERY] = masteryScore; }
    return statement(verb, { objectType: "Activity", id: launch.activityId }, result,
                     { contextActivities: { category: categories }, extensions: extensions });
  }

  function put(item, keepalive) {
    if (item.statement) {
      return request("PUT", "statements", { statementId: item.statement.id }, item.statement, keepalive);
    }
    return request("PUT", "activities/state", stateParams(), { v: FORMAT, progress: state, reported: reported },
                   keepalive);
  }

  /* Sends what is queued, one after the other; on a failure the rest waits for the next change or the end. */
  function flush() {
    if (flushing) { return flushing; }
    function next() {
      if (!queue.length) { return Promise.resolve(); }
      return put(queue[0]).then(function () { queue.shift(); return next(); });
    }
    flushing = next().then(function () {
      flushing = null;
      if (status && status.textContent === messages.unreachable) { say(""); }
      if (queue.length) { return flush(); }
    }, function (error) {
      flushing = null;
      say(messages.unreachable);
      throw error;
    });
    return flushing;
  }

  function send(item) {
    if (finished) { return; }
    // A state save still waiting (not the one being sent) will send the state as it is then: one is enough.
    var last = queue[queue.length - 1];
    var waiting = Boolean(last && last.state && !(flushing && queue.length === 1));
    if (!(item.state && waiting)) { queue.push(item); }
    flush().catch(function () { /* said on the page; tried again at the next change */ });
  }
  function save() { send({ state: true }); }

  // --- What the learner did -------------------------------------------------------------------------------
  function masteryScore() {
    var value = launchData.masteryScore;
    return typeof value === "number" && value >= 0 && value <= 1 ? value : null;
  }

  function allTried() {
    return Object.keys(config.quizzes).every(function (id) {
      return !config.quizzes[id].graded || Boolean(state.quizzes[id]);
    });
  }

  /* completed, passed or failed, each when it is due (failed only when the session ends). */
  function judge(ending) {
    var changed = false;
    if (!reported.completed && config.sequences.every(function (id) { return state.seen[id] === 1; })) {
      send({ statement: defined("completed", { completion: true, duration: duration() }) });
      reported.completed = changed = true;
    }
    if (config.total > 0 && !reported.passed && !judged) {
      var total = P.summary(config, state), mastery = masteryScore();
      var scaled = round4(total.earned / config.total);
      var passed = mastery === null ? total.passed : scaled >= mastery;
      var score = { scaled: scaled, raw: Math.floor(100 * total.earned / config.total + 1e-9), min: 0, max: 100 };
      if (passed) {
        send({ statement: defined("passed", { success: true, score: score, duration: duration() }, mastery) });
        reported.passed = judged = changed = true;
      } else if (ending && allTried() && reported.failed !== scaled) {
        send({ statement: defined("failed", { success: false, score: score, duration: duration() }, mastery) });
        reported.failed = scaled;
        judged = changed = true;
      }
    }
    if (changed) { save(); }
  }

  /* An xAPI list of a definition's components (choices, source, target): ids are the positions the page shows
     them at, as the responses name them (interactions.js), described by what the page showed. */
  function components(labels, count) {
    var list = [];
    for (var i = 0; i < count; i++) {
      var label = Array.isArray(labels) && labels[i] ? labels[i] : String(i + 1);
      list.push({ id: String(i), description: langMap(label) });
    }
    return list;
  }

  /* The question as a cmi.interaction activity's definition: its type, its right responses (``said``: what
     interactions.js makes of it) and what the learner picked from. */
  function interaction(question, texts, name, said) {
    var definition = { type: INTERACTION, name: langMap(name), interactionType: said.type,
                       correctResponsesPattern: said.patterns };
    if (texts.prompt) { definition.description = langMap(texts.prompt); }
    switch (question.type) {
      case "single":
      case "multiple":
        definition.choices = components(texts.choices, (texts.choices || []).length);
        break;
      case "matching":
        definition.source = components(texts.lefts, question.correct.length);
        definition.target = components(texts.options, question.options);
        break;
      case "ordering":
        definition.choices = components(texts.items, question.correct.length);
        break;
    }
    return definition;
  }

  function answered(sequence, quiz, record, texts) {
    var page = config.iri.prefix + sequence + config.iri.suffix;
    var parent = { objectType: "Activity", id: page, definition: { name: langMap(texts.title || sequence) } };
    quiz.questions.forEach(function (question, i) {
      var response = record.last[i], said;
      if (!I.answered(response)) { return; }
      var shown = texts.questions[i] || { prompt: "", choices: [] };
      try { said = I.describe(question, response, shown, "xapi"); } catch (error) { said = null; }
      if (!said) { return; } // a type this script does not know: no statement rather than a wrong one
      var result = { success: said.earned >= question.points - 1e-9,
                     score: { raw: said.earned, min: 0, max: question.points } };
      if (said.response !== null) { result.response = said.response; }
      if (question.points > 0) { result.score.scaled = round4(said.earned / question.points); }
      var object = { objectType: "Activity", id: page + "#q" + (i + 1),
                     definition: interaction(question, shown, (texts.title || sequence) + " · " + (i + 1), said) };
      send({ statement: statement("answered", object, result, {
        contextActivities: { parent: [parent], grouping: [{ objectType: "Activity", id: launch.activityId }] }
      }) });
    });
  }

  var session = {
    viewed: function (sequence) {
      if (!tracking || finished || config.sequences.indexOf(sequence) < 0 || state.seen[sequence] === 1) { return; }
      state.seen[sequence] = 1;
      save();
      judge(false);
    },
    quizResult: function (text) {
      var data;
      try { data = JSON.parse(text); } catch (error) { return; }
      if (!tracking || finished || !isObject(data) || !config.quizzes[data.sequence] || !isObject(data.record)) {
        return;
      }
      var checked = P.sanitise({ v: P.VERSION, seen: {}, quizzes: { x: data.record } }, null).state.quizzes.x;
      if (!checked || checked.h !== config.quizzes[data.sequence].hash) { return; }
      answered(data.sequence, data.quiz, checked, isObject(data.texts) ? data.texts : { questions: [] });
      // The page counts from what the browser kept; the best attempt and the count go on from the AU's own.
      var before = state.quizzes[data.sequence];
      if (before && before.h === checked.h) {
        checked.best = Math.max(checked.best, before.best);
        checked.n = Math.max(checked.n, before.n + 1);
      }
      state.quizzes[data.sequence] = checked;
      state.seen[data.sequence] = 1;
      save();
      judge(false);
    }
  };

  /* The learner's progress from the AU's state: only what this AU reports on; nothing (a new registration, or
     another learner's progress in this browser) else. The pages read it from the browser's store. */
  function restore(saved) {
    var kept = isObject(saved) && saved.v === FORMAT ? saved : {};
    var progress = P.sanitise(isObject(kept.progress) ? kept.progress : null, hashes).state;
    Object.keys(progress.seen).forEach(function (id) {
      if (config.sequences.indexOf(id) < 0) { delete progress.seen[id]; }
    });
    Object.keys(progress.quizzes).forEach(function (id) { if (!config.quizzes[id]) { delete progress.quizzes[id]; } });
    var was = isObject(kept.reported) ? kept.reported : {};
    reported = { completed: was.completed === true, passed: was.passed === true,
                 failed: typeof was.failed === "number" ? was.failed : null };
    state = progress;
    P.open(config).write(clone(progress));
  }

  function terminate(keepalive) {
    if (finished) { return flushing || Promise.resolve(); }
    if (tracking) { judge(true); }
    send({ statement: defined("terminated", { duration: duration() }) });
    finished = true;
    if (!keepalive) { return flush(); }
    // The page is going away: what is left goes now, all at once, in requests that outlive the page.
    queue.splice(0).forEach(function (item) { put(item, true).catch(function () { /* nothing more to do */ }); });
    return Promise.resolve();
  }

  function start(mode) {
    started = Date.now();
    sessionId = launchData.contextTemplate.extensions && launchData.contextTemplate.extensions[SESSION] || uuid();
    send({ statement: defined("initialized") });
    tracking = mode === "Normal";
    if (!tracking) { say(messages.review); }
    window.MoocCmi5Session = session; // the pages find it in their parent (cmi5-page.js)
    leave.hidden = false;
    show();
  }

  leave.addEventListener("click", function () {
    leave.disabled = true;
    say(messages.saving);
    function left() {
      frame.removeAttribute("src");
      frame.hidden = true;
      if (typeof launchData.returnURL === "string" && launchData.returnURL) {
        window.location.assign(launchData.returnURL);
      } else {
        say(messages.left);
        window.close();
      }
    }
    terminate(false).then(left, left);
  });
  window.addEventListener("pagehide", function () { if (launchData) { terminate(true); } });
  // A phone may stop a page in the background without pagehide: what is queued goes before it is hidden.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && launchData && !finished) {
      flush().catch(function () { /* tried again at the next change or at the end */ });
    }
  });
  // Back to a page kept by the browser after leaving it: its session has ended, and a launch URL serves once.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && finished) {
      frame.hidden = true;
      leave.hidden = true;
      say(messages.left);
    }
  });

  fetchToken().then(function () {
    return getDocument("activities/state", { stateId: "LMS.LaunchData", activityId: launch.activityId,
                                             agent: JSON.stringify(launch.actor), registration: launch.registration });
  }).then(function (data) {
    if (!isObject(data) || !isObject(data.contextTemplate)) { throw new Error("no LMS.LaunchData"); }
    // Its learner preferences: cmi5 asks the AU to read them; the course has one language and no sound setting.
    return getDocument("agents/profile", { agent: JSON.stringify(launch.actor), profileId: "cmi5LearnerPreferences" })
      .catch(function () { return null; })
      .then(function () { return getDocument("activities/state", stateParams()); })
      .then(function (saved) {
        launchData = data;
        restore(saved);
        start(data.launchMode || "Normal");
      });
  }).catch(function () {
    say(messages.unreachable);
    show();
  });
}());
