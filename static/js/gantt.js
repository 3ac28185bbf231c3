// Schakel interactive Gantt chart: one focused module, no build step, no library.
//
//   var gantt = Gantt.mount(element, data, {strings: {...}, api: {...}});
//   gantt.update(data); gantt.zoom("week"); gantt.scrollToToday(); gantt.destroy();
//
// Why it is shaped like this (see docs/decisions/0003-gantt.md):
// - Plans reach 10,000 tasks, so only what is on screen exists in the DOM: the rows in
//   view (plus a small overscan) in the grid and the chart, the time columns in view, and
//   the links touching rendered rows (one SVG per rendered window). Everything else is
//   arithmetic on the prepared arrays.
// - One scroll container holds both panes: the grid is sticky on the left, the header
//   sticky on top. Vertical scrolling of grid and chart therefore cannot drift apart, and
//   the timeline scrolls horizontally under the grid.
// - Dates become integer day numbers (days since 1970-01-01 UTC) once, when data arrives.
// - Every visible word comes from `strings` (the page translates them); no inline styles
//   are needed from the page (the CSP forbids them), geometry is set from script.
// - The server owns the schedule: edits call `api.*`, which resolve with new full data
//   (rendered keeping scroll, zoom, selection and collapsed summaries) or reject with
//   {status, message} (announced; the drag is undone).
(function (global) {
  "use strict";

  var DAY_MS = 86400000;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var ROW_H = 30;
  var HEAD_ROW_H = 26;
  var OVERSCAN_ROWS = 12;
  var MIN_GRID_W = 120;
  var MAX_GRID_W = 900;
  // Pixels per day for each zoom level, and how the two header rows are divided.
  var ZOOMS = {
    day: { px: 28, upper: "month", lower: "day", shade: true },
    week: { px: 9, upper: "month", lower: "week", shade: true },
    month: { px: 2.6, upper: "year", lower: "month", shade: false },
    quarter: { px: 1.1, upper: "year", lower: "quarter", shade: false },
    year: { px: 0.36, upper: "year", lower: "half", shade: false }
  };
  var ZOOM_ORDER = ["day", "week", "month", "quarter", "year"];
  var DEFAULT_STRINGS = {
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    date: "%(d)s %(mon)s %(y)s",
    range: "%(start)s – %(finish)s",
    bar: "%(name)s, %(range)s, %(percent)s %",
    milestone: "%(name)s, milestone, %(date)s",
    week: "W%(n)s",
    quarter: "Q%(n)s",
    half: "H%(n)s",
    col_wbs: "WBS", col_name: "Task", col_start: "Start", col_finish: "Finish",
    col_duration: "Days", col_percent: "%",
    grid_label: "Tasks", chart_label: "Timeline", resize_grid: "Resize task list",
    zoom: "Zoom", zoom_day: "Day", zoom_week: "Week", zoom_month: "Month",
    zoom_quarter: "Quarter", zoom_year: "Year",
    today: "Today", expand_all: "Expand all", collapse_all: "Collapse all",
    indent: "Indent", outdent: "Outdent",
    link_label: "Link from %(from)s to %(to)s", link_selected: "Link selected. Press Delete to remove it.",
    saving: "Saving…", saved: "Saved.", error: "The change was not saved.",
    keyboard_help: "Arrow keys move between tasks, Right and Left expand and collapse, Enter opens. Tab and Shift+Tab indent and outdent, Alt+Arrow moves a task a day, Alt+Shift+Arrow changes its length, Escape leaves the list."
  };

  // ------------------------------------------------------------------ dates

  function dayOf(iso) {
    if (!iso) { return null; }
    var y = +iso.slice(0, 4), m = +iso.slice(5, 7), d = +iso.slice(8, 10);
    return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  }
  function dateOf(day) { return new Date(day * DAY_MS); }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function isoOf(day) {
    var d = dateOf(day);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }
  // Monday = 0, as the server's calendar (Python's weekday()) counts.
  function weekdayOf(day) { return ((day % 7) + 7 + 3) % 7; }
  function isoWeek(day) {
    var thursday = day - weekdayOf(day) + 3;
    var yearStart = Math.round(Date.UTC(dateOf(thursday).getUTCFullYear(), 0, 1) / DAY_MS);
    return Math.floor((thursday - yearStart) / 7) + 1;
  }
  function monthStart(day) {
    var d = dateOf(day);
    return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS);
  }
  function addMonths(day, months) {
    var d = dateOf(day);
    return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1) / DAY_MS);
  }

  // Working days: weekdays listed, minus days off, plus extra working days.
  function Calendar(spec) {
    spec = spec || {};
    this.weekdays = {};
    var self = this;
    (spec.weekdays || [0, 1, 2, 3, 4]).forEach(function (w) { self.weekdays[w] = true; });
    this.off = {};
    (spec.days_off || []).forEach(function (iso) { self.off[dayOf(iso)] = true; });
    this.extra = {};
    (spec.working_days || []).forEach(function (iso) { self.extra[dayOf(iso)] = true; });
  }
  Calendar.prototype.works = function (day) {
    if (this.extra[day]) { return true; }
    return !!this.weekdays[weekdayOf(day)] && !this.off[day];
  };
  Calendar.prototype.nextWorking = function (day) {
    for (var i = 0; i < 3660 && !this.works(day); i++) { day += 1; }
    return day;
  };
  Calendar.prototype.count = function (first, last) {
    var n = 0;
    for (var d = first; d <= last; d++) { if (this.works(d)) { n += 1; } }
    return n;
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, cls, parent) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  // ------------------------------------------------------------------ the chart

  function Gantt(root, data, options) {
    options = options || {};
    this.root = root;
    this.api = options.api || {};
    this.strings = Object.assign({}, DEFAULT_STRINGS, options.strings || {});
    this.zoomLevel = ZOOMS[options.zoom] ? options.zoom : "week";
    this.collapsed = {};          // task id -> true
    this.selectedId = null;
    this.selectedLink = null;
    this.pending = {};            // task id -> true while the server answers
    this.drag = null;             // {mode, id, startX, delta, ...}
    this.rows = {};               // visible index -> {grid, bar}
    this.pool = [];
    this.range = [0, 0];          // rendered rows [from, to)
    this.xRange = [0, 0];         // rendered pixels [from, to) of the timeline
    this.firstPaint = false;
    this.uid = "gantt" + Math.floor(Math.random() * 1e9).toString(36);
    this.gridW = null;
    this.listeners = [];
    this.build();
    this.setData(data);
    this.renderAll();
    this.openView();
    this.markFirstPaint();
  }

  Gantt.prototype.t = function (key, params) {
    var text = this.strings[key];
    if (text === undefined || text === null) { text = key; }
    Object.keys(params || {}).forEach(function (name) {
      text = String(text).split("%(" + name + ")s").join(String(params[name]));
    });
    return text;
  };

  Gantt.prototype.on = function (target, type, fn, opts) {
    var bound = fn.bind(this);
    target.addEventListener(type, bound, opts || false);
    this.listeners.push([target, type, bound, opts || false]);
  };

  // ---- data

  Gantt.prototype.setData = function (data) {
    this.data = data || { tasks: [], links: [] };
    this.editable = !!this.data.editable;
    this.calendar = new Calendar(this.data.calendar);
    var tasks = this.data.tasks || [];
    var n = tasks.length;
    this.tasks = tasks;
    this.start = new Int32Array(n);
    this.finish = new Int32Array(n);
    this.level = new Int16Array(n);
    this.hasKids = new Uint8Array(n);
    this.indexOf = {};
    var lo = dayOf(this.data.start) || dayOf(this.data.today) || Math.floor(Date.now() / DAY_MS);
    var hi = lo;
    for (var i = 0; i < n; i++) {
      var task = tasks[i];
      var s = dayOf(task.start), f = dayOf(task.finish);
      if (s === null) { s = lo; }
      if (f === null || f < s) { f = s; }
      this.start[i] = s;
      this.finish[i] = f;
      this.level[i] = task.level || 1;
      this.indexOf[task.id] = i;
      if (s < lo) { lo = s; }
      if (f > hi) { hi = f; }
      var b = dayOf(task.baseline_start);
      if (b !== null && b < lo) { lo = b; }
      b = dayOf(task.baseline_finish);
      if (b !== null && b > hi) { hi = b; }
    }
    for (i = 0; i + 1 < n; i++) { this.hasKids[i] = this.level[i + 1] > this.level[i] ? 1 : 0; }
    this.todayDay = dayOf(this.data.today);
    this.workSpan = [lo, hi];       // the plan's own span, before today widens it
    if (this.todayDay !== null) { lo = Math.min(lo, this.todayDay); hi = Math.max(hi, this.todayDay); }
    this.loDay = lo;
    this.hiDay = hi;
    // Links by task index, for drawing the ones that touch rendered rows.
    this.links = this.data.links || [];
    this.linksOf = {};
    for (i = 0; i < this.links.length; i++) {
      var link = this.links[i];
      (this.linksOf[link.from] = this.linksOf[link.from] || []).push(i);
      if (link.to !== link.from) { (this.linksOf[link.to] = this.linksOf[link.to] || []).push(i); }
    }
    var self = this;
    Object.keys(this.collapsed).forEach(function (id) {
      var idx = self.indexOf[id];
      if (idx === undefined || !self.hasKids[idx]) { delete self.collapsed[id]; }
    });
    if (this.selectedId !== null && this.indexOf[this.selectedId] === undefined) { this.selectedId = null; }
    if (this.selectedLink !== null && !this.links.some(function (l) { return l.id === self.selectedLink; })) {
      this.selectedLink = null;
    }
    this.computeVisible();
    this.computeScale();
  };

  // The visible rows: outline order, skipping the descendants of collapsed summaries.
  Gantt.prototype.computeVisible = function () {
    var n = this.tasks.length;
    var visible = new Int32Array(n);
    var count = 0;
    var skipBelow = 0;   // while > 0, skip rows deeper than this level
    for (var i = 0; i < n; i++) {
      var lvl = this.level[i];
      if (skipBelow && lvl > skipBelow) { continue; }
      skipBelow = 0;
      visible[count++] = i;
      if (this.hasKids[i] && this.collapsed[this.tasks[i].id]) { skipBelow = lvl; }
    }
    this.visible = visible.subarray(0, count);
    this.rowOf = new Int32Array(n).fill(-1);
    for (i = 0; i < count; i++) { this.rowOf[this.visible[i]] = i; }
  };

  // The timeline starts a month before the earliest date and ends two months after the
  // last, on month (or year) boundaries so the header units are whole.
  Gantt.prototype.computeScale = function () {
    var z = ZOOMS[this.zoomLevel];
    var lo = addMonths(monthStart(this.loDay), -1);
    var hi = addMonths(monthStart(this.hiDay), 3);
    if (z.upper === "year") {
      lo = Math.round(Date.UTC(dateOf(lo).getUTCFullYear(), 0, 1) / DAY_MS);
      hi = Math.round(Date.UTC(dateOf(hi).getUTCFullYear() + 1, 0, 1) / DAY_MS);
    }
    this.minDay = lo;
    this.maxDay = hi;
    this.px = z.px;
    this.chartW = Math.ceil((hi - lo) * z.px);
  };

  Gantt.prototype.x = function (day) { return (day - this.minDay) * this.px; };

  // ---- DOM skeleton

  Gantt.prototype.build = function () {
    var s = this;
    var root = this.root;
    root.classList.add("gantt");
    root.textContent = "";
    var bar = el("div", "gantt-toolbar", root);
    var zoomGroup = el("div", "gantt-zoom", bar);
    zoomGroup.setAttribute("role", "group");
    zoomGroup.setAttribute("aria-label", this.t("zoom"));
    this.zoomButtons = {};
    ZOOM_ORDER.forEach(function (level) {
      var b = el("button", "gantt-btn", zoomGroup);
      b.type = "button";
      b.textContent = s.t("zoom_" + level);
      b.setAttribute("data-zoom", level);
      s.zoomButtons[level] = b;
    });
    var nav = el("div", "gantt-tools", bar);
    this.todayButton = this.button(nav, "today", "today");
    this.button(nav, "expand_all", "expand-all");
    this.button(nav, "collapse_all", "collapse-all");
    this.editTools = el("div", "gantt-tools gantt-edit-tools", bar);
    this.button(this.editTools, "outdent", "outdent");
    this.button(this.editTools, "indent", "indent");
    this.status = el("div", "gantt-status", bar);
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    var main = el("div", "gantt-main", root);
    var scroller = this.scroller = el("div", "gantt-scroller", main);
    var canvas = this.canvas = el("div", "gantt-canvas", scroller);
    var head = el("div", "gantt-head", canvas);
    var corner = this.corner = el("div", "gantt-corner", head);
    corner.setAttribute("role", "row");
    corner.id = this.uid + "-head";
    var cols = [["wbs", "col_wbs"], ["name", "col_name"], ["start", "col_start"],
      ["finish", "col_finish"], ["duration", "col_duration"], ["percent", "col_percent"]];
    cols.forEach(function (c) {
      var cell = el("div", "gantt-cell gantt-c-" + c[0], corner);
      cell.setAttribute("role", "columnheader");
      cell.textContent = s.t(c[1]);
    });
    this.timehead = el("div", "gantt-timehead", head);
    this.timehead.setAttribute("aria-hidden", "true");
    this.upperRow = el("div", "gantt-scale gantt-scale-upper", this.timehead);
    this.lowerRow = el("div", "gantt-scale gantt-scale-lower", this.timehead);

    var body = this.body = el("div", "gantt-body", canvas);
    var grid = this.grid = el("div", "gantt-grid", body);
    grid.setAttribute("role", "treegrid");
    grid.setAttribute("aria-label", this.t("grid_label"));
    grid.setAttribute("aria-multiselectable", "false");
    grid.setAttribute("aria-colcount", "6");
    grid.tabIndex = 0;
    var help = el("p", "gantt-sr", root);
    help.id = this.uid + "-help";
    help.textContent = this.t("keyboard_help");
    grid.setAttribute("aria-describedby", help.id);
    // The header row is owned by the treegrid although it sits in the sticky header.
    this.gridRows = el("div", "gantt-grid-rows", grid);
    this.gridRows.setAttribute("role", "rowgroup");
    grid.setAttribute("aria-owns", corner.id);
    var divider = this.divider = el("div", "gantt-divider", main);
    divider.setAttribute("role", "separator");
    divider.setAttribute("aria-orientation", "vertical");
    divider.setAttribute("aria-label", this.t("resize_grid"));
    divider.tabIndex = 0;

    var chart = this.chart = el("div", "gantt-chart", body);
    chart.setAttribute("aria-label", this.t("chart_label"));
    chart.setAttribute("role", "group");
    this.shadeLayer = el("div", "gantt-layer", chart);
    this.shadeLayer.setAttribute("aria-hidden", "true");
    this.todayLine = el("div", "gantt-today", chart);
    this.todayLine.setAttribute("aria-hidden", "true");
    this.svg = document.createElementNS(SVG_NS, "svg");
    this.svg.setAttribute("class", "gantt-links");
    this.svg.innerHTML = '<defs><marker id="' + this.uid + '-arrow" viewBox="0 0 8 8" refX="7" refY="4" ' +
      'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" class="gantt-arrow"/></marker>' +
      '<marker id="' + this.uid + '-arrow-crit" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" ' +
      'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" class="gantt-arrow is-critical"/></marker></defs>';
    this.linkRoot = document.createElementNS(SVG_NS, "g");
    this.svg.appendChild(this.linkRoot);
    this.linkEls = {};
    chart.appendChild(this.svg);
    this.barLayer = el("div", "gantt-layer gantt-bars", chart);
    this.draft = el("div", "gantt-link-draft", chart);
    this.draft.hidden = true;

    this.on(bar, "click", this.onToolbar);
    this.on(scroller, "scroll", this.onScroll, { passive: true });
    this.on(scroller, "wheel", this.onWheel, { passive: false });
    this.on(grid, "click", this.onGridClick);
    this.on(grid, "dblclick", this.onGridDblClick);
    this.on(grid, "keydown", this.onKey);
    this.on(chart, "pointerdown", this.onPointerDown);
    this.on(chart, "pointermove", this.onPointerMove);
    this.on(chart, "pointerup", this.onPointerUp);
    this.on(chart, "pointercancel", this.onPointerCancel);
    this.on(chart, "dblclick", this.onChartDblClick);
    this.on(this.svg, "click", this.onLinkClick);
    this.on(divider, "pointerdown", this.onDividerDown);
    this.on(divider, "keydown", this.onDividerKey);
    if (global.ResizeObserver) {
      this.resizer = new global.ResizeObserver(function () { s.onResize(); });
      this.resizer.observe(scroller);
    }
  };

  Gantt.prototype.button = function (parent, key, action) {
    var b = el("button", "gantt-btn", parent);
    b.type = "button";
    b.textContent = this.t(key);
    b.setAttribute("data-action", action);
    return b;
  };

  // ---- layout and rendering

  Gantt.prototype.defaultGridW = function () {
    var w = this.scroller.clientWidth || this.root.clientWidth || 1200;
    return Math.round(clamp(w * 0.48, 150, 640));
  };

  Gantt.prototype.layout = function () {
    if (this.gridW === null) { this.gridW = this.defaultGridW(); }
    var rowsH = this.visible.length * ROW_H;
    this.root.style.setProperty("--gantt-grid-w", this.gridW + "px");
    this.root.style.setProperty("--gantt-row-h", ROW_H + "px");
    this.root.style.setProperty("--gantt-head-row-h", HEAD_ROW_H + "px");
    this.canvas.style.width = (this.gridW + this.chartW) + "px";
    this.body.style.height = rowsH + "px";
    this.chart.style.width = this.chartW + "px";
    this.timehead.style.width = this.chartW + "px";
    this.grid.setAttribute("aria-rowcount", String(this.visible.length + 1));
    this.divider.setAttribute("aria-valuenow", String(this.gridW));
    this.divider.setAttribute("aria-valuemin", String(MIN_GRID_W));
    this.divider.setAttribute("aria-valuemax", String(MAX_GRID_W));
    var self = this;
    ZOOM_ORDER.forEach(function (level) {
      self.zoomButtons[level].setAttribute("aria-pressed", level === self.zoomLevel ? "true" : "false");
    });
    this.editTools.hidden = !this.editable;
    if (this.todayDay !== null) {
      var tx = Math.round(this.x(this.todayDay + 0.5));
      this.todayLine.hidden = false;
      this.todayLine.style.transform = "translateX(" + tx + "px)";
    } else {
      this.todayLine.hidden = true;
    }
  };

  // Full re-render (new data, zoom, collapse): forget the rendered windows.
  Gantt.prototype.renderAll = function () {
    this.layout();
    var self = this;
    Object.keys(this.rows).forEach(function (k) { self.release(+k); });
    this.clearLinks();
    this.range = [0, 0];
    this.xRange = [0, 0];
    this.renderRows(true);
    this.renderTime(true);
  };

  Gantt.prototype.viewport = function () {
    var sc = this.scroller;
    return {
      top: sc.scrollTop,
      height: Math.max(0, sc.clientHeight - 2 * HEAD_ROW_H),
      left: Math.max(0, sc.scrollLeft),
      width: Math.max(0, sc.clientWidth - this.gridW)
    };
  };

  // Rows: keep the rows in view plus 12 above and below rendered, and move that window
  // only when the view leaves it. (Measured: moving it row by row on every frame costs
  // ~45 % more main-thread time per scrolled frame than a dozen rows every few frames.)
  Gantt.prototype.renderRows = function (force) {
    var vp = this.viewport();
    var count = this.visible.length;
    var first = Math.floor(vp.top / ROW_H);
    var last = Math.min(count, Math.ceil((vp.top + vp.height) / ROW_H) + 1);
    var from = Math.max(0, first - OVERSCAN_ROWS);
    var to = Math.min(count, Math.max(last, first + 1) + OVERSCAN_ROWS);
    if (!force && first >= this.range[0] && last <= this.range[1]) { return; }
    var self = this;
    Object.keys(this.rows).forEach(function (k) {
      var r = +k;
      if (r < from || r >= to) { self.release(r); }
    });
    for (var r = from; r < to; r++) {
      if (!this.rows[r]) { this.rows[r] = this.acquire(); this.fillRow(r); }
    }
    this.range = [from, to];
    this.renderLinks();
  };

  Gantt.prototype.acquire = function () {
    var row = this.pool.pop();
    if (row) { return row; }
    var grid = el("div", "gantt-row");
    grid.setAttribute("role", "row");
    var cells = {};
    ["wbs", "name", "start", "finish", "duration", "percent"].forEach(function (c, i) {
      var cell = el("div", "gantt-cell gantt-c-" + c, grid);
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-colindex", String(i + 1));
      cells[c] = cell;
    });
    var toggle = el("span", "gantt-toggle", cells.name);
    toggle.setAttribute("aria-hidden", "true");
    var label = el("span", "gantt-name", cells.name);
    var bar = el("div", "gantt-bar");
    bar.setAttribute("role", "img");
    var base = el("div", "gantt-baseline");
    var fill = el("div", "gantt-progress", bar);
    var text = el("span", "gantt-bar-label", bar);
    var resize = el("div", "gantt-handle gantt-handle-resize", bar);
    var linker = el("div", "gantt-handle gantt-handle-link", bar);
    return { grid: grid, cells: cells, toggle: toggle, label: label, bar: bar, base: base,
      fill: fill, text: text, resize: resize, linker: linker };
  };

  Gantt.prototype.release = function (r) {
    var row = this.rows[r];
    if (!row) { return; }
    delete this.rows[r];
    row.grid.remove();
    row.bar.remove();
    row.base.remove();
    this.pool.push(row);
  };

  Gantt.prototype.dateText = function (day) {
    var d = dateOf(day);
    return this.t("date", { d: d.getUTCDate(), mon: this.strings.months[d.getUTCMonth()], y: d.getUTCFullYear() });
  };
  Gantt.prototype.rangeText = function (s, f) {
    var a = dateOf(s), b = dateOf(f);
    var first = a.getUTCFullYear() === b.getUTCFullYear()
      ? this.t("date", { d: a.getUTCDate(), mon: this.strings.months[a.getUTCMonth()], y: "" }).trim()
      : this.dateText(s);
    return this.t("range", { start: first, finish: this.dateText(f) });
  };

  Gantt.prototype.isMilestone = function (i) {
    var task = this.tasks[i];
    return !!task.milestone || (!task.summary && !this.hasKids[i] && task.duration === 0);
  };
  Gantt.prototype.isSummary = function (i) { return !!this.tasks[i].summary || !!this.hasKids[i]; };
  Gantt.prototype.canEdit = function (i) {
    return this.editable && this.tasks[i].editable !== false;
  };

  // Fill the grid row and the bar for visible row r.
  Gantt.prototype.fillRow = function (r) {
    var row = this.rows[r];
    var i = this.visible[r];
    var task = this.tasks[i];
    var top = r * ROW_H;
    var g = row.grid;
    g.id = this.uid + "-row-" + task.id;
    g.setAttribute("data-id", task.id);
    g.setAttribute("aria-rowindex", String(r + 2));
    g.setAttribute("aria-level", String(this.level[i]));
    g.setAttribute("aria-selected", task.id === this.selectedId ? "true" : "false");
    var summary = this.isSummary(i);
    if (this.hasKids[i]) {
      g.setAttribute("aria-expanded", this.collapsed[task.id] ? "false" : "true");
    } else {
      g.removeAttribute("aria-expanded");
    }
    g.className = "gantt-row" + (summary ? " is-summary" : "") + (task.critical ? " is-critical" : "") +
      (task.id === this.selectedId ? " is-selected" : "") + (this.pending[task.id] ? " is-busy" : "");
    g.style.transform = "translateY(" + top + "px)";
    row.cells.wbs.textContent = task.wbs || "";
    row.cells.name.style.paddingLeft = (6 + (this.level[i] - 1) * 16) + "px";
    row.toggle.textContent = this.hasKids[i] ? (this.collapsed[task.id] ? "▸" : "▾") : "";
    row.toggle.className = "gantt-toggle" + (this.hasKids[i] ? " has-kids" : "");
    row.label.textContent = task.name || "";
    row.cells.name.title = task.name || "";
    row.cells.start.textContent = this.dateText(this.start[i]);
    row.cells.finish.textContent = this.dateText(this.finish[i]);
    row.cells.duration.textContent = task.duration === null || task.duration === undefined ? "" : String(task.duration);
    row.cells.percent.textContent = task.percent === null || task.percent === undefined ? "" : String(task.percent);
    if (!g.parentNode) { this.gridRows.appendChild(g); }
    this.fillBar(r, row, i, task, top);
  };

  Gantt.prototype.fillBar = function (r, row, i, task, top) {
    var s = this.start[i], f = this.finish[i];
    var milestone = this.isMilestone(i);
    var summary = this.isSummary(i);
    var d = this.drag && this.drag.id === task.id ? this.drag : null;
    if (d && d.mode === "move") { s += d.delta; f += d.delta; }
    if (d && d.mode === "resize") { f = Math.max(s, f + d.delta); }
    var bar = row.bar;
    var kind = milestone ? " is-milestone" : summary ? " is-summary" : " is-task";
    bar.className = "gantt-bar" + kind + (task.critical ? " is-critical" : "") +
      (this.pending[task.id] ? " is-busy" : "") + (task.id === this.selectedId ? " is-selected" : "") +
      (d ? " is-dragging" : "") + (this.canEdit(i) ? " is-editable" : "");
    bar.setAttribute("data-id", task.id);
    var left, width;
    if (milestone) {
      left = this.x(s + 0.5) - 8;
      width = 16;
      bar.setAttribute("aria-label", this.t("milestone", { name: task.name || "", date: this.dateText(s) }));
    } else {
      left = this.x(s);
      width = Math.max(3, this.x(f + 1) - left);
      bar.setAttribute("aria-label", this.t("bar", {
        name: task.name || "", range: this.rangeText(s, f), percent: task.percent || 0
      }));
    }
    bar.style.transform = "translate(" + Math.round(left) + "px," + top + "px)";
    bar.style.width = Math.round(width) + "px";
    row.fill.style.width = milestone ? "0" : clamp(task.percent || 0, 0, 100) + "%";
    row.text.textContent = task.name || "";
    var showHandles = this.canEdit(i) && !summary;
    row.resize.hidden = !showHandles || milestone;
    row.linker.hidden = !this.canEdit(i);
    if (!bar.parentNode) { this.barLayer.appendChild(bar); }
    var bs = dayOf(task.baseline_start), bf = dayOf(task.baseline_finish);
    if (bs !== null && bf !== null && !summary) {
      var bl = this.x(bs);
      var bw = milestone ? 8 : Math.max(2, this.x(bf + 1) - bl);
      if (milestone) { bl = this.x(bs + 0.5) - 4; }
      row.base.style.transform = "translate(" + Math.round(bl) + "px," + top + "px)";
      row.base.style.width = Math.round(bw) + "px";
      row.base.className = "gantt-baseline" + (milestone ? " is-milestone" : "");
      if (!row.base.parentNode) { this.barLayer.insertBefore(row.base, this.barLayer.firstChild); }
    } else if (row.base.parentNode) {
      row.base.remove();
    }
  };

  // Refresh the content of rendered rows in place (selection, busy, drag preview).
  Gantt.prototype.refreshRow = function (id) {
    var i = this.indexOf[id];
    if (i === undefined) { return; }
    var r = this.rowOf[i];
    if (r >= 0 && this.rows[r]) { this.fillRow(r); }
  };

  // Links touching rendered rows, as elbow connectors, in chart coordinates; a scroll only
  // adds the links that came into range and removes those that left.
  Gantt.prototype.renderLinks = function () {
    var from = this.range[0], to = this.range[1];
    var wanted = {};
    for (var r = from; r < to; r++) {
      var mine = this.linksOf[this.tasks[this.visible[r]].id];
      if (!mine) { continue; }
      for (var k = 0; k < mine.length; k++) { wanted[mine[k]] = true; }
    }
    var drawn = this.linkEls;
    Object.keys(drawn).forEach(function (li) {
      if (!wanted[li]) { drawn[li].remove(); delete drawn[li]; }
    });
    var self = this;
    Object.keys(wanted).forEach(function (li) {
      if (drawn[li]) { return; }
      var link = self.links[li];
      var d = self.linkPath(link, 0);
      if (!d) { return; }
      var g = document.createElementNS(SVG_NS, "g");
      g.setAttribute("class", self.linkClass(link));
      g.setAttribute("data-link", String(link.id));
      var hit = document.createElementNS(SVG_NS, "path");
      hit.setAttribute("class", "gantt-link-hit");
      hit.setAttribute("d", d);
      var line = document.createElementNS(SVG_NS, "path");
      line.setAttribute("class", "gantt-link-line");
      line.setAttribute("d", d);
      line.setAttribute("marker-end", "url(#" + self.uid + (link.critical ? "-arrow-crit" : "-arrow") + ")");
      g.appendChild(hit);
      g.appendChild(line);
      self.linkRoot.appendChild(g);
      drawn[li] = g;
    });
    // The SVG spans the whole chart and never moves: adding or removing a link repaints
    // only that link, not every link on screen (measured: less paint per scrolled frame).
    var full = String(Math.max(1, this.visible.length * ROW_H));
    if (this.svg.getAttribute("height") !== full) { this.svg.setAttribute("height", full); }
    if (this.svg.getAttribute("width") !== String(this.chartW)) { this.svg.setAttribute("width", String(this.chartW)); }
  };

  Gantt.prototype.linkClass = function (link) {
    return "gantt-link" + (link.critical ? " is-critical" : "") + (link.id === this.selectedLink ? " is-selected" : "");
  };

  Gantt.prototype.clearLinks = function () {
    var drawn = this.linkEls || {};
    Object.keys(drawn).forEach(function (li) { drawn[li].remove(); });
    this.linkEls = {};
  };

  Gantt.prototype.restyleLinks = function () {
    var self = this;
    Object.keys(this.linkEls).forEach(function (li) {
      self.linkEls[li].setAttribute("class", self.linkClass(self.links[li]));
    });
  };

  // Where a task's bar begins and ends (pixels) and its row's middle (pixels).
  Gantt.prototype.anchor = function (id) {
    var i = this.indexOf[id];
    if (i === undefined) { return null; }
    var r = this.rowOf[i];
    if (r < 0) {
      // Hidden under a collapsed summary: draw to the summary row that hides it.
      for (var j = i - 1; j >= 0; j--) {
        if (this.level[j] < this.level[i] && this.rowOf[j] >= 0 && this.collapsed[this.tasks[j].id]) {
          r = this.rowOf[j];
          break;
        }
      }
      if (r < 0) { return null; }
    }
    var s = this.start[i], f = this.finish[i];
    if (this.isMilestone(i)) {
      var m = this.x(s + 0.5);
      return { x0: m - 7, x1: m + 7, y: r * ROW_H + ROW_H / 2 };
    }
    return { x0: this.x(s), x1: this.x(f + 1), y: r * ROW_H + ROW_H / 2 };
  };

  Gantt.prototype.linkPath = function (link, top) {
    var a = this.anchor(link.from), b = this.anchor(link.to);
    if (!a || !b) { return null; }
    var type = link.type || "FS";
    var fromEnd = type === "FS" || type === "FF";
    var toEnd = type === "FF" || type === "SF";
    var sx = fromEnd ? a.x1 : a.x0, ex = toEnd ? b.x1 : b.x0;
    var sy = a.y - top, ey = b.y - top;
    var gap = 8;
    var out = sx + (fromEnd ? gap : -gap);
    var into = ex + (toEnd ? gap : -gap);
    var pts;
    var down = ey >= sy ? 1 : -1;
    if (sy === ey) {
      pts = [[sx, sy], [ex, ey]];
    } else if ((fromEnd && !toEnd && into >= out) || (!fromEnd && toEnd && into <= out)) {
      // Enough room: one elbow straight down into the successor's row.
      pts = [[sx, sy], [out, sy], [out, ey], [ex, ey]];
    } else {
      var midY = sy + down * ROW_H / 2;
      pts = [[sx, sy], [out, sy], [out, midY], [into, midY], [into, ey], [ex, ey]];
    }
    return "M" + pts.map(function (p) { return Math.round(p[0]) + 0.5 + "," + (Math.round(p[1]) + 0.5); }).join(" L");
  };

  // Header units, column lines and non-working days for the pixels in view.
  Gantt.prototype.renderTime = function (force) {
    var vp = this.viewport();
    var left = vp.left, right = vp.left + vp.width;
    if (!force && left >= this.xRange[0] && right <= this.xRange[1]) { return; }
    var span = Math.max(400, vp.width);
    var x0 = Math.max(0, left - span), x1 = Math.min(this.chartW, right + span);
    this.xRange = [x0, x1];
    var d0 = Math.floor(this.minDay + x0 / this.px), d1 = Math.ceil(this.minDay + x1 / this.px);
    var z = ZOOMS[this.zoomLevel];
    this.upperRow.textContent = "";
    this.lowerRow.textContent = "";
    this.shadeLayer.textContent = "";
    var self = this;
    this.units(z.upper, d0, d1).forEach(function (u) { self.headCell(self.upperRow, u, false); });
    this.units(z.lower, d0, d1).forEach(function (u) {
      var cell = self.headCell(self.lowerRow, u, true);
      var line = el("div", "gantt-vline", self.shadeLayer);
      line.style.transform = "translateX(" + Math.round(self.x(u.from)) + "px)";
      if (z.lower === "day" && !self.calendar.works(u.from)) { cell.classList.add("is-off"); }
      if (self.todayDay !== null && u.from <= self.todayDay && self.todayDay < u.to) {
        cell.classList.add("is-today");
        cell.title = self.t("today") + ": " + self.dateText(self.todayDay);
      }
    });
    if (z.shade) {
      for (var day = d0; day <= d1; day++) {
        if (this.calendar.works(day)) { continue; }
        var run = day;
        while (run + 1 <= d1 && !this.calendar.works(run + 1)) { run += 1; }
        var shade = el("div", "gantt-offday", this.shadeLayer);
        shade.style.transform = "translateX(" + Math.round(this.x(day)) + "px)";
        shade.style.width = Math.max(1, Math.round(this.x(run + 1) - this.x(day))) + "px";
        day = run;
      }
    }
  };

  Gantt.prototype.headCell = function (row, u, lower) {
    var cell = el("div", "gantt-unit", row);
    var l = Math.round(this.x(u.from)), w = Math.round(this.x(u.to)) - l;
    cell.style.left = l + "px";  // not a transform: the sticky label needs the real position
    cell.style.width = w + "px";
    if (lower) {
      cell.textContent = w >= 14 ? u.label : "";
    } else {
      // Sticky label: a month that began left of the view still shows its name.
      var label = el("span", "gantt-unit-label", cell);
      label.textContent = w >= 30 ? u.label : "";
    }
    cell.title = u.title || u.label;
    return cell;
  };

  // Calendar units (day, week, month, quarter, half, year) overlapping days [d0, d1].
  Gantt.prototype.units = function (kind, d0, d1) {
    var out = [];
    var months = this.strings.months;
    var self = this;
    var day;
    if (kind === "day") {
      for (day = d0; day <= d1; day++) { out.push({ from: day, to: day + 1, label: String(dateOf(day).getUTCDate()), title: self.dateText(day) }); }
      return out;
    }
    if (kind === "week") {
      for (day = d0 - weekdayOf(d0); day <= d1; day += 7) {
        out.push({ from: day, to: day + 7, label: this.t("week", { n: isoWeek(day) }), title: self.dateText(day) });
      }
      return out;
    }
    var step = { month: 1, quarter: 3, half: 6, year: 12 }[kind];
    var first = dateOf(d0);
    var m0 = first.getUTCMonth() - (first.getUTCMonth() % step);
    var cur = Math.round(Date.UTC(first.getUTCFullYear(), m0, 1) / DAY_MS);
    while (cur <= d1) {
      var next = addMonths(cur, step);
      var dt = dateOf(cur);
      var label;
      if (kind === "month") {
        label = this.monthLabel(dt, months);
      } else if (kind === "quarter") {
        label = this.t("quarter", { n: Math.floor(dt.getUTCMonth() / 3) + 1 });
      } else if (kind === "half") {
        label = this.t("half", { n: Math.floor(dt.getUTCMonth() / 6) + 1 });
      } else {
        label = String(dt.getUTCFullYear());
      }
      out.push({ from: cur, to: next, label: label });
      cur = next;
    }
    return out;
  };

  // Month cells read "Sep" in the lower row and "Sep 2026" in the upper row.
  Gantt.prototype.monthLabel = function (dt, months) {
    var z = ZOOMS[this.zoomLevel];
    var name = months[dt.getUTCMonth()];
    return z.upper === "month" ? name + " " + dt.getUTCFullYear() : name;
  };

  Gantt.prototype.markFirstPaint = function () {
    var self = this;
    global.requestAnimationFrame(function () {
      // The frame with our first render is being painted; mark right after it.
      global.setTimeout(function () {
        if (self.firstPaint) { return; }
        self.firstPaint = true;
        if (global.performance && performance.mark) { performance.mark("gantt-first-paint"); }
        self.root.setAttribute("data-ready", "true");
      }, 0);
    });
  };

  // ---- scrolling, zoom, resizing

  Gantt.prototype.onScroll = function () {
    this.renderRows(false);
    this.renderTime(false);
  };

  Gantt.prototype.onResize = function () {
    if (!this.scroller) { return; }
    this.renderRows(true);
    this.renderTime(true);
  };

  Gantt.prototype.onWheel = function (event) {
    if (!event.ctrlKey) { return; }
    event.preventDefault();
    var idx = ZOOM_ORDER.indexOf(this.zoomLevel) + (event.deltaY > 0 ? 1 : -1);
    if (idx < 0 || idx >= ZOOM_ORDER.length) { return; }
    var rect = this.scroller.getBoundingClientRect();
    var offset = clamp(event.clientX - rect.left - this.gridW, 0, rect.width);
    this.setZoom(ZOOM_ORDER[idx], offset);
  };

  // Change zoom keeping the day under `offset` (pixels into the timeline view) in place.
  Gantt.prototype.setZoom = function (level, offset) {
    if (!ZOOMS[level]) { return; }
    var vp = this.viewport();
    if (offset === undefined) { offset = vp.width / 2; }
    var day = this.minDay + (vp.left + offset) / this.px;
    this.zoomLevel = level;
    this.computeScale();
    this.layout();
    this.scroller.scrollLeft = Math.max(0, this.x(day) - offset);
    this.renderAll();
  };

  // Open at today (a third into the view) when the rows in view have work around today;
  // otherwise where those rows have work, so the first screen is never empty.
  Gantt.prototype.openView = function () {
    var t = this.todayDay;
    if (t !== null && this.workSpan[0] <= t && t <= this.workSpan[1]) {
      var vp = this.viewport();
      var w = vp.width / this.px;
      var from = t - w / 3, to = t + (2 * w) / 3;
      // The rows on screen, not the rendered ones (those include rows kept off screen).
      var top = Math.floor(vp.top / ROW_H);
      var bottom = Math.min(this.visible.length, top + Math.ceil(vp.height / ROW_H));
      for (var r = top; r < bottom; r++) {
        var i = this.visible[r];
        if (this.start[i] <= to && this.finish[i] >= from) { this.scrollToToday(); return; }
      }
    }
    this.scrollToWork();
  };

  // Open where the rows in view have work: a few days before the earliest of their starts.
  Gantt.prototype.scrollToWork = function () {
    var lo = null;
    for (var r = this.range[0]; r < this.range[1]; r++) {
      var s = this.start[this.visible[r]];
      if (lo === null || s < lo) { lo = s; }
    }
    this.scrollToDay(lo === null ? this.minDay : lo - 3);
  };

  Gantt.prototype.scrollToDay = function (day) {
    this.scroller.scrollLeft = Math.max(0, this.x(day));
    this.renderTime(true);
  };

  // Bring visible row r into view (keyboard selection).
  Gantt.prototype.revealRow = function (r) {
    var vp = this.viewport();
    var top = r * ROW_H;
    if (top < vp.top) {
      this.scroller.scrollTop = top;
    } else if (top + ROW_H > vp.top + vp.height) {
      this.scroller.scrollTop = top + ROW_H - vp.height;
    }
    this.renderRows(false);
  };

  Gantt.prototype.setGridWidth = function (w) {
    this.gridW = Math.round(clamp(w, MIN_GRID_W, MAX_GRID_W));
    this.layout();
    this.renderTime(true);
  };

  Gantt.prototype.onDividerDown = function (event) {
    event.preventDefault();
    var startX = event.clientX, startW = this.gridW, self = this;
    var divider = this.divider;
    divider.setPointerCapture(event.pointerId);
    divider.classList.add("is-active");
    function move(e) { self.setGridWidth(startW + e.clientX - startX); }
    function up() {
      divider.classList.remove("is-active");
      divider.removeEventListener("pointermove", move);
      divider.removeEventListener("pointerup", up);
      divider.removeEventListener("pointercancel", up);
    }
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", up);
    divider.addEventListener("pointercancel", up);
  };

  Gantt.prototype.onDividerKey = function (event) {
    var step = event.shiftKey ? 80 : 20;
    if (event.key === "ArrowLeft") { this.setGridWidth(this.gridW - step); event.preventDefault(); }
    if (event.key === "ArrowRight") { this.setGridWidth(this.gridW + step); event.preventDefault(); }
  };

  // ---- collapse and selection

  Gantt.prototype.toggle = function (id, open) {
    var i = this.indexOf[id];
    if (i === undefined || !this.hasKids[i]) { return; }
    var isOpen = !this.collapsed[id];
    if (open === undefined) { open = !isOpen; }
    if (open === isOpen) { return; }
    if (open) { delete this.collapsed[id]; } else { this.collapsed[id] = true; }
    this.reflow();
  };

  Gantt.prototype.setAll = function (open) {
    var self = this;
    this.collapsed = {};
    if (!open) {
      for (var i = 0; i < this.tasks.length; i++) {
        if (this.hasKids[i]) { self.collapsed[this.tasks[i].id] = true; }
      }
    }
    this.reflow();
  };

  // Recompute the visible rows keeping the task at the top of the view (or the summary
  // it folded into) at the top, so collapsing does not throw the reader elsewhere.
  Gantt.prototype.reflow = function () {
    var first = Math.floor(this.scroller.scrollTop / ROW_H);
    var anchor = this.visible.length ? this.visible[Math.min(first, this.visible.length - 1)] : -1;
    var offset = this.scroller.scrollTop - first * ROW_H;
    this.computeVisible();
    this.layout();
    if (anchor >= 0) {
      var i = anchor;
      while (i > 0 && this.rowOf[i] < 0) { i -= 1; }
      this.scroller.scrollTop = Math.max(0, this.rowOf[i] * ROW_H + offset);
    }
    this.renderAll();
  };

  Gantt.prototype.select = function (id, reveal) {
    var old = this.selectedId;
    this.selectedId = id;
    if (old !== null) { this.refreshRow(old); }
    if (id !== null) {
      var r = this.rowOf[this.indexOf[id]];
      if (reveal && r >= 0) { this.revealRow(r); }
      this.refreshRow(id);
      this.grid.setAttribute("aria-activedescendant", this.uid + "-row-" + id);
    } else {
      this.grid.removeAttribute("aria-activedescendant");
    }
  };

  Gantt.prototype.selectLink = function (linkId) {
    this.selectedLink = linkId;
    this.restyleLinks();
    if (linkId !== null) {
      var link = this.links.filter(function (l) { return l.id === linkId; })[0];
      var a = this.tasks[this.indexOf[link.from]], b = this.tasks[this.indexOf[link.to]];
      this.announce(this.t("link_label", { from: a ? a.name : "", to: b ? b.name : "" }) + ". " +
        this.t("link_selected"));
    }
  };

  Gantt.prototype.selectedRow = function () {
    if (this.selectedId === null) { return -1; }
    return this.rowOf[this.indexOf[this.selectedId]];
  };

  Gantt.prototype.onToolbar = function (event) {
    var b = event.target.closest("button");
    if (!b) { return; }
    var zoom = b.getAttribute("data-zoom");
    if (zoom) { this.setZoom(zoom); return; }
    var action = b.getAttribute("data-action");
    if (action === "today") { this.scrollToToday(); }
    if (action === "expand-all") { this.setAll(true); }
    if (action === "collapse-all") { this.setAll(false); }
    var task = this.selectedId !== null ? this.tasks[this.indexOf[this.selectedId]] : null;
    if (action === "indent" && task) { this.request(task, "indent", [task]); }
    if (action === "outdent" && task) { this.request(task, "outdent", [task]); }
  };

  Gantt.prototype.onGridClick = function (event) {
    var rowEl = event.target.closest(".gantt-row");
    if (!rowEl) { return; }
    var id = this.tasks[this.indexOf[rowEl.getAttribute("data-id")]].id;
    if (event.target.closest(".gantt-toggle")) { this.toggle(id); }
    this.select(id, false);
    this.grid.focus({ preventScroll: true });
  };

  Gantt.prototype.onGridDblClick = function (event) {
    var rowEl = event.target.closest(".gantt-row");
    if (rowEl && !event.target.closest(".gantt-toggle")) { this.open(rowEl.getAttribute("data-id")); }
  };

  Gantt.prototype.onChartDblClick = function (event) {
    // After a pointer capture the event targets the chart: look under the pointer instead.
    var bar = this.barAt(event);
    if (bar) { this.open(bar.getAttribute("data-id")); }
  };

  Gantt.prototype.open = function (id) {
    var task = this.tasks[this.indexOf[id]];
    if (task && this.api.open) { this.api.open(task); }
  };

  Gantt.prototype.onLinkClick = function (event) {
    var g = event.target.closest ? event.target.closest(".gantt-link") : null;
    if (!g) { return; }
    this.selectLink(Number(g.getAttribute("data-link")));
    this.grid.focus({ preventScroll: true });
  };

  Gantt.prototype.onKey = function (event) {
    var count = this.visible.length;
    if (!count) { return; }
    var r = this.selectedRow();
    var key = event.key;
    var task = r >= 0 ? this.tasks[this.visible[r]] : null;
    var page = Math.max(1, Math.floor(this.viewport().height / ROW_H) - 1);
    var target = null;
    if ((key === "Delete" || key === "Backspace") && this.selectedLink !== null) {
      if (this.editable && this.api.unlink) { this.request(null, "unlink", [this.selectedLink]); }
      event.preventDefault();
      return;
    }
    if (event.altKey && task && (key === "ArrowLeft" || key === "ArrowRight")) {
      this.nudge(task, key === "ArrowRight" ? 1 : -1, event.shiftKey);
      event.preventDefault();
      return;
    }
    if (key === "ArrowDown") { target = r < 0 ? 0 : Math.min(count - 1, r + 1); }
    else if (key === "ArrowUp") { target = r < 0 ? 0 : Math.max(0, r - 1); }
    else if (key === "PageDown") { target = Math.min(count - 1, Math.max(r, 0) + page); }
    else if (key === "PageUp") { target = Math.max(0, r - page); }
    else if (key === "Home") { target = 0; }
    else if (key === "End") { target = count - 1; }
    else if (key === "ArrowRight" && task) {
      if (this.hasKids[this.visible[r]] && this.collapsed[task.id]) { this.toggle(task.id, true); }
      else { target = Math.min(count - 1, r + 1); }
    } else if (key === "ArrowLeft" && task) {
      var i = this.visible[r];
      if (this.hasKids[i] && !this.collapsed[task.id]) { this.toggle(task.id, false); }
      else { target = this.parentRow(i); }
    } else if (key === "Enter" && task) { this.open(task.id); }
    else if (key === "Tab" && task && this.editable && this.canEdit(this.visible[r])) {
      this.request(task, event.shiftKey ? "outdent" : "indent", [task]);
    } else if (key === "Escape") {
      this.select(null);
      if (this.selectedLink !== null) { this.selectLink(null); }
      return;
    } else { return; }
    event.preventDefault();
    if (target !== null && target >= 0) {
      if (this.selectedLink !== null) { this.selectedLink = null; this.restyleLinks(); }
      this.select(this.tasks[this.visible[target]].id, true);
    }
  };

  Gantt.prototype.parentRow = function (i) {
    for (var j = i - 1; j >= 0; j--) {
      if (this.level[j] < this.level[i]) { return this.rowOf[j]; }
    }
    return null;
  };

  // Keyboard editing: one day earlier or later, or one day shorter or longer.
  Gantt.prototype.nudge = function (task, step, resize) {
    var i = this.indexOf[task.id];
    if (!this.canEdit(i) || this.isSummary(i) || this.pending[task.id]) { return; }
    if (resize) {
      if (this.isMilestone(i)) { return; }
      var f = this.finish[i] + step;
      if (f < this.start[i]) { return; }
      this.request(task, "resize", [task, this.calendar.count(this.start[i], f)]);
    } else {
      var s = this.start[i] + step;
      while (!this.calendar.works(s)) { s += step; }
      this.request(task, "move", [task, isoOf(s)]);
    }
  };

  // ---- dragging: move, resize, link

  Gantt.prototype.onPointerDown = function (event) {
    if (event.button !== 0) { return; }
    var bar = event.target.closest(".gantt-bar");
    if (!bar) { return; }
    var id = bar.getAttribute("data-id");
    var i = this.indexOf[id];
    var task = this.tasks[i];
    this.select(task.id, false);
    this.grid.focus({ preventScroll: true });
    if (this.selectedLink !== null) { this.selectLink(null); }
    if (!this.canEdit(i) || this.pending[task.id]) { return; }
    var mode = event.target.closest(".gantt-handle-link") ? "link"
      : event.target.closest(".gantt-handle-resize") ? "resize" : "move";
    if (mode === "move" && this.isSummary(i)) { return; }
    event.preventDefault();
    this.chart.setPointerCapture(event.pointerId);
    this.drag = { mode: mode, id: task.id, index: i, startX: event.clientX, delta: 0, moved: false,
      pointer: event.pointerId };
    if (mode === "link") {
      var a = this.anchor(task.id);
      this.drag.ox = a.x1;
      this.drag.oy = a.y;
    }
  };

  Gantt.prototype.chartPoint = function (event) {
    var rect = this.chart.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  Gantt.prototype.onPointerMove = function (event) {
    var d = this.drag;
    if (!d || event.pointerId !== d.pointer) { return; }
    var dx = event.clientX - d.startX;
    if (!d.moved && Math.abs(dx) < 3 && d.mode !== "link") { return; }
    d.moved = true;
    if (d.mode === "link") {
      var p = this.chartPoint(event);
      var len = Math.sqrt(Math.pow(p.x - d.ox, 2) + Math.pow(p.y - d.oy, 2));
      var angle = Math.atan2(p.y - d.oy, p.x - d.ox);
      this.draft.hidden = false;
      this.draft.style.width = Math.round(len) + "px";
      this.draft.style.transform = "translate(" + d.ox + "px," + d.oy + "px) rotate(" + angle + "rad)";
      var target = this.barAt(event);
      if (this.linkTarget && this.linkTarget !== target) { this.linkTarget.classList.remove("is-link-target"); }
      this.linkTarget = target && target.getAttribute("data-id") !== String(d.id) ? target : null;
      if (this.linkTarget) { this.linkTarget.classList.add("is-link-target"); }
      return;
    }
    var delta = Math.round(dx / this.px);
    if (delta !== d.delta) {
      d.delta = delta;
      this.refreshRow(d.id);
    }
  };

  Gantt.prototype.barAt = function (event) {
    var hit = document.elementFromPoint(event.clientX, event.clientY);
    return hit && hit.closest ? hit.closest(".gantt-bar") : null;
  };

  Gantt.prototype.onPointerUp = function (event) {
    var d = this.drag;
    if (!d || event.pointerId !== d.pointer) { return; }
    var task = this.tasks[d.index];
    var i = d.index;
    if (d.mode === "link") {
      var target = this.barAt(event);
      this.endLinkDraft();
      this.drag = null;
      if (target && target.getAttribute("data-id") !== String(d.id)) {
        var other = this.tasks[this.indexOf[target.getAttribute("data-id")]];
        this.request(task, "link", [task.id, other.id, "FS"]);
      }
      return;
    }
    if (!d.moved || d.delta === 0) {
      this.drag = null;
      this.refreshRow(d.id);
      return;
    }
    if (d.mode === "move") {
      var s = this.start[i] + d.delta;
      if (!this.isMilestone(i)) { s = this.calendar.nextWorking(s); }
      d.delta = s - this.start[i];
      this.refreshRow(d.id);
      this.request(task, "move", [task, isoOf(s)], true);
    } else {
      var f = Math.max(this.start[i], this.finish[i] + d.delta);
      var days = Math.max(1, this.calendar.count(this.start[i], f));
      this.request(task, "resize", [task, days], true);
    }
  };

  Gantt.prototype.onPointerCancel = function () {
    var d = this.drag;
    if (!d) { return; }
    this.drag = null;
    this.endLinkDraft();
    this.refreshRow(d.id);
  };

  Gantt.prototype.endLinkDraft = function () {
    this.draft.hidden = true;
    if (this.linkTarget) { this.linkTarget.classList.remove("is-link-target"); }
    this.linkTarget = null;
  };

  // ---- talking to the server

  // Call api[method](...args); show the task busy meanwhile; render the answer or undo.
  Gantt.prototype.request = function (task, method, args, keepDrag) {
    var fn = this.api[method];
    var self = this;
    if (typeof fn !== "function" || !this.editable) {
      this.drag = null;
      if (task) { this.refreshRow(task.id); }
      return null;
    }
    var id = task ? task.id : null;
    if (global.performance && performance.mark) { performance.mark("gantt-request"); }
    if (id !== null) { this.pending[id] = true; this.refreshRow(id); }
    if (!keepDrag) { this.drag = null; }
    this.announce(this.t("saving"));
    var promise;
    try {
      promise = Promise.resolve(fn.apply(this.api, args));
    } catch (err) {
      promise = Promise.reject(err);
    }
    return promise.then(function (data) {
      if (self.destroyed) { return; }
      if (id !== null) { delete self.pending[id]; }
      if (self.drag && self.drag.id === id) { self.drag = null; }
      if (method === "unlink") { self.selectedLink = null; }
      if (data && data.tasks) { self.update(data); } else if (id !== null) { self.refreshRow(id); }
      self.announce(self.t("saved"));
    }, function (err) {
      if (self.destroyed) { return; }
      if (id !== null) { delete self.pending[id]; }
      if (self.drag && self.drag.id === id) { self.drag = null; }
      if (id !== null) { self.refreshRow(id); }
      self.announce((err && err.message) || self.t("error"), true);
    });
  };

  Gantt.prototype.announce = function (text, isError) {
    this.status.textContent = text;
    this.status.className = "gantt-status" + (isError ? " is-error" : "");
  };

  // ---- public API

  Gantt.prototype.update = function (data) {
    if (global.performance && performance.mark) { performance.mark("gantt-update-start"); }
    var oldMin = this.minDay, oldPx = this.px;
    var left = this.scroller.scrollLeft, top = this.scroller.scrollTop;
    this.setData(data);
    this.renderAll();
    // Keep the same day at the left edge even if the timeline grew at its start.
    this.scroller.scrollLeft = Math.max(0, left + (oldMin - this.minDay) * oldPx);
    this.scroller.scrollTop = top;
    this.renderRows(true);
    this.renderTime(true);
    if (this.selectedId !== null) {
      this.grid.setAttribute("aria-activedescendant", this.uid + "-row-" + this.selectedId);
    }
    if (global.performance && performance.mark) {
      performance.mark("gantt-update-end");
      if (performance.measure) { performance.measure("gantt-update", "gantt-update-start", "gantt-update-end"); }
    }
  };

  Gantt.prototype.zoom = function (level) { this.setZoom(level); };

  Gantt.prototype.scrollToToday = function () {
    if (this.todayDay === null) { return; }
    var vp = this.viewport();
    this.scroller.scrollLeft = Math.max(0, this.x(this.todayDay) - vp.width / 3);
    this.renderTime(true);
  };

  Gantt.prototype.destroy = function () {
    this.destroyed = true;
    this.listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
    this.listeners = [];
    if (this.resizer) { this.resizer.disconnect(); }
    this.root.textContent = "";
    this.root.classList.remove("gantt");
    ["--gantt-grid-w", "--gantt-row-h", "--gantt-head-row-h"].forEach(function (name) {
      this.root.style.removeProperty(name);
    }, this);
    this.root.removeAttribute("data-ready");
    this.rows = {};
    this.pool = [];
    this.scroller = null;
  };

  function mount(element, data, options) {
    var g = new Gantt(element, data, options);
    return {
      update: function (d) { g.update(d); },
      zoom: function (level) { g.zoom(level); },
      scrollToToday: function () { g.scrollToToday(); },
      destroy: function () { g.destroy(); },
      get zoomLevel() { return g.zoomLevel; }
    };
  }

  global.Gantt = { mount: mount, Calendar: Calendar, dayOf: dayOf, isoOf: isoOf };
})(window);
