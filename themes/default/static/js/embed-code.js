/* The embed code of a sequence page names the embedded page by its full address, taken from this page's own
   when it is served over http(s): right on the public site, a residence's local server or a subfolder, where the
   build's base_url (the public host) or a relative address (a 404 once pasted elsewhere) would not be.
   Opened from a file, the page has no address another site can load: the code is left as built and a note says
   where it works. */
(function () {
  "use strict";
  var areas = document.querySelectorAll("textarea.embed-code[data-embed]");
  if (!areas.length) { return; }
  var note = document.querySelector(".embed-note");  // "replace the address", for readers without script
  var fileNote = document.querySelector(".embed-note-file");
  if (location.protocol !== "http:" && location.protocol !== "https:") {
    if (note) { note.hidden = true; }
    if (fileNote) { fileNote.hidden = false; }
    return;
  }
  if (note) { note.hidden = true; }
  for (var i = 0; i < areas.length; i++) {
    var address = new URL(areas[i].getAttribute("data-embed"), location.href).href;
    // An attribute value in the pasted HTML: the URL parser has percent-encoded quotes, '&' is left.
    var value = address.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    areas[i].value = areas[i].value.replace(/src="[^"]*"/, function () { return 'src="' + value + '"'; });
  }
}());
