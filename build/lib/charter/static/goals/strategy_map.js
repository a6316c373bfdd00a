// Strategy map: expand or collapse every goal at once.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-map-toggle]");
  if (!button) return;
  const open = button.dataset.mapToggle === "open";
  document.querySelectorAll("details.map-goal").forEach((details) => { details.open = open; });
});
