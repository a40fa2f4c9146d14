// crisisdesk staff UI: clocks that count down and pages that follow
// changes live. Without this file the pages still show every due time and
// are current as of their loading.
(function () {
  "use strict";

  // Countdowns: an element with data-due (RFC 3339) holds a [data-left]
  // that shows the time left, "-" once overdue, as the server writes it.
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  // Days are written in words from the element's data-day-one and
  // data-day-other patterns ("# 日", "# days"), as the server does.
  function formatLeft(ms, el) {
    var sign = ms < 0 ? "-" : "";
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    var out = pad(h) + ":" + pad(m) + ":" + pad(s % 60);
    if (d <= 0) { return sign + out; }
    var pattern = el.getAttribute(d === 1 ? "data-day-one" : "data-day-other") || "#d";
    return sign + pattern.replace("#", d) + " " + out;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      if (el.hasAttribute("data-met")) { return; }
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) { return; }
      var left = el.querySelector("[data-left]");
      if (left) { left.textContent = formatLeft(due - now, left); }
      if (due < now && el.classList.contains("state-pending")) {
        el.classList.remove("state-pending");
        el.classList.add("state-overdue");
        var state = el.querySelector("[data-state]");
        if (state && el.getAttribute("data-overdue-label")) { state.textContent = el.getAttribute("data-overdue-label"); }
      }
    });
  }
  setInterval(tick, 1000);

  // Live parts: the element with data-live names an event stream; each
  // element with data-live-src is fetched again when an event of a type
  // in its data-live-on arrives ("*" for any). A part that holds focus or
  // unsaved input waits until it is left.
  var root = document.querySelector("[data-live]");
  if (!root || !window.EventSource || !window.fetch) { return; }

  function dirty(el) {
    var fields = el.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit") { continue; }
      if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) { return true; }
      } else if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].selected !== f.options[j].defaultSelected) { return true; }
        }
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh(el) {
    if (el.contains(document.activeElement) || dirty(el)) {
      el.setAttribute("data-live-stale", "");
      return;
    }
    el.removeAttribute("data-live-stale");
    fetch(el.getAttribute("data-live-src"), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (res) {
        var to = res.headers.get("HX-Redirect");
        if (to) { window.location.href = to; return null; }
        return res.ok ? res.text() : null;
      })
      .then(function (html) {
        if (!html) { return; }
        var tpl = document.createElement("template");
        tpl.innerHTML = html.trim();
        var fresh = tpl.content.firstElementChild;
        var current = document.getElementById(el.id);
        if (!fresh || !current || fresh.id !== current.id) { return; }
        current.replaceWith(fresh);
        if (window.htmx) { window.htmx.process(fresh); }
        tick();
      })
      .catch(function () { /* the next event tries again */ });
  }

  var pending = {}, timer = null;
  function flush() {
    timer = null;
    var types = pending;
    pending = {};
    document.querySelectorAll("[data-live-src]").forEach(function (el) {
      var on = (el.getAttribute("data-live-on") || "*").split(" ");
      for (var t in types) {
        if (t === "*" || on.indexOf("*") >= 0 || on.indexOf(t) >= 0) { refresh(el); return; }
      }
    });
  }
  function schedule(type) {
    pending[type] = true;
    if (!timer) { timer = setTimeout(flush, 200); }
  }

  var stream = new EventSource(root.getAttribute("data-live"));
  ["task", "timeline", "clock", "level", "status", "crisis", "message", "waiting", "notice", "risk"].forEach(function (type) {
    stream.addEventListener(type, function () { schedule(type); });
  });
  // data-live-state says whether the page is following (for people and
  // browser tests). After a lost connection anything may have changed.
  var opened = false;
  root.setAttribute("data-live-state", "connecting");
  stream.addEventListener("open", function () {
    root.setAttribute("data-live-state", "open");
    if (opened) { schedule("*"); }
    opened = true;
  });
  stream.addEventListener("error", function () {
    root.setAttribute("data-live-state", stream.readyState === EventSource.CLOSED ? "closed" : "connecting");
  });
  // A part that waited for focus to leave is fetched once it has.
  document.addEventListener("focusout", function () {
    setTimeout(function () {
      document.querySelectorAll("[data-live-stale]").forEach(refresh);
    }, 100);
  });
})();
