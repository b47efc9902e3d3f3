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

  /* The text folded as matching folds it, with where each folded character comes from in the text: a match
     found in the folded text is cut and highlighted in the text itself ("œ" folds to two characters, an
     accent to none). */
  function foldMap(text) {
    var folded = "", from = [];
    for (var i = 0; i < text.length; i++) {
      var part = fold(text.charAt(i));
      for (var k = 0; k < part.length; k++) { from.push(i); }
      folded += part;
    }
    from.push(text.length);
    return { folded: folded, from: from };
  }

  /* Where each word occurs in ``text``, as [start, end) in the text, sorted and merged. */
  function matches(text, words) {
    var map = foldMap(text), ranges = [];
    words.forEach(function (word) {
      var at = map.folded.indexOf(word);
      while (at >= 0) {
        ranges.push([map.from[at], map.from[at + word.length - 1] + 1]);
        at = map.folded.indexOf(word, at + word.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) { last[1] = Math.max(last[1], range[1]); } else { merged.push(range); }
    });
    return merged;
  }

  var SPACE = /\s/;

  /* About 180 characters of the text around the first match, cut between words, "…" where cut. */
  function cut(text, at) {
    var start = Math.max(0, at - 60), end = Math.min(text.length, start + 180);
    while (start > 0 && !SPACE.test(text.charAt(start - 1))) { start--; }  // back to the word's start
    if (end < text.length) {
      var back = end;
      while (back > at && !SPACE.test(text.charAt(back))) { back--; }
      if (back > at) { end = back; } else {  // one long word: to its end
        while (end < text.length && !SPACE.test(text.charAt(end))) { end++; }
      }
    }
    return { start: start, end: end,
             before: start > 0 ? "…" : "", after: end < text.length ? "…" : "" };
  }

  /* The snippet as text and <mark> elements, made with DOM calls: the content is never read as HTML. */
  function snippet(entry, words, into) {
    var text = entry.x, ranges = matches(text, words);
    var place = cut(text, ranges.length ? ranges[0][0] : 0);
    var body = text.slice(place.start, place.end).trim();
    var offset = place.start + text.slice(place.start, place.end).search(/\S|$/);
    var position = 0;
    into.appendChild(document.createTextNode(place.before));
    ranges.forEach(function (range) {
      var from = range[0] - offset, to = range[1] - offset;
      if (from < position || to > body.length) { return; }
      into.appendChild(document.createTextNode(body.slice(position, from)));
      var mark = document.createElement("mark");
      mark.textContent = body.slice(from, to);
      into.appendChild(mark);
      position = to;
    });
    into.appendChild(document.createTextNode(body.slice(position) + place.after));
  }

  /* A count in words: its forms by plural category, the one the count takes (plural.js). */
  function counted(forms, count) {
    return window.MoocPlural.pick(forms, count).replace("{n}", count);
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
      snippet(entry, words, text);
      li.appendChild(link);
      li.appendChild(where);
      li.appendChild(text);
      list.appendChild(li);
    });
    status.textContent = found.length ? counted(messages.some, found.length) : messages.none;
  }

  // The button's click (also from Enter in the field) cancels the submission, which a frame sandboxed
  // without allow-forms (Kolibri) blocks before any submit event.
  function submitted(event) {
    event.preventDefault();
    load(search);
  }
  var button = form.querySelector("button[type=submit], button:not([type])");
  if (button) { button.addEventListener("click", submitted); }
  form.addEventListener("submit", submitted);
  input.addEventListener("input", function () { if (prepared) { search(); } });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; load(search); }
}());
