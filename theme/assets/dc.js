/* disclosure theme script: 长者模式 toggle (localStorage only) and charts drawn with the site's plotly.js.
   A plain script (no modules, no network) so that pages work when opened from a folder. */
(function () {
  "use strict";
  var KEY = "dc-elder";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* storage disabled: toggle still works on this page */ }
  }
  if (stored()) { root.classList.add("dc-elder"); }

  var COLORS = ["#1f4e89", "#c0392b", "#2e7d32", "#b9770e", "#6a1b9a", "#00838f", "#5d4037", "#546e7a"];
  var FONT = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", sans-serif";

  function numbers(list) {
    return list.map(function (v) { return v === null ? null : Number(v); });
  }

  function traces(spec) {
    if (spec.kind === "pie") {
      return [{
        type: "pie", labels: spec.categories, values: numbers(spec.values.map(function (r) { return r[0]; })),
        sort: false, direction: "clockwise", textinfo: "percent", marker: { colors: COLORS },
        hovertemplate: "%{label}<br>%{value:,.2f}" + spec.unit + "（%{percent}）<extra></extra>"
      }];
    }
    return spec.series.map(function (name, i) {
      var t = {
        type: spec.kind === "line" ? "scatter" : "bar", name: name, x: spec.categories,
        y: numbers(spec.values.map(function (r) { return r[i]; })), marker: { color: COLORS[i % COLORS.length] }
      };
      if (spec.kind === "line") { t.mode = "lines+markers"; t.line = { color: COLORS[i % COLORS.length], width: 3 }; }
      return t;
    });
  }

  function layout(spec) {
    return {
      font: { family: FONT, size: 13, color: "#1a1a1a" },
      margin: { t: 16, r: 16, b: 48, l: 64 },
      paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
      showlegend: spec.kind === "pie" || spec.series.length > 1,
      legend: { orientation: spec.kind === "pie" ? "v" : "h" },
      barmode: "group", separators: ".,",
      yaxis: { title: { text: spec.unit }, gridcolor: "#dddddd", tickformat: ",.0f", automargin: true },
      xaxis: { automargin: true, type: "category" }
    };
  }

  function drawCharts() {
    if (!window.Plotly) { return; }
    var specs = document.querySelectorAll("script.dc-chart-spec");
    Array.prototype.forEach.call(specs, function (node) {
      var target = document.getElementById(node.getAttribute("data-for"));
      if (!target) { return; }
      var spec = JSON.parse(node.textContent);
      window.Plotly.newPlot(target, traces(spec), layout(spec), { staticPlot: true, displayModeBar: false, responsive: true });
    });
  }

  function setupToggle() {
    var buttons = document.querySelectorAll(".dc-elder-toggle");
    function show() {
      var on = root.classList.contains("dc-elder");
      Array.prototype.forEach.call(buttons, function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        var on = !root.classList.contains("dc-elder");
        root.classList.toggle("dc-elder", on);
        store(on);
        show();
        if (window.Plotly) {
          Array.prototype.forEach.call(document.querySelectorAll(".dc-chart"), function (el) { window.Plotly.Plots.resize(el); });
        }
      });
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupToggle();
    drawCharts();
  });
})();
