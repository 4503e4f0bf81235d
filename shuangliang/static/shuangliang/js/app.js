// Small behaviours for the staff pages; no inline scripts (the CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions: <form data-confirm="…">.
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Filter forms submit when a select changes.
  document.querySelectorAll("form.filters select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});
