/* The dashboard's chart options (static/insights/charts.js): node --test linju/ */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const charts = require("../../../static/insights/charts.js");

const TOWNS = {
  labels: ["古南街道", "东溪镇", "三角镇"],
  values: [100, 12.5, null],
  kept: [2, 2, 0],
  due: [2, 16, 0],
  closed: [2, 2, 0],
  overdue: [0, 14, 0],
  unit: "%",
  none: "无办件",
  tip: "{label}:应办 {due} 件,按期办结 {kept} 件(本月办结 {closed} 件,超期未办结 {overdue} 件)"
};

test("every rate is drawn with its numerator and denominator, one decimal", () => {
  assert.equal(charts.rateText(TOWNS, 0), "100.0% (2/2)");
  assert.equal(charts.rateText(TOWNS, 1), "12.5% (2/16)");
  assert.equal(charts.tipText(TOWNS, 1), "东溪镇:应办 16 件,按期办结 2 件(本月办结 2 件,超期未办结 14 件)");
});

test("a town with no cases is drawn, as no cases, in grey at zero, across or upright", () => {
  for (const width of [200, 930]) {
    const { option } = charts.chartFor("bar", TOWNS, width);
    assert.deepEqual((option.yAxis.data || option.xAxis.data), TOWNS.labels);
    const empty = option.series[0].data[2];
    assert.equal(empty.value, 0);
    assert.equal(empty.label.formatter, "无办件");
    assert.ok(empty.itemStyle.color);
  }
  assert.equal(charts.tipText(TOWNS, 2), "三角镇: 无办件");
});

test("bars lie across when their labels would not stand level side by side", () => {
  const months = {
    labels: ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"],
    values: [null, null, null, 84.7, 72.5, 23.4],
    kept: [0, 0, 0, 50, 95, 11],
    due: [0, 0, 0, 59, 131, 47],
    unit: "%",
    none: "无办件"
  };
  assert.equal(charts.fitsUpright(months, 328), false);
  assert.equal(charts.fitsUpright(months, 930), true);
  assert.ok(charts.chartFor("bar", months, 328).option.yAxis.data);
  const upright = charts.chartFor("bar", months, 930).option;
  assert.deepEqual(upright.xAxis.data, months.labels);
  assert.equal(upright.series[0].data[3].label.formatter, "84.7%\n(50/59)");
});

test("bars across leave room for the longest name and the longest value text", () => {
  const { option, height } = charts.chartFor("bar", TOWNS, 200);
  assert.ok(option.grid.left >= charts.textWidth("古南街道"));
  assert.ok(option.grid.right >= charts.textWidth("100.0% (2/2)"));
  assert.ok(height >= TOWNS.labels.length * 20);
});

test("the pie names every slice whole in its legend, with its count of the whole and its share", () => {
  const channels = {
    labels: ["窗口办理", "赶场日服务点", "电话办理", "上门办理", "网上办理"],
    values: [6, 3, 1, 5, 0],
    shares: [40, 20, 6.7, 33.3, 0]
  };
  const { option, height } = charts.chartFor("pie", channels, 328);
  assert.equal(option.series[0].label.show, false);
  const legend = channels.labels.map(option.legend.formatter);
  assert.deepEqual(legend, [
    "窗口办理 6/15 · 40.0%",
    "赶场日服务点 3/15 · 20.0%",
    "电话办理 1/15 · 6.7%",
    "上门办理 5/15 · 33.3%",
    "网上办理 0/15 · 0.0%"
  ]);
  assert.ok(legend.every((text) => !text.includes("...") && !text.includes("…")));
  assert.ok(height >= option.legend.top + channels.labels.length * 20);
  assert.ok(legend.every((text) => charts.textWidth(text) + 40 <= 328), "each legend line fits a phone");
});

test("placeholders are filled from the values given, others left as they are", () => {
  assert.equal(charts.fill("{a} of {b}, {c}", { a: 1, b: 2 }), "1 of 2, {c}");
});
