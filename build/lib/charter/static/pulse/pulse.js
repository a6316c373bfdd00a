// Pulse results: the trend chart (means per question, eNPS on its own axis, response rate), and the team picker.
(function () {
  const picker = document.querySelector("[data-pulse-team]");
  if (picker) {
    picker.addEventListener("submit", (event) => {
      event.preventDefault();
      window.location.href = picker.querySelector("select").value;
    });
  }
  const holder = document.getElementById("pulse-trend");
  const source = document.getElementById("pulse-trend-data");
  if (!holder || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(holder);
  const series = data.series.map((s) => ({
    name: s.name, type: "line", connectNulls: false, showSymbol: true, data: s.data,
    yAxisIndex: s.kind === "scale10" ? 1 : 0,
  }));
  series.push({ name: "Response rate (%)", type: "bar", data: data.response_rate, yAxisIndex: 1, barMaxWidth: 16,
                itemStyle: { opacity: 0.25 } });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 40, right: 48, top: 16, bottom: 56 },
    xAxis: { type: "category", data: data.rounds },
    yAxis: [{ type: "value", min: 1, max: 5, name: "mean" }, { type: "value", min: -100, max: 100, name: "eNPS / %" }],
    series: series,
    aria: { enabled: true },
  });
  window.addEventListener("resize", () => chart.resize());
})();
