// Key result form: show only the fields and examples that apply to the chosen kind.
(function () {
  const form = document.querySelector("[data-kr-form]");
  if (!form) return;
  function apply() {
    const select = form.querySelector("[data-kr-kind]");
    if (!select) return;
    const kind = select.value;
    form.querySelectorAll("[data-kr-numbers]").forEach((el) => { el.hidden = kind === "milestone"; });
    form.querySelectorAll("[data-kr-range]").forEach((el) => { el.hidden = kind !== "range"; });
    form.querySelectorAll("[data-kind-help]").forEach((el) => { el.hidden = el.dataset.kindHelp !== kind; });
  }
  form.addEventListener("change", (event) => { if (event.target.matches("[data-kr-kind]")) apply(); });
  // Live validation swaps fields in place; the kind select may be among them.
  document.body.addEventListener("htmx:afterSettle", apply);
  apply();
})();
