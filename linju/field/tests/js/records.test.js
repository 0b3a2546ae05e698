/* The one builder of what the phone keeps (static/field/records.js): node --test linju/field/tests/js/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Records = require("../../../../static/field/records.js");

const MOMENT = new Date("2026-12-05T01:07:00Z");

function build(kind, extra) {
  // an answer to an offer is one of the answers, heard one of the field's ways
  const body = kind === "offer" ? { note: "问", answer: "yes", channel: "booth" } : { note: "问" };
  return Records.newRecord(Object.assign({
    kind, key: "abc123", url: "/api/v1/somewhere", body, label: "一行", reference: "待-ABC123",
    moment: MOMENT,
  }, extra));
}

const REF = "3f0e8a4c-1b2d-4c5e-9f60-7a8b9c0d1e2f";  // a gig sign-in's key is its reference, a UUID

test("every record is queued with its key, address, line, provisional number and moment", () => {
  for (const kind of Object.keys(Records.KINDS)) {
    const key = kind === "gig_sign_in" ? REF : "abc123";
    const record = build(kind, { key });
    assert.equal(record.state, "queued", kind);
    assert.equal(record.kind, kind);
    assert.equal(record.key, key);
    assert.equal(record.url, "/api/v1/somewhere");
    assert.equal(record.reference, "待-ABC123");
    assert.equal(record.taken_at, "2026-12-05T01:07:00.000Z");
    assert.deepEqual(record.photos, []);
    assert.equal(record.body.note, "问");
  }
});

test("a record the server can take twice carries its idempotency key; a home task's result does not", () => {
  for (const kind of ["case", "consultation", "visit"]) assert.equal(build(kind).body.idempotency_key, "field-abc123");
  assert.equal("idempotency_key" in build("task").body, false);
  assert.equal("idempotency_key" in build("offer").body, false);  // the same answer twice is one answer
  const body = { note: "x" };
  build("case", { body });
  assert.deepEqual(body, { note: "x" });  // the caller's body is left as it was
});

test("a case keeps what it promises, its agent's masked name and where its photos go", () => {
  const record = build("case", {
    days: 5, promised: "2026-12-11", estimated: true, missing: ["诊断证明"], agent: "代**",
    photosUrl: "/api/v1/cases/{number}/photos",
  });
  assert.deepEqual(
    [record.days, record.promised, record.estimated, record.missing, record.agent, record.photos_url],
    [5, "2026-12-11", true, ["诊断证明"], "代**", "/api/v1/cases/{number}/photos"],
  );
  assert.equal("photos_url" in build("visit"), false);
  assert.equal(build("task", { task: 7 }).task, 7);
});

test("an unknown kind is refused", () => {
  assert.throws(() => build("letter"), /unknown kind/);
});

test("records kept before they had a kind are cases", () => {
  assert.equal(Records.isCase({ key: "old" }), true);
  assert.equal(Records.isCase(build("case")), true);
  assert.equal(Records.isCase(build("visit")), false);
});

test("an address has its names filled in, each encoded", () => {
  assert.equal(Records.fillPath("/api/v1/outreach/booths/{booth}/consultations", { booth: 12 }), "/api/v1/outreach/booths/12/consultations");
  assert.equal(Records.fillPath("/api/v1/cases/{number}/photos", { number: "QJ 1/2" }), "/api/v1/cases/QJ%201%2F2/photos");
  assert.equal(Records.fillPath("/a/{x}", {}), "/a/{x}");
});

test("a name in a list shows only its first character", () => {
  assert.equal(Records.masked("代明华"), "代**");
  assert.equal(Records.masked(""), "");
});

test("an answer to an offer names its offer and keeps what was said once the body goes", () => {
  const record = build("offer", {
    offer: 41, url: Records.fillPath("/api/v1/offers/{offer}/answer", { offer: 41 }),
    body: { answer: "help", channel: "visit" },
  });
  assert.equal(record.url, "/api/v1/offers/41/answer");
  assert.deepEqual([record.offer, record.said, record.body], [41, "help", { answer: "help", channel: "visit" }]);
  assert.equal("offer" in build("visit"), false);
  assert.equal("days" in record, false);
  assert.equal(Records.isCase(record), false);
});

test("an answer to an offer is yes, no or help, heard at a booth or a visit", () => {
  for (const answer of Records.OFFER_ANSWERS) {
    for (const channel of Records.OFFER_CHANNELS) assert.equal(build("offer", { body: { answer, channel } }).said, answer);
  }
  for (const body of [{ answer: "maybe", channel: "booth" }, { answer: "yes", channel: "sms" }, { answer: "yes" }, {}]) {
    assert.throws(() => build("offer", { body }), /yes, no or help/, JSON.stringify(body));
  }
});
