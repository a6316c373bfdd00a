// Insights pages: the profile radar beside the two poles, the trend lines, the report's print button.
(function () {
  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // What a screen reader hears, written here: ECharts' own description reads a missing value as "NaN".
  const said = (v) => (v === null || v === undefined || v === "-" || Number.isNaN(Number(v)) ? "no data" : String(v));

  function describe(holder, description) {
    holder.setAttribute("aria-label", description);
    return { enabled: true, label: { description: description } };
  }

  function radar(holder, chart) {
    // A factor without enough data is null: ECharts leaves that point out instead of drawing 0.
    const series = [
      { name: "Mission-based (reference)", value: chart.mission_based, lineStyle: { type: "dashed" }, symbol: "none" },
      { name: "Micro-management (reference)", value: chart.micro_management, lineStyle: { type: "dotted" }, symbol: "none" },
      { name: "Measured", value: chart.measured.map((v) => (v === null ? "-" : v)), areaStyle: { opacity: 0.25 } },
    ];
    const description = "Leadership profile, each factor from 0 to 100. " + chart.factors.map((f, i) =>
      f.name + ": measured " + said(chart.measured[i]) + ", mission-based " + said(chart.mission_based[i]) +
      ", micro-management " + said(chart.micro_management[i])
    ).join("; ") + ".";
    const instance = window.echarts.init(holder);
    instance.setOption({
      tooltip: {},
      legend: { bottom: 0 },
      radar: { indicator: chart.factors.map((f) => ({ name: f.name, max: 100, min: 0 })), radius: "62%" },
      series: [{ type: "radar", data: series }],
      aria: describe(holder, description),
    });
    return instance;
  }

  function trend(holder, trendData) {
    const description = (holder.getAttribute("aria-label") || "Trend") + ". " + trendData.series.map((s) =>
      s.name + ": " + trendData.cycles.map((cycle, i) => cycle + " " + said(s.values[i])).join(", ")
    ).join("; ") + ".";
    const instance = window.echarts.init(holder);
    instance.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: trendData.cycles },
      yAxis: { type: "value", min: 0, max: 100 },
      series: trendData.series.map((s) => ({ name: s.name, type: "line", connectNulls: false, data: s.values })),
      aria: describe(holder, description),
    });
    return instance;
  }

  const charts = [];
  const profileHolder = document.getElementById("profile-chart");
  const profileData = data("profile-data");
  const trendHolder = document.getElementById("trend-chart");
  const trendData = data("trend-data");
  if (window.echarts && profileHolder && profileData) charts.push(radar(profileHolder, profileData));
  if (window.echarts && trendHolder && trendData) charts.push(trend(trendHolder, trendData));
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

  document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
})();
