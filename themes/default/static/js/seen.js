/* Marks the sequence on this page as viewed in the learner's progress. */
(function () {
  "use strict";
  var config = window.MoocProgress && window.MoocProgress.readConfig("mooc-page");
  if (!config || !config.sequence) { return; }
  var store = window.MoocProgress.open(config);
  store.update(function (state) { state.seen[config.sequence] = 1; });
}());
