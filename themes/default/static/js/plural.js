/* The form of a message that a number takes in the page's language. A page's messages with a count come as
   {one: ..., other: ...}, keyed by CLDR plural category (the build fills in every category its catalogue
   has: render/i18n.py js_plural); Intl.PluralRules says which category a number is in. */
(function () {
  "use strict";
  var rules = null;

  function category(n) {
    try {
      if (!rules) { rules = new Intl.PluralRules(document.documentElement.lang || "en"); }
      return rules.select(n);
    } catch (e) {  // a browser without Intl.PluralRules (before 2018): the English rule
      return n === 1 ? "one" : "other";
    }
  }

  function pick(forms, n) {
    if (typeof forms === "string") { return forms; }
    return forms[category(n)] || forms.other;
  }

  /* A fraction (0.3) as a percentage in the page's language ("30 %" in French, "30%" in English). */
  function percent(fraction) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || "en",
                                   { style: "percent", maximumFractionDigits: 1 }).format(fraction);
    } catch (e) {
      return Math.round(fraction * 1000) / 10 + " %";
    }
  }

  window.MoocPlural = { pick: pick, category: category, percent: percent };
})();
