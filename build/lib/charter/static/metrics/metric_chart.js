// Metric page: the values over time, with the healthy / warning / critical bands behind the line.
(function () {
  const holder = document.getElementById("metric-chart");
  const source = document.getElementById("metric-data");
  if (!holder || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const t = data.thresholds;
  const higher = data.direction === "higher";
  // Bands from the worst side to the best: [from, to, colour, label]; null ends are open.
  const bands = [];
  const lines = [[t.critical, "Critical"], [t.warning, "Warning"], [t.healthy, "Healthy"]].filter((l) => l[0] !== null);
  if (t.critical !== null) bands.push([higher ? null : t.critical, higher ? t.critical : null, "rgba(214,57,57,0.12)"]);
  if (t.healthy !== null) bands.push([higher ? t.healthy : null, higher ? null : t.healthy, "rgba(47,179,68,0.12)"]);
  const warnFrom = t.critical !== null ? t.critical : t.warning;
  const warnTo = t.healthy !== null ? t.healthy : t.warning;
  if (warnFrom !== null && warnTo !== null && warnFrom !== warnTo) bands.push([Math.min(warnFrom, warnTo), Math.max(warnFrom, warnTo), "rgba(247,103,7,0.10)"]);
  const area = bands.map(([from, to, colour]) => [
    { yAxis: from === null ? "min" : from, itemStyle: { color: colour } },
    { yAxis: to === null ? "max" : to },
  ]);
  const chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => v + (data.unit ? " " + data.unit : "") },
    grid: { left: 56, right: 72, top: 16, bottom: 32 },
    xAxis: { type: "time" },
    yAxis: { type: "value", scale: true },
    series: [{
      name: "Value", type: "line", showSymbol: true, data: data.points,
      markArea: { silent: true, data: area },
      markLine: { silent: true, symbol: "none", data: lines.map(([v, label]) => ({ yAxis: v, label: { formatter: label + " {c}" } })) },
    }],
    aria: { enabled: true },
  });
  window.addEventListener("resize", () => chart.resize());
})();
