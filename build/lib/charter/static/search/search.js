// Search: "/" focuses the navbar search box; "Choose" on a likely parent fills the goal form's parent field.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) {
      return;
    }
    var box = document.getElementById("search-q") || document.getElementById("navbar-search");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-parent-choice]");
    if (!button) {
      return;
    }
    var select = document.querySelector("select[name=parent_id]");
    if (select) {
      select.value = button.getAttribute("data-parent-choice");
      select.dispatchEvent(new Event("change", { bubbles: true }));
      select.focus();
    }
  });
})();
