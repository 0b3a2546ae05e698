/* Linju field app's service worker: the app's page and files from the network when there is
   signal (kept fresh in the cache the page fills), from the cache when there is none. The API is
   never cached here: the day's data and the queue live in IndexedDB. */
"use strict";
var CACHE = "linju-field-shell";
// the store and the sending, shared with the page (their addresses are put in by the view)
importScripts("__IDB_URL__", "__QUEUE_URL__");

/* the browser says the signal is back (the app may be closed): send what waits; while something
   still waits, fail, so that the browser tries again later */
self.addEventListener("sync", function (event) {
  if (event.tag !== self.LinjuQueue.TAG) return;
  event.waitUntil(
    self.LinjuQueue.open()
      .then(function (db) { return db.get("meta", "csrf"); })
      .then(function (token) { return self.LinjuQueue.sendAll(token || ""); })
      .then(function (left) { if (left > 0) throw new Error(left + " still waiting"); })
  );
});

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then(function (response) {
        if (response.ok && (url.pathname.indexOf("/field/") === 0 || url.pathname.indexOf("/static/") === 0)) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      })
      .catch(function () {
        return caches.match(request, { ignoreSearch: true }).then(function (hit) {
          return hit || caches.match("/field/");
        });
      })
  );
});
