// Schakel: the Gantt chart on a project's Plan tab, talking to the planning API.
//
// Plain JavaScript, no inline script (the CSP forbids it). The page works without it: the
// outline below the chart lists every task and its forms do every change. With it, the
// chart (static/js/gantt.js) draws the computed schedule and each drag, link, indent or
// outdent goes to the API with the task's version; the server reschedules and the chart
// redraws from the fresh schedule. A refused change (409: someone else changed the task;
// 400: a loop, a milestone under a milestone…) comes back as the server's message.
(function () {
  "use strict";

  var element = document.getElementById("plan-gantt");
  if (!element || !window.Gantt) { return; }
  var strings = {};
  var stringsEl = document.getElementById("gantt-strings");
  if (stringsEl) {
    try { strings = JSON.parse(stringsEl.textContent) || {}; } catch (e) { strings = {}; }
  }
  var scheduleUrl = element.getAttribute("data-schedule-url");
  var tasksUrl = element.getAttribute("data-tasks-url");
  var linksUrl = element.getAttribute("data-links-url");
  var openUrl = element.getAttribute("data-open-url");

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) { return headers["X-CSRFToken"]; }
    } catch (e) { /* fall through to the cookie */ }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function message(body, fallback) {
    if (!body) { return fallback; }
    if (typeof body.detail === "string") { return body.detail; }
    var parts = [];
    Object.keys(body).forEach(function (key) {
      var value = body[key];
      if (Array.isArray(value)) { parts.push(value.join(" ")); }
      else if (typeof value === "string") { parts.push(value); }
    });
    return parts.join(" ") || fallback;
  }

  function call(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return null; }
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          var fallback = response.status === 409 ? strings.conflict : strings.error;
          throw { status: response.status, message: message(data, fallback || "") };
        }
        return data;
      });
    });
  }

  function schedule() { return call("GET", scheduleUrl); }
  function thenSchedule(promise) { return promise.then(schedule); }
  function taskUrl(task, action) {
    return tasksUrl + task.id + "/" + (action ? action + "/" : "");
  }

  var api = {
    move: function (task, startIso) {
      // Dragging a bar pins its start, as MS Project does: "start no earlier than".
      return thenSchedule(call("PATCH", taskUrl(task), {
        version: task.version, constraint: "SNET", constraint_date: startIso
      }));
    },
    resize: function (task, duration) {
      return thenSchedule(call("PATCH", taskUrl(task), { version: task.version, duration: duration }));
    },
    link: function (fromId, toId, type) {
      return thenSchedule(call("POST", linksUrl, { predecessor: fromId, successor: toId, type: type || "FS", lag: 0 }));
    },
    unlink: function (link) {
      var id = link && typeof link === "object" ? link.id : link;
      return thenSchedule(call("DELETE", linksUrl + id + "/"));
    },
    indent: function (task) {
      return thenSchedule(call("POST", taskUrl(task, "indent"), { version: task.version }));
    },
    outdent: function (task) {
      return thenSchedule(call("POST", taskUrl(task, "outdent"), { version: task.version }));
    },
    open: function (task) { window.location.href = openUrl + task.id + "/"; }
  };

  schedule().then(function (data) {
    element.removeAttribute("aria-busy");
    window.Gantt.mount(element, data, { strings: strings, api: api });
  }, function (err) {
    element.removeAttribute("aria-busy");
    element.textContent = (err && err.message) || strings.error || "";
  });
})();
