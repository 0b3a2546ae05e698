/* Bundles (一件事) in the field app (static/field/bundles.js), and a bundle's request queued offline
   and sent once (static/field/queue.js): node --test linju/field/tests/js/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Bundles = require("../../../../static/field/bundles.js");
const Queue = require("../../../../static/field/queue.js");
const Records = require("../../../../static/field/records.js");
const Workdays = require("../../../../static/field/workdays.js");

const YONGXIN = "500110113000";
const RETIRE = {
  code: "retire",
  name: "退休一件事",
  at: { [YONGXIN]: { market: "forward", point: "forward" } },
  parts: [
    { item: "RT-001", name: "退休审批", partner: "", days: 10 },
    { item: "RT-002", name: "基本养老金申领", partner: "", days: 5 },
    { item: "HF-001", name: "住房公积金提取", partner: "綦江住房公积金管理中心（示例）", days: 4 },
  ],
  materials: [
    { name: "居民身份证", required: true, items: ["RT-001", "RT-002", "HF-001"] },
    { name: "户口簿", required: true, items: ["RT-001"] },
    { name: "公积金联名卡", required: true, items: ["HF-001"] },
  ],
};
const BOOTH = { value: "market:market-shengping", town: YONGXIN };
const VILLAGE = { value: "village:500110113225", town: YONGXIN };

test("a bundle is offered where its lead part is taken, and nowhere else", () => {
  assert.deepEqual(Bundles.bundlesAt([RETIRE], BOOTH).map((b) => b.code), ["retire"]);
  assert.deepEqual(Bundles.bundlesAt([RETIRE], VILLAGE), []);
  assert.deepEqual(Bundles.bundlesAt([RETIRE], { value: "market:x", town: "500110109000" }), []);
  assert.deepEqual(Bundles.bundlesAt(undefined, BOOTH), []);
});

test("a bundle is chosen by its prefixed code, with its one list of papers", () => {
  const chosen = Bundles.chosen([RETIRE], "bundle:retire");
  assert.equal(chosen.code, "bundle:retire");
  assert.equal(chosen.bundle, RETIRE);
  assert.deepEqual(chosen.materials.map((m) => m.name), ["居民身份证", "户口簿", "公积金联名卡"]);
  assert.equal(chosen.time_limit_days, 10);  // the longest part
  assert.equal(Bundles.chosen([RETIRE], "UI-002"), undefined);
  assert.equal(Bundles.chosen([RETIRE], "bundle:gone"), undefined);
});

test("each part has its own date, counted on the phone's calendar; a missing paper pauses only its parts", () => {
  const calendar = { from: "2026-11-11", to: "2027-06-01", exceptions: {}, known_years: [2026] };
  const add = (days) => Workdays.addWorkingDays(calendar, "2026-11-25", days);
  const mode = (code) => (code === "RT-002" ? "finish" : "forward");
  const parts = Bundles.partPromises(RETIRE, ["公积金联名卡"], add, mode);
  assert.deepEqual(parts.map((p) => [p.item, p.promised, p.missing]), [
    ["RT-001", "2026-12-09", []],
    ["RT-002", "2026-12-02", []],
    ["HF-001", "", ["公积金联名卡"]],
  ]);
  assert.deepEqual(parts.map((p) => p.mode), ["forward", "finish", "partner"]);
  assert.equal(parts[2].partner, "綦江住房公积金管理中心（示例）");
});

/* the part of idb's database the queue uses, kept in Maps */
function store() {
  const stores = { meta: new Map(), queue: new Map(), sent: new Map() };
  const copy = (value) => structuredClone(value);
  return {
    stores,
    async get(name, key) { return copy(stores[name].get(key)); },
    async getAll(name) { return [...stores[name].values()].map(copy); },
    async put(name, value, key) { stores[name].set(name === "meta" ? key : value.key, copy(value)); },
    async delete(name, key) { stores[name].delete(key); },
    transaction() {
      const writes = [];
      return {
        objectStore(name) {
          return {
            put(value) { writes.push(() => stores[name].set(value.key, copy(value))); },
            delete(key) { writes.push(() => stores[name].delete(key)); },
          };
        },
        get done() { writes.forEach((write) => write()); return Promise.resolve(); },
      };
    },
  };
}

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

function bundleRecord(photos) {
  return Records.newRecord({
    kind: "case",
    key: "b1",
    url: "/api/v1/cases",
    photosUrl: "/api/v1/cases/{number}/photos",
    body: { item_code: "", bundle: "retire", channel: "booth", person: { name: "蒋大明", id_number: "500222196603030124" } },
    label: "退休一件事 · 蒋**",
    reference: "P-B1",
    moment: new Date("2026-11-25T02:00:00Z"),
    days: 10,
    photos: photos || [],
    parts: [{ item: "RT-001", name: "退休审批", promised: "2026-12-09", missing: [] }],
  });
}

const ANSWER = {
  kind: "bundle",
  number: "QJ-20261125-0001",
  parts: [
    { number: "QJ-20261125-0001-1", materials_received: ["居民身份证", "户口簿"], materials_missing: [] },
    { number: "QJ-20261125-0001-3", materials_received: ["居民身份证", "公积金联名卡"], materials_missing: [] },
  ],
};

test("a bundle taken offline is one record, sent once with its key and the bundle in place of the item", async () => {
  const db = store();
  const record = bundleRecord();
  assert.deepEqual(record.parts.map((p) => p.item), ["RT-001"]);
  await db.put("queue", record);
  const dropped = server(["drop"]);
  assert.equal(await Queue.sendRound(db, "token", dropped.fetch), 1);  // no signal: it waits
  const answered = server([{ status: 201, body: ANSWER }]);
  assert.equal(await Queue.sendRound(db, "token", answered.fetch), 0);
  assert.equal(answered.calls.length, 1);
  assert.equal(answered.calls[0].body.bundle, "retire");
  assert.equal(answered.calls[0].body.item_code, "");
  assert.equal(answered.calls[0].body.idempotency_key, "field-b1");
  const sent = db.stores.sent.get("b1");
  assert.equal(sent.answer.number, "QJ-20261125-0001");
  assert.deepEqual(sent.body, { item_code: "", bundle: "retire", taken_at: undefined });  // no ID number kept
  const again = server([]);
  assert.equal(await Queue.sendRound(db, "token", again.fetch), 0);
  assert.equal(again.calls.length, 0);  // never sent twice
});

test("a bundle's photos go each to the part whose papers include it", async () => {
  const db = store();
  const photos = ["户口簿", "公积金联名卡", "不在清单上的纸"].map((material, n) => ({ key: "photo-" + n, material, blob: new Blob([material]) }));
  await db.put("queue", bundleRecord(photos));
  const answered = server([{ status: 201, body: ANSWER }, { status: 201, body: {} }, { status: 201, body: {} }, { status: 201, body: {} }]);
  assert.equal(await Queue.sendRound(db, "token", answered.fetch), 0);
  assert.deepEqual(answered.calls.slice(1).map((c) => c.url), [
    "/api/v1/cases/QJ-20261125-0001-1/photos",
    "/api/v1/cases/QJ-20261125-0001-3/photos",
    "/api/v1/cases/QJ-20261125-0001-1/photos",
  ]);
  assert.equal(Queue.photoNumber({ number: "QJ-1" }, "户口簿"), "QJ-1");  // a single case's own
});
