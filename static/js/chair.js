// Schakel chair view and minutes: autosaving notes, time boxes, following the meeting.
//
// Plain JavaScript, no build step and no inline script (the CSP forbids it). The page
// works without it (forms post and the server redirects back); with it nothing reloads:
// - textareas marked data-autosave save themselves ~1 s after typing stops and on blur,
//   keep unsaved text in localStorage until the server confirmed it, retry with backoff
//   when the connection drops and show a conflict (both texts) instead of overwriting;
// - on the chair view ([data-chair]) the agenda moves without reloads, the time box of
//   the current item and the meeting clock run, and every ~5 s the page asks the server
//   where the meeting is, so a second screen follows the chair.
(function () {
  "use strict";

  var strings = {};
  var stringsEl = document.getElementById("chair-strings");
  if (stringsEl) {
    try { strings = JSON.parse(stringsEl.textContent) || {}; } catch (e) { strings = {}; }
  }
  function t(key, params) {
    var text = strings[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(params[name]));
    });
    return text;
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) { return headers["X-CSRFToken"]; }
    } catch (e) { /* fall through */ }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    });
  }

  function readJson(response) {
    return response.json().catch(function () { return {}; });
  }

  // Local storage may be unavailable (private windows, full quota): then we only lose the
  // safety net, never the typing.
  var store = {
    get: function (key) {
      try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* ignore */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
    }
  };

  // ---------------------------------------------------------------- autosave

  var fields = [];

  function AutosaveField(textarea) {
    this.el = textarea;
    this.form = textarea.closest("form");
    this.url = textarea.getAttribute("data-url");
    this.name = textarea.getAttribute("data-field");
    this.key = textarea.getAttribute("data-key");
    this.item = textarea.getAttribute("data-item");
    this.version = parseInt(textarea.getAttribute("data-version"), 10) || 0;
    this.stateEl = this.form ? this.form.querySelector("[data-save-state]") : null;
    this.conflictEl = this.form ? this.form.querySelector("[data-conflict]") : null;
    this.dirty = false;
    this.saving = null;   // the promise of the save in flight
    this.again = false;   // typed while saving: save once more afterwards
    this.timer = null;
    this.retries = 0;
    this.conflict = false;
    var self = this;
    textarea.addEventListener("input", function () { self.changed(); });
    textarea.addEventListener("blur", function () { if (self.dirty) { self.save(); } });
    this.restore();
  }

  AutosaveField.prototype.setState = function (text, kind) {
    if (!this.stateEl) { return; }
    this.stateEl.textContent = text;
    this.stateEl.setAttribute("data-kind", kind || "");
  };

  AutosaveField.prototype.remember = function () {
    store.set(this.key, { text: this.el.value, version: this.version, at: Date.now() });
  };

  AutosaveField.prototype.restore = function () {
    var kept = store.get(this.key);
    if (!kept || typeof kept.text !== "string") { return; }
    if (kept.text === this.el.value) { store.remove(this.key); return; }
    if (kept.version === this.version) {
      // Typed here before the connection (or the tab) went away; the server still has the
      // version it was typed on, so send it now.
      this.el.value = kept.text;
      this.dirty = true;
      this.setState(t("restored"), "unsaved");
      this.schedule(300);
    } else {
      this.showConflict(kept.text, this.el.value, this.version);
    }
  };

  AutosaveField.prototype.changed = function () {
    this.dirty = true;
    this.remember();
    if (!this.conflict) {
      this.setState(t("unsaved"), "unsaved");
      this.schedule(1000);
    }
  };

  AutosaveField.prototype.schedule = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.save(); }, delay);
  };

  AutosaveField.prototype.setVersion = function (version) {
    this.version = version;
    this.el.setAttribute("data-version", String(version));
    if (this.form) {
      var hidden = this.form.querySelector("input[name=version]");
      if (hidden) { hidden.value = String(version); }
    }
    if (this.name === "summary") {
      // The summary lives on the meeting: publishing carries the meeting's version.
      document.querySelectorAll("input[data-meeting-version]").forEach(function (input) {
        input.value = String(version);
      });
    }
  };

  AutosaveField.prototype.save = function () {
    var self = this;
    window.clearTimeout(this.timer);
    if (this.conflict || !this.dirty) { return Promise.resolve(); }
    if (this.saving) { this.again = true; return this.saving; }
    var text = this.el.value;
    var body = new FormData();
    body.append(this.name, text);
    body.append("version", String(this.version));
    this.setState(t("saving"), "saving");
    this.saving = post(this.url, body).then(function (response) {
      return readJson(response).then(function (data) { return self.answered(response.status, data, text); });
    }, function () {
      self.offline();
    }).then(function () {
      self.saving = null;
      if (self.again) {
        self.again = false;
        if (self.dirty && !self.conflict) { self.schedule(200); }
      }
    });
    return this.saving;
  };

  AutosaveField.prototype.answered = function (status, data, text) {
    if (status === 200) {
      this.retries = 0;
      this.setVersion(data.version);
      if (this.el.value === text) {
        this.dirty = false;
        store.remove(this.key);
        this.setState(t("saved", { time: data.time || "" }), "saved");
      } else {
        this.remember();
        this.schedule(1000);
      }
      return;
    }
    if (status === 409) {
      var theirs = typeof data[this.name] === "string" ? data[this.name] : "";
      if (theirs === text) {
        this.answered(200, { version: data.version, time: "" }, text);
        return;
      }
      this.showConflict(this.el.value, theirs, data.version);
      return;
    }
    if (status >= 500 || status === 0) { this.offline(); return; }
    // 400, 403, 404: retrying will not help; the text stays in the box and in storage.
    this.setState(t("failed", { reason: data.error || t("forbidden") }), "error");
  };

  AutosaveField.prototype.offline = function () {
    this.retries += 1;
    var delay = Math.min(30000, 2000 * Math.pow(2, this.retries - 1));
    this.setState(t("offline"), "offline");
    this.schedule(delay);
  };

  AutosaveField.prototype.showConflict = function (mine, theirs, theirVersion) {
    var self = this;
    this.conflict = true;
    this.dirty = true;
    this.el.value = mine;  // the box keeps (and may go on editing) this side's text
    this.setState(t("conflict"), "error");
    var box = this.conflictEl;
    if (!box) { return; }
    box.textContent = "";
    var intro = document.createElement("p");
    intro.className = "conflict-intro";
    intro.textContent = t("conflict_intro");
    box.appendChild(intro);
    var columns = document.createElement("div");
    columns.className = "conflict-texts";
    [[t("yours"), mine], [t("theirs"), theirs]].forEach(function (pair) {
      var column = document.createElement("div");
      var heading = document.createElement("p");
      heading.className = "conflict-label";
      heading.textContent = pair[0];
      var text = document.createElement("pre");
      text.className = "conflict-text";
      text.textContent = pair[1] || "—";
      column.appendChild(heading);
      column.appendChild(text);
      columns.appendChild(column);
    });
    box.appendChild(columns);
    var buttons = document.createElement("div");
    buttons.className = "conflict-actions";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-primary btn-sm";
    keep.textContent = t("keep_mine");
    keep.addEventListener("click", function () {
      self.resolve(self.el.value, theirVersion, true);
    });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "btn btn-secondary btn-sm";
    take.textContent = t("take_theirs");
    take.addEventListener("click", function () {
      self.resolve(theirs, theirVersion, false);
    });
    buttons.appendChild(keep);
    buttons.appendChild(take);
    box.appendChild(buttons);
    box.hidden = false;
    keep.focus();
  };

  AutosaveField.prototype.resolve = function (text, version, mine) {
    this.conflict = false;
    if (this.conflictEl) { this.conflictEl.hidden = true; this.conflictEl.textContent = ""; }
    this.el.value = text;
    this.setVersion(version);
    if (mine) {
      this.dirty = true;
      this.remember();
      this.save();
    } else {
      this.dirty = false;
      store.remove(this.key);
      this.setState("", "");
    }
    this.el.focus();
  };

  // Another screen saved a newer text: take it unless this one is being typed in.
  AutosaveField.prototype.refresh = function (text, version) {
    if (version <= this.version || this.dirty || this.saving || this.conflict) { return; }
    if (this.el.value !== text) { this.el.value = text; }
    this.setVersion(version);
  };

  function busy() {
    return fields.some(function (f) { return f.dirty || f.saving; });
  }

  function flushAll() {
    return Promise.all(fields.map(function (f) { return f.save(); }));
  }

  document.querySelectorAll("textarea[data-autosave]").forEach(function (textarea) {
    fields.push(new AutosaveField(textarea));
  });
  if (fields.length) {
    document.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.matches("[data-autosave-form]")) {
        event.preventDefault();
        flushAll();
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (busy()) { event.preventDefault(); event.returnValue = ""; }
    });
    window.addEventListener("online", function () {
      fields.forEach(function (f) { if (f.dirty && !f.conflict) { f.save(); } });
    });
  }

  // Leaving the page (End meeting, Publish) waits for the text being saved.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches("[data-flush-first]") || !busy()) { return; }
    event.preventDefault();
    flushAll().then(function () {
      if (!fields.some(function (f) { return f.dirty; })) { form.submit(); }
    });
  });

  // ---------------------------------------------------------------- the chair view

  var root = document.querySelector("[data-chair]");
  if (!root) { return; }

  var status = root.getAttribute("data-status");
  var skew = 0;
  var serverNow = Date.parse(root.getAttribute("data-server-now"));
  if (!isNaN(serverNow)) { skew = serverNow - Date.now(); }
  var startedAt = Date.parse(root.getAttribute("data-started-at")) || null;
  var current = root.getAttribute("data-current-item") || "";
  var currentSince = Date.parse(root.getAttribute("data-item-started-at")) || null;
  var shownPanel = root.querySelector("[data-item-panel]:not([hidden])");
  var shown = shownPanel ? shownPanel.getAttribute("data-item-panel") : "";

  function panel(id) { return root.querySelector('[data-item-panel="' + id + '"]'); }

  function syncHiddenItem() {
    root.querySelectorAll("[data-capture-form] input[name$='-agenda_item'], input[data-agenda-item]")
      .forEach(function (input) { input.value = shown || ""; });
  }

  function showItem(id, push) {
    if (!id || !panel(id)) { return; }
    shown = String(id);
    root.querySelectorAll("[data-item-panel]").forEach(function (el) {
      el.hidden = el.getAttribute("data-item-panel") !== shown;
    });
    root.querySelectorAll("[data-agenda-step]").forEach(function (el) {
      el.classList.toggle("is-shown", el.getAttribute("data-agenda-step") === shown);
    });
    var previousPanel = root.querySelector("[data-previous-panel]");
    if (previousPanel) {
      previousPanel.hidden = panel(shown).getAttribute("data-standing") === "previous_actions";
    }
    syncHiddenItem();
    if (push && window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("item", shown);
      window.history.replaceState(null, "", url.toString());
    }
  }

  function setCurrent(id, since) {
    current = id ? String(id) : "";
    currentSince = since ? Date.parse(since) : null;
    root.querySelectorAll("[data-agenda-step]").forEach(function (el) {
      var isCurrent = el.getAttribute("data-agenda-step") === current;
      el.classList.toggle("is-current", isCurrent);
      if (isCurrent) { el.setAttribute("aria-current", "step"); } else { el.removeAttribute("aria-current"); }
    });
    tick();
  }

  function banner(text) {
    var slot = root.querySelector("[data-chair-banner]");
    if (!slot) { return; }
    slot.textContent = "";
    var box = document.createElement("div");
    box.className = "msg msg-warning";
    box.setAttribute("role", "status");
    box.textContent = text;
    slot.appendChild(box);
  }

  // Clocks ---------------------------------------------------------------------------

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    var mm = (h && m < 10 ? "0" : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (rest < 10 ? "0" : "") + rest;
  }

  var itemClock = root.querySelector("[data-item-clock]");
  var itemElapsed = root.querySelector("[data-item-elapsed]");
  var itemBox = root.querySelector("[data-item-box]");
  var itemNote = root.querySelector("[data-item-note]");
  var meetingElapsed = root.querySelector("[data-meeting-elapsed]");

  function tick() {
    var now = Date.now() + skew;
    var running = status === "in_progress";
    if (meetingElapsed) {
      meetingElapsed.textContent = running && startedAt ? clock((now - startedAt) / 1000) : "–:––";
    }
    if (!itemClock) { return; }
    var currentPanel = current ? panel(current) : null;
    var minutes = currentPanel ? parseInt(currentPanel.getAttribute("data-minutes"), 10) || 0 : 0;
    itemBox.textContent = currentPanel ? clock(minutes * 60) : "–";
    if (!running || !currentPanel || !currentSince) {
      itemElapsed.textContent = "–:––";
      itemNote.textContent = "";
      itemClock.setAttribute("data-clock-state", "idle");
      return;
    }
    var elapsed = (now - currentSince) / 1000;
    var box = minutes * 60;
    var left = box - elapsed;
    var state = "ok";
    if (box > 0 && left < 0) { state = "over"; } else if (box > 0 && left <= Math.max(60, box * 0.2)) { state = "near"; }
    itemElapsed.textContent = clock(elapsed);
    itemClock.setAttribute("data-clock-state", state);
    if (state === "over") {
      itemNote.textContent = "+" + clock(-left) + " " + t("over");
    } else if (state === "near") {
      itemNote.textContent = clock(left) + " " + t("left");
    } else {
      itemNote.textContent = "";
    }
  }
  tick();
  window.setInterval(tick, 1000);

  // Moving through the agenda ------------------------------------------------------------

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-show-item]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
    event.preventDefault();
    showItem(link.getAttribute("data-show-item"), true);
    var heading = panel(shown) && panel(shown).querySelector("h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-goto]") || event.defaultPrevented) { return; }
    event.preventDefault();
    var id = form.querySelector("input[name=item]").value;
    showItem(id, true);
    post(form.action, new FormData(form)).then(function (response) {
      return readJson(response).then(function (data) {
        if (response.ok) { apply(data); } else { banner(t("goto_failed", { reason: data.error || response.status })); }
      });
    }, function () {
      banner(t("goto_failed", { reason: t("network") }));
    });
  });

  // Following the meeting -----------------------------------------------------------------

  function fieldFor(name, item) {
    return fields.filter(function (f) { return f.name === name && (item === undefined || f.item === String(item)); })[0];
  }

  function refreshOutcomes(id) {
    var list = root.querySelector('[data-outcomes="' + id + '"]');
    if (!list) { return; }
    var url = root.getAttribute("data-outcomes-url") + "&item=" + encodeURIComponent(id);
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html) { return; }
      var template = document.createElement("template");
      template.innerHTML = html.trim();
      var fresh = template.content.querySelector(".outcomes");
      var old = list.closest(".outcomes");
      if (fresh && old) { old.replaceWith(fresh); }
    }).catch(function () { /* the next poll tries again */ });
  }

  function apply(data) {
    if (!data || !data.status) { return; }
    if (data.status !== status) {
      if (busy()) { banner(t("state_changed")); return; }
      window.location.reload();
      return;
    }
    if (data.started_at) { startedAt = Date.parse(data.started_at); }
    if (data.now) { skew = Date.parse(data.now) - Date.now(); }
    var moved = String(data.current_item || "") !== current;
    if (moved || (data.current_item_started_at && Date.parse(data.current_item_started_at) !== currentSince)) {
      setCurrent(data.current_item, data.current_item_started_at);
      if (moved && data.current_item) { showItem(String(data.current_item), false); }
    }
    (data.items || []).forEach(function (item) {
      var field = fieldFor("notes", item.id);
      if (field) { field.refresh(item.notes, item.version); }
      var view = root.querySelector('[data-notes-view="' + item.id + '"]');
      if (view && view.textContent !== item.notes) { view.textContent = item.notes; }
      var list = root.querySelector('[data-outcomes="' + item.id + '"]');
      if (list && list.querySelectorAll("li").length !== item.outcomes) { refreshOutcomes(item.id); }
    });
    var summary = fieldFor("summary");
    if (summary) { summary.refresh(data.summary, data.version); }
    var summaryView = root.querySelector("[data-summary-view]");
    if (summaryView && summaryView.textContent !== data.summary) { summaryView.textContent = data.summary; }
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(root.getAttribute("data-state-url"), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(apply).catch(function () { /* offline: the next poll tries again */ });
  }
  if (status === "planned" || status === "in_progress" || status === "minutes_draft") {
    window.setInterval(poll, 5000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
  }

  // Capture tabs ------------------------------------------------------------------------------

  var tabs = Array.prototype.slice.call(root.querySelectorAll("[data-capture-tab]"));
  function selectTab(kind, focus) {
    tabs.forEach(function (tab) {
      var selected = tab.getAttribute("data-capture-tab") === kind;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) { tab.focus(); }
    });
    root.querySelectorAll("[data-capture-panel]").forEach(function (el) {
      el.hidden = el.getAttribute("data-capture-panel") !== kind;
    });
    try { window.sessionStorage.setItem("schakel:capture-tab", kind); } catch (e) { /* ignore */ }
  }
  if (tabs.length) {
    var preferred = tabs.filter(function (tab) { return tab.hasAttribute("data-selected"); })[0];
    var remembered = null;
    try { remembered = window.sessionStorage.getItem("schakel:capture-tab"); } catch (e) { /* ignore */ }
    var initial = preferred ? preferred.getAttribute("data-capture-tab") : remembered;
    if (!tabs.some(function (tab) { return tab.getAttribute("data-capture-tab") === initial; })) {
      initial = tabs[0].getAttribute("data-capture-tab");
    }
    selectTab(initial, false);
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () {
        selectTab(tab.getAttribute("data-capture-tab"), false);
        var title = root.querySelector('[data-capture-panel="' + tab.getAttribute("data-capture-tab") + '"] [data-capture-title]');
        if (title) { title.focus(); }
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") { next = tabs[(index + 1) % tabs.length]; }
        if (event.key === "ArrowLeft") { next = tabs[(index - 1 + tabs.length) % tabs.length]; }
        if (event.key === "Home") { next = tabs[0]; }
        if (event.key === "End") { next = tabs[tabs.length - 1]; }
        if (next) { event.preventDefault(); selectTab(next.getAttribute("data-capture-tab"), true); }
      });
    });
  }

  // htmx: capture forms and action reviews answer 422 (errors) or 409 (conflict) with the
  // part to show; htmx swaps only 2xx answers by itself.
  var captureKind = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("[data-capture-form]") : null;
    captureKind = form ? form.getAttribute("data-capture-form") : null;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var elt = event.detail.elt;
    if (xhr && (xhr.status === 422 || xhr.status === 409) && elt && root.contains(elt)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    // A reviewed action may show twice (side panel and standing item): copy the answer.
    root.querySelectorAll("[data-review-row][data-fresh]").forEach(function (row) {
      row.removeAttribute("data-fresh");
      var id = row.getAttribute("data-review-row");
      root.querySelectorAll('[data-review-row="' + id + '"]').forEach(function (other) {
        if (other === row) { return; }
        var copy = row.cloneNode(true);
        other.replaceWith(copy);
        if (window.htmx) { window.htmx.process(copy); }
      });
    });
    syncHiddenItem();
    if (captureKind) {
      var form = root.querySelector('[data-capture-form="' + captureKind + '"]');
      captureKind = null;
      if (!form) { return; }
      var invalid = form.querySelector(".field-invalid input, .field-invalid select, .field-invalid textarea");
      var target = invalid || form.querySelector("[data-capture-title]");
      if (target) { target.focus(); }
      var lists = root.querySelectorAll("[data-outcomes]");
      lists.forEach(function (list) { list.setAttribute("data-count", String(list.querySelectorAll("li").length)); });
      var loose = root.querySelector("[data-loose]");
      if (loose && loose.querySelector("li")) { loose.hidden = false; }
    }
  });

  syncHiddenItem();
})();
