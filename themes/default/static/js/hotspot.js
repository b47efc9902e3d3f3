/* Hotspot questions: the zones drawn over the drawing become buttons (Tab, Enter or Space, or a click); a click
   elsewhere on the drawing answers "none of them" (-1) and leaves a mark there. The answer is kept in the
   zones' radio buttons, which answer without JavaScript and are hidden here: quiz.js reads them. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  document.querySelectorAll(".hotspot svg").forEach(function (svg) {
    var fieldset = svg.closest("fieldset"), form = fieldset.closest("form"), q = fieldset.id;
    var list = fieldset.querySelector(".zone-list"), zones = svg.querySelectorAll("[data-zone]");
    var none = document.createElement("input"), mark = document.createElementNS(SVG, "circle");
    none.type = "radio";
    none.name = q;
    none.value = "-1";
    none.hidden = true;
    list.appendChild(none);
    list.hidden = true;
    mark.setAttribute("class", "miss");
    mark.setAttribute("r", svg.viewBox.baseVal.width / 40);
    svg.removeAttribute("aria-hidden");
    svg.setAttribute("role", "group");
    zones.forEach(function (zone) {
      // Drawn twice: a light halo under a dark line, seen on any drawing.
      var halo = zone.cloneNode();
      halo.removeAttribute("data-zone");
      halo.setAttribute("class", "halo");
      svg.insertBefore(halo, zone);
      zone.setAttribute("role", "button");
      zone.setAttribute("tabindex", "0");
      zone.setAttribute("aria-labelledby", q + "-label " + q + "-" + zone.getAttribute("data-zone") + "-label");
      zone.setAttribute("aria-describedby", q + "-result");
    });

    function show() {
      var checked = list.querySelector(":checked"), value = checked ? checked.value : "";
      zones.forEach(function (zone) { zone.setAttribute("aria-pressed", zone.getAttribute("data-zone") === value); });
      if (value !== "-1" && mark.parentNode) { svg.removeChild(mark); }
    }

    function pick(value) {
      if (form.classList.contains("quiz-locked")) { return false; }
      list.querySelector("[value='" + value + "']").checked = true;
      show();
      return true;
    }

    svg.addEventListener("click", function (event) {
      var zone = event.target.closest("[data-zone]");
      if (zone) { pick(zone.getAttribute("data-zone")); return; }
      if (!pick("-1")) { return; }
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      point = point.matrixTransform(svg.getScreenCTM().inverse());
      mark.setAttribute("cx", point.x);
      mark.setAttribute("cy", point.y);
      svg.appendChild(mark);
    });
    svg.addEventListener("keydown", function (event) {
      var zone = event.target.closest("[data-zone]");
      if (zone && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        pick(zone.getAttribute("data-zone"));
      }
    });
    fieldset.addEventListener("change", show);  // quiz.js restores a stored attempt
    show();
  });
}());
