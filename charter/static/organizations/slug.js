// A short name (slug) follows the name it is made from until the person edits it:
// <input data-slug-source="ID_OF_THE_SLUG_FIELD_WITHOUT_id_">.
document.addEventListener("DOMContentLoaded", () => {
  for (const source of document.querySelectorAll("[data-slug-source]")) {
    const target = document.getElementById(`id_${source.dataset.slugSource}`);
    if (!target) continue;
    const slugify = (text) =>
      text
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9\s-]/g, "")
        .trim()
        .replace(/[\s-]+/g, "-")
        .slice(0, 50)
        .replace(/-+$/, "");
    let edited = target.value !== "" && target.value !== slugify(source.value);
    target.addEventListener("input", () => {
      edited = target.value !== "";
    });
    source.addEventListener("input", () => {
      if (!edited) target.value = slugify(source.value);
    });
  }
});
