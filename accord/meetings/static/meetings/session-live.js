// A session page follows its session live: when the feed (events/live.js) carries an
// event about this session, the agenda or minutes panel is fetched again with htmx.
// The panels come from the server through the access policy; nothing is built here.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) e.preventDefault();
  });
  // A refused htmx action answers with the reason as text (accord/web/errors.py): show
  // it at the top of the panel where the action was taken.
  document.addEventListener("htmx:responseError", function (e) {
    var panel = e.detail.target && e.detail.target.closest(".panel, #participants-panel");
    if (!panel || !e.detail.xhr) return;
    var note = panel.querySelector(":scope > .error-text");
    if (!note) {
      note = document.createElement("p");
      note.className = "error-text";
      note.setAttribute("role", "alert");
      var heading = panel.querySelector("h2");
      if (heading) heading.after(note); else panel.prepend(note);
    }
    note.textContent = e.detail.xhr.responseText;
  });
  document.addEventListener("accord:event", function (e) {
    var page = document.querySelector("[data-session-live]");
    if (!page || !window.htmx) return;
    var event = e.detail;
    var mine = event.subject === "session:" + page.dataset.sessionLive ||
      (event.payload && event.payload.session === page.dataset.sessionLive);
    if (!mine) return;
    var agenda = /^Agenda/.test(event.kind);
    var minutes = /^(Minutes|Decision|ActionItem)/.test(event.kind);
    if (agenda && !document.querySelector("#agenda-panel :focus")) {
      window.htmx.ajax("GET", page.dataset.agendaUrl, { target: "#agenda-panel", swap: "outerHTML" });
    }
    if (minutes && !document.querySelector("#minutes-panel :focus")) {
      window.htmx.ajax("GET", page.dataset.minutesUrl, { target: "#minutes-panel", swap: "outerHTML" });
    }
  });
})();
