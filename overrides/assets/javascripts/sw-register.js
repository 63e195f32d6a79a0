// Registers the site-root service worker (sw.js, written by hooks/service_worker.py) so the
// recovery checklist works offline after one visit. Loaded on every page via extra_javascript.
// Registration waits for the page load, and on the tool page for the checker to be ready, so
// the worker's precache (which revalidates what the page already fetched) never competes
// with the first start of the checker.
//
// Warm start: on any other page, once the page is loaded and the browser is idle, it asks the
// service worker to prefetch the checker's runtime (Pyodide, the precompiled stdlib, the engine
// wheel; about 4-6 MB on the wire from a host that serves the .br siblings), so the tool later
// starts from Cache Storage. Not when the reader asked for reduced data (Save-Data /
// navigator.connection.saveData, or prefers-reduced-data) or is on a 2G-class connection.
// The outcome is left on <html data-esrok-prefetch="skipped|requested|cached"> (tests, bench).
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var src = document.currentScript && document.currentScript.src;
  if (!src) return;
  var root = new URL("../../", src); // this file lives at <root>/assets/javascripts/
  var onTool = !!document.getElementById("esrok-checker");

  function reducedData() {
    var c = navigator.connection;
    if (c && (c.saveData || /(^|-)2g$/.test(c.effectiveType || ""))) return true;
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-data: reduce)").matches);
  }

  function whenIdle(fn) {
    if ("requestIdleCallback" in window) window.requestIdleCallback(fn);
    else setTimeout(fn, 2000);
  }

  function prefetch() {
    var html = document.documentElement;
    navigator.serviceWorker.ready.then(function (reg) {
      if (!reg.active) return;
      if (reducedData()) { html.setAttribute("data-esrok-prefetch", "skipped"); return; }
      navigator.serviceWorker.addEventListener("message", function (ev) {
        if (ev.data && ev.data.type === "esrok:runtime-cached") html.setAttribute("data-esrok-prefetch", "cached");
      });
      reg.active.postMessage({ type: "esrok:prefetch-runtime" });
      html.setAttribute("data-esrok-prefetch", "requested");
    }, function () {});
  }

  function register() {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname }).then(function () {
      // The tool page caches the runtime itself once the checker has run (checklist.js).
      if (!onTool) whenIdle(prefetch);
    }, function () {
      /* offline support is an enhancement; the site works without it */
    });
  }
  var app = window.__esrokChecklist;
  if (onTool && app && app.engine !== "ready" && app.engine !== "failed") {
    window.addEventListener("esrok:engine-settled", register, { once: true });
  } else if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register, { once: true });
  }
})();
