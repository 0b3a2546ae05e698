/* The field app's identification rules (static/field/identify.js), on their own. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Identify = require("../../../../static/field/identify.js");

test("a check asks for the person chosen from the day's data by their id, a typed one by name and number", () => {
  assert.deepEqual(Identify.checkBody({ method: "id_card_reader", terminal: "booth-3", knownId: 12, qr: "x" }), {
    method: "id_card_reader", terminal: "booth-3", qr: "", applicant_id: 12,
  });
  assert.deepEqual(
    Identify.checkBody({ method: "ecard", qr: "DEMO-ECARD:1", name: "林小芳", idNumber: "500222199003030012" }),
    { method: "ecard", terminal: "", qr: "DEMO-ECARD:1", person: { name: "林小芳", id_number: "500222199003030012" } },
  );
});

test("an e-card needs its code, by hand its reason, and no method asks nothing", () => {
  assert.equal(Identify.problemBefore({ method: "ecard", qr: " " }), "qr");
  assert.equal(Identify.problemBefore({ method: "by_hand", reason: "" }), "reason");
  assert.equal(Identify.problemBefore({ method: "by_hand", reason: "看了户口簿" }), "");
  assert.equal(Identify.problemBefore({ method: "" }), "");
  assert.equal(Identify.problemBefore({ method: "fingerprint" }), "method");
  // no signal: the code cannot be checked, so none is asked for (the reason is, after)
  assert.equal(Identify.problemBefore({ method: "ecard", qr: "", offline: true }), "");
});

test("an expired card or another's is refused; no answer or no signal asks for the reason", () => {
  assert.equal(Identify.problemAfter({ result: "valid", receipt: "r" }, ""), "");
  assert.equal(Identify.problemAfter({ result: "expired", receipt: "" }, "看了原件"), "refused");
  assert.equal(Identify.problemAfter({ result: "mismatch", receipt: "" }, ""), "refused");
  assert.equal(Identify.problemAfter({ result: "unreachable", receipt: "r" }, ""), "reason");
  assert.equal(Identify.problemAfter({ result: "offline" }, ""), "reason");
  assert.equal(Identify.problemAfter({ result: "offline" }, "无信号，核对了身份证原件"), "");
});

test("the request carries the check's receipt and never the code", () => {
  const part = Identify.identification({
    method: "ecard", terminal: "booth-3", qr: "DEMO-ECARD:secret", answer: { result: "valid", receipt: "signed" },
  });
  assert.deepEqual(part, { method: "ecard", receipt: "signed", terminal: "booth-3" });
  assert.ok(!JSON.stringify(part).includes("DEMO-ECARD"));
});

test("no answer from the device keeps its receipt with the reason; no signal is by hand", () => {
  assert.deepEqual(
    Identify.identification({ method: "social_card", reason: " 读卡器没电 ", answer: { result: "unreachable", receipt: "r" } }),
    { method: "social_card", receipt: "r", terminal: "", reason: "读卡器没电" },
  );
  assert.deepEqual(
    Identify.identification({ method: "ecard", reason: "无信号", terminal: "t", answer: { result: "offline" } }),
    { method: "by_hand", terminal: "t", reason: "无信号" },
  );
  assert.equal(Identify.identification({ method: "" }), null);
});
