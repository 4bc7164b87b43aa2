// The live feed for any page: one EventSource per page, each event re-dispatched on
// `document` as a CustomEvent "accord:event" whose `detail` is the event's data plus its
// opaque `id`. Pages listen for that instead of opening streams of their own.
//
// It never dies silently (decision 0070). While the browser retries by itself (a dropped
// connection) the page says "reconnecting…"; when the browser gives up (the server
// answered an error, e.g. a 5xx while restarting) this script reconnects on its own,
// with a growing, jittered delay, resuming after the last event it received
// (`last_event_id`), so nothing is missed and nothing is shown twice. "Signed out" is
// shown only when the server says so: a 401 whose `Accord-Error` is
// `feed.not_signed_in`, asked with one `fetch` after the browser gave up.
(function () {
  "use strict";
  if (!window.EventSource || window.accordLive) return;
  var dot = document.getElementById("live-status");
  var label = document.getElementById("live-status-text");
  var script = document.currentScript;
  var base = new URL((script && script.dataset.stream) || "/events/stream", window.location.href);
  var BACKOFF_MIN = 1000, BACKOFF_MAX = 30000, SEEN_MAX = 1000;
  var SIGNED_OUT = "feed.not_signed_in";

  // The position to resume from: the page's own (set by the server) until an event arrives.
  var lastId = base.searchParams.get("last_event_id");
  var seen = [], seenSet = {};
  var source = null, attempt = 0, timer = null, state = null;
  var live = { source: null, state: "connecting", reconnects: 0 };
  window.accordLive = live;

  function words(name) { return (label && label.dataset[name]) || ""; }

  function show(next) {
    state = next;
    live.state = next;
    if (dot) {
      dot.classList.remove("connected", "error", "reconnecting");
      if (next === "connected") dot.classList.add("connected");
      else if (next === "signed-out") dot.classList.add("error");
      else if (next === "reconnecting") dot.classList.add("reconnecting");
      dot.dataset.state = next;
    }
    if (label) {
      // Plain words beside the dot: a colour alone says nothing to many people.
      var text = next === "reconnecting" ? words("reconnecting") : next === "signed-out" ? words("signedOut") : "";
      label.textContent = text;
      label.hidden = !text;
      label.dataset.state = next;
    }
    document.dispatchEvent(new CustomEvent("accord:live-status", { detail: { state: next } }));
  }

  function streamUrl() {
    var url = new URL(base.href);
    if (lastId) url.searchParams.set("last_event_id", lastId);
    else url.searchParams.delete("last_event_id");
    return url.href;
  }

  function remember(id) {
    if (!id) return true;
    if (seenSet[id]) return false;
    seenSet[id] = 1; seen.push(id);
    if (seen.length > SEEN_MAX) delete seenSet[seen.shift()];
    return true;
  }

  function onMessage(message) {
    // The opening frame carries only an id (the stream's position): keep it, show nothing.
    if (message.lastEventId) lastId = message.lastEventId;
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    // The server sends each event once per stream; a resume never repeats one. This is
    // the last guard, should two streams of this page ever overlap.
    if (!remember(message.lastEventId)) return;
    data.id = message.lastEventId;
    document.dispatchEvent(new CustomEvent("accord:event", { detail: data }));
  }

  function connect() {
    timer = null;
    if (source) source.close();
    source = new EventSource(streamUrl());
    live.source = source;
    source.onopen = function () { attempt = 0; show("connected"); };
    source.onmessage = onMessage;
    source.onerror = function () {
      if (source.readyState === EventSource.CONNECTING) {
        // The browser retries by itself (with Last-Event-ID): say so meanwhile.
        show("reconnecting");
        return;
      }
      // CLOSED: the browser has given up (an error status or a wrong answer).
      source.close();
      ask();
    };
  }

  function later() {
    if (timer) return;
    show("reconnecting");
    var delay = Math.min(BACKOFF_MAX, BACKOFF_MIN * Math.pow(2, attempt));
    attempt += 1;
    live.reconnects += 1;
    timer = setTimeout(connect, delay / 2 + Math.random() * delay / 2);
  }

  // Why did the browser give up? Only a distinct answer means "signed out".
  function ask() {
    var controller = window.AbortController ? new AbortController() : null;
    fetch(streamUrl(), {
      credentials: "same-origin",
      headers: { Accept: "text/event-stream" },
      cache: "no-store",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      var signedOut = response.status === 401 && response.headers.get("Accord-Error") === SIGNED_OUT;
      if (controller) controller.abort();  // a stream that opened: not ours to read
      if (signedOut) { show("signed-out"); return; }
      later();
    }, function () { later(); });
  }

  show("connecting");
  connect();
})();
