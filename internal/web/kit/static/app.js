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
