// Draws the overview charts from the numbers the page also shows in its tables; a click on a bar or a
// point opens the list it counts (the link of the same row in the table below the chart).
(function () {
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const links = (name) => Array.from(document.querySelectorAll('a[data-chart="' + name + '"]')).map((a) => a.href);
  // `names`: the links of each dataset (a stacked chart's approved, submitted, not yet), or one for all.
  function opens(...names) {
    const sets = names.map(links);
    return {
      onClick: (event, elements) => {
        if (!elements.length) return;
        const link = sets[Math.min(elements[0].datasetIndex, sets.length - 1)][elements[0].index];
        if (link) window.location = link;
      },
      onHover: (event, elements) => { event.native.target.style.cursor = elements.length ? "pointer" : "default"; },
    };
  }
  const percent = { scales: { y: { beginAtZero: true, max: 100 } }, plugins: { legend: { display: false } } };
  new Chart(document.getElementById("chart-county"), {
    type: "bar",
    data: { labels: data.county.labels, datasets: [{ label: data.county.label, data: data.county.values, backgroundColor: "#8b1a1a" }] },
    options: { ...percent, ...opens("county") },
  });
  new Chart(document.getElementById("chart-month"), {
    type: "line",
    data: { labels: data.month.labels, datasets: [{ label: data.month.label, data: data.month.values, borderColor: "#8b1a1a", tension: 0.2 }] },
    options: { ...percent, ...opens("month") },
  });
  new Chart(document.getElementById("chart-dimension"), {
    type: "bar",
    data: { labels: data.dimension.labels, datasets: data.dimension.series.map((s, i) => (
      { label: s.label, data: s.values, backgroundColor: ["#198754", "#0d6efd", "#adb5bd"][i] })) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
               ...opens("dimension-approved", "dimension-submitted", "dimension") },
  });
})();
