// The delegation board: a cell's level form, loaded by htmx into the dialog, opens as a modal.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "level-dialog-body") {
      var dialog = document.getElementById("level-dialog");
      if (dialog && !dialog.open) dialog.showModal();
      var first = dialog && dialog.querySelector("input:checked, input, textarea");
      if (first) first.focus();
    }
  });
})();
