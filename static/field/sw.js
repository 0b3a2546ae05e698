/* Linju field app's service worker: the app's page and files from the network when there is
   signal (kept fresh in the cache the page fills), from the cache when there is none. The API is
   never cached here: the day's data and the queue live in IndexedDB. */
"use strict";
var CACHE = "linju-field-shell";

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
