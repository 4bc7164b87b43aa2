// The live feed for any page: one EventSource per page, each event re-dispatched on
// `document` as a CustomEvent "accord:event" whose `detail` is the event's data plus its
// opaque `id`. Pages listen for that instead of opening streams of their own. The
// browser reconnects by itself and sends Last-Event-ID, so nothing is missed.
(function () {
  "use strict";
  if (!window.EventSource || window.accordLive) return;
  var status = document.getElementById("live-status");
  var script = document.currentScript;
  var url = (script && script.dataset.stream) || "/events/stream";

  function show(state) {
    if (!status) return;
    status.classList.remove("connected", "error");
    if (state !== "connecting") status.classList.add(state);
    status.dataset.state = state;
  }

  var source = new EventSource(url);
  window.accordLive = source;
  show("connecting");
  source.onopen = function () { show("connected"); };
  // CLOSED means the server refused (signed out): the browser will not retry.
  source.onerror = function () {
    show(source.readyState === EventSource.CLOSED ? "error" : "connecting");
  };
  source.onmessage = function (message) {
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    data.id = message.lastEventId;
    document.dispatchEvent(new CustomEvent("accord:event", { detail: data }));
  };
})();
