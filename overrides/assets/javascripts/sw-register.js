// Registers the site-root service worker (sw.js, written by hooks/service_worker.py) so the
// recovery checklist works offline after one visit. Loaded on every page via extra_javascript.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var src = document.currentScript && document.currentScript.src;
  if (!src) return;
  var root = new URL("../../", src); // this file lives at <root>/assets/javascripts/
  navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname }).catch(function () {
    /* offline support is an enhancement; the site works without it */
  });
})();
