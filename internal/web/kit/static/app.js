// crisisdesk staff UI: small progressive enhancements. Every page works
// without this file.
(function () {
  "use strict";
  // Buttons that only matter without script (class nojs) hide.
  document.documentElement.classList.add("js");
  // A select marked data-autosubmit submits its form when changed (the
  // language picker); its submit button stays for browsers without script.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  // A form marked data-confirm asks before it posts (destructive actions).
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  // The error summary of a form that came back takes focus, so that a
  // screen reader reads it first; its links move focus to their field
  // (a fragment link alone only scrolls).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("#error-summary a[href^='#']");
    if (!a) { return; }
    var field = document.getElementById(a.getAttribute("href").slice(1));
    if (!field) { return; }
    ev.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
  // A button marked data-print prints the page; it is hidden until this
  // script shows it.
  document.querySelectorAll("[data-print]").forEach(function (b) { b.hidden = false; });
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("[data-print]")) { window.print(); }
  });
  // A table wider than the screen scrolls inside its .table-wrap; the
  // keyboard reaches it (tabindex) so that it can scroll too (WCAG 2.1.1).
  function scrollables() {
    document.querySelectorAll(".table-wrap").forEach(function (w) {
      if (w.scrollWidth > w.clientWidth) { w.tabIndex = 0; } else { w.removeAttribute("tabindex"); }
    });
  }
  scrollables();
  window.addEventListener("resize", scrollables);
})();
