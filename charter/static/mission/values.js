// Mission form: "Add a value" appends a blank row (the formset's empty form) and counts it in
// TOTAL_FORMS; without script the form still has a few empty rows.
(function () {
  const button = document.querySelector("[data-add-value]");
  const template = document.querySelector("[data-value-template]");
  const rows = document.querySelector("[data-value-rows]");
  const total = document.querySelector("input[name='values-TOTAL_FORMS']");
  const max = document.querySelector("input[name='values-MAX_NUM_FORMS']");
  if (!button || !template || !rows || !total) return;
  const limit = max ? parseInt(max.value, 10) : 1000;
  function refresh() { button.hidden = parseInt(total.value, 10) >= limit; }
  button.addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    refresh();
    const added = rows.lastElementChild && rows.lastElementChild.querySelector("input[type='text'], input:not([type])");
    if (added) added.focus();
  });
  refresh();
})();
