/* The dashboard's charts, drawn with the vendored Apache ECharts from the page's JSON data
   (json_script): no inline script, nothing fetched. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  var RED = "#c8102e", PALETTE = [RED, "#1f6feb", "#1a7f37", "#b08800", "#8250df", "#666666"];

  function percentAxis() {
    return { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  }

  function historyOption(data) {
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 40, right: 12, top: 16, bottom: 48 },
      xAxis: { type: "category", data: data.months },
      yAxis: percentAxis(),
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: true, symbolSize: 6 };
      })
    };
  }

  function placesOption(data) {
    var series = [{
      name: data.labels.double_bright_rate, type: "bar", data: data.double_bright_rate,
      itemStyle: { color: RED }
    }, {
      name: data.labels.coverage_rate, type: "bar", data: data.coverage_rate,
      itemStyle: { color: "#1f6feb" }
    }];
    if (data.target != null) {
      series[0].markLine = {
        symbol: "none", label: { formatter: data.target + "%", position: "insideEndTop" },
        lineStyle: { color: "#1a1a1a", type: "dashed" }, data: [{ yAxis: data.target }]
      };
    }
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: 40, interval: 0, fontSize: 10 } },
      yAxis: percentAxis(),
      series: series
    };
  }

  function categoriesOption(data) {
    return {
      color: PALETTE,
      tooltip: { trigger: "item" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["28%", "52%"], center: ["50%", "45%"], data: data,
        // Labels stay inside the card: aligned to its edges, long names broken on two lines.
        label: { alignTo: "edge", edgeDistance: 4, width: 64, overflow: "break", fontSize: 11 },
        labelLine: { length: 8, length2: 0 }, minShowLabelAngle: 6
      }]
    };
  }

  // Best grade first: green, blue, amber, red (the grade tags' colours). A bar leads to the
  // results of its grade.
  var GRADE_COLOURS = { model: "#1e7b45", qualified: "#1d4f91", basic: "#b08800", not_qualified: "#b3261e" };

  function gradesOption(data) {
    return {
      tooltip: { trigger: "item" },
      grid: { left: 40, right: 12, top: 24, bottom: 40 },
      xAxis: { type: "category", data: data.map(function (g) { return g.name; }), axisLabel: { interval: 0, fontSize: 11, width: 64, overflow: "break" } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{
        type: "bar", barMaxWidth: 48, cursor: "pointer",
        label: { show: true, position: "top" },
        data: data.map(function (g) {
          return { value: g.value, url: g.url, itemStyle: { color: GRADE_COLOURS[g.grade] || "#666666" } };
        })
      }]
    };
  }

  var CLICKS = {
    grades: function (params) { if (params.data && params.data.url) window.location.href = params.data.url; }
  };

  ready(function () {
    var source = document.getElementById("chart-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var builders = {
      history: historyOption, places: placesOption, categories: categoriesOption, grades: gradesOption
    };
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      if (!builders[name] || data[name] == null) return;
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(builders[name](data[name]));
      if (CLICKS[name]) chart.on("click", CLICKS[name]);
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  });
})();
