// The live-feed page: prepend each "accord:event" (from live.js) to the list, newest first.
(function () {
  "use strict";
  var MAX_ITEMS = 200;
  var list = document.getElementById("live-feed");
  if (!list) return;

  function part(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;  // never innerHTML: payloads are user text
    if (className) node.className = className;
    return node;
  }

  document.addEventListener("accord:event", function (e) {
    var event = e.detail;
    var empty = list.querySelector(".empty");
    if (empty) empty.remove();
    var item = document.createElement("li");
    item.dataset.kind = event.kind;
    var time = part("time", event.occurred_at.replace("T", " ").slice(0, 16) + " UTC");
    time.setAttribute("datetime", event.occurred_at);
    item.append(time, part("strong", event.summary || event.kind), " · " + event.subject);
    if (event.actor) item.append(" · " + event.actor);
    if (event.scope !== "shared") item.append(" ", part("span", event.scope, "tag"));
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
  });
})();
