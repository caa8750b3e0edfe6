(function (s, w) {
  if (!s || !w) return;
  var kept = !!w.controller;
  addEventListener("load", function () {
    w.register(s.dataset.worker).then(function () { return w.ready; }).then(function (r) {
      var c = navigator.connection;
      r.active.postMessage({ keep: c && c.saveData ? null : s.dataset.keep, read: kept ? null : location.href });
    }).catch(function () {});
  });
})(document.currentScript, navigator.serviceWorker);
