// Registers the site-root service worker (sw.js, written by the tool build) for offline reading
// and an offline checker. Loaded on every page via extra_javascript. Registration waits for the
// page load, and on the tool page for the checker to be ready, so the worker's precache never
// competes with the first start of the checker.
//
// Readers pay for the checker only when they show they want it. On other pages nothing of it is
// downloaded until a sign of intent: a pointer over, focus on or touch of a link to the tool, or,
// on the home and Tools pages, a link to the tool scrolling into view. Then the service worker
// caches the checker (Pyodide, the engine, the tool page), so it starts warm and works offline.
// Never when the reader asked for reduced data (Save-Data, prefers-reduced-data) or is on a
// 2G-class connection. The outcome is left on <html data-esrok-prefetch="skipped|requested|cached">
// (tests, bench). On the offline page it lists the pages kept for offline reading.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var src = document.currentScript && document.currentScript.src;
  if (!src) return;
  var root = new URL("../../", src); // this file lives at <root>/assets/javascripts/
  var onTool = !!document.getElementById("esrok-checker");
  var controlledAtLoad = !!navigator.serviceWorker.controller;
  var config = null;    // from the service worker: {tool, intentPages, offline, pages}
  var asked = false;

  function reducedData() {
    var c = navigator.connection;
    if (c && (c.saveData || /(^|-)2g$/.test(c.effectiveType || ""))) return true;
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-data: reduce)").matches);
  }

  function isToolLink(el) {
    var a = el && el.closest && el.closest("a[href]");
    if (!a || !config) return false;
    var u = new URL(a.href, location.href);
    return u.origin === root.origin && u.pathname === new URL(config.tool, root).pathname;
  }

  function intent() {
    if (asked || onTool) return;
    asked = true;
    var html = document.documentElement;
    if (reducedData()) { html.setAttribute("data-esrok-prefetch", "skipped"); return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (!reg.active) return;
      reg.active.postMessage({ type: "esrok:intent" });
      html.setAttribute("data-esrok-prefetch", "requested");
    }, function () {});
  }

  function onSign(ev) { if (isToolLink(ev.target)) intent(); }

  // On the home and Tools pages: a link to the tool in the content, half in view.
  var observer = null;
  function watchCards() {
    if (observer) { observer.disconnect(); observer = null; }
    if (!config || asked || onTool || !("IntersectionObserver" in window)) return;
    var here = location.pathname.slice(root.pathname.length);
    if (config.intentPages.indexOf(here) < 0) return;
    var links = Array.prototype.filter.call(document.querySelectorAll(".md-content a[href]"), isToolLink);
    if (!links.length) return;
    observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); intent(); }
    }, { threshold: 0.5 });
    links.forEach(function (a) { observer.observe(a); });
  }

  // The offline page: list what is kept for offline reading.
  function listOffline() {
    var box = document.getElementById("esrok-offline-pages");
    if (!box || !config || !window.caches) return;
    caches.open(config.pages).then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.map(function (k) { return cache.match(k).then(function (r) { return [k, r]; }); }));
      });
    }).then(function (rows) {
      var pages = rows.filter(function (row) { return row[1] && row[1].headers.get("x-esrok-kind") === "page"; }).reverse();
      var list = document.createElement("ul");
      pages.forEach(function (row) {
        var a = document.createElement("a");
        a.href = row[0].url;
        a.textContent = decodeURIComponent(row[1].headers.get("x-esrok-title") || "").replace(/ - Esrok$/, "") ||
          new URL(row[0].url).pathname;
        var li = document.createElement("li");
        li.append(a);
        list.append(li);
      });
      var lead = document.createElement("p");
      lead.textContent = pages.length
        ? "These pages are saved on this device, most recently read first:"
        : "No pages are saved on this device yet. Pages you read while online are kept for offline reading.";
      box.replaceChildren(lead);
      if (pages.length) box.append(list);
      var from = new URLSearchParams(location.search).get("from");
      var where = document.getElementById("esrok-offline-from");
      if (from && where) where.textContent = " (" + from + ")";
    }, function () {});
  }

  function onPage() { watchCards(); listOffline(); }

  function start(reg) {
    // Look for a new deploy now: the browser's own check after a navigation can be postponed for
    // as long as the current worker is busy, and a new deploy must replace the old one promptly.
    reg.update().catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (ev) {
      var d = ev.data || {};
      if (d.type === "esrok:config") { config = d; onPage(); }
      if (d.type === "esrok:checker-cached" && !onTool) document.documentElement.setAttribute("data-esrok-prefetch", "cached");
    });
    navigator.serviceWorker.ready.then(function (r) {
      if (!r.active) return;
      r.active.postMessage({ type: "esrok:config" });
      // The page read before the service worker was installed is kept for offline reading too.
      if (!controlledAtLoad) r.active.postMessage({ type: "esrok:remember", url: location.href });
    });
    ["pointerover", "focusin", "touchstart"].forEach(function (t) {
      document.addEventListener(t, onSign, { passive: true, capture: true });
    });
    // Material's instant navigation swaps the page without re-running this script.
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(function () {
      onTool = !!document.getElementById("esrok-checker");
      onPage();
    });
  }

  function register() {
    // Offline, registering again fails (sw.js cannot be fetched), but the installed worker still works.
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname }).catch(function () {
      return navigator.serviceWorker.getRegistration(root.href);
    }).then(function (reg) { if (reg) start(reg); }, function () {
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
