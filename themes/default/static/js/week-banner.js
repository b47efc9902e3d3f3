/* Shows the note of a week that has not opened yet by the reader's clock (the site may have been built
   before the week opened, or be read from a USB stick). It only shows text: nothing is hidden. */
(function () {
  "use strict";
  var banners = document.querySelectorAll(".week-banner[data-opens]");
  var now = new Date();
  var today = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
    String(now.getDate()).padStart(2, "0");
  for (var i = 0; i < banners.length; i++) {
    banners[i].hidden = !(today < banners[i].getAttribute("data-opens"));
  }
}());
