// Added to pages with charts (after plotly.js).
// 1. Older .NET Interactive chart formatters (XPlot) load plotly through require.js from a CDN:
//    a tiny stand-in serves the inlined plotly instead, so those charts draw offline too.
if (typeof window.require !== 'function') {
  window.require = function (deps, callback) {
    var modules = (deps || []).map(function (d) { return /plotly/i.test(d) ? window.Plotly : undefined; });
    if (typeof callback === 'function') callback.apply(window, modules);
  };
  window.require.config = function () { return window.require; };
  window.requirejs = window.require;
}
// 2. Printing: charts are drawn for the screen (up to 900 px wide); wider than the A4 text block (184 mm) they
//    would make the browser shrink every page to fit them. Before printing each is redrawn to fit; after, restored.
(function () {
  var resized = [];
  function printableWidth(plot) {
    var probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;width:184mm';
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
