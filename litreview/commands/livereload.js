// Live reload for `build.py serve` only: never part of a built site.
// Listens to /__events (server-sent events) for the build counter; reloads
// when a new build changed this page, and shows build errors (as text) in an
// overlay until they are fixed. The stream names this page, so the server
// renders it first after an edit. Without EventSource it polls /__livereload.
(function () {
  "use strict";
  var me = document.currentScript;
  var params = new URL(me.src).searchParams;
  var seen = parseInt(params.get("build") || "0", 10);
  var shownError = null;
  var overlay = null;

  function showError(text) {
    if (shownError === text) return;
    shownError = text;
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "livereload-error";
      overlay.setAttribute("role", "alert");
      var s = overlay.style; // CSSOM, allowed by style-src 'self'
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.zIndex = "2147483647";
      s.margin = "0"; s.padding = "1em"; s.background = "#3b0d0d"; s.color = "#fff";
      s.font = "14px/1.4 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
      s.borderTop = "4px solid #e33";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Build failed; showing the last good build.\n\n" + text;
  }

  function hideError() {
    shownError = null;
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // This page's path in the site, as the server names it ("/" is index.html).
  var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
  if (path === "" || path.charAt(path.length - 1) === "/") path += "index.html";
  var first = true;

  // true when the page is reloading. A build reloads the page when it changed the page
  // (state.pages lists the pages changed by every build the page has not seen; null means
  // every page), or when the page was made before it.
  function apply(state) {
    if (state.build !== seen) {
      if (first || state.pages === null || state.pages.indexOf(path) !== -1) {
        location.reload();
        return true;
      }
      seen = state.build;
    }
    first = false;
    if (state.error) showError(state.error);
    else hideError();
    return false;
  }

  function poll() {
    fetch("/__livereload?since=" + seen, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) { if (!apply(state)) setTimeout(poll, 400); })
      .catch(function () { setTimeout(poll, 1000); }); // server restarting
  }

  if (window.EventSource) {
    // EventSource reconnects by itself when the server restarts.
    var events = new EventSource("/__events?page=" + encodeURIComponent(location.pathname));
    events.onmessage = function (message) {
      if (apply(JSON.parse(message.data))) events.close();
    };
  } else {
    poll();
  }
})();
