/* What a quiz page shows of its questions, as the learner read it, for what a package reports to an LMS or an
   LRS (interactions.js): each question's prompt, and the labels of what the learner picks from, by position in
   the order the page shows them. Loaded on the sequence pages of SCORM and cmi5 packages, before scorm.js and
   cmi5-page.js; nothing of it on the website.

   MoocQuizTexts.read(questions) -> {title, questions: [{prompt, choices, lefts, options, items, blanks, zones}]}:
   choices, a choice's labels (a hotspot's zone list too); lefts and options, a matching's left sides and the
   options of its selects; items, an ordering's items by the position they were first shown at; blanks, for each
   blank of a cloze, its select's options (null for a text blank); zones, a hotspot's zone labels. */
(function () {
  "use strict";

  function text(element) { return element ? element.textContent.replace(/\s+/g, " ").trim() : ""; }

  function each(root, selector, action) { Array.prototype.forEach.call(root.querySelectorAll(selector), action); }

  function labelOf(fieldset, input) { return text(fieldset.querySelector("label[for='" + input.id + "']")); }

  /* A select's options by their value (a shown position), its empty first option left out. */
  function optionsOf(select) {
    var options = [];
    each(select, "option", function (option) {
      if (/^[0-9]+$/.test(option.value)) { options[Number(option.value)] = text(option); }
    });
    return options;
  }

  function readQuestion(fieldset, question, number) {
    var texts = { prompt: text(document.getElementById("q" + number + "-prompt")), choices: [] };
    if (!fieldset) { return texts; }
    each(fieldset, "ul.choices input", function (input) { texts.choices.push(labelOf(fieldset, input)); });
    switch (question && question.type) {
      case "matching":
        texts.lefts = [];
        each(fieldset, "ul.pairs select", function (select) { texts.lefts.push(labelOf(fieldset, select)); });
        var first = fieldset.querySelector("ul.pairs select");
        texts.options = first ? optionsOf(first) : [];
        break;
      case "ordering":
        texts.items = [];
        each(fieldset, "li[data-position]", function (li) {
          var copy = li.cloneNode(true);
          each(copy, "button", function (button) { button.remove(); }); // ordering.js's Move up / Move down
          texts.items[Number(li.getAttribute("data-position"))] = li.getAttribute("data-text") || text(copy);
        });
        break;
      case "cloze":
        texts.blanks = [];
        each(fieldset, ".cloze select, .cloze input", function (field) {
          texts.blanks.push(field.tagName === "SELECT" ? optionsOf(field) : null);
        });
        break;
      case "hotspot":
        texts.zones = texts.choices;
        break;
    }
    return texts;
  }

  function read(questions) {
    var form = document.querySelector("form.quiz"), texts = [];
    for (var i = 0; i < questions.length; i++) {
      texts.push(readQuestion(document.getElementById("q" + (i + 1)), questions[i], i + 1));
    }
    return { title: text(form && form.querySelector("#quiz-title")), questions: texts };
  }

  window.MoocQuizTexts = { read: read };
}());
