// Schakel: the little JavaScript the shell needs. Pages work without it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    // Close an open user menu when clicking elsewhere.
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
    var closer = event.target.closest("[data-modal-close]");
    if (closer) {
      var slot = document.getElementById("modal");
      if (slot) { slot.innerHTML = ""; }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var slot = document.getElementById("modal");
      if (slot && slot.innerHTML.trim()) { slot.innerHTML = ""; }
      document.querySelectorAll("details.user-menu[open]").forEach(function (m) { m.removeAttribute("open"); });
    }
  });
  // Confirm destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Submitting a filter select reloads the list.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-autosubmit]")) { el.form.requestSubmit(); }
  });
})();

// Portfolio pages: htmx swaps only 2xx answers by default, but a refused edit answers
// 409 (changed by someone else) with the form to show; swap it like a normal answer.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Portfolio lists: leave empty filters out of the request, so the pushed URL that people
// bookmark and share reads ?state=active rather than ?q=&programme=&state=active.
document.addEventListener("htmx:configRequest", function (event) {
  var detail = event.detail;
  var form = detail.elt && detail.elt.closest ? detail.elt.closest("form.filters") : null;
  if (detail.verb !== "get" || !form || !detail.formData) { return; }
  Array.from(new Set(detail.formData.keys())).forEach(function (key) {
    var kept = detail.formData.getAll(key).filter(function (value) { return value !== ""; });
    detail.formData.delete(key);
    kept.forEach(function (value) { detail.formData.append(key, value); });
  });
});
