/* Fits a slide of the projector view into its area (present.css): nothing of it goes under the control bar or
   past an edge. A slide's type is a share of its area (cqh, cqw) times --fit; when its content is higher or
   wider than the area, --fit is lowered (halving the gap, seven times) to the largest value that fits, down to
   0.4; below that (a very long table), the whole content is scaled down as one picture. Pictures and videos
   follow --fit too (present.css). window.MoocFit(slide) is called by present.js and presenter.js for the
   slide they show, again when the window's size changes, an image loads or a disclosure opens. */
(function () {
  "use strict";
  var LOWEST = 0.4;
  var ROUNDS = 7;

  function room(slide) {
    var style = window.getComputedStyle(slide);
    return {
      width: slide.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      height: slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
    };
  }

  function size(content) {
    return {
      width: Math.max(content.scrollWidth, content.offsetWidth),
      height: Math.max(content.scrollHeight, content.offsetHeight)
    };
  }

  function fits(content, area) {
    var needed = size(content);
    return needed.height <= area.height + 0.5 && needed.width <= area.width + 0.5;
  }

  function setFit(slide, value) {
    slide.style.setProperty("--fit", String(value));
  }

  window.MoocFit = function (slide) {
    var content = slide && slide.querySelector(".slide-content");
    if (!content || slide.hidden) { return 1; }
    content.style.transform = "";
    content.style.maxWidth = "";
    setFit(slide, 1);
    var area = room(slide);
    if (area.height <= 0 || area.width <= 0 || fits(content, area)) { return 1; }
    setFit(slide, LOWEST);
    if (!fits(content, area)) {
      content.style.maxWidth = "none"; // the whole area's width, from its left edge, before the scale
      var needed = size(content);
      var scale = Math.min(area.height / needed.height, area.width / needed.width);
      var shift = Math.max(0, (area.width - needed.width * scale) / 2);
      content.style.transformOrigin = "top left";
      content.style.transform = "translateX(" + shift + "px) scale(" + scale + ")";
      return LOWEST * scale;
    }
    var low = LOWEST;
    var high = 1;
    for (var round = 0; round < ROUNDS; round++) {
      var middle = (low + high) / 2;
      setFit(slide, middle);
      if (fits(content, area)) { low = middle; } else { high = middle; }
    }
    setFit(slide, low);
    return low;
  };
}());
