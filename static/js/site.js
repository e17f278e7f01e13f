/* Progressive enhancement only: without JavaScript every page works as is.
   Filters the all-papers table as you type (papers.html). */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  function setUpFilter(box) {
    var table = document.getElementById(box.getAttribute("data-filter-table"));
    var input = box.querySelector("input");
    var status = box.querySelector(".filter-status");
    if (!table || !input) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return normalise(row.textContent); });
    var timer = null;

    function apply() {
      var words = normalise(input.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (status) {
        status.textContent = words.length ? "Showing " + shown + " of " + rows.length + " papers" : "";
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 80);
    });
    var params = new URLSearchParams(window.location.search);
    if (params.get("filter")) input.value = params.get("filter");
    box.hidden = false;
    if (input.value) apply();
  }

  document.querySelectorAll("[data-filter-table]").forEach(setUpFilter);
})();
