/* The field app's intake rules (static/field/form.js), on their own: node --test linju/field/tests/js/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Form = require("../../../../static/field/form.js");

const BOOTH = "market:market-shengping|booth";
const STATION = "point:station-yx|counter";
const OFFERED = [STATION, BOOTH, "village:500110113225|home_visit"];

test("the place chosen today is where the next person is taken", () => {
  const kept = Form.placeToRemember(BOOTH, "2026-12-05");
  assert.equal(Form.rememberedPlace(kept, "2026-12-05", OFFERED), BOOTH);
});

test("yesterday's place is not today's: the form opens on the first place", () => {
  const kept = Form.placeToRemember(BOOTH, "2026-12-04");
  assert.equal(Form.rememberedPlace(kept, "2026-12-05", OFFERED), STATION);
});

test("a place no longer offered, or none kept, opens on the first place", () => {
  assert.equal(Form.rememberedPlace(Form.placeToRemember("market:gone|booth", "2026-12-05"), "2026-12-05", OFFERED), STATION);
  assert.equal(Form.rememberedPlace(null, "2026-12-05", OFFERED), STATION);
  assert.equal(Form.rememberedPlace(null, "2026-12-05", []), "");
});

function field(value) { return { value: value }; }
function box(checked) { return { checked: checked }; }

test("the next person empties the person's fields and leaves the place and the item", () => {
  const form = {
    "f-place": field(BOOTH), "f-item": field("UI-002"),
    "f-known": field("12"), "f-name": field("代明华"), "f-id": field("500222196805060311"),
    "f-phone": field("13800138000"), "f-note": field("问失业金"), "f-reason": field("材料已存档"),
    "f-qr": field("DEMO-ECARD:500222196805060311"), "f-id-reason": field("读卡器没电"),
    "f-agent-name": field("代小红"), "f-agent-id": field("500222199001010021"),
    "f-agent-relation": field("child"), "f-agent-phone": field("13900139000"),
    "f-agent-texts": box(true), "f-consult": box(true), "f-texts": box(false),
    materials: [{ received: box(true), missing: box(false), photo: field("C:\\fakepath\\id.jpg") },
      { received: box(false), missing: box(true), photo: field("") }],
  };
  Form.clearPerson(form);
  assert.equal(form["f-place"].value, BOOTH);
  assert.equal(form["f-item"].value, "UI-002");
  for (const id of Form.PERSON_FIELDS) assert.equal(form[id].value, "", id);
  assert.equal(form["f-agent-texts"].checked, false);
  assert.equal(form["f-consult"].checked, false);
  assert.equal(form["f-texts"].checked, true);  // the next applicant gets texts unless they refuse
  for (const m of form.materials) {
    assert.equal(m.received.checked || m.missing.checked, false);
    assert.equal(m.photo.value, "");
  }
});

const ID = "500222196805060311";
function request(extra) {
  return Object.assign({
    item: { code: "UI-002" }, known: null, name: "代明华", idNumber: ID, agent: null,
    received: ["居民身份证原件"], missing: [], reason: "",
  }, extra);
}

test("a request with a material handed in, or only one marked missing, is whole", () => {
  assert.equal(Form.intakeProblem(request()), "");
  assert.equal(Form.intakeProblem(request({ received: [], missing: ["诊断证明"] })), "");
});

test("a request with no material at all needs a reason", () => {
  assert.equal(Form.intakeProblem(request({ received: [], missing: [] })), "no_material");
  assert.equal(Form.intakeProblem(request({ received: [], missing: [], reason: "材料已在窗口存档" })), "");
});

test("a request needs the item, the name and an 18-digit number (or a known person)", () => {
  assert.equal(Form.intakeProblem(request({ item: undefined })), "choose_item");
  assert.equal(Form.intakeProblem(request({ name: "" })), "person");
  assert.equal(Form.intakeProblem(request({ idNumber: "50022219680506" })), "person");
  assert.equal(Form.intakeProblem(request({ known: { id: 3 }, idNumber: "" })), "");
});

test("an agent is written whole, and texts to them need their phone", () => {
  const agent = { name: "代小红", id_number: "50022219900101002X", relation: "child", phone: "", texts: false };
  assert.equal(Form.intakeProblem(request({ agent })), "");
  assert.equal(Form.intakeProblem(request({ agent: { ...agent, relation: "" } })), "agent");
  assert.equal(Form.intakeProblem(request({ agent: { ...agent, id_number: "123" } })), "agent");
  assert.equal(Form.intakeProblem(request({ agent: { ...agent, texts: true } })), "agent_phone");
  const none = { name: "", id_number: "", relation: "", phone: "", texts: false };
  assert.equal(Form.intakeProblem(request({ agent: none })), "");
});

test("each material is handed in, missing, or neither", () => {
  const marks = Form.materialMarks([
    { name: "身份证", received: true, missing: false },
    { name: "诊断证明", received: false, missing: true },
    { name: "户口簿", received: false, missing: false },
  ]);
  assert.deepEqual(marks, { received: ["身份证"], missing: ["诊断证明"] });
});

test("a moment is written as the site writes it, in Chongqing's time", () => {
  assert.equal(Form.siteMoment(new Date("2026-12-05T01:07:00Z")), "2026-12-05 09:07");
  assert.equal(Form.siteMoment(new Date("2026-12-31T16:30:00Z")), "2027-01-01 00:30");
});

test("a catalogue string has its names filled in, and keeps what it was not given", () => {
  assert.equal(Form.interpolate("承诺在 %(date)s 前答复", { date: "2026-12-07" }), "承诺在 2026-12-07 前答复");
  assert.equal(Form.interpolate("%(count)s 张 %(other)s", { count: 2 }), "2 张 %(other)s");
});

test("a place offers the items the server's rule says it takes, with what it does with each", () => {
  const items = [
    { code: "UI-001", at: { "500110113000": { point: "finish", market: "finish", village: "finish" } } },
    { code: "AS-001", at: { "500110113000": { point: "forward", market: "forward", village: "forward" } } },
    { code: "LD-003", at: {} },  // kept for the district hall: no place of the town takes it
  ];
  const booth = { value: "market:500110113-sp", town: "500110113000" };
  assert.deepEqual(
    Form.itemsAt(items, booth).map((e) => [e.item.code, e.mode]),
    [["UI-001", "finish"], ["AS-001", "forward"]],
  );
  assert.equal(Form.takenAt(items[1], { value: "point:station-x", town: "500110113000" }), "forward");
  assert.equal(Form.takenAt(items[0], { value: "market:x", town: "500110109000" }), undefined);  // another town
  assert.deepEqual(Form.itemsAt(items, undefined), []);
});

test("the receipt promises the server's forwarded days where the place sends the item on, else its time limit", () => {
  const item = {
    code: "SI-010",
    time_limit_days: 0,
    days_forwarded: 1,
    at: { "500110113000": { point: "finish", market: "forward" } },
  };
  assert.equal(Form.promisedDays(item, { value: "market:x", town: "500110113000" }), 1);
  assert.equal(Form.promisedDays(item, { value: "point:x", town: "500110113000" }), 0);
});
