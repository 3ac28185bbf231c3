// Gantt harness: a deterministic synthetic plan of ?n= tasks and a fake `api` that
// answers after ?latency= ms (default 50) with crudely updated data, so the module can be
// measured and tested without the planning app. Not a scheduler: it only shifts dates.
//
// Test hooks on window.ganttHarness: calls (every api call, in order), failNext
// ({status, message} to reject the next call with), latency, data, gantt.
(function () {
  "use strict";

  var DAY = 86400000;
  var params = new URLSearchParams(window.location.search);
  var N = Math.max(1, parseInt(params.get("n") || "2000", 10));
  var SEED = parseInt(params.get("seed") || "6", 10);
  var LATENCY = parseInt(params.get("latency") || "50", 10);
  var NAMES = ["Survey", "Design", "Review", "Permit", "Tender", "Procure", "Build", "Install",
    "Test", "Train", "Migrate", "Pilot", "Document", "Approve", "Inspect", "Deliver"];
  var OBJECTS = ["quay wall", "crane rails", "pump house", "control room", "fender system",
    "access road", "power supply", "drainage", "mooring posts", "lighting", "signage", "CCTV"];
  var OWNERS = ["Bram Meijer", "Sanne de Vries", "Noor Jansen", "Daan Bakker", "Eva Visser", "Luuk Smit"];

  function rng(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  var dayOf = function (iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); };
  var isoOf = function (day) { return new Date(day * DAY).toISOString().slice(0, 10); };
  var OFF = ["2026-04-27", "2026-05-05", "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26",
    "2027-01-01", "2027-03-29", "2027-04-27", "2027-05-06", "2027-05-17", "2027-12-25", "2027-12-26",
    "2028-01-01", "2028-04-17", "2028-04-27", "2028-05-25", "2028-06-05", "2028-12-25", "2028-12-26"];
  var offSet = {};
  OFF.forEach(function (iso) { offSet[dayOf(iso)] = true; });
  function works(day) { var w = ((day % 7) + 10) % 7; return w < 5 && !offSet[day]; }
  function nextWorking(day) { while (!works(day)) { day += 1; } return day; }
  function addWorking(day, n) {            // the day n working days after `day` (n >= 0)
    while (n > 0) { day += 1; if (works(day)) { n -= 1; } }
    return day;
  }
  function countWorking(a, b) { var n = 0; for (var d = a; d <= b; d++) { if (works(d)) { n++; } } return n; }

  function generate(n, seed) {
    var rnd = rng(seed);
    var start = dayOf("2026-01-05");
    var today = dayOf("2026-11-26");
    var span = 300 + Math.round(n * 0.05);
    var tasks = [];
    var stack = [];   // open summaries: {index, kids}
    while (tasks.length < n) {
      var depth = stack.length;
      var r = rnd();
      var top = stack[depth - 1];
      if (depth > 1 && top.kids >= 2 && r < 0.16) { stack.pop(); continue; }
      if (depth === 1 && top.kids >= 3 && r < 0.015) { stack.pop(); continue; }
      var isSummary = (depth === 0 && tasks.length < n - 1) || (depth > 0 && depth < 4 && r > 0.9 && tasks.length < n - 2);
      var task = {
        id: tasks.length + 1, parent: top ? tasks[top.index].id : null, level: depth + 1,
        wbs: "", name: "", summary: isSummary, milestone: false,
        start: null, finish: null, duration: 0, percent: 0, critical: false, total_float: 0,
        baseline_start: null, baseline_finish: null,
        owner: OWNERS[Math.floor(rnd() * OWNERS.length)], version: 1, editable: true
      };
      if (top) { top.kids += 1; }
      var obj = OBJECTS[Math.floor(rnd() * OBJECTS.length)];
      if (isSummary) {
        task.name = depth === 0 ? "Phase " + (tasks.filter(function (t) { return t.level === 1; }).length + 1) + ": " + obj
          : "Work package " + obj;
        tasks.push(task);
        stack.push({ index: tasks.length - 1, kids: 0 });
        continue;
      }
      var pos = tasks.length / n;
      var s = nextWorking(start + Math.floor(pos * span) + Math.floor(rnd() * 20) - 5);
      if (s < start) { s = nextWorking(start); }
      var milestone = rnd() < 0.05;
      var d = milestone ? 0 : 1 + Math.floor(rnd() * 12);
      task.name = milestone ? obj.charAt(0).toUpperCase() + obj.slice(1) + " ready"
        : NAMES[Math.floor(rnd() * NAMES.length)] + " " + obj;
      task.milestone = milestone;
      task.start = isoOf(s);
      task.finish = isoOf(milestone ? s : addWorking(s, d - 1));
      task.duration = d;
      task.critical = rnd() < 0.12;
      task.total_float = task.critical ? 0 : 1 + Math.floor(rnd() * 20);
      if (rnd() < 0.75) {
        var shift = Math.floor(rnd() * 8) - 5;
        task.baseline_start = isoOf(s + shift);
        task.baseline_finish = isoOf(dayOf(task.finish) + shift - (rnd() < 0.3 ? 2 : 0));
        if (dayOf(task.baseline_finish) < dayOf(task.baseline_start)) { task.baseline_finish = task.baseline_start; }
      }
      tasks.push(task);
    }
    rollUp(tasks, today);
    numberWbs(tasks);
    var leaves = [];
    tasks.forEach(function (t, i) { if (!t.summary) { leaves.push(i); } });
    var links = [];
    var want = Math.round(n * 1.2);
    var types = ["FS", "FS", "FS", "FS", "FS", "FS", "FS", "FS", "FS", "FS", "FS", "FS", "SS", "SS", "FF", "SF"];
    for (var k = 0; k < want * 3 && links.length < want && leaves.length > 1; k++) {
      var a = Math.floor(rnd() * (leaves.length - 1));
      var b = Math.min(leaves.length - 1, a + 1 + Math.floor(rnd() * 30));
      var from = tasks[leaves[a]], to = tasks[leaves[b]];
      links.push({ id: links.length + 1, from: from.id, to: to.id, type: types[Math.floor(rnd() * types.length)],
        lag: 0, critical: from.critical && to.critical });
    }
    return {
      today: isoOf(today), start: isoOf(start),
      calendar: { weekdays: [0, 1, 2, 3, 4], days_off: OFF, working_days: [] },
      tasks: tasks, links: links, editable: params.get("readonly") === null
    };
  }

  // Summaries take the span of their children; summary = has children; percent from today.
  function rollUp(tasks, today) {
    for (var i = 0; i < tasks.length; i++) {
      tasks[i].summary = i + 1 < tasks.length && tasks[i + 1].level > tasks[i].level;
    }
    for (i = tasks.length - 1; i >= 0; i--) {
      var t = tasks[i];
      if (!t.summary) { continue; }
      var lo = null, hi = null, crit = false;
      for (var j = i + 1; j < tasks.length && tasks[j].level > t.level; j++) {
        var c = tasks[j];
        if (c.level !== t.level + 1 || !c.start) { continue; }
        if (lo === null || c.start < lo) { lo = c.start; }
        if (hi === null || c.finish > hi) { hi = c.finish; }
        crit = crit || c.critical;
      }
      t.start = lo || isoOf(today);
      t.finish = hi || t.start;
      t.milestone = false;
      t.critical = crit;
      t.duration = countWorking(dayOf(t.start), dayOf(t.finish));
    }
    tasks.forEach(function (task) {
      var s = dayOf(task.start), f = dayOf(task.finish);
      task.percent = f < today ? 100 : s > today ? 0 : Math.round((today - s) / (f - s + 1) * 20) * 5;
    });
  }

  function numberWbs(tasks) {
    var counters = [];
    tasks.forEach(function (t, i) {
      counters.length = t.level;
      counters[t.level - 1] = (counters[t.level - 1] || 0) + 1;
      t.wbs = counters.join(".");
      var parent = null;
      for (var j = i - 1; j >= 0; j--) { if (tasks[j].level < t.level) { parent = tasks[j].id; break; } }
      t.parent = parent;
    });
  }

  // ---------------------------------------------------------------- the fake server

  var harness = window.ganttHarness = { calls: [], failNext: null, latency: LATENCY, data: null, gantt: null };
  var today = dayOf("2026-11-26");

  function indexOf(id) {
    var tasks = harness.data.tasks;
    for (var i = 0; i < tasks.length; i++) { if (tasks[i].id === id) { return i; } }
    return -1;
  }

  function answer(name, args, change) {
    harness.calls.push({ method: name, args: args.map(function (a) { return a && a.id !== undefined && a.name ? a.id : a; }) });
    return new Promise(function (resolve, reject) {
      window.setTimeout(function () {
        if (harness.failNext) {
          var err = harness.failNext;
          harness.failNext = null;
          reject(err);
          return;
        }
        var problem = change();
        if (problem) { reject({ status: 400, message: problem }); return; }
        var data = harness.data;
        rollUp(data.tasks, today);
        numberWbs(data.tasks);
        harness.data = Object.assign({}, data, { tasks: data.tasks.slice(), links: data.links.slice() });
        resolve(harness.data);
      }, harness.latency);
    });
  }

  // Shift a task and everything after it along links by the same number of days.
  function shift(id, days) {
    var succ = {};
    harness.data.links.forEach(function (l) { (succ[l.from] = succ[l.from] || []).push(l.to); });
    var byId = {};
    harness.data.tasks.forEach(function (t) { byId[t.id] = t; });
    var seen = {}, queue = [id];
    while (queue.length) {
      var cur = queue.shift();
      if (seen[cur]) { continue; }
      seen[cur] = true;
      var t = byId[cur];
      t.start = isoOf(dayOf(t.start) + days);
      t.finish = isoOf(dayOf(t.finish) + days);
      t.version += 1;
      if (days > 0) { (succ[cur] || []).forEach(function (s) { queue.push(s); }); }
    }
  }

  function subtree(i) {
    var tasks = harness.data.tasks, j = i + 1;
    while (j < tasks.length && tasks[j].level > tasks[i].level) { j++; }
    return j;
  }

  var api = {
    move: function (task, iso) {
      return answer("move", [task, iso], function () { shift(task.id, dayOf(iso) - dayOf(task.start)); });
    },
    resize: function (task, days) {
      return answer("resize", [task, days], function () {
        var t = harness.data.tasks[indexOf(task.id)];
        t.duration = days;
        t.finish = isoOf(addWorking(dayOf(t.start), days - 1));
      });
    },
    link: function (from, to, type) {
      return answer("link", [from, to, type], function () {
        var links = harness.data.links;
        if (links.some(function (l) { return l.from === from && l.to === to; })) { return "These tasks are already linked."; }
        links.push({ id: links.reduce(function (m, l) { return Math.max(m, l.id); }, 0) + 1,
          from: from, to: to, type: type, lag: 0, critical: false });
        return null;
      });
    },
    unlink: function (linkId) {
      return answer("unlink", [linkId], function () {
        harness.data.links = harness.data.links.filter(function (l) { return l.id !== linkId; });
      });
    },
    indent: function (task) {
      return answer("indent", [task], function () {
        var tasks = harness.data.tasks, i = indexOf(task.id);
        if (i <= 0 || tasks[i - 1].level < tasks[i].level) { return "This task cannot be indented further."; }
        for (var j = i, end = subtree(i); j < end; j++) { tasks[j].level += 1; }
        return null;
      });
    },
    outdent: function (task) {
      return answer("outdent", [task], function () {
        var tasks = harness.data.tasks, i = indexOf(task.id);
        if (tasks[i].level <= 1) { return "This task is already at the top level."; }
        for (var j = i, end = subtree(i); j < end; j++) { tasks[j].level -= 1; }
        return null;
      });
    },
    open: function (task) {
      harness.calls.push({ method: "open", args: [task.id] });
      return Promise.resolve(null);
    }
  };

  function start() {
    var strings = JSON.parse(document.getElementById("gantt-strings").textContent);
    harness.data = generate(N, SEED);
    performance.mark("harness-data-ready");
    var info = document.getElementById("harness-info");
    info.textContent = strings.info.split("%(n)s").join(N.toLocaleString("en"))
      .split("%(links)s").join(harness.data.links.length.toLocaleString("en"));
    harness.gantt = window.Gantt.mount(document.getElementById("gantt"), harness.data,
      { strings: strings, api: api, zoom: params.get("zoom") || "week" });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
