// chart.js draws the figures of each chart partial (JSON in its
// data-chart attribute) with ECharts (loaded
// only on pages that have a chart) and adds the switch that hides or
// shows the table beside it. Without scripts the table alone shows; the
// table stays the accessible form of the chart (the drawing is role=img).
(function () {
  "use strict";
  var palette = ["#1d4f91", "#b1560f", "#2e7d32", "#6a3d9a", "#8c1c13", "#00838f"];

  function load(src, done) {
    if (window.echarts) { done(); return; }
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    document.head.appendChild(s);
  }

  function option(d) {
    var names = d.series.map(function (s) { return s.name; });
    if (d.kind === "heatmap") {
      var cells = [], max = 0;
      d.series.forEach(function (s, y) {
        s.values.forEach(function (v, x) {
          if (v !== null) { cells.push([x, y, v]); max = Math.max(max, v); }
        });
      });
      return {
        animation: false,
        tooltip: { position: "top" },
        grid: { left: 140, right: 20, top: 10, bottom: 60 },
        xAxis: { type: "category", data: d.categories },
        yAxis: { type: "category", data: names },
        visualMap: { min: 0, max: max || 1, calculable: true, orient: "horizontal", left: "center", bottom: 0,
          inRange: { color: ["#f7fbff", "#1d4f91"] } },
        series: [{ type: "heatmap", data: cells, label: { show: true } }]
      };
    }
    var series = d.series.map(function (s, i) {
      var o = { name: s.name, type: d.kind === "line" ? "line" : "bar", data: s.values,
        itemStyle: { color: palette[i % palette.length] } };
      if (i === 0 && d.mark) {
        o.markLine = { symbol: "none", data: [{ yAxis: d.mark.value, name: d.mark.label }],
          label: { formatter: d.mark.label }, lineStyle: { color: "#8c1c13", type: "dashed" } };
      }
      return o;
    });
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: names, bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: d.categories },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + (d.unit || "") } },
      series: series
    };
  }

  function draw(el) {
    var d;
    try { d = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    el.hidden = false;
    el.style.height = (d.kind === "heatmap" ? Math.max(200, 40 * d.series.length + 90) : 300) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(d));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function wire(button) {
    var table = document.getElementById(button.getAttribute("aria-controls"));
    if (!table) { return; }
    button.parentNode.hidden = false;
    var show = function (on) {
      table.hidden = !on;
      button.setAttribute("aria-expanded", on ? "true" : "false");
      button.textContent = button.getAttribute(on ? "data-hide" : "data-show");
    };
    show(false);
    button.addEventListener("click", function () {
      var on = table.hidden;
      show(on);
      if (on) { table.focus(); }
    });
  }

  function init() {
    var draws = document.querySelectorAll("[data-chart]");
    if (!draws.length) { return; }
    load(draws[0].getAttribute("data-echarts-src"), function () {
      Array.prototype.forEach.call(draws, draw);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart-switch]"), wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
