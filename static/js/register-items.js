// Register items: the item form's response select follows the risk's nature, and the item
// modal keeps keyboard focus inside it and hands it back to the opener when it closes.
// Loaded by the item pages and by the modal itself, so it guards against running twice.
(function () {
  "use strict";
  if (window.schakelRegisterItems) { return; }
  window.schakelRegisterItems = true;

  // Show only the responses that fit the chosen nature (the server checks it too).
  function filterResponses(root) {
    (root || document).querySelectorAll("select[data-response-for]").forEach(function (select) {
      var form = select.form;
      var nature = form ? form.querySelector("[name='" + select.getAttribute("data-response-for") + "']") : null;
      if (!nature) { return; }
      Array.prototype.forEach.call(select.options, function (option) {
        var natures = option.getAttribute("data-natures");
        var fits = !natures || natures.split(" ").indexOf(nature.value) !== -1;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) { select.value = ""; }
      });
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-nature-select]")) { filterResponses(event.target.form); }
  });
  document.addEventListener("htmx:load", function (event) { filterResponses(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { filterResponses(document); });
  } else {
    filterResponses(document);
  }

  // Remember what opened the modal, and return focus there once the modal is emptied; if
  // the page region around it was redrawn meanwhile, find the new button by its id.
  var opener = null;
  var openerId = "";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "modal" && !target.contains(event.detail.elt)) {
      opener = event.detail.elt;
      openerId = opener.id || "";
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var lost = !document.activeElement || document.activeElement === document.body;
    var modalOpen = document.querySelector("#modal [data-item-modal]");
    if (openerId && lost && !modalOpen) {
      var again = document.getElementById(openerId);
      if (again) { again.focus(); }
      openerId = "";
    }
  });
  // This file may arrive with the first modal, after its request: then the opener is
  // found as the element that asked for the form's URL.
  var modalUrl = "";
  function noteModal() {
    var form = document.querySelector("#modal [data-item-form]");
    if (form) { modalUrl = form.getAttribute("action") || ""; }
  }
  function findOpener() {
    if (opener && document.body.contains(opener)) { return opener; }
    if (!modalUrl) { return null; }
    var candidates = document.querySelectorAll("[hx-get]");
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].getAttribute("hx-get") === modalUrl && !candidates[i].closest("#modal")) {
        return candidates[i];
      }
    }
    return null;
  }
  function watchModal() {
    var slot = document.getElementById("modal");
    if (!slot || !window.MutationObserver) { return; }
    noteModal();
    new MutationObserver(function () {
      if (slot.innerHTML.trim()) { noteModal(); return; }
      var back = findOpener();
      if (back) { back.focus(); }
      opener = null;
      modalUrl = "";
    }).observe(slot, { childList: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchModal);
  } else {
    watchModal();
  }

  // Keep Tab and Shift+Tab inside an open item dialog.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") { return; }
    var dialog = document.querySelector("#modal [data-item-modal]");
    if (!dialog) { return; }
    var focusable = Array.prototype.filter.call(
      dialog.querySelectorAll("a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"),
      function (el) { return el.offsetParent !== null; }
    );
    if (!focusable.length) { return; }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (!dialog.contains(document.activeElement)) {
      event.preventDefault();
      first.focus();
    } else if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
})();
