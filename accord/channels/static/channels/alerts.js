// The alerts of every page (decision 0071): a FLASH or IMMEDIATE message to the viewer's
// side on a channel where they act as duty officer, and every escalation that reached
// them, stay in the banner (with a sound) until acknowledged; the nav badge counts the
// messages they are to acknowledge. Rendered by the server (so a reload shows them) and
// kept live from "accord:event" (events/live.js). User text only via textContent.
(function () {
  "use strict";
  var banner = document.getElementById("alerts");
  var configNode = document.getElementById("alerts-config");
  if (!banner || !configNode) return;
  var cfg = JSON.parse(configNode.textContent);
  var T = cfg.strings;
  var list = document.getElementById("alerts-list");
  var template = document.getElementById("alert-template");
  var badge = document.getElementById("ack-badge");
  var count = document.getElementById("ack-count");
  var notifyButton = document.getElementById("alerts-notify");
  var URGENT = { FLASH: 1, IMMEDIATE: 1 };
  var SENT = { ChannelMessageSent: 1, LinkTestSent: 1 };
  var acknowledgesOn = {};
  cfg.acknowledges_on.forEach(function (code) { acknowledgesOn[code] = 1; });
  var toAcknowledge = {};
  cfg.to_acknowledge.forEach(function (id) { toAcknowledge[id] = 1; });
  var texts = {};  // message id -> text, from the feed (an escalation carries none)
  // On a channel page whose viewer acknowledges there, the page's own alarm shows that
  // channel's messages: the banner keeps them (to settle them) but does not show them.
  var page = document.getElementById("channel");
  var pageChannel = page && page.dataset.canAck === "1" ? page.dataset.channel : null;

  function words(text, params) {
    Object.keys(params || {}).forEach(function (k) { text = text.split("{" + k + "}").join(params[k]); });
    return text;
  }

  // --- the badge -------------------------------------------------------------------
  function refreshBadge() {
    if (!badge) return;
    var n = Object.keys(toAcknowledge).length;
    count.textContent = String(n);
    badge.hidden = n === 0;
    badge.title = words(n === 1 ? T.to_acknowledge_one : T.to_acknowledge_many, { n: n });
  }

  // --- the sound -------------------------------------------------------------------
  // The user's own setting, kept on this device (issue 18): alarms can be silenced; the
  // banner still shows and is still announced (role="alert"). Motion stops with the
  // system's prefers-reduced-motion (accord.css).
  var SOUND_KEY = "accord.alarm-sound";
  function soundWanted() {
    try { return window.localStorage.getItem(SOUND_KEY) !== "off"; } catch (e) { return true; }
  }
  function soundChosen(on) {
    try { window.localStorage.setItem(SOUND_KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
    document.dispatchEvent(new CustomEvent("accord:alarm-sound"));
  }
  var muteButton = banner.querySelector(".alarm-mute");
  function showMute() { if (muteButton) muteButton.setAttribute("aria-pressed", soundWanted() ? "false" : "true"); }
  if (muteButton) muteButton.addEventListener("click", function () { soundChosen(!soundWanted()); });
  document.addEventListener("accord:alarm-sound", function () {
    showMute();
    if (!banner.hidden) soundOn();
  });
  showMute();
  var audio = null, beeper = null;
  var sound = banner.querySelector(".alerts-sound");
  function beep() {
    // A channel page raising its own alarm sounds it: one sound at a time.
    var own = document.getElementById("alarm");
    if (!audio || (own && !own.hidden)) return;
    var osc = audio.createOscillator(), gain = audio.createGain();
    osc.type = "square"; osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
    osc.connect(gain).connect(audio.destination);
    osc.start(); osc.stop(audio.currentTime + 0.4);
  }
  function soundOn() {
    if (!soundWanted()) {
      if (beeper) { clearInterval(beeper); beeper = null; }
      sound.dataset.sound = "silenced"; sound.textContent = "";
      return;
    }
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!audio && Ctx) audio = new Ctx();
      if (audio && audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
    if (!beeper) { beep(); beeper = setInterval(beep, 1200); }
    var state = !audio ? "unavailable" : (audio.state === "running" ? "playing" : "blocked");
    sound.dataset.sound = state;
    sound.textContent = state === "blocked" ? T.click_for_sound : "";
  }
  function soundOff() {
    if (beeper) { clearInterval(beeper); beeper = null; }
    sound.dataset.sound = "off"; sound.textContent = "";
  }
  document.addEventListener("click", function () {
    if (audio && audio.state === "suspended") audio.resume().then(function () {
      if (beeper) { sound.dataset.sound = "playing"; sound.textContent = ""; }
    });
  });

  // --- browser notifications (asked only on a click) --------------------------------
  function notifySupported() { return "Notification" in window; }
  function refreshNotifyButton() {
    notifyButton.hidden = !notifySupported() || Notification.permission !== "default" || banner.hidden;
  }
  notifyButton.addEventListener("click", function () {
    Notification.requestPermission().then(refreshNotifyButton);
  });
  function notify(item) {
    if (!notifySupported() || Notification.permission !== "granted") return;
    try {
      new Notification(item.querySelector(".alert-title").textContent, {
        body: item.querySelector(".alert-text").textContent, tag: item.dataset.messageId
      });
    } catch (e) { /* some browsers allow notifications only from a service worker */ }
  }

  // --- the banner ------------------------------------------------------------------
  function refresh() {
    var any = false;
    Array.prototype.forEach.call(list.children, function (item) {
      item.hidden = item.dataset.channel === pageChannel;
      if (!item.hidden) any = true;
    });
    // Clocks run out (accord.page_alerts) keep the banner up, silently.
    banner.hidden = !any && !document.getElementById("alerts-clocks");
    if (any) {
      soundOn();
      if (!/^\u26a0 /.test(document.title)) document.title = "\u26a0 " + document.title;
    } else {
      soundOff();
      var own = document.getElementById("alarm");
      if (!own || own.hidden) document.title = document.title.replace(/^\u26a0 /, "");
    }
    refreshNotifyButton();
  }
  function itemFor(id) { return list.querySelector('[data-message-id="' + id + '"]'); }

  function raise(p, escalatedTo, mayAck) {
    var item = itemFor(p.id), fresh = !item;
    if (fresh) {
      item = template.content.firstElementChild.cloneNode(true);
      item.dataset.messageId = p.id;
      item.dataset.channel = p.channel;
      item.dataset.precedence = p.precedence;
      item.className = "alert alert-" + String(p.precedence).toLowerCase();
      item.querySelector(".alert-title").textContent = words(T.title, { precedence: p.precedence, side: p.from_side });
      item.querySelector(".alert-channel").textContent = cfg.channel_names[p.channel] || p.channel;
      var text = item.querySelector(".alert-text");
      var known = p.text || texts[p.id];
      if (known) text.textContent = known;
      else { text.textContent = acknowledgesOn[p.channel] || mayAck ? T.no_text : T.not_member; text.classList.add("muted"); }
      if (p.member) {
        var open = item.querySelector(".alert-open");
        open.href = "/channels/" + encodeURIComponent(p.channel) + "/#msg-" + p.id;
        open.hidden = false;
      }
      list.prepend(item);
    }
    if (escalatedTo && T.escalated[escalatedTo]) {
      var tag = item.querySelector(".alert-escalated");
      if (!tag) { tag = document.createElement("span"); tag.className = "tag alert-escalated"; item.querySelector(".alert-channel").after(" ", tag); }
      tag.textContent = T.escalated[escalatedTo]; tag.hidden = false;
    }
    if (mayAck) {
      var button = item.querySelector(".alert-ack");
      if (button) { button.dataset.ack = p.id; button.hidden = false; }
    }
    refresh();
    if (fresh) notify(item);
  }
  function settle(id) {
    var item = itemFor(id);
    if (item) item.remove();
    if (toAcknowledge[id]) { delete toAcknowledge[id]; refreshBadge(); }
    refresh();
  }

  function reaches(p) {
    if (p.escalated_to === "facilitators") return cfg.facilitator;
    return String(p.target || "").split(",").map(function (s) { return s.trim(); }).indexOf(cfg.me) >= 0;
  }

  // Acknowledging goes through the channel's API: its service asks may_acknowledge.
  list.addEventListener("click", function (e) {
    var button = e.target.closest(".alert-ack");
    if (!button) return;
    button.disabled = true;
    var id = button.dataset.ack;
    fetch("/api/channels/messages/" + encodeURIComponent(id) + "/acknowledge", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf },
      body: JSON.stringify({ reply: null })
    }).then(function (r) {
      return r.json().then(function (body) {
        // 409: acknowledged already (by a colleague): settled either way.
        if (!r.ok && r.status !== 409) { button.disabled = false; window.alert(body.detail || T.could_not_acknowledge); return; }
        settle(id);
      });
    }, function () { button.disabled = false; });
  });

  document.addEventListener("accord:event", function (e) {
    var d = e.detail, p = d.payload;
    if (!p) return;
    if (SENT[d.kind]) {
      if (p.text) texts[p.id] = p.text;
      if (p.to_side !== cfg.side || !acknowledgesOn[p.channel]) return;
      if (p.state !== "acknowledged") { toAcknowledge[p.id] = 1; refreshBadge(); }
      if (URGENT[p.precedence]) raise({ id: p.id, channel: p.channel, precedence: p.precedence, from_side: p.from_side, text: p.text, member: true }, "", true);
      return;
    }
    if (d.kind === "ChannelMessageEscalated") {
      if (!reaches(p)) return;
      var member = !!texts[p.id] || acknowledgesOn[p.channel] === 1;
      raise({ id: p.id, channel: p.channel, precedence: p.precedence, from_side: p.from_side, member: member },
            p.escalated_to, p.to_side === cfg.side && acknowledgesOn[p.channel] === 1);
      return;
    }
    if (d.kind === "ChannelMessageAcknowledged") { settle(p.id); return; }
    if (d.kind === "ChannelReceiptsRecorded") {
      (p.messages || []).forEach(function (m) { if (m.state === "acknowledged") settle(m.id); });
    }
  });

  refreshBadge();
  refresh();
})();
