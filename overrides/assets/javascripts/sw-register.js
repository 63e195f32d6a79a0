// Registers the site-root service worker (sw.js, written by hooks/service_worker.py) so the
// recovery checklist works offline after one visit. Loaded on every page via extra_javascript.
// Registration waits for the page load, and on the tool page for the checker to be ready, so
// the worker's precache (which revalidates what the page already fetched) never competes
// with the first start of the checker.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var src = document.currentScript && document.currentScript.src;
  if (!src) return;
  var root = new URL("../../", src); // this file lives at <root>/assets/javascripts/
  function register() {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname }).catch(function () {
      /* offline support is an enhancement; the site works without it */
    });
  }
  var app = window.__esrokChecklist;
  if (document.getElementById("esrok-checker") && app && app.engine !== "ready" && app.engine !== "failed") {
    window.addEventListener("esrok:engine-settled", register, { once: true });
  } else if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register, { once: true });
  }
})();
