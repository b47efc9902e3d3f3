/* In Kolibri (exports/kolibri.py) the pages run in a frame sandboxed with allow-scripts and allow-same-origin
   only: a download, a new window or a popup does nothing there, without a word. So a download link becomes
   its text with a note (the video and the pictures stay on the page), a link that would open a new window
   opens in the frame, and the projector's presenter view (a second window) is not offered. Printing and the
   progress file are left out of the pages by their templates. */
(function () {
  "use strict";
  var element = document.getElementById("mooc-sandbox");
  var messages;
  try { messages = JSON.parse(element.textContent); } catch (error) { return; }

  function adapt() {
    var downloads = document.querySelectorAll("a[download]");
    for (var i = 0; i < downloads.length; i++) {
      var link = downloads[i];
      var text = document.createElement("span");
      text.className = "sandbox-file";
      while (link.firstChild) { text.appendChild(link.firstChild); }
      var note = document.createElement("span");
      note.className = "sandbox-note";
      note.textContent = " (" + messages.download + ")";
      text.appendChild(note);
      link.parentNode.replaceChild(text, link);
    }
    var outside = document.querySelectorAll("a[target], base[target]");
    for (var j = 0; j < outside.length; j++) { outside[j].removeAttribute("target"); }
    var presenter = document.querySelector(".present-presenter");
    if (presenter) { presenter.remove(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", adapt); } else { adapt(); }
}());
