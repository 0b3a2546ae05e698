/* Gig workers signed in on the field app (static/field/gigs.js): node --test linju/field/tests/js/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Gigs = require("../../../../static/field/gigs.js");

const MOMENT = new Date("2026-12-07T23:10:00Z");  // 7:10 on the 8th in Chongqing
const REF = "3f0e8a4c-1b2d-4c5e-9f60-7a8b9c0d1e2f";

test("an ID number is whole only with its check character", () => {
  assert.equal(Gigs.idNumberProblem("11010519491231002X"), "");
  assert.equal(Gigs.idNumberProblem(" 110105 19491231002x "), "");  // spaces and a small x are read
  assert.equal(Gigs.idNumberProblem("110105194912310021"), "id_check_digit");
  assert.equal(Gigs.idNumberProblem("11010519491231002"), "id_length");
  assert.equal(Gigs.idNumberProblem(""), "id_length");
});

test("sign-ins are taken at markets and stations, not in villages", () => {
  const places = [{ value: "market:shengping" }, { value: "point:station-yx" }, { value: "village:500110113225" }];
  assert.deepEqual(Gigs.signInPlaces(places).map((p) => p.value), ["market:shengping", "point:station-yx"]);
  assert.deepEqual(Gigs.signInPlaces(undefined), []);
});

test("a reference is a version-4 UUID", () => {
  const ref = Gigs.uuid((bytes) => bytes.fill(0xab));
  assert.match(ref, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("the record carries its reference and the moment it was taken, to be kept once", () => {
  const record = Gigs.signInRecord({
    key: REF, url: "/api/v1/gig-sign-ins", place: { value: "market:shengping" }, idNumber: "11010519491231002x",
    label: "签到 · …002X", reference: "P-3F0E8A", moment: MOMENT,
  });
  assert.equal(record.kind, "gig_sign_in");
  assert.equal(record.place, "market:shengping");
  assert.deepEqual(record.body, {
    place: "market:shengping", id_number: "11010519491231002X", client_ref: REF, signed_in_at: MOMENT.toISOString(),
  });
  assert.equal("idempotency_key" in record.body, false);
  assert.equal(record.label.includes("11010519491231002X"), false);  // the lists show the last four only
});

test("a sign-in's key must be a UUID", () => {
  assert.throws(() => Gigs.signInRecord({
    key: "k123", url: "/x", place: { value: "market:a" }, idNumber: "11010519491231002X", label: "", reference: "", moment: MOMENT,
  }));
});

test("the sign-ins taken today at a place are counted from what the phone keeps", () => {
  const records = [
    { kind: "gig_sign_in", place: "market:a", taken_at: "2026-12-08T07:00:00.000Z" },
    { kind: "gig_sign_in", place: "market:b", taken_at: "2026-12-08T07:00:00.000Z" },
    { kind: "gig_sign_in", place: "market:a", taken_at: "2026-12-07T07:00:00.000Z" },
    { kind: "case", place: "market:a", taken_at: "2026-12-08T07:00:00.000Z" },
  ];
  assert.equal(Gigs.takenToday(records, "market:a", "2026-12-08").length, 1);
  assert.equal(Gigs.lastFour("11010519491231002x"), "…002X");
});
