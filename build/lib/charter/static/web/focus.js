// After htmx replaces a card (team members, a token row), put keyboard focus back somewhere sensible:
// the swapped-in element named by data-focus-after-swap, else leave focus where the browser put it.
document.addEventListener("htmx:afterSettle", (event) => {
  const root = event.detail.elt?.isConnected ? event.detail.elt : document;
  const target = root.querySelector?.("[data-focus-after-swap]") ?? document.querySelector("[data-focus-after-swap]");
  if (target) target.focus();
});
