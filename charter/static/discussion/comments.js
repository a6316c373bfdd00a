// Comment threads: reset the form after an htmx post, and the @mention autocomplete (people via htmx).
(function () {
  if (window.charterComments) return;
  window.charterComments = true;

  var MENTION = /(^|\s)@([^\s@\[\]()]{0,30})$/;

  function listOf(textarea) {
    return textarea.closest("form").querySelector("[data-mention-list]");
  }

  function pending(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = before.match(MENTION);
    return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function close(list) {
    list.hidden = true;
    list.innerHTML = "";
  }

  function insert(textarea, token) {
    var at = pending(textarea);
    if (!at) return;
    var end = textarea.selectionStart;
    textarea.value = textarea.value.slice(0, at.start) + token + " " + textarea.value.slice(end);
    var caret = at.start + token.length + 1;
    textarea.setSelectionRange(caret, caret);
    close(listOf(textarea));
    textarea.focus();
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("[data-mention-input]")) return;
    var list = listOf(textarea);
    if (!list) return;
    // One request per pause in typing; a slower answer to an older query never replaces a newer one.
    clearTimeout(list.mentionTimer);
    list.mentionTimer = setTimeout(function () {
      var at = pending(textarea);
      if (!at) { close(list); return; }
      var asked = (list.mentionAsked = (list.mentionAsked || 0) + 1);
      var url = list.dataset.peopleUrl + "?q=" + encodeURIComponent(at.query);
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (asked !== list.mentionAsked) return;
          list.innerHTML = html;
          list.hidden = !list.children.length;
        });
    }, 150);
  });

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-mention-input]")) {
      var list = listOf(el);
      if (list && !list.hidden && event.key === "ArrowDown") {
        var first = list.querySelector("[data-mention-token]");
        if (first) { event.preventDefault(); first.focus(); }
      } else if (list && event.key === "Escape") { close(list); }
      return;
    }
    if (!el.matches || !el.matches("[data-mention-token]")) return;
    var step = { ArrowDown: "nextElementSibling", ArrowUp: "previousElementSibling" }[event.key];
    if (step) {
      event.preventDefault();
      var next = el[step];
      if (next) next.focus(); else if (event.key === "ArrowUp") el.closest("form").querySelector("[data-mention-input]").focus();
    } else if (event.key === "Escape") {
      var input = el.closest("form").querySelector("[data-mention-input]");
      close(listOf(input));
      input.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-mention-token]");
    if (!option) return;
    insert(option.closest("form").querySelector("[data-mention-input]"), option.dataset.mentionToken);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("[data-comment-form]")) return;
    var xhr = event.detail.xhr;
    if (!event.detail.successful || xhr.getResponseHeader("HX-Retarget")) return;
    form.reset();
    form.querySelector(".comment-errors").textContent = "";
    var thread = document.querySelector(form.getAttribute("hx-target"));
    var empty = thread && thread.querySelector(".comment-empty");
    if (empty) empty.remove();
    form.querySelector("[data-mention-input]").focus();
  });
})();
