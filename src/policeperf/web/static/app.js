// policeperf dashboard: draws charts (Vega-Embed, expression interpreter: no eval) and sorts
// tables. Loaded from this server only; the pages have no inline script.
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof window.vegaEmbed !== "function") { return; }
    root.querySelectorAll(".vega-chart:not([data-drawn])").forEach(function (el) {
      el.setAttribute("data-drawn", "1");
      var spec = JSON.parse(el.getAttribute("data-spec"));
      window.vegaEmbed(el, spec, {
        ast: true, actions: false, renderer: "svg", defaultStyle: false,
        tooltip: { disableDefaultStyle: true }
      }).then(function () {
        el.setAttribute("data-ready", "1");
        var slot = el.closest("[aria-busy]");
        if (slot) { slot.removeAttribute("aria-busy"); }
      }).catch(function (err) {
        el.setAttribute("data-error", String(err));
        el.textContent = "The chart could not be drawn; its data table is below.";
      });
    });
  }

  function cellValue(row, index, kind) {
    var cell = row.children[index];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (kind === "num") { var n = parseFloat(raw); return isNaN(n) ? Infinity : n; }
    return raw.toLowerCase();
  }

  function sortBy(button) {
    var th = button.closest("th");
    var table = th.closest("table");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var kind = button.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("table.sortable th button[data-sort]");
    if (button) { sortBy(button); }
  });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
  window.addEventListener("load", function () { drawCharts(document); });
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
})();
