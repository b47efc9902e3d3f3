/* Chapters: each chapter listed under a video (its start time and title, written in the page) becomes a button
   that plays the video from there; the chapter playing is marked with aria-current. Without JavaScript the
   list stays as text. */
(function () {
  "use strict";

  function videoBefore(element) {
    var sibling = element.previousElementSibling;
    while (sibling && sibling.tagName !== "VIDEO") { sibling = sibling.previousElementSibling; }
    return sibling;
  }

  function mark(items, index) {
    for (var i = 0; i < items.length; i++) {
      if (i === index) {
        items[i].setAttribute("aria-current", "true");
      } else {
        items[i].removeAttribute("aria-current");
      }
    }
  }

  // The last chapter started at ``time``, -1 before the first.
  function playing(items, time) {
    var found = -1;
    for (var i = 0; i < items.length; i++) {
      if (parseFloat(items[i].getAttribute("data-start")) <= time + 0.05) { found = i; }
    }
    return found;
  }

  function setUp(box) {
    var video = videoBefore(box);
    if (!video) { return; }
    var items = Array.prototype.slice.call(box.querySelectorAll("li[data-start]"));
    items.forEach(function (item, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "video-chapter";
      while (item.firstChild) { button.appendChild(item.firstChild); }
      item.appendChild(button);
      button.addEventListener("click", function () {
        video.currentTime = parseFloat(item.getAttribute("data-start"));
        mark(items, index);
        var started = video.play();
        if (started && started.catch) { started.catch(function () {}); }
      });
    });
    var update = function () { mark(items, playing(items, video.currentTime)); };
    video.addEventListener("timeupdate", update);
    video.addEventListener("seeked", update);
    update();
  }

  var boxes = document.querySelectorAll(".video-chapters");
  for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }
}());
