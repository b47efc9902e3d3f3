/* In an iframe, tells the host page how tall this page is, so it can size the frame:
   window.addEventListener("message", e => { if (e.data && e.data.type === "mooc:height") ... }). */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "mooc:height", height: height, href: location.href }, "*");
  }
  send();
  window.addEventListener("load", send);
  if (window.ResizeObserver) {
    new ResizeObserver(send).observe(document.documentElement);
  } else {
    window.setInterval(send, 1000);
  }
}());
