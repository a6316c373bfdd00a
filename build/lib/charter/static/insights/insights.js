// Insights pages: the profile radar beside the two poles, the trend lines, the report's print button.
(function () {
  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function radar(holder, chart) {
    // A factor without enough data is null: ECharts leaves that point out instead of drawing 0.
    const series = [
      { name: "Mission-based (reference)", value: chart.mission_based, lineStyle: { type: "dashed" }, symbol: "none" },
      { name: "Micro-management (reference)", value: chart.micro_management, lineStyle: { type: "dotted" }, symbol: "none" },
      { name: "Measured", value: chart.measured.map((v) => (v === null ? "-" : v)), areaStyle: { opacity: 0.25 } },
    ];
    const instance = window.echarts.init(holder);
    instance.setOption({
      tooltip: {},
      legend: { bottom: 0 },
      radar: { indicator: chart.factors.map((f) => ({ name: f.name, max: 100, min: 0 })), radius: "62%" },
      series: [{ type: "radar", data: series }],
      aria: { enabled: true },
    });
    return instance;
  }

  function trend(holder, trendData) {
    const instance = window.echarts.init(holder);
    instance.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: trendData.cycles },
      yAxis: { type: "value", min: 0, max: 100 },
      series: trendData.series.map((s) => ({ name: s.name, type: "line", connectNulls: false, data: s.values })),
      aria: { enabled: true },
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
