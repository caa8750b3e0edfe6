// Notifications in this browser, where it can have them: a box to tick appears, and on
// sending the form the browser's push subscription goes with it. Without JavaScript, or in a
// browser without push, the form works as it is.
(function () {
  "use strict";
  var form = document.querySelector("form.subscribe[data-push-key]");
  if (!form || !("serviceWorker" in navigator) || !("PushManager" in window)) {
    return;
  }
  var option = form.querySelector(".push-option");
  var box = option.querySelector("input");
  var field = form.querySelector("input[name=push_subscription]");
  option.hidden = false;

  function keyBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  form.addEventListener("submit", function (event) {
    if (!box.checked || field.value) {
      return;
    }
    event.preventDefault();
    navigator.serviceWorker
      .register(form.dataset.worker)
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(form.dataset.pushKey),
        });
      })
      .then(function (subscription) {
        field.value = JSON.stringify(subscription);
      })
      .catch(function () {
        box.checked = false;
      })
      .then(function () {
        form.submit();
      });
  });
})();
