// Goal page: progress of each key result over time (one line per key result, in percent).
(function () {
  const holder = document.getElementById("progress-chart");
  const source = document.getElementById("progress-data");
  if (!holder || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => v + "%" },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: "time" },
    yAxis: { type: "value", min: 0, max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10),
             axisLabel: { formatter: "{value}%" } },
    series: data.series.map((s) => ({ name: s.name, type: "line", step: "end", showSymbol: true, data: s.points })),
    aria: { enabled: true },
  });
  window.addEventListener("resize", () => chart.resize());
})();
