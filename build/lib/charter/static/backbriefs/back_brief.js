// After htmx replaces the back-brief panel, move keyboard focus to its message (saved, or what went wrong),
// else to the first field with an error, so a keyboard user is not left at the top of the page.
document.addEventListener("htmx:afterSettle", (event) => {
  const panel = document.getElementById("back-brief");
  if (!panel || !event.detail.target || event.detail.target.id !== "back-brief") return;
  const target = panel.querySelector("[data-focus-after-swap]") ?? panel.querySelector("[aria-invalid='true']");
  if (target) target.focus();
});
