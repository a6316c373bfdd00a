// Tables marked .table-stack become one block per row on a phone (charter.css): each cell is labelled with
// its column's heading, copied here from the table's <th> into the cell's data-label (rows built in Python
// or swapped in by htmx included). Without this script the rows still stack, unlabelled.
(function () {
  "use strict";
  function label() {
    document.querySelectorAll("table.table-stack").forEach(function (table) {
      var heads = [];
      table.querySelectorAll("thead th").forEach(function (th) {
        var text = th.classList.contains("stack-no-label") ? "" : th.textContent.trim();
        for (var i = 0; i < (th.colSpan || 1); i++) heads.push(text);
      });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var column = 0;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          if (column > 0 && heads[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  // A table wider than the screen scrolls in its box: the box takes keyboard focus (arrow keys scroll it)
  // and is named after the table, for whoever reaches it by Tab.
  function scrollable() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          var caption = box.querySelector("caption");
          var heading = box.closest("section, .card");
          heading = heading && heading.querySelector("h1, h2, h3, .card-title");
          box.setAttribute("aria-label", ((caption || heading || {}).textContent || "Table").trim() + " (scrolls sideways)");
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  function update() {
    label();
    scrollable();
  }
  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("htmx:afterSettle", update);
  window.addEventListener("resize", scrollable);
})();
