// crisisdesk notice editor: language tabs, the review marks on converted
// text, the recipients shown only for an internal notice, and the open tab
// as the preview's language. Without this file every language is a
// fieldset of its own, one after the other, and every button posts the
// form; the conversion and the preview themselves are htmx requests.
(function () {
  "use strict";
  var form = document.querySelector("[data-notice-editor]");
  if (!form) { return; }
  var tabs = form.querySelector("[data-lang-tabs]");
  var list = tabs.querySelector("[role=tablist]");
  var active = form.querySelector("#notice-active");

  function panels() { return Array.prototype.slice.call(tabs.querySelectorAll("fieldset.notice-language")); }
  function tabsOf() { return Array.prototype.slice.call(list.querySelectorAll("[role=tab]")); }

  // select opens the tab of lang; the preview follows it.
  function select(lang, focus) {
    panels().forEach(function (p) {
      // The panel is the fieldset's div: a fieldset may not be a tabpanel.
      var w = p.parentElement;
      w.hidden = p.getAttribute("data-lang") !== lang;
      w.setAttribute("role", "tabpanel");
      w.setAttribute("aria-labelledby", "tab-" + p.getAttribute("data-lang"));
      p.setAttribute("data-tabbed", "");
    });
    tabsOf().forEach(function (t) {
      var on = t.getAttribute("data-lang") === lang;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      if (on && focus) { t.focus(); }
    });
    if (active.value !== lang) {
      active.value = lang;
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  // The first tab to open: one with a field in error, else the one the
  // server opened, else the first.
  function initial() {
    var ps = panels();
    for (var i = 0; i < ps.length; i++) {
      if (ps[i].querySelector("[aria-invalid=true], .field-error")) { return ps[i].getAttribute("data-lang"); }
    }
    var on = tabs.querySelector("fieldset.notice-language[data-active]");
    return (on || ps[0]).getAttribute("data-lang");
  }

  list.hidden = false;
  tabs.classList.add("tabbed");
  select(initial(), false);

  list.addEventListener("click", function (ev) {
    var t = ev.target.closest("[role=tab]");
    if (t) { select(t.getAttribute("data-lang"), false); }
  });
  list.addEventListener("keydown", function (ev) {
    var ts = tabsOf();
    var i = ts.indexOf(document.activeElement);
    if (i < 0) { return; }
    var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: ts.length - 1 }[ev.key];
    if (next === undefined) { return; }
    ev.preventDefault();
    select(ts[(next + ts.length) % ts.length].getAttribute("data-lang"), true);
  });

  // A converted field is marked until someone edits it.
  form.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!el.hasAttribute || !el.hasAttribute("data-converted")) { return; }
    el.removeAttribute("data-converted");
    var note = document.getElementById(el.getAttribute("aria-describedby") || "");
    if (note) { note.remove(); }
    el.removeAttribute("aria-describedby");
  });

  // Enter in "add a language" adds it rather than saving the draft.
  var newLang = form.querySelector("#new-language");
  newLang.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      form.querySelector("#add-language").click();
    }
  });

  // The recipients matter only for an internal notice.
  var audience = form.querySelector("#notice-audience");
  var recipients = form.querySelector("#notice-recipients");
  function showRecipients() { recipients.hidden = audience.value !== recipients.getAttribute("data-audience"); }
  audience.addEventListener("change", showRecipients);
  showRecipients();

  // Converting over text already written asks first.
  document.body.addEventListener("htmx:confirm", function (ev) {
    var btn = ev.detail.elt;
    var to = btn.getAttribute && btn.getAttribute("data-convert-to");
    if (!to) { return; }
    var target = document.getElementById("lang-" + to);
    var written = target && Array.prototype.some.call(target.querySelectorAll("input:not([type=hidden]), textarea"),
      function (f) { return f.value.trim() !== "" && !f.hasAttribute("data-converted"); });
    if (!written) { return; }
    ev.preventDefault();
    if (window.confirm(btn.getAttribute("data-overwrite"))) { ev.detail.issueRequest(true); }
  });

  // A converted tab arrives from the server: open it for review and let
  // the preview read it.
  document.body.addEventListener("htmx:afterSettle", function () {
    var fresh = tabs.querySelector("fieldset.notice-language[data-active]:not([data-tabbed])");
    if (!fresh) { return; }
    active.value = "";
    select(fresh.getAttribute("data-lang"), false);
  });
})();
