// Weekly check-in: after a row is saved, move the focus to the next row's value so Enter, Tab … Enter flows.
document.body.addEventListener("htmx:afterSettle", () => {
  const saved = document.querySelector(".check-in-row[data-just-saved]");
  if (!saved) return;
  saved.removeAttribute("data-just-saved");
  let next = saved.nextElementSibling;
  while (next && !next.matches(".check-in-row")) next = next.nextElementSibling;
  const input = next && next.querySelector("input:not([type=hidden]), select");
  if (input) { input.focus(); if (input.select) input.select(); }
});
document.body.addEventListener("htmx:afterSettle", () => {
  // A row that came back with errors: put the focus on its first invalid field.
  const failed = document.querySelector(".check-in-row[data-just-failed]");
  if (!failed) return;
  failed.removeAttribute("data-just-failed");
  const invalid = failed.querySelector(".is-invalid");
  if (invalid) invalid.focus();
});
