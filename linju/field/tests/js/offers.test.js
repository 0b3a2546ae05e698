/* The offers to answer in the field (static/field/offers.js): node --test linju/field/tests/js/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Offers = require("../../../../static/field/offers.js");

const OFFERS = [
  { id: 1, status: "open", resident: "代云峰", id_number: "500222********1234", village_name: "荆山村", item: "UI-002", item_name: "失业保险金申领", rule: 7 },
  { id: 2, status: "help", resident: "代春兰", id_number: "500222********567X", village_name: "荆山村", item: "MD-005", item_name: "医疗救助申请", rule: 8 },
  { id: 3, status: "open", resident: "周开明", id_number: "500222********1234", village_name: "龙井村", item: "UI-002", item_name: "失业保险金申领", rule: 7 },
];

test("answers are heard at the booth on a day the cadre has one, at the door otherwise", () => {
  const booths = [{ id: 1, date: "2026-12-07", market: "market:shengping" }];
  assert.equal(Offers.defaultChannel(booths, "2026-12-07"), "booth");
  assert.equal(Offers.defaultChannel(booths, "2026-12-06"), "visit");  // tomorrow's booth is not today's
  assert.equal(Offers.defaultChannel([], "2026-12-07"), "visit");
  assert.equal(Offers.defaultChannel(undefined, "2026-12-07"), "visit");
});

test("a search finds by name, village, item, or the last digits of the ID number", () => {
  const ids = (query) => Offers.find(OFFERS, query).map((o) => o.id);
  assert.deepEqual(ids(""), [1, 2, 3]);
  assert.deepEqual(ids("   "), [1, 2, 3]);
  assert.deepEqual(ids("代"), [1, 2]);
  assert.deepEqual(ids("龙井"), [3]);
  assert.deepEqual(ids("1234"), [1, 3]);
  assert.deepEqual(ids("67x"), [2]);  // the X typed small
  assert.deepEqual(ids("代 1234"), [1]);  // every word must match
  assert.deepEqual(ids("ui-002 荆山"), [1]);
  assert.deepEqual(ids("5002"), []);  // digits match the end of the number, never its masked start
  assert.deepEqual(ids("王"), []);
  assert.notEqual(Offers.find(OFFERS, ""), OFFERS);  // a copy: drawing never changes the bundle's list
});

test("an offer stands as the newest record of its answer says: open, waiting, refused or sent", () => {
  const record = (key, offer, state, taken) => ({ key, kind: "offer", offer, state, taken_at: taken, said: "yes" });
  const view = {
    queue: [record("a", 1, "queued", "2026-12-05T02:00:00Z"), record("b", 2, "conflict", "2026-12-05T02:00:00Z")],
    sent: [record("c", 1, "sent", "2026-12-05T01:00:00Z"), record("d", 3, "sent", "2026-12-05T01:00:00Z"),
      { key: "e", kind: "visit", state: "sent", taken_at: "2026-12-05T03:00:00Z" }],
  };
  assert.deepEqual(Object.fromEntries([1, 2, 3, 4].map((id) => {
    const standing = Offers.standing(id, view);
    return [id, [standing.state, standing.record && standing.record.key]];
  })), { 1: ["waiting", "a"], 2: ["refused", "b"], 3: ["sent", "d"], 4: ["open", null] });
  assert.equal(Offers.answerTo(1, view.queue.concat(view.sent)).key, "a");
  assert.equal(Offers.answerTo(9, []), undefined);
});

test("a resident who asked for a cadre is not offered that answer again", () => {
  assert.deepEqual(Offers.answersFor(OFFERS[0]), ["yes", "no", "help"]);
  assert.deepEqual(Offers.answersFor(OFFERS[1]), ["yes", "no"]);
});

test("the offer's words are the page's language, Chinese when English is missing", () => {
  const words = { 7: { zh: "您可能可以领取失业保险金", en: "You may be able to claim unemployment insurance benefit" }, 8: { zh: "医疗救助", en: "" } };
  assert.equal(Offers.wording(words, 7, "zh-hans"), "您可能可以领取失业保险金");
  assert.equal(Offers.wording(words, 7, "en"), "You may be able to claim unemployment insurance benefit");
  assert.equal(Offers.wording(words, 8, "en"), "医疗救助");
  assert.equal(Offers.wording(words, 9, "zh-hans"), "");
  assert.equal(Offers.wording(undefined, 7, "zh-hans"), "");
});

test("a few offers are drawn while nothing is typed, more for a search", () => {
  assert.equal(Offers.shown(""), Offers.SHOWN);
  assert.equal(Offers.shown("  "), Offers.SHOWN);
  assert.equal(Offers.shown("代"), Offers.SHOWN_FOUND);
  assert.ok(Offers.SHOWN < Offers.SHOWN_FOUND);
});
