// Register lists: "select all on this page", the count of chosen rows for bulk changes,
// and showing an inline edit's refusal (400) in its row. The lists work without this file.
(function () {
  "use strict";

  function rowBoxes() {
    return Array.prototype.slice.call(
      document.querySelectorAll('input.row-select[form="bulk-form"]')
    );
  }

  function refresh() {
    var boxes = rowBoxes();
    var chosen = boxes.filter(function (box) { return box.checked; }).length;
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.hidden = boxes.length === 0;
      all.checked = boxes.length > 0 && chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    }
    var count = document.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = chosen
        ? count.getAttribute("data-some").replace("%(n)s", String(chosen))
        : count.getAttribute("data-none");
    }
    var bar = document.getElementById("bulk-form");
    if (bar) {
      // With this script the actions show once a row is ticked; without it, always.
      bar.classList.add("bulk-js");
      bar.classList.toggle("has-selection", chosen > 0);
    }
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-select-all]")) {
      rowBoxes().forEach(function (box) { box.checked = el.checked; });
      refresh();
    } else if (el.matches("input.row-select")) {
      refresh();
    }
  });

  // New content (the results after filtering, a redrawn row) may change the rows.
  document.addEventListener("htmx:load", refresh);
  document.addEventListener("DOMContentLoaded", refresh);

  // An inline edit the server refuses (400) answers with the reason as text: put the
  // control back to its stored value and show the reason in the row.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var elt = detail.requestConfig && detail.requestConfig.elt;
    var form = elt && elt.closest ? elt.closest(".inline-edit") : null;
    if (!form || !detail.xhr || detail.xhr.status !== 400) { return; }
    detail.shouldSwap = false;
    form.querySelectorAll("select").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.selected = option.defaultSelected;
      });
    });
    form.querySelectorAll("input[name=value]").forEach(function (input) {
      input.value = input.defaultValue;
    });
    var row = form.closest("tr");
    var cell = row ? row.querySelector("td.cell-name") : null;
    if (!cell) { return; }
    var note = cell.querySelector(".row-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "row-note row-error";
      note.setAttribute("role", "alert");
      cell.appendChild(note);
    }
    note.textContent = detail.xhr.responseText;
  });

  // Quick add: after a swap, put the cursor back in the field htmx marked autofocus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.id === "quick-add") {
      var field = target.querySelector("[autofocus]");
      if (field && document.activeElement !== field) { field.focus(); }
    }
  });
})();
