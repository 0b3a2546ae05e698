/* The working days counted on the phone (static/field/workdays.js): node --test linju/field/tests/js/
   (the same count against the server's, over whole years, is e2e/test_field_app.py's) */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Workdays = require("../../../../static/field/workdays.js");

// National Day 2026: 1–7 October off, Sunday 27 September and Saturday 10 October worked
const CALENDAR = {
  known_years: [2026],
  to: "2026-12-31",
  exceptions: {
    "2026-09-27": "workday",
    "2026-10-01": "holiday", "2026-10-02": "holiday", "2026-10-05": "holiday",
    "2026-10-06": "holiday", "2026-10-07": "holiday",
    "2026-10-10": "workday",
  },
};

test("working days skip the weekend, and the day itself is not counted", () => {
  // Friday 4 December 2026 + 1 = Monday 7 December
  assert.deepEqual(Workdays.addWorkingDays(CALENDAR, "2026-12-04", 1), { date: "2026-12-07", estimated: false });
  assert.deepEqual(Workdays.addWorkingDays(CALENDAR, "2026-12-01", 5), { date: "2026-12-08", estimated: false });
});

test("nothing to count is the same day", () => {
  assert.deepEqual(Workdays.addWorkingDays(CALENDAR, "2026-12-05", 0), { date: "2026-12-05", estimated: false });
});

test("holidays are skipped and the weekends worked in their place are counted", () => {
  // Wednesday 30 September + 1: 1–7 October are holidays or the weekend, so Thursday 8 October
  assert.equal(Workdays.addWorkingDays(CALENDAR, "2026-09-30", 1).date, "2026-10-08");
  // Saturday 26 September + 1: Sunday 27 September is worked
  assert.equal(Workdays.addWorkingDays(CALENDAR, "2026-09-26", 1).date, "2026-09-27");
  // Friday 9 October + 1: Saturday 10 October is worked
  assert.equal(Workdays.addWorkingDays(CALENDAR, "2026-10-09", 1).date, "2026-10-10");
  assert.deepEqual(Workdays.dayInfo(CALENDAR, "2026-10-01"), { working: false, estimated: false });
  assert.deepEqual(Workdays.dayInfo(CALENDAR, "2026-09-27"), { working: true, estimated: false });
});

test("a count that runs past what the calendar knows, or starts in a year it does not know, is estimated", () => {
  assert.deepEqual(Workdays.addWorkingDays(CALENDAR, "2026-12-30", 3), { date: "2027-01-04", estimated: true });
  assert.equal(Workdays.addWorkingDays(CALENDAR, "2025-06-02", 1).estimated, true);
  assert.equal(Workdays.dayInfo({ ...CALENDAR, to: "2026-11-30" }, "2026-12-01").estimated, true);
});

test("today is Chongqing's day, whatever the phone's clock zone", () => {
  assert.equal(Workdays.localToday(new Date("2026-12-04T16:30:00Z")), "2026-12-05");
  assert.equal(Workdays.localToday(new Date("2026-12-05T15:59:00Z")), "2026-12-05");
});
