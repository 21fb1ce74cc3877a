// The page's only script besides plotly.js (allowed by its hash in the page's Content-Security-Policy).
// 1. Charts: each .plotly-chart div is followed by its bundle as a JSON data block (never run as code).
(function () {
  function draw() {
    document.querySelectorAll('script.plotly-data').forEach(function (block) {
      var chart = block.previousElementSibling;
      if (!window.Plotly || !chart || !chart.classList.contains('plotly-chart')) return;
      var bundle = JSON.parse(block.textContent);
      window.Plotly.newPlot(chart, bundle.data, bundle.layout, bundle.config);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();
// 2. Printing: charts are drawn for the screen (up to 900 px wide); wider than the A4 text block (184 mm) they
//    would make the browser shrink every page to fit them. Before printing each is redrawn to fit; after, restored.
(function () {
  var resized = [];
  function printableWidth(plot) {
    var probe = document.createElement('div');
    probe.style.width = '184mm';
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    document.body.appendChild(probe);
    var page = probe.offsetWidth;
    document.body.removeChild(probe);
    // Leave the output indent (the prompt column) and a little room.
    var main = document.querySelector('main');
    var indent = main ? plot.getBoundingClientRect().left - main.getBoundingClientRect().left : 0;
    return Math.floor(page - Math.max(0, indent) - 8);
  }
  window.addEventListener('beforeprint', function () {
    if (!window.Plotly) return;
    document.querySelectorAll('.js-plotly-plot').forEach(function (plot) {
      var room = printableWidth(plot);
      if (room > 200 && plot.offsetWidth > room) {
        resized.push({ plot: plot, width: plot.layout ? plot.layout.width : undefined });
        window.Plotly.relayout(plot, { width: room });
      }
    });
  });
  window.addEventListener('afterprint', function () {
    resized.forEach(function (r) { window.Plotly.relayout(r.plot, { width: r.width === undefined ? null : r.width }); });
    resized = [];
  });
})();
