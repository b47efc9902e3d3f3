/* Shows the first caption track of every video. Over file:// Chromium refuses to load <track> files,
   so there the captions come from a small script written beside each .vtt file (name.vtt.js) and are
   added to the player as cues. */
(function () {
  "use strict";
  var store = window.MoocCaptions = window.MoocCaptions || {};

  function seconds(stamp) {
    var parts = stamp.trim().split(":"), total = 0;
    for (var i = 0; i < parts.length; i++) { total = total * 60 + parseFloat(parts[i].replace(",", ".")); }
    return total;
  }

  function parse(text) {
    var cues = [];
    var blocks = text.replace(/\r\n?/g, "\n").split(/\n\n+/);
    for (var i = 0; i < blocks.length; i++) {
      var lines = blocks[i].split("\n");
      for (var j = 0; j < lines.length; j++) {
        var match = /^([\d:.,]+)\s+-->\s+([\d:.,]+)/.exec(lines[j]);
        if (match) {
          cues.push({ start: seconds(match[1]), end: seconds(match[2]), text: lines.slice(j + 1).join("\n") });
          break;
        }
      }
    }
    return cues;
  }

  function addFromScript(video, track, first) {
    var source = track.getAttribute("data-captions-js");
    var key = track.getAttribute("data-captions-key");
    var script = document.createElement("script");
    script.src = source;
    script.onload = function () {
      var text = store[key];
      if (typeof text !== "string") { return; }
      var added = video.addTextTrack("captions", track.label, track.srclang);
      var cues = parse(text);
      for (var i = 0; i < cues.length; i++) {
        added.addCue(new VTTCue(cues[i].start, cues[i].end, cues[i].text));
      }
      added.mode = first ? "showing" : "hidden";
    };
    document.head.appendChild(script);
    track.remove();
  }

  // Only the caption tracks: a video's chapters and description tracks are chapters.js's and descriptions.js's.
  var videos = document.querySelectorAll("video");
  for (var v = 0; v < videos.length; v++) {
    var tracks = videos[v].querySelectorAll("track[kind='captions']");
    if (location.protocol === "file:") {
      for (var t = 0; t < tracks.length; t++) { addFromScript(videos[v], tracks[t], t === 0); }
    } else if (tracks.length && tracks[0].track) {
      tracks[0].track.mode = "showing";
    }
  }
}());
