/* Linju field app: the phone's store and the sending of what it keeps, shared by the page and the
   service worker (which sends when the browser says the signal is back, even with the app closed).
   A record leaves the queue only in the same IndexedDB transaction that stores the server's answer;
   4xx answers become a list the cadre decides on; a network failure stops the round, losing nothing. */
(function (scope) {
  "use strict";

  var DB = "linju-field";
  var REFUSED_FOR_NOW = [401, 403, 408, 429];  // the session ended, or the server asks to wait
  var LOCK = "linju-send";  // held by whoever sends, and by whoever takes a record back

  function open() {
    return scope.idb.openDB(DB, 1, {
      upgrade: function (db) {
        db.createObjectStore("meta");
        db.createObjectStore("queue", { keyPath: "key" });
        db.createObjectStore("sent", { keyPath: "key" });
      },
    });
  }

  /* where a case's photos go, from the address the page gave the record ({number} filled in); a
     record kept before records carried it sends to its case's address under the cases' */
  function photosUrl(record, number) {
    var template = record.photos_url || record.url.replace(/\/?$/, "/{number}/photos");
    return template.replace("{number}", encodeURIComponent(number));
  }

  /* the number of the case a photo of a paper goes to once the server holds the request: for a bundle
     case (一件事), the part whose papers include it (the first part when none does); else the case's */
  function photoNumber(answer, material) {
    var parts = (answer && answer.parts) || [];
    if (!parts.length) return answer.number;
    var holder = parts.filter(function (p) {
      return (p.materials_received || []).concat(p.materials_missing || []).indexOf(material) >= 0;
    })[0];
    return (holder || parts[0]).number;
  }

  function refused(response) {
    return response.status >= 400 && response.status < 500 && REFUSED_FOR_NOW.indexOf(response.status) < 0;
  }

  async function moveToSent(db, record) {
    var tx = db.transaction(["queue", "sent"], "readwrite");
    record.state = "sent"; record.sent_at = new Date().toISOString();
    // no ID number is kept once the server holds the record
    record.body = { item_code: record.body.item_code, bundle: record.body.bundle, taken_at: record.body.taken_at };
    tx.objectStore("sent").put(record);
    tx.objectStore("queue").delete(record.key);
    await tx.done;
  }

  /* the photos of a case the server holds; true when the signal went (stop for now) */
  async function sendPhotos(db, record, token, fetch) {
    while (record.photos.length) {
      var photo = record.photos[0];
      var form = new FormData();
      form.append("image", photo.blob, photo.key + ".jpg");
      form.append("material", photo.material);
      form.append("idempotency_key", photo.key);
      form.append("taken_at", record.taken_at);
      var response;
      try {
        response = await fetch(photo.url || record.url, {
          method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token }, body: form,
        });
      } catch (e) { return true; }
      if (response.ok) {
        record.photos.shift();
        await db.put("queue", record);
      } else if (refused(response)) {
        record.state = "conflict";
        try { record.answer = await response.json(); } catch (e) { record.answer = null; }
        await db.put("queue", record);
        return false;
      } else {
        return true;
      }
    }
    await moveToSent(db, record);
    return false;
  }

  /* `work` while no one else sends (the page and the service worker take the same lock) */
  function alone(work) {
    var locks = scope.navigator && scope.navigator.locks;
    if (locks) return locks.request(LOCK, work);
    return work();
  }

  /* one round over the queue, by one sender at a time (so a record is never sent twice at once);
     resolves to how many records still wait */
  function sendAll(token) {
    return alone(function () {
      return open().then(function (db) { return sendRound(db, token, scope.fetch.bind(scope)); });
    });
  }

  /* a record the cadre takes back before it is sent (an answer tapped by mistake), removed while no
     round is sending: true when it was still waiting; false when it has gone meanwhile, was refused
     (the cadre decides on it in its own list), or is half-sent (a case whose photos still wait) */
  async function takeBackFrom(db, key) {
    var record = await db.get("queue", key);
    if (!record || record.state !== "queued") return false;
    await db.delete("queue", key);
    return true;
  }

  function takeBack(key) {
    return alone(function () { return open().then(function (db) { return takeBackFrom(db, key); }); });
  }

  /* the round itself, over the store `db` with the sender `fetch` (the browser's, or a test's) */
  async function sendRound(db, token, fetch) {
    var records = await db.getAll("queue");
    for (var i = 0; i < records.length; i++) {
      var record = records[i];
      if (record.state === "conflict") continue;
      if (record.state === "photos") {
        if (await sendPhotos(db, record, token, fetch)) break;
        continue;
      }
      var response;
      try {
        response = await fetch(record.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify(record.body),
        });
      } catch (e) { break; }  // the signal went: the rest wait, nothing is lost
      var answer;
      try { answer = await response.json(); } catch (e) { answer = null; }
      if (response.ok && record.photos && record.photos.length) {
        // the case is held: keep its answer, then send its photos, each with its own key
        record.answer = answer; record.state = "photos";
        record.url = photosUrl(record, answer.number);
        record.photos.forEach(function (photo) { photo.url = photosUrl(record, photoNumber(answer, photo.material)); });
        record.body = { item_code: record.body.item_code, bundle: record.body.bundle, taken_at: record.body.taken_at };
        await db.put("queue", record);
        if (await sendPhotos(db, record, token, fetch)) break;
      } else if (response.status === 409 && answer && answer.code === "send_again") {
        break;  // its twin was being sent at that moment and did not hold: the next round sends it
      } else if (response.ok) {
        record.answer = answer;
        await moveToSent(db, record);
      } else if (refused(response)) {
        record.state = "conflict"; record.answer = answer;
        await db.put("queue", record);  // kept for the cadre to decide, never dropped
      } else {
        break;  // the server is busy or the session ended: try again later
      }
    }
    var left = await db.getAll("queue");
    return left.filter(function (r) { return r.state !== "conflict"; }).length;
  }

  var api = {
    open: open, sendAll: sendAll, sendRound: sendRound, takeBack: takeBack, takeBackFrom: takeBackFrom,
    photoNumber: photoNumber,
    TAG: "linju-send",
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else scope.LinjuQueue = api;
})(typeof self !== "undefined" ? self : this);
