/* Search in a course, in the browser: the index (a plain script, so it loads from file:// too) is
   fetched only when the learner searches. Matching ignores case and accents ("energie" finds "énergie");
   every word typed must appear in the title, the objectives or the text of a sequence. */
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var messagesElement = document.getElementById("mooc-messages");
  if (!form || !input || !messagesElement) { return; }
  var messages = JSON.parse(messagesElement.textContent);
  var prepared = null;
  var waiting = [];
  document.querySelector(".needs-js").hidden = true;

  function fold(text) {
    return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  function load(then) {
    if (prepared) { then(); return; }
    waiting.push(then);
    if (waiting.length > 1) { return; }
    status.textContent = messages.loading;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = function () {
      var index = window.MoocSearchIndex || { entries: [] };
      prepared = index.entries.map(function (entry) {
        return { entry: entry, title: fold(entry.t), other: fold(entry.m + " " + entry.o), text: fold(entry.x) };
      });
      var callbacks = waiting;
      waiting = [];
      callbacks.forEach(function (callback) { callback(); });
    };
    script.onerror = function () { status.textContent = messages.failed; waiting = []; };
    document.head.appendChild(script);
  }

  function snippet(entry, word) {
    var folded = fold(entry.x);
    var at = folded.indexOf(word);
    if (at < 0) { return entry.x.slice(0, 160); }
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + entry.x.slice(start, start + 180) + "…";
  }

  function search() {
    var words = fold(input.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var found = [];
    prepared.forEach(function (item) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        if (item.title.indexOf(w) >= 0) { score += 10; }
        else if (item.other.indexOf(w) >= 0) { score += 3; }
        else if (item.text.indexOf(w) >= 0) { score += 1; }
        else { return; }
      }
      found.push({ item: item, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score; });
    found.forEach(function (result) {
      var entry = result.item.entry;
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.t;
      var where = document.createElement("span");
      where.className = "search-module";
      where.textContent = " — " + entry.m;
      var text = document.createElement("p");
      text.textContent = snippet(entry, words[0]);
      li.appendChild(link);
      li.appendChild(where);
      li.appendChild(text);
      list.appendChild(li);
    });
    status.textContent = found.length ? messages.some.replace("{n}", found.length) : messages.none;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(search);
  });
  input.addEventListener("input", function () { if (prepared) { search(); } });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; load(search); }
}());
