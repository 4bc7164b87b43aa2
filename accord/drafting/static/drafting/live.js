// Live negotiating text: when an event about this document arrives on the feed
// ("accord:event", dispatched by events/live.js), fetch the text part of the page again
// (counts, provisions) with htmx. Events of one burst are coalesced into one request,
// and an open edit form is never replaced under the facilitator's hands.
(function () {
  "use strict";
  var pending = null;

  function section() { return document.getElementById("document-text"); }

  function refresh() {
    pending = null;
    var target = section();
    if (!target || !window.htmx) return;
    if (target.querySelector(".provision-form")) return;  // someone is typing here
    window.htmx.ajax("GET", target.dataset.liveUrl, { target: "#document-text", swap: "outerHTML" });
  }

  document.addEventListener("accord:event", function (e) {
    var target = section();
    var payload = e.detail && e.detail.payload;
    if (!target || !payload) return;
    if (String(payload.document) !== target.dataset.document) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  });

  // A refused form answers 422 with itself as typed and the sentence beside the field,
  // naming where it goes (HX-Retarget, accord/drafting/views.py): swap it in place.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.status === 422 && xhr.getResponseHeader("HX-Retarget")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "document-text") e.target.dataset.refreshedAt = String(Date.now());
  });
})();
