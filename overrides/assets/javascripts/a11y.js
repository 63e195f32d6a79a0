// Site-wide accessibility fixes for Material's markup, found by axe-core
// (tests/browser/test_accessibility.py): name the search dialog and the instant-navigation
// progress bar, and label task-list checkboxes with their item text. Runs on every page and
// again after each instant navigation (document$); safe to run twice.
(function () {
  "use strict";
  function fix() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    var progress = document.querySelector(".md-progress");
    if (progress && !progress.hasAttribute("aria-label")) progress.setAttribute("aria-label", "Loading page");
    document.querySelectorAll(".task-list-control > input[type=checkbox]").forEach(function (box) {
      if (box.hasAttribute("aria-label")) return;
      var item = box.closest(".task-list-item");
      var text = item ? item.textContent.replace(/\s+/g, " ").trim() : "";
      if (text) box.setAttribute("aria-label", text);
    });
  }
  fix();
  document.addEventListener("DOMContentLoaded", function () {
    fix();
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(fix);
  });
})();
