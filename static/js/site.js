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
