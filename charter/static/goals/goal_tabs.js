// Goal page: the sections below the key results as tabs. Bootstrap's tab plugin (in tabler.min.js) switches
// them; this marks the container ready (before, every section shows in turn, each tab a link to its section),
// opens the tab that holds the address's #fragment (a link to #back-brief or #comments-goal-8), and keeps
// the open tab in the address so that a reload or a form's redirect comes back to it.
(function () {
  "use strict";
  var box = document.querySelector(".goal-tabs");
  if (!box) return;
  box.classList.add("tabs-ready");

  function show(hash) {
    if (!hash || hash.length < 2) return;
    var target;
    try { target = document.querySelector(hash); } catch (e) { return; }
    var pane = target && target.closest(".goal-tabs .tab-pane");
    if (!pane) return;
    var link = box.querySelector('[data-bs-toggle="tab"][href="#' + pane.id + '"]');
    if (link && !link.classList.contains("active")) link.click();
    if (target !== pane) target.scrollIntoView();
  }

  box.addEventListener("shown.bs.tab", function (event) {
    var hash = event.target.getAttribute("href");
    if (window.location.hash !== hash) history.replaceState(null, "", hash);
    window.dispatchEvent(new Event("resize")); // a chart drawn while hidden takes its width now
  });
  window.addEventListener("hashchange", function () { show(window.location.hash); });
  show(window.location.hash);
})();
