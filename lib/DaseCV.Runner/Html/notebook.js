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
// 2. Printing: charts wider than the page are resized to fit rather than clipped.
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('.js-plotly-plot').forEach(function (plot) {
    var room = plot.parentElement ? plot.parentElement.clientWidth : 0;
    if (room > 0 && plot.offsetWidth > room && window.Plotly) window.Plotly.relayout(plot, { width: room });
  });
});
