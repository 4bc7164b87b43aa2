// Live page updates from "accord:event" (dispatched by events/live.js):
// - a list marked data-timeline gets each event whose subject or scope it lists,
//   appended at the end (timelines are oldest first);
// - a cell marked data-milestone-status="CODE" follows that milestone's status.
(function () {
  "use strict";
  // "1 Dec 15:47 PKT", as the page's own times read (decision 0083), in the page's zone.
  // English is written day first ("1 Dec"), as on the server; other languages their way.
  function pageLocale() {
    var lang = document.documentElement.lang || "en";
    return lang === "en" ? "en-GB" : lang;
  }

  function when(iso, zone) {
    var options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short", calendar: "gregory" };
    try { return new Date(iso).toLocaleString(pageLocale(), Object.assign({ timeZone: zone || "UTC" }, options)); }
    catch (err) { return new Date(iso).toLocaleString(undefined, options); }
  }
  var MILESTONE_STATUS = { MilestoneMet: ["met", "Met"], MilestoneOverdue: ["overdue", "Overdue"] };

  document.addEventListener("accord:event", function (e) {
    var change = MILESTONE_STATUS[e.detail.kind];
    if (!change || !e.detail.payload) return;
    var selector = '[data-milestone-status="' + CSS.escape(e.detail.payload.code || "") + '"]';
    document.querySelectorAll(selector).forEach(function (cell) {
      cell.className = "status-" + change[0];
      cell.textContent = change[1];
    });
  });

  document.addEventListener("accord:event", function (e) {
    var event = e.detail;
    document.querySelectorAll("[data-timeline]").forEach(function (list) {
      var subjects = (list.dataset.subjects || "").split(" ");
      var scopes = (list.dataset.scopes || "").split(" ");
      if (subjects.indexOf(event.subject) < 0 && scopes.indexOf(event.scope) < 0) return;
      var empty = list.querySelector(".empty");
      if (empty) empty.remove();
      var item = document.createElement("li");
      var time = document.createElement("time");
      time.setAttribute("datetime", event.occurred_at);
      time.textContent = when(event.occurred_at, list.dataset.timeZone);
      var summary = document.createElement("span");
      summary.dir = "auto";
      summary.textContent = event.summary || event.kind;  // never innerHTML: user text
      item.append(time, summary);
      if (event.actor) item.append(" · " + event.actor);
      item.dataset.live = "";
      list.append(item);
    });
  });
})();
