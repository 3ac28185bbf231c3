// Meeting pages: the agenda builder (drag to reorder, keyboard up/down), htmx answers that
// show refused changes, focus kept where the user was, the rows of a series' standard
// agenda and a meeting form that fills itself in from a series. Every page works without
// this file: the up/down buttons are plain forms that post the whole new order.
(function () {
  "use strict";

  // htmx swaps only 2xx answers; a refused change on a meeting page answers 422 with the
  // region showing why (a 409 is swapped by schakel.js already).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var config = event.detail.requestConfig;
    var elt = (config && config.elt) || event.target;
    if (xhr && (xhr.status === 422 || xhr.status === 400) && elt && elt.closest && elt.closest("[data-meeting-page]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Keep the keyboard where it was: after a region is redrawn, focus the element with the
  // same id again (the title of the add form, the button just pressed).
  var lastFocus = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    lastFocus = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    var source = config && config.elt;
    var refocus = source && source.getAttribute && source.getAttribute("data-refocus");
    if (refocus && document.getElementById(refocus)) {
      // A form that adds one thing after another (agenda items, guests): type the next.
      document.getElementById(refocus).focus();
      lastFocus = null;
      return;
    }
    var first = document.querySelector("[data-focus-first]");
    if (first) {
      first.removeAttribute("data-focus-first");
      first.focus();
      if (first.select) { first.select(); }
      lastFocus = null;
      return;
    }
    if (!lastFocus) { return; }
    var again = document.getElementById(lastFocus);
    lastFocus = null;
    if (again && (document.activeElement === document.body || !document.activeElement)) {
      again.focus();
    }
  });

  // The agenda builder ------------------------------------------------------------------

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (li) {
      return li.classList.contains("agenda-item");
    });
  }

  function idsOf(list) {
    return itemsOf(list).map(function (li) { return li.getAttribute("data-id"); });
  }

  function renumber(list) {
    itemsOf(list).forEach(function (li, index) {
      var number = li.querySelector(".agenda-number");
      if (number) { number.textContent = String(index + 1); }
    });
  }

  function putBack(list, ids) {
    ids.forEach(function (id) {
      var li = list.querySelector('.agenda-item[data-id="' + id + '"]');
      if (li) { list.appendChild(li); }
    });
    renumber(list);
  }

  function say(section, text, isError) {
    var status = section.querySelector("[data-agenda-status]");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function csrfToken(section) {
    var input = section.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Post the whole order; on success draw the server's agenda (numbers, clock times), on
  // failure put the old order back and say why.
  function saveOrder(section, before, focus) {
    var list = section.querySelector("[data-agenda-list]");
    var order = idsOf(list);
    if (order.join(",") === before.join(",")) { return; }
    section.setAttribute("aria-busy", "true");
    section.classList.add("is-saving");
    var body = new URLSearchParams();
    body.append("order", order.join(","));
    fetch(section.getAttribute("data-reorder-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken(section),
        "HX-Request": "true",
        "HX-Target": "agenda",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body
    }).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text }; });
    }).then(function (answer) {
      if (!answer.ok) { throw new Error(answer.text); }
      var holder = document.createElement("div");
      holder.innerHTML = answer.text;
      var fresh = holder.querySelector("#agenda");
      if (!fresh) { throw new Error(""); }
      var messages = holder.querySelector("#messages");
      section.replaceWith(fresh);
      if (window.htmx) { window.htmx.process(fresh); }
      if (messages) {
        messages.removeAttribute("hx-swap-oob");
        var current = document.getElementById("messages");
        if (current) { current.replaceWith(messages); }
      }
      var moved = fresh.querySelector('.agenda-item[data-id="' + focus.id + '"]');
      if (moved) {
        var button = moved.querySelector('[data-move="' + focus.move + '"]:not([disabled])') ||
          moved.querySelector("[data-move]:not([disabled])");
        if (focus.move && button) { button.focus(); }
        var position = itemsOf(fresh.querySelector("[data-agenda-list]")).indexOf(moved) + 1;
        var text = (fresh.getAttribute("data-msg-moved") || "").replace("{n}", String(position));
        say(fresh, text, false);
      }
    }).catch(function (error) {
      putBack(list, before);
      section.removeAttribute("aria-busy");
      section.classList.remove("is-saving");
      var text = (error && error.message) || section.getAttribute("data-msg-failed") || "";
      say(section, text.length < 300 ? text : section.getAttribute("data-msg-failed"), true);
    });
  }

  // Keyboard and mouse: the up and down buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-agenda] [data-move]");
    if (!button || button.disabled) { return; }
    event.preventDefault();
    var section = button.closest("[data-agenda]");
    if (section.classList.contains("is-saving")) { return; }
    var li = button.closest(".agenda-item");
    var list = li.parentElement;
    var before = idsOf(list);
    var direction = button.getAttribute("data-move");
    if (direction === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (direction === "down" && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else {
      return;
    }
    renumber(list);
    button.focus();
    saveOrder(section, before, { id: li.getAttribute("data-id"), move: direction });
  });

  // Drag and drop: only the handle starts a drag, so text and inputs stay usable.
  var dragging = null;
  var dragBefore = null;
  document.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest("[data-agenda] [data-drag-handle]");
    if (!handle) { return; }
    var li = handle.closest(".agenda-item");
    if (li) { li.setAttribute("draggable", "true"); }
  });
  document.addEventListener("pointerup", function () {
    document.querySelectorAll(".agenda-item[draggable]").forEach(function (li) {
      if (li !== dragging) { li.removeAttribute("draggable"); }
    });
  });
  document.addEventListener("dragstart", function (event) {
    var li = event.target.closest && event.target.closest("[data-agenda] .agenda-item[draggable]");
    if (!li) { return; }
    var section = li.closest("[data-agenda]");
    if (section.classList.contains("is-saving")) { event.preventDefault(); return; }
    dragging = li;
    dragBefore = idsOf(li.parentElement);
    li.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.getAttribute("data-id"));
  });
  document.addEventListener("dragover", function (event) {
    if (!dragging) { return; }
    var over = event.target.closest && event.target.closest(".agenda-item");
    if (!over || over.parentElement !== dragging.parentElement) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (over === dragging) { return; }
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    var list = over.parentElement;
    list.insertBefore(dragging, after ? over.nextElementSibling : over);
    renumber(list);
  });
  document.addEventListener("drop", function (event) {
    if (dragging) { event.preventDefault(); }
  });
  document.addEventListener("dragend", function () {
    if (!dragging) { return; }
    var li = dragging;
    dragging = null;
    li.classList.remove("is-dragging");
    li.removeAttribute("draggable");
    var section = li.closest("[data-agenda]");
    if (section) { saveOrder(section, dragBefore, { id: li.getAttribute("data-id"), move: "" }); }
  });

  // The standard agenda of a series: add rows from the formset's empty form.
  function setUpAgendaRows(root) {
    var add = root.querySelector("[data-add-agenda-row]");
    var template = root.querySelector("[data-agenda-row-template]");
    var body = root.querySelector("[data-agenda-rows-body]");
    var total = root.querySelector('input[name="agenda-TOTAL_FORMS"]');
    var maximum = root.querySelector('input[name="agenda-MAX_NUM_FORMS"]');
    if (!add || !template || !body || !total) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var n = parseInt(total.value, 10) || 0;
      if (maximum && n >= parseInt(maximum.value, 10)) { add.disabled = true; return; }
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(n)));
      total.value = String(n + 1);
      var row = body.lastElementChild;
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) { order.value = String(n + 1); }
      var title = row.querySelector('input[name$="-title"]');
      if (title) { title.focus(); }
    });
  }

  // A new meeting: choosing a series fills the form in from it, unless typing began.
  function setUpSeriesPrefill(form) {
    var select = form.querySelector("select[name=series]");
    if (!select) { return; }
    var typed = false;
    form.addEventListener("input", function (event) {
      if (event.target !== select) { typed = true; }
    });
    select.addEventListener("change", function () {
      if (!select.value || typed) { return; }
      var url = new URL(window.location.href);
      url.searchParams.set("series", select.value);
      window.location.assign(url.toString());
    });
  }

  function start() {
    document.querySelectorAll("[data-agenda-rows]").forEach(setUpAgendaRows);
    document.querySelectorAll("form[data-series-prefill]").forEach(setUpSeriesPrefill);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
