/* The dashboard's chart options, from the numbers the page shows in its tables: pure functions of
   the data and the chart's width, no DOM, so that `node --test` can hold them. Every rate is drawn
   with its numerator and denominator; a row with nothing to count is drawn with the page's own
   words for it ("no cases"), never left out; no label is cut: labels are measured and given room,
   and the pie names its slices in a legend that wraps rather than in labels squeezed at its side. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.LinjuCharts = factory();
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var FONT = 12; // ECharts' default label size, in px
  var ROW = 28; // height of one bar across, in px

  /* Width of a text in px at `size`: a CJK character is one em, anything else about 0.62 em. */
  function textWidth(text, size) {
    var width = 0;
    String(text).split("").forEach(function (ch) {
      width += ch.charCodeAt(0) > 0x2e80 ? 1 : 0.62;
    });
    return Math.ceil(width * (size || FONT));
  }

  /* "{kept} of {due}" with the values put in; a missing name stays as it is. */
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function percent(part, whole) {
    return whole ? Math.round(1000 * part / whole) / 10 : null;
  }

  /* The words beside one bar or point: "57.1% (4/7)"; the chart's word for nothing to count
     when the row has no denominator. */
  function rateText(series, i) {
    if (series.values[i] === null || series.values[i] === undefined) { return series.none || "—"; }
    var value = series.unit === "%" ? Number(series.values[i]).toFixed(1) : series.values[i];
    var text = value + (series.unit || "");
    if (series.due) { text += " (" + series.kept[i] + "/" + series.due[i] + ")"; }
    if (series.count) { text += " (" + series.count[i] + ")"; }
    return text;
  }

  /* The tooltip of one row: the chart's sentence with the row's numbers in it. */
  function tipText(series, i) {
    var values = { label: series.labels[i], value: series.values[i] };
    ["kept", "due", "closed", "overdue", "count"].forEach(function (key) {
      if (series[key]) { values[key] = series[key][i]; }
    });
    if (series.values[i] === null || series.values[i] === undefined) {
      return series.labels[i] + ": " + (series.none || "—");
    }
    return fill(series.tip || "{label}: {value}", values);
  }

  function points(series) {
    return series.values.map(function (value, i) {
      var empty = value === null || value === undefined;
      return {
        value: empty ? 0 : value,
        label: { formatter: rateText(series, i) },
        itemStyle: empty ? { color: "#bbbbbb" } : undefined
      };
    });
  }

  function axisMax(series) {
    if (series.max) { return series.max; }
    return series.unit === "%" ? 100 : null;
  }

  /* Bars across, one row each: for towns, and whenever labels are long or many. The grid leaves
     room for the longest name on the left and the longest value text on the right. */
  function barsAcross(series) {
    var names = Math.max.apply(null, series.labels.map(function (l) { return textWidth(l); }));
    var values = Math.max.apply(null, series.values.map(function (_v, i) { return textWidth(rateText(series, i)); }));
    return {
      height: series.labels.length * ROW + 44,
      option: {
        tooltip: { trigger: "item", formatter: function (p) { return tipText(series, p.dataIndex); } },
        grid: { left: names + 16, right: values + 12, top: 8, bottom: 36 },
        yAxis: {
          type: "category", data: series.labels, inverse: true,
          axisLabel: { interval: 0, width: names + 8, overflow: "none" }
        },
        xAxis: { type: "value", max: axisMax(series), axisLabel: { hideOverlap: true } },
        series: [{ type: "bar", data: points(series), label: { show: true, position: "right" } }]
      }
    };
  }

  /* A line or bars up, for a few short labels (months): the value on one line, its fraction under it. */
  function upright(kind, series) {
    var data = points(series).map(function (p, i) {
      var words = rateText(series, i).replace(" (", "\n(");
      p.label = { formatter: words };
      return p;
    });
    return {
      height: 260,
      option: {
        tooltip: { trigger: "item", formatter: function (p) { return tipText(series, p.dataIndex); } },
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: series.labels, axisLabel: { interval: "auto", hideOverlap: true } },
        yAxis: { type: "value", max: axisMax(series) },
        series: [{
          type: kind, data: data, smooth: kind === "line",
          label: { show: true, position: "top", lineHeight: 18 }
        }]
      }
    };
  }

  /* A pie of shares: each slice named in a legend under it with its count over the whole and its
     share ("at the counter 12/30 · 40%"), one line each, so nothing is squeezed or cut. */
  function pie(series, width) {
    var whole = series.values.reduce(function (a, b) { return a + b; }, 0);
    var words = series.labels.map(function (label, i) {
      var share = series.shares ? series.shares[i] : percent(series.values[i], whole);
      return label + " " + series.values[i] + "/" + whole +
        (share === null || share === undefined ? "" : " · " + Number(share).toFixed(1) + "%");
    });
    var byName = {};
    series.labels.forEach(function (label, i) { byName[label] = words[i]; });
    var size = Math.min(width || 320, 240);
    return {
      height: size + series.labels.length * 24 + 16,
      option: {
        tooltip: { trigger: "item", formatter: function (p) { return byName[p.name]; } },
        legend: {
          orient: "vertical", left: 8, top: size + 8, itemGap: 8,
          formatter: function (name) { return byName[name]; }
        },
        series: [{
          type: "pie", radius: ["30%", "80%"], center: ["50%", size / 2], height: size,
          label: { show: false }, labelLine: { show: false },
          data: series.labels.map(function (label, i) { return { name: label, value: series.values[i] }; })
        }]
      }
    };
  }

  /* Whether bars stand upright in `width` px with every name and value text level beside the
     next (a gap of 12 px); if not, they lie across, one row each. */
  function fitsUpright(series, width) {
    var widest = 0;
    series.labels.forEach(function (label, i) {
      var words = rateText(series, i).split(" (");
      widest = Math.max(widest, textWidth(label), textWidth(words[0]), words[1] ? textWidth("(" + words[1]) : 0);
    });
    return series.labels.length * (widest + 12) <= (width || 320) - 48;
  }

  /* The option and the height for one chart. */
  function chartFor(kind, series, width) {
    var built;
    if (kind === "pie") {
      built = pie(series, width);
    } else if (kind === "bar" && !fitsUpright(series, width)) {
      built = barsAcross(series);
    } else {
      built = upright(kind, series);
    }
    built.option.animation = false; // cheap phones: draw once, at once
    return built;
  }

  return {
    chartFor: chartFor, fitsUpright: fitsUpright, rateText: rateText, tipText: tipText,
    textWidth: textWidth, fill: fill
  };
}));
