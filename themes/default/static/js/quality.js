/* The light or the high quality of each video that has a light variant: the light one on a small screen,
   when the browser asks to save data or says the link is slow, else the original; the learner's own choice,
   once made, for every video after (localStorage). A video keeps its place and goes on playing when the
   quality changes. The choice is a pair of radio buttons under the player, hidden without script (the
   player then plays the original, and the caption offers both files). */
(function () {
  "use strict";
  var KEY = "mooc-video-quality";

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode: this page only */ }
  }

  function lightByDefault() {
    var connection = navigator.connection || {};
    if (connection.saveData) { return true; }
    if (/(^|-)2g$|^3g$/.test(connection.effectiveType || "")) { return true; }
    if (window.matchMedia) {
      if (window.matchMedia("(prefers-reduced-data: reduce)").matches) { return true; }
      if (window.matchMedia("(max-width: 40em)").matches) { return true; }
    }
    return false;
  }

  function wanted() {
    var choice = stored();
    if (choice === "light" || choice === "high") { return choice; }
    return lightByDefault() ? "light" : "high";
  }

  function sourceOf(video, quality) {
    return video.querySelector('source[data-quality="' + quality + '"]');
  }

  function apply(video, quality) {
    var first = sourceOf(video, quality);
    if (!first || video.querySelector("source") === first) { return false; }
    var at = video.currentTime, playing = !video.paused;
    video.insertBefore(first, video.querySelector("source"));
    if (at > 0 || playing) { video.preload = "metadata"; }  /* "none" would never tell where to resume */
    video.load();
    if (at > 0 || playing) {
      video.addEventListener("loadedmetadata", function resume() {
        video.removeEventListener("loadedmetadata", resume);
        video.currentTime = at;
        if (playing) { video.play(); }
      });
    }
    return true;
  }

  var videos = document.querySelectorAll("video");
  var quality = wanted();
  for (var i = 0; i < videos.length; i++) {
    var video = videos[i];
    if (!sourceOf(video, "light")) { continue; }
    apply(video, quality);
    video.setAttribute("data-quality", quality);
    var box = video.closest(".video");
    var choice = box && box.querySelector(".video-quality");
    if (!choice) { continue; }
    var radios = choice.querySelectorAll("input[type=radio]");
    for (var r = 0; r < radios.length; r++) {
      radios[r].checked = radios[r].value === quality;
      radios[r].addEventListener("change", (function (player) {
        return function (event) {
          var value = event.target.value;
          store(value);
          apply(player, value);
          player.setAttribute("data-quality", value);
        };
      }(video)));
    }
    choice.hidden = false;
  }
}());
