/* Ordering questions: "Move up" and "Move down" buttons on each item (none without JavaScript: the list is read
   as first shown), the item's new place said aloud; quiz.js reads the order from the items' data-position. */
(function () {
  "use strict";
  var quiz = window.MoocProgress.readConfig("mooc-quiz"), colon = quiz ? quiz.messages.colon : ":";
  document.querySelectorAll("ol.order").forEach(function (list) {
    var form = list.closest("form"), q = list.closest("fieldset").id, status = document.createElement("p");
    status.className = "order-status visually-hidden";
    status.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(status, list.nextSibling);
    list.querySelectorAll("li").forEach(function (li) {
      var text = li.textContent.trim(), moves = document.createElement("span");
      li.setAttribute("data-text", text);
      moves.className = "moves";
      li.append(" ", moves);
      ["up", "down"].forEach(function (way) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = way;
        button.id = q + "-" + way + li.getAttribute("data-position");
        button.textContent = list.getAttribute("data-" + way);
        // Named with its question first, as every control of the quiz: "Question 7: … — Move up: Diagnosis".
        button.setAttribute("aria-label", button.textContent + colon + " " + text);
        button.setAttribute("aria-labelledby", q + "-label " + button.id);
        moves.appendChild(button);
      });
    });
    // Alt+Up and Alt+Down on an item's button move it too, without going from one button to the other.
    list.addEventListener("keydown", function (event) {
      var li = event.target.closest("li"), way = { ArrowUp: ".up", ArrowDown: ".down" }[event.key];
      if (li && way && event.altKey) {
        event.preventDefault();
        li.querySelector(way).click();
      }
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button"), li = button && button.closest("li");
      if (!li || form.classList.contains("quiz-locked")) { return; }
      var up = button.className === "up", other = up ? li.previousElementSibling : li.nextElementSibling;
      if (!other) { return; }
      list.insertBefore(li, up ? other : other.nextSibling);
      var total = list.children.length, n = Array.prototype.indexOf.call(list.children, li) + 1;
      // At either end the button just used is gone (style: visibility hidden): the focus goes to the other.
      (up && n === 1 || !up && n === total ? li.querySelector(up ? ".down" : ".up") : button).focus();
      status.textContent = list.getAttribute("data-moved").replace("{item}", li.getAttribute("data-text"))
        .replace("{n}", n).replace("{total}", total);
    });
  });
}());
