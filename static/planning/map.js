/* Villages on their (demo) coordinates, coloured by minutes to the nearest place that can finish
   an item: today, or with the proposal (legend switches); chosen market places as pins. */
(function () {
  "use strict";
  var source = document.getElementById("plan-data");
  var el = document.querySelector("[data-chart=map]");
  if (!source || !el || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  function colour(minutes) { return minutes === null ? "#9aa5b1" : minutes <= 30 ? "#0b6e4f" : minutes <= 60 ? "#d99a1e" : "#b42318"; }
  function point(v, minutes) {
    return { value: [v[0], v[1], minutes, v[4], v[5]], itemStyle: { color: colour(minutes) } };
  }
  var today = data.villages.map(function (v) { return point(v, v[2]); });
  var proposed = data.villages.map(function (v) { return point(v, v[3]); });
  var chosen = data.markets.filter(function (m) { return m[3]; }).map(function (m) { return [m[0], m[1], null, m[2]]; });
  var chart = window.echarts.init(el, null, { renderer: "svg" });
  var names = data.names;
  var towns = (data.towns || []).map(function (t) { return [t[0], t[1], null, t[2]]; });
  chart.setOption({
    animation: false,
    // the proposal first; "today" a tap away
    legend: { data: names.slice(0, 2), selectedMode: "single", selected: { [names[0]]: false, [names[1]]: true }, top: 0 },
    tooltip: { formatter: function (p) { return p.value[3] + (p.seriesIndex < 2 ? ": " + p.value[2] + " " + names[3] : ""); } },
    grid: { left: 8, right: 8, top: 30, bottom: 40, containLabel: true },
    xAxis: { type: "value", scale: true, show: false },
    yAxis: { type: "value", scale: true, show: false },
    series: [
      { name: names[0], type: "scatter", data: today, symbolSize: function (v) { return 4 + Math.sqrt(v[4] || 1) / 4; } },
      { name: names[1], type: "scatter", data: proposed, symbolSize: function (v) { return 4 + Math.sqrt(v[4] || 1) / 4; } },
      { name: names[2], type: "scatter", data: chosen, symbol: "pin", symbolSize: 28, itemStyle: { color: "#1f2933" },
        label: { show: true, position: "bottom", formatter: function (p) { return p.value[3]; }, color: "#1f2933", fontWeight: "bold" } },
      { name: "towns", type: "scatter", data: towns, symbolSize: 0, silent: true, z: 1,
        label: { show: true, formatter: function (p) { return p.value[3]; }, color: "#5f6b7a", fontSize: 11 } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
