/* Draws the dashboard's charts with Apache ECharts from the numbers the page already shows as
   tables (so the page works without JavaScript). One chart per [data-chart] element; what each
   draws is decided in charts.js (tested with node --test). */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts || !window.LinjuCharts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var series = data[el.dataset.chart];
    if (!series) { return; }
    // the element is hidden while empty (.chart:empty): its section gives the width
    var built = window.LinjuCharts.chartFor(el.dataset.kind || "bar", series, el.parentElement.clientWidth);
    el.style.height = built.height + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(built.option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
