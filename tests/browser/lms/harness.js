/* A minimal LMS for the browser tests: it puts scorm-again's API on this window, where a SCO in the iframe
   finds it (window.parent), launches a SCO, and lets the test read what the SCO reported.
   Nothing is sent anywhere: scorm-again without lmsCommitUrl keeps the data in memory. */
(function () {
  "use strict";
  function frame() { return document.getElementById("sco"); }

  function start(version, saved) {
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
    delete window.API;
    delete window.API_1484_11;
    var api = version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    if (saved) { api.loadFromJSON(saved); }
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

  window.Lms = { start: start, launch: launch, unload: unload, value: value, state: state, api: null, calls: [] };
}());
