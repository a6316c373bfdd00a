// Shows the warning beside "allow private network targets" while it is ticked.
(function () {
  "use strict";
  var box = document.getElementById("id_allow_private");
  var warning = document.getElementById("allow-private-warning");
  if (!box || !warning) return;
  function sync() { warning.hidden = !box.checked; }
  box.addEventListener("change", sync);
  sync();
})();
