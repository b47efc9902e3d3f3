/* A minimal LMS for the browser tests: it puts scorm-again's API on this window, where a SCO in the iframe
   finds it (window.parent), launches a SCO, and lets the test read what the SCO reported.
   Nothing is sent anywhere: scorm-again without lmsCommitUrl keeps the data in memory. */
(function () {
  "use strict";
  function frame() { return document.getElementById("sco"); }

  /* A fresh API (strict: every wrong call is an error), with ``saved`` cmi data as an LMS gives it back at the
     next launch (entry "resume", or ``entry``), else a first launch (entry "ab-initio"). Every call that leaves an error
     code is kept in Lms.errors. */
  function start(version, saved, entry) {
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5, strict_errors: true };
    delete window.API;
    delete window.API_1484_11;
    var v12 = version === "1.2";
    var api = v12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    var data = saved ? JSON.parse(JSON.stringify(saved)) : {};
    var cmi = data.cmi || data; // what Lms.state() gave: {cmi: {...}}
    entry = entry || (saved ? "resume" : "ab-initio"); // scormhost says ab-initio at every launch
    if (v12) { cmi.core = cmi.core || {}; cmi.core.entry = entry; } else { cmi.entry = entry; }
    api.loadFromJSON(data);
    var errors = [];
    var lastError = v12 ? "LMSGetLastError" : "GetLastError";
    (v12 ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"] :
      ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"]).forEach(function (name) {
      var original = api[name];
      api[name] = function () {
        var result = original.apply(api, arguments);
        var code = String(api[lastError]());
        if (code !== "0") { errors.push(name + "(" + Array.prototype.join.call(arguments, ", ") + "): " + code); }
        return result;
      };
    });
    var calls = [];
    var names = version === "1.2" ?
      ["LMSInitialize", "LMSFinish", "LMSCommit", "LMSSetValue"] : ["Initialize", "Terminate", "Commit", "SetValue"];
    names.forEach(function (name) {
      api.on(name, function (element, value) {
        calls.push(name === "LMSSetValue" || name === "SetValue" ? name + " " + element + "=" + value : name);
      });
    });
    if (version === "1.2") { window.API = api; } else { window.API_1484_11 = api; }
    window.Lms.api = api;
    window.Lms.calls = calls;
    window.Lms.errors = errors;
    window.Lms.version = version;
  }

  function launch(url) {
    return new Promise(function (resolve) {
      var element = frame();
      element.addEventListener("load", function loaded() { element.removeEventListener("load", loaded); resolve(); });
      element.src = url;
    });
  }

  function unload() { return launch("about:blank"); }

  function value(element) {
    try { return String(window.Lms.api.getCMIValue(element)); } catch (error) { return "error: " + error; }
  }

  function state() { return JSON.parse(JSON.stringify(window.Lms.api.renderCMIToJSONObject())); }

  window.Lms = { start: start, launch: launch, unload: unload, value: value, state: state, api: null, calls: [], errors: [] };
}());
