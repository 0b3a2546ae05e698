/* Draws the dashboard's charts with Apache ECharts from the numbers the page already shows as
   tables (so the page works without JavaScript). One chart per [data-chart] element. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function longest(labels) { return Math.max.apply(null, labels.map(function (l) { return String(l).length; })); }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var series = data[el.dataset.chart];
    if (!series) { return; }
    var kind = el.dataset.kind || "bar";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var option;
    if (kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: series.labels.map(function (label, i) { return { name: label, value: series.values[i] }; })
            .filter(function (d) { return d.value > 0; })
        }]
      };
    } else if (kind === "bar" && (series.labels.length > 6 || longest(series.labels) > 4)) {
      // many towns, or long names: bars across, one row each, so that no label sits on another at
      // phone width
      el.style.height = (series.labels.length * 26 + 48) + "px";
      chart.resize();
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
        yAxis: { type: "category", data: series.labels, inverse: true, axisLabel: { interval: 0 } },
        xAxis: { type: "value", max: el.dataset.max ? Number(el.dataset.max) : (el.dataset.unit === "%" ? 100 : null) },
        series: [{ type: "bar", data: series.values, label: { show: true, position: "right" } }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
        // the labels that fit, level (a phone hides every other month rather than stack them)
        xAxis: { type: "category", data: series.labels, axisLabel: { interval: "auto", hideOverlap: true } },
        yAxis: { type: "value", max: el.dataset.max ? Number(el.dataset.max) : (el.dataset.unit === "%" ? 100 : null) },
        series: [{ type: kind, data: series.values, smooth: kind === "line", label: { show: true, position: "top" } }]
      };
    }
    option.animation = false;  // cheap phones: draw once, at once
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
