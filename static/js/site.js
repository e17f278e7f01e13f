/* Progressive enhancement only: without JavaScript every page works as is.
   Filters the all-papers table as you type (papers.html); copies a paper's
   BibTeX entry (paper pages). */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  function setUpFilter(box) {
    var table = document.getElementById(box.getAttribute("data-filter-table"));
    var input = box.querySelector("input[type=search]");
    var from = box.querySelector("[data-year-from]");
    var to = box.querySelector("[data-year-to]");
    var status = box.querySelector(".filter-status");
    if (!table || !input) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return normalise(row.textContent); });
    var yearIndex = Array.prototype.indexOf.call(table.tHead.rows[0].cells, table.querySelector("[data-year-column]"));
    var years = rows.map(function (row) {
      return yearIndex < 0 ? NaN : parseInt(row.cells[yearIndex].textContent, 10);
    });
    var timer = null;

    function bound(field) {
      var value = field ? parseInt(field.value, 10) : NaN;
      return isNaN(value) ? null : value;
    }

    function apply() {
      var words = normalise(input.value).split(" ").filter(Boolean);
      var low = bound(from), high = bound(to);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        if (match && (low !== null || high !== null)) {
          match = !isNaN(years[i]) && (low === null || years[i] >= low) && (high === null || years[i] <= high);
        }
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (status) {
        var filtered = words.length || low !== null || high !== null;
        status.textContent = filtered ? "Showing " + shown + " of " + rows.length + " papers" : "";
      }
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(apply, 80);
    }

    input.addEventListener("input", later);
    [from, to].forEach(function (field) { if (field) field.addEventListener("input", later); });
    var params = new URLSearchParams(window.location.search);
    if (params.get("filter")) input.value = params.get("filter");
    if (from && params.get("from")) from.value = params.get("from");
    if (to && params.get("to")) to.value = params.get("to");
    box.hidden = false;
    if (input.value || (from && from.value) || (to && to.value)) apply();
  }

  /* Column headers with data-sort become buttons: text (A-Z), author (by
     each row's data-sort-key, a family name) or number (newest first on
     the first click); a second click reverses. Rows without a value go last. */
  function setUpSort(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    headers.forEach(function (th, column) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === (kind === "number" ? "descending" : "ascending");
        descending = kind === "number" ? !descending : descending;
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var keyed = original.map(function (row, i) {
          var cell = row.cells[column];
          var text = cell.getAttribute("data-sort-key") || cell.textContent.trim();
          var key = kind === "number" ? parseFloat(text) : normalise(text);
          var missing = kind === "number" ? isNaN(key) : key === "";
          return { row: row, key: key, missing: missing, i: i };
        });
        keyed.sort(function (a, b) {
          if (a.missing !== b.missing) return a.missing ? 1 : -1;
          if (a.key < b.key) return descending ? 1 : -1;
          if (a.key > b.key) return descending ? -1 : 1;
          return a.i - b.i;
        });
        keyed.forEach(function (item) { body.appendChild(item.row); });
      });
    });
  }

  document.querySelectorAll("[data-filter-table]").forEach(setUpFilter);
  document.querySelectorAll("table.papers-table").forEach(setUpSort);

  function setUpCopy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!target) return;

    function done(message) {
      if (status) status.textContent = message;
    }

    function fallback(text) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok ? "Copied" : "Select the entry and copy it");
    }

    button.addEventListener("click", function () {
      var text = target.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done("Copied"); }, function () { fallback(text); });
      } else {
        fallback(text);
      }
    });
    button.hidden = false;
  }

  document.querySelectorAll("[data-copy]").forEach(setUpCopy);
})();
