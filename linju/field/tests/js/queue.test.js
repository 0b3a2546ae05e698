/* The sending of what the phone keeps (static/field/queue.js), over a store in memory and a server
   that answers as told: node --test linju/field/tests/js/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Queue = require("../../../../static/field/queue.js");
const Records = require("../../../../static/field/records.js");

/* the part of idb's database the queue uses, kept in Maps; a transaction writes when it is done */
function store() {
  const stores = { meta: new Map(), queue: new Map(), sent: new Map() };
  const keyOf = (name, value, key) => (name === "meta" ? key : value.key);
  const copy = (value) => structuredClone(value);
  return {
    stores,
    async get(name, key) { return copy(stores[name].get(key)); },
    async getAll(name) { return [...stores[name].values()].map(copy); },
    async put(name, value, key) { stores[name].set(keyOf(name, value, key), copy(value)); },
    async delete(name, key) { stores[name].delete(key); },
    transaction() {
      const writes = [];
      return {
        objectStore(name) {
          return {
            put(value) { writes.push(() => stores[name].set(keyOf(name, value), copy(value))); },
            delete(key) { writes.push(() => stores[name].delete(key)); },
          };
        },
        get done() { writes.forEach((write) => write()); return Promise.resolve(); },
      };
    },
  };
}

/* a server: `answers` are taken in turn, each a status and a body, or "drop" (the signal went) */
function server(answers) {
  const calls = [];
  async function fetch(url, options) {
    calls.push({ url, body: typeof options.body === "string" ? JSON.parse(options.body) : options.body });
    const answer = answers.shift();
    if (!answer || answer === "drop") throw new TypeError("Failed to fetch");
    return { ok: answer.status < 300, status: answer.status, json: async () => answer.body };
  }
  return { fetch, calls };
}

let counter = 0;
function caseRecord(extra) {
  counter += 1;
  return Records.newRecord(Object.assign({
    kind: "case",
    key: "k" + counter,
    url: "/api/v1/cases",
    photosUrl: "/api/v1/cases/{number}/photos",
    body: { item_code: "UI-002", person: { name: "代明华", id_number: "500222196805060311" } },
    label: "失业保险金申领 · 代**",
    reference: "待-K" + counter,
    moment: new Date("2026-12-05T01:07:00Z"),
    days: 5,
  }, extra));
}

async function queued(db, ...records) {
  for (const record of records) await db.put("queue", record);
  return records;
}

test("a record leaves the queue once, with the server's answer, and is not sent again", async () => {
  const db = store();
  const [first, second] = await queued(db, caseRecord(), caseRecord());
  const answered = server([
    { status: 201, body: { number: "QJ-2026-000001" } },
    { status: 200, body: { number: "QJ-2026-000002" } },
  ]);
  assert.equal(await Queue.sendRound(db, "token", answered.fetch), 0);
  assert.equal(db.stores.queue.size, 0);
  assert.deepEqual([...db.stores.sent.keys()], [first.key, second.key]);
  assert.equal(db.stores.sent.get(first.key).answer.number, "QJ-2026-000001");
  assert.equal(answered.calls.length, 2);
  assert.equal(answered.calls[0].body.idempotency_key, "field-" + first.key);
  // the server holds the person now: the phone keeps no ID number
  assert.equal(JSON.stringify([...db.stores.sent.values()]).includes("500222196805060311"), false);
  assert.equal(await Queue.sendRound(db, "token", answered.fetch), 0);
  assert.equal(answered.calls.length, 2);
});

test("a request the server refuses (4xx) waits as a conflict, with the server's words, and is not retried", async () => {
  const db = store();
  const [record] = await queued(db, caseRecord());
  const refusing = server([{ status: 422, body: { code: "id_number", message: "The check digit is wrong." } }]);
  assert.equal(await Queue.sendRound(db, "token", refusing.fetch), 0);
  const kept = db.stores.queue.get(record.key);
  assert.equal(kept.state, "conflict");
  assert.equal(kept.answer.message, "The check digit is wrong.");
  assert.equal(db.stores.sent.size, 0);
  await Queue.sendRound(db, "token", refusing.fetch);
  assert.equal(refusing.calls.length, 1);
});

test("an ended session or a server asking to wait is no conflict: the record waits for the next round", async () => {
  for (const status of [401, 403, 408, 429, 500, 503]) {
    const db = store();
    const [first] = await queued(db, caseRecord(), caseRecord());
    const busy = server([{ status, body: {} }]);
    assert.equal(await Queue.sendRound(db, "token", busy.fetch), 2, status);
    assert.equal(db.stores.queue.get(first.key).state, "queued", status);
    assert.equal(busy.calls.length, 1, status);  // the round stopped at the first
  }
});

test("a dropped connection stops the round: what was sent is kept as sent, the rest waits", async () => {
  const db = store();
  const [first, second, third] = await queued(db, caseRecord(), caseRecord(), caseRecord());
  const dropping = server([{ status: 201, body: { number: "QJ-2026-000003" } }, "drop"]);
  assert.equal(await Queue.sendRound(db, "token", dropping.fetch), 2);
  assert.deepEqual([...db.stores.sent.keys()], [first.key]);
  assert.deepEqual([...db.stores.queue.keys()], [second.key, third.key]);
  assert.equal(dropping.calls.length, 2);  // the third was not tried
  // the signal is back: the same two go, with the keys they had
  const back = server([{ status: 201, body: { number: "QJ-2026-000004" } }, { status: 201, body: { number: "QJ-2026-000005" } }]);
  assert.equal(await Queue.sendRound(db, "token", back.fetch), 0);
  assert.deepEqual(back.calls.map((c) => c.body.idempotency_key), ["field-" + second.key, "field-" + third.key]);
});

test("a twin being sent at that moment stops the round, and the record goes next time", async () => {
  const db = store();
  const [record] = await queued(db, caseRecord());
  const twin = server([{ status: 409, body: { code: "send_again" } }]);
  assert.equal(await Queue.sendRound(db, "token", twin.fetch), 1);
  assert.equal(db.stores.queue.get(record.key).state, "queued");
});

test("a case's photos follow it to the case's own address, each once, and a drop keeps the rest", async () => {
  const db = store();
  const photos = ["a", "b"].map((name) => ({ key: "photo-" + name, material: "居民身份证", blob: new Blob([name]) }));
  const [record] = await queued(db, caseRecord({ photos }));
  const dropping = server([{ status: 201, body: { number: "QJ-2026-000006" } }, { status: 201, body: {} }, "drop"]);
  assert.equal(await Queue.sendRound(db, "token", dropping.fetch), 1);
  const waiting = db.stores.queue.get(record.key);
  assert.equal(waiting.state, "photos");
  assert.deepEqual(waiting.photos.map((p) => p.key), ["photo-b"]);
  assert.equal(dropping.calls[1].url, "/api/v1/cases/QJ-2026-000006/photos");
  assert.equal(dropping.calls[1].body.get("idempotency_key"), "photo-a");
  const back = server([{ status: 201, body: {} }]);
  assert.equal(await Queue.sendRound(db, "token", back.fetch), 0);
  assert.deepEqual(back.calls.map((c) => c.body.get("idempotency_key")), ["photo-b"]);
  assert.equal(db.stores.sent.get(record.key).answer.number, "QJ-2026-000006");
});

function offerAnswer(answer, extra) {
  counter += 1;
  return Records.newRecord(Object.assign({
    kind: "offer",
    key: "o" + counter,
    offer: 41,
    url: "/api/v1/offers/41/answer",
    body: { answer, channel: "booth" },
    label: "免申即享 · 失业保险金申领 · 代** · 要办理",
    reference: "待-O" + counter,
    moment: new Date("2026-12-05T01:07:00Z"),
  }, extra));
}

test("an answer to an offer goes to its offer's address once, and the case it made is kept with it", async () => {
  const db = store();
  const [record] = await queued(db, offerAnswer("yes"));
  const answered = server([{ status: 200, body: { status: "confirmed", answer: "yes", case_number: "QJ-20261205-0001", promised_date: "2026-12-11" } }]);
  assert.equal(await Queue.sendRound(db, "token", answered.fetch), 0);
  assert.deepEqual(answered.calls, [{ url: "/api/v1/offers/41/answer", body: { answer: "yes", channel: "booth" } }]);
  const sent = db.stores.sent.get(record.key);
  assert.deepEqual([sent.state, sent.said, sent.offer, sent.answer.case_number], ["sent", "yes", 41, "QJ-20261205-0001"]);
  assert.equal(await Queue.sendRound(db, "token", answered.fetch), 0);
  assert.equal(answered.calls.length, 1);
});

test("an answer whose reply was lost is sent again as it was, and the server's same reply ends it", async () => {
  const db = store();
  const [record] = await queued(db, offerAnswer("no"));
  const dropping = server(["drop"]);
  assert.equal(await Queue.sendRound(db, "token", dropping.fetch), 1);
  assert.equal(db.stores.queue.get(record.key).state, "queued");
  const back = server([{ status: 200, body: { status: "declined", answer: "no" } }]);
  assert.equal(await Queue.sendRound(db, "token", back.fetch), 0);
  assert.deepEqual(back.calls.map((c) => c.body), [{ answer: "no", channel: "booth" }]);
  assert.equal(db.stores.sent.get(record.key).answer.status, "declined");
});

test("an answer the server refuses (an offer withdrawn, or answered otherwise) waits for the cadre", async () => {
  for (const [status, code] of [[409, "offer_withdrawn"], [409, "offer_confirmed"], [404, "not_found"]]) {
    const db = store();
    const [record, next] = await queued(db, offerAnswer("no"), offerAnswer("yes"));
    const refusing = server([
      { status, body: { code, message_zh: "这项已撤回。", message_en: "Withdrawn." } },
      { status: 200, body: { status: "confirmed", answer: "yes", case_number: "QJ-1" } },
    ]);
    assert.equal(await Queue.sendRound(db, "token", refusing.fetch), 0, code);
    const kept = db.stores.queue.get(record.key);
    assert.deepEqual([kept.state, kept.answer.code], ["conflict", code]);
    assert.equal(db.stores.sent.get(next.key).answer.case_number, "QJ-1", code);  // the round went on
    await Queue.sendRound(db, "token", refusing.fetch);
    assert.equal(refusing.calls.length, 2, code);  // never retried
  }
});

test("a record taken back before it is sent is gone; one sent, refused or half-sent stays", async () => {
  const db = store();
  const refusedAnswer = Object.assign(offerAnswer("no"), { state: "conflict" });
  const photosWaiting = Object.assign(caseRecord(), { state: "photos" });
  const [waiting, refused, halfSent] = await queued(db, offerAnswer("yes"), refusedAnswer, photosWaiting);
  assert.equal(await Queue.takeBackFrom(db, waiting.key), true);
  assert.equal(db.stores.queue.has(waiting.key), false);
  assert.equal(await Queue.takeBackFrom(db, waiting.key), false);  // gone already
  assert.equal(await Queue.takeBackFrom(db, refused.key), false);
  assert.equal(await Queue.takeBackFrom(db, halfSent.key), false);
  assert.deepEqual([...db.stores.queue.keys()], [refused.key, halfSent.key]);
  const nothing = server([]);
  assert.equal(await Queue.sendRound(db, "token", nothing.fetch), 0);
  assert.equal(nothing.calls.length, 0);  // the one taken back is never sent
});
