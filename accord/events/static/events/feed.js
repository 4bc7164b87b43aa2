// The live-feed page: the server shows the newest events; each new "accord:event" (from
// live.js) that passes the page's filters is prepended in the same form: its sentence
// linking to its subject, who did it, and whether it is internal. Never innerHTML.
(function () {
  "use strict";
  var MAX_ITEMS = 200;
  var list = document.getElementById("live-feed");
  // An older page of the record stays as it was: only the newest takes new events.
  if (!list || list.dataset.olderPage === "1") return;
  var body = list.dataset.body;
  var kindsNode = document.getElementById("feed-topic-kinds");
  var kinds = kindsNode ? JSON.parse(kindsNode.textContent) : [];

  function part(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function passes(event) {
    if (body && event.scope !== "body:" + body && event.subject !== "body:" + body) return false;
    if (kinds.length && kinds.indexOf(String(event.subject).split(":")[0]) < 0) return false;
    return true;
  }

  // As the server writes it ("1 Dec 15:47 UTC"): day before month, 24 hours, UTC.
  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    var month = d.toLocaleString("en", { month: "short", timeZone: "UTC" });
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getUTCDate() + " " + month + " " + two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()) + " UTC";
  }

  document.addEventListener("accord:event", function (e) {
    var event = e.detail;
    if (!passes(event)) return;
    var empty = list.querySelector(".empty");
    if (empty) empty.remove();
    var item = document.createElement("li");
    item.dataset.kind = event.kind;
    item.dataset.live = "";
    var time = part("time", when(event.occurred_at));
    time.setAttribute("datetime", event.occurred_at);
    var sentence = part("strong", event.summary || event.kind);
    var subject = sentence;
    if (event.url) { subject = document.createElement("a"); subject.href = event.url; subject.append(sentence); }
    item.append(time, " ", subject);
    if (event.actor) item.append(" · " + event.actor);
    if (/^(party|caucus):/.test(event.scope)) item.append(" ", part("span", list.dataset.internal, "tag"));
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
  });
})();
