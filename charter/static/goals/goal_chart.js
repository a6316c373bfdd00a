// Goal page: progress of each key result over time (one line per key result, in percent).
(function () {
  const holder = document.getElementById("progress-chart");
  const source = document.getElementById("progress-data");
  if (!holder || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  // What a screen reader hears: readable dates and values, not ECharts' own reading of raw timestamps.
  const day = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { day: "numeric", month: "short", year: "numeric" });
  const said = (v) => (v === null || v === undefined || Number.isNaN(Number(v)) ? "no data" : v + "%");
  const description = "Progress of each key result after each check-in, in percent. " + data.series.map((s) =>
    s.name + ": " + s.points.map((p) => day.format(new Date(p[0])) + " " + said(p[1])).join(", ") + "."
  ).join(" ");
  holder.setAttribute("aria-label", description);
  const chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: (v) => v + "%" },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: "time" },
    yAxis: { type: "value", min: 0, max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10),
             axisLabel: { formatter: "{value}%" } },
    series: data.series.map((s) => ({ name: s.name, type: "line", step: "end", showSymbol: true, data: s.points })),
    aria: { enabled: true, label: { description: description } },
  });
  window.addEventListener("resize", () => chart.resize());
})();
