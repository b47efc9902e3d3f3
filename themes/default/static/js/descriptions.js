/* Audio description: a toggle under each video that has one, pressed or not for every video of the site at once
   (remembered in localStorage). When on, a WebVTT description is read aloud at each of its cues by the browser's
   speech synthesis, in the track's language, and written into a live region, which a screen reader reads too
   and which still works where the browser has no speech synthesis; when a description is still being read as
   its cue ends, the video waits for it (an extended description) and goes on after. A recorded description
   (an <audio> the author gave) plays instead of the video's sound, kept in step with the video.
   The cues come from the script written beside the .vtt file (data-track-js), over http as over file://, where
   Chromium refuses to load a <track> file. */
(function () {
  "use strict";
  var KEY = "mooc-descriptions";
  var store = window.MoocCaptions = window.MoocCaptions || {};
  var speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
  var players = [];

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
          var said = lines.slice(j + 1).join(" ").replace(/<[^>]*>/g, "").trim();
          if (said) { cues.push({ start: seconds(match[1]), end: seconds(match[2]), text: said }); }
          break;
        }
      }
    }
    return cues;
  }

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }

  function remember(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (error) { /* storage refused */ }
  }

  function videoBefore(element) {
    var sibling = element.previousElementSibling;
    while (sibling && sibling.tagName !== "VIDEO") { sibling = sibling.previousElementSibling; }
    return sibling;
  }

  // The description track in the page's language if there is one, else the first.
  function chosenTrack(video) {
    var tracks = video.querySelectorAll("track[kind='descriptions'][data-track-js]");
    var language = (document.documentElement.lang || "").split("-")[0];
    for (var i = 0; i < tracks.length; i++) {
      if (tracks[i].srclang.split("-")[0] === language) { return tracks[i]; }
    }
    return tracks[0] || null;
  }

  function loadCues(track, done) {
    var key = track.getAttribute("data-track-key");
    if (typeof store[key] === "string") { done(parse(store[key])); return; }
    var script = document.createElement("script");
    script.src = track.getAttribute("data-track-js");
    script.onload = function () { done(typeof store[key] === "string" ? parse(store[key]) : []); };
    script.onerror = function () { done([]); };
    document.head.appendChild(script);
  }

  function Player(box, video) {
    var self = this;
    this.box = box;
    this.video = video;
    this.button = box.querySelector(".video-description-toggle");
    this.live = box.querySelector(".video-description-text");
    this.audio = box.querySelector("audio.video-described-audio");
    this.track = chosenTrack(video);
    this.language = this.track ? this.track.srclang : document.documentElement.lang;
    this.cues = null;
    this.next = 0; // the first cue not yet read
    this.speaking = null; // the cue being read aloud
    this.waiting = false; // the video is paused until the description being read ends
    this.wasMuted = video.muted;
    this.on = false;
    this.button.hidden = false;
    this.button.addEventListener("click", function () { setAll(!self.on); });
    video.addEventListener("timeupdate", function () { self.tick(); });
    video.addEventListener("seeking", function () { self.seek(); });
    video.addEventListener("play", function () { self.follow(); });
    video.addEventListener("pause", function () { if (!self.waiting) { self.follow(); } });
    video.addEventListener("ratechange", function () { self.follow(); });
    video.addEventListener("seeked", function () { self.follow(); });
  }

  Player.prototype.set = function (on) {
    var self = this;
    this.on = on;
    this.button.setAttribute("aria-pressed", on ? "true" : "false");
    if (!on) {
      this.quiet();
      if (this.live) { this.live.textContent = ""; }
    }
    if (this.audio) {
      if (on) { this.wasMuted = this.video.muted; }
      this.video.muted = on ? true : this.wasMuted;
      this.follow();
      return;
    }
    if (on && this.cues === null && this.track) {
      this.cues = [];
      loadCues(this.track, function (cues) {
        self.cues = cues;
        self.seek();
        self.tick();
      });
    }
  };

  Player.prototype.quiet = function () {
    if (this.speaking && speech) { speech.cancel(); }
    this.speaking = null;
    this.resume();
  };

  Player.prototype.resume = function () {
    if (!this.waiting) { return; }
    this.waiting = false;
    var playing = this.video.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  };

  // After a jump, the cues from there on are read again, and none before it.
  Player.prototype.seek = function () {
    if (!this.cues) { return; }
    this.quiet();
    var time = this.video.currentTime;
    this.next = 0;
    while (this.next < this.cues.length && this.cues[this.next].end <= time) { this.next += 1; }
  };

  Player.prototype.tick = function () {
    if (!this.on || !this.cues) { return; }
    var time = this.video.currentTime;
    if (this.speaking && !this.video.paused && time >= this.speaking.end - 0.1 && speech && speech.speaking) {
      this.waiting = true; // an extended description: the picture waits for the words
      this.video.pause();
    }
    if (this.video.paused && !this.waiting) { return; }
    while (this.next < this.cues.length && this.cues[this.next].start <= time) {
      var cue = this.cues[this.next];
      this.next += 1;
      if (cue.end > time) { this.say(cue); }
    }
  };

  Player.prototype.say = function (cue) {
    var self = this;
    if (this.live) {
      this.live.textContent = "";
      this.live.textContent = cue.text;
    }
    if (!speech) { return; }
    var utterance = new window.SpeechSynthesisUtterance(cue.text);
    utterance.lang = this.language;
    this.speaking = cue;
    var done = function () {
      if (self.speaking !== cue) { return; }
      self.speaking = null;
      self.resume();
    };
    utterance.onend = done;
    utterance.onerror = done;
    // A browser without a voice may never say it ended: the video goes on after the time the words would take.
    window.setTimeout(done, Math.max(3000, cue.text.length * 120));
    speech.speak(utterance);
  };

  // The recorded description plays, pauses, jumps and changes speed with the video.
  Player.prototype.follow = function () {
    var audio = this.audio;
    if (!audio) { return; }
    if (!this.on) {
      if (!audio.paused) { audio.pause(); }
      return;
    }
    audio.playbackRate = this.video.playbackRate;
    if (Math.abs(audio.currentTime - this.video.currentTime) > 0.3) { audio.currentTime = this.video.currentTime; }
    if (this.video.paused || this.video.seeking) {
      if (!audio.paused) { audio.pause(); }
    } else if (audio.paused) {
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () {}); }
    }
  };

  function setAll(on) {
    remember(on);
    for (var i = 0; i < players.length; i++) { players[i].set(on); }
  }

  var boxes = document.querySelectorAll(".video-description");
  for (var b = 0; b < boxes.length; b++) {
    var video = videoBefore(boxes[b]);
    if (video && boxes[b].querySelector(".video-description-toggle")) { players.push(new Player(boxes[b], video)); }
  }
  if (players.length && remembered()) { setAll(true); }
}());
