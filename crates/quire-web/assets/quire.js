// Quire's small client script (no inline scripts: the CSP forbids them).
// 1. htmx sends the CSRF token with every request it makes.
// 2. Forms marked data-confirm ask before submitting.
// 3. The language switcher submits on change (a button remains for no-JS use).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("htmx:configRequest", function (e) {
    if (meta) e.detail.headers["X-CSRF-Token"] = meta.content;
  });
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "lang-select" && e.target.form) e.target.form.requestSubmit();
  });
  // 4. Desk scan forms (checkout, checkin): after htmx swapped the result
  //    in, empty the scan field and keep the focus there for the next scan.
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail && e.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-scan-form")) return;
    var field = form.querySelector("[data-scan]");
    if (field) {
      field.value = "";
      field.focus();
    }
  });
  // 5. Print buttons on slips and receipts.
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("[data-print]");
    if (b) window.print();
  });
  // Focus the first field with an error, so keyboard and screen-reader users land on it.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
})();
