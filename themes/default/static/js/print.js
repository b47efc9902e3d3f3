/* Printing: a video's transcript prints in full, the paper's stand-in for the video. The stylesheet opens a
   closed <details class="transcript"> for print where the browser knows ::details-content; where it does not
   (Chromium before 131, Firefox before 143, Safari before 18.4) this opens each for the print, and closes
   again those it opened. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details.transcript:not([open])");
    for (var i = 0; i < closed.length; i += 1) {
      closed[i].open = true;
      opened.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < opened.length; i += 1) { opened[i].open = false; }
    opened = [];
  });
}());
