/* Linju field app's service worker: the app's page, files and words (the JavaScript catalogue)
   from the network when there is signal (kept fresh in the cache the page fills), from the cache
   when there is none. The API is never cached here: the day's data and the queue live in IndexedDB. */
"use strict";
var CACHE = "linju-field-shell";
// the app's own addresses, the API's and the static files', put in by the view (Django's URLs)
var SHELL = "__SHELL_URL__";
var API = "__API_URL__";
var STATIC = "__STATIC_URL__";
// the store and the sending, shared with the page
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
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf(API) === 0) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then(function (response) {
        if (response.ok && (url.pathname.indexOf(SHELL) === 0 || url.pathname.indexOf(STATIC) === 0)) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      })
      .catch(function () {
        // ignoreVary: the catalogue varies by language and cookie, and the copy kept is the one to use
        return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
          return hit || caches.match(SHELL);
        });
      })
  );
});
