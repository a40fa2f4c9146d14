// crisisdesk staff UI: small progressive enhancements. Every page works
// without this file.
(function () {
  "use strict";
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
})();
