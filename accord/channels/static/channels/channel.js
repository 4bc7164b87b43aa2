// A channel page, live: new messages appear, receipts change state, and a FLASH or
// IMMEDIATE message for this side raises an alarm (banner + sound) until acknowledged.
// Events come from events/live.js as "accord:event"; user text only ever goes in via
// textContent, never innerHTML.
(function () {
  "use strict";
  var root = document.getElementById("channel");
  if (!root) return;
  var channel = root.dataset.channel;
  var side = root.dataset.side;
  var canAck = root.dataset.canAck === "1";
  var csrf = root.dataset.csrf;
  var list = document.getElementById("messages");
  var alarm = document.getElementById("alarm");
  var URGENT = { FLASH: 1, IMMEDIATE: 1 };
  var RANK = { FLASH: 0, IMMEDIATE: 1, PRIORITY: 2, ROUTINE: 3 };
  // Message ids are public ids (UUIDs, decision 0046): they carry no order; seq does.
  var pending = {};  // message id -> {precedence, from, text, seq}
  var SENT = { ChannelMessageSent: 1, LinkTestSent: 1 };
  var RECEIPT = { ChannelMessageDelivered: 1, ChannelMessageRead: 1, ChannelMessageAcknowledged: 1 };
  // The page's words, translated by the server (channels/views.py: _script_strings).
  var stringsNode = document.getElementById("channel-strings");
  var T = stringsNode ? JSON.parse(stringsNode.textContent) : {};
  function t(key, fallback, params) {
    var text = T[key] || fallback;
    Object.keys(params || {}).forEach(function (name) { text = text.split("{" + name + "}").join(params[name]); });
    return text;
  }

  // "1 Dec 15:47 PKT": the day and month by name, in the zone the page was rendered in.
  // English is written day first ("1 Dec"), as on the server; other languages their way.
  function pageLocale() {
    var lang = document.documentElement.lang || "en";
    return lang === "en" ? "en-GB" : lang;
  }

  function when(iso, seconds) {
    var options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short", calendar: "gregory" };
    if (seconds) options.second = "2-digit";
    try { return new Date(iso).toLocaleString(pageLocale(), Object.assign({ timeZone: T.time_zone || "UTC" }, options)); }
    catch (err) { return new Date(iso).toLocaleString(undefined, options); }
  }

  function api(path, body) {
    return fetch("/api/channels" + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body || {})
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Receipts go in batches: one POST (one transaction, one event) for every message
  // that arrived or was shown within a short window, per state. Reading the page or the
  // API records nothing by itself (reads never write).
  var queued = { delivered: [], read: [] }, flushTimer = null;
  function flushReceipts() {
    flushTimer = null;
    ["read", "delivered"].forEach(function (state) {
      var ids = queued[state];
      if (!ids.length) return;
      queued[state] = [];
      api("/" + encodeURIComponent(channel) + "/receipts", { state: state, message_ids: ids }).catch(function () {});
    });
  }
  function receipt(id, state) {
    if (queued[state].indexOf(id) < 0) queued[state].push(id);
    if (!flushTimer) flushTimer = setTimeout(flushReceipts, 150);
  }

  function ackForm(id) {
    var form = el("form", "ack-form");
    form.method = "post";
    form.action = "/channels/" + encodeURIComponent(channel) + "/messages/" + id + "/acknowledge";
    form.dataset.role = "ack-form";
    var reply = el("input");
    reply.type = "text"; reply.name = "reply"; reply.placeholder = t("optional_reply", "Optional reply");
    reply.setAttribute("aria-label", t("reply", "Reply"));
    // The reply's precedence (ROUTINE unless raised) and language (the officer's), as on
    // the server-rendered form (channels/_message.html).
    var precedence = el("select");
    precedence.name = "reply_precedence";
    precedence.setAttribute("aria-label", t("reply_precedence", "Precedence of the reply"));
    ["FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE"].forEach(function (p) {
      var option = el("option", null, p);
      option.value = p; option.selected = p === "ROUTINE";
      precedence.append(option);
    });
    var language = el("input");
    language.type = "text"; language.name = "reply_language"; language.size = 4;
    language.value = root.dataset.writesIn || "";
    language.setAttribute("aria-label", t("reply_language", "Language of the reply"));
    var button = el("button", "primary ack", t("acknowledge", "Acknowledge"));
    button.type = "submit"; button.dataset.ack = id;
    form.append(reply, precedence, language, button);
    return form;
  }

  function render(p) {
    var article = el("article", "msg prec-" + p.precedence.toLowerCase() + (p.kind === "link_test" ? " link-test" : ""));
    article.id = "msg-" + p.id;
    article.dataset.messageId = p.id; article.dataset.seq = p.seq;
    article.dataset.precedence = p.precedence; article.dataset.to = p.to_side;
    article.dataset.from = p.from_side; article.dataset.state = p.state;
    article.dataset.live = "";
    var header = el("header");
    header.append(el("span", "prec", p.precedence), " ", el("strong", "from", p.from_side + " \u2192 " + p.to_side),
                  " ", el("span", "sender", p.sender_name || t("link_test", "Link test")));
    if (p.topic) header.append(" ", el("span", "tag", p.topic));
    var time = el("time", null, when(p.sent_at, true));
    time.setAttribute("datetime", p.sent_at);
    header.append(" ", time, " ", el("span", "lang tag", p.language));
    var text = el("p", "text", p.text);
    text.dir = "auto"; text.lang = p.language;
    article.append(header, text);
    if (p.attachments && p.attachments.length) {
      var ul = el("ul", "attachments");
      p.attachments.forEach(function (a) {
        var li = el("li"); var link = el("a", null, a.filename);
        link.href = "/channels/attachments/" + a.id; link.setAttribute("download", "");
        li.append(link, " (" + t("bytes", "{size} bytes, {type}", { size: a.size, type: a.content_type }) + ")"); ul.append(li);
      });
      article.append(ul);
    }
    var footer = el("footer");
    var state = el("span", "state state-" + p.state, p.state); state.dataset.role = "state";
    var ackBy = el("span", "ack-by"); ackBy.dataset.role = "ack-by";
    var esc = el("span", "escalations"); esc.dataset.role = "escalations";
    footer.append(state, " ", el("span", "deadline", t("acknowledge_by", "acknowledge by {time}", { time: when(p.acknowledge_by) })), " ", ackBy, " ", esc);
    if (p.to_side === side && canAck && p.state !== "acknowledged") footer.append(ackForm(p.id));
    article.append(footer);
    return article;
  }

  function setState(article, state, by) {
    article.dataset.state = state;
    var node = article.querySelector('[data-role="state"]');
    if (node) { node.textContent = state; node.className = "state state-" + state; }
    if (state === "acknowledged") {
      var form = article.querySelector('[data-role="ack-form"]');
      if (form) form.remove();
      var ackBy = article.querySelector('[data-role="ack-by"]');
      if (ackBy && by) ackBy.textContent = t("by", "by {who}", { who: by });
    }
  }

  // --- the alarm -------------------------------------------------------------------
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
  var muteButton = alarm.querySelector(".alarm-mute");
  function showMute() { if (muteButton) muteButton.setAttribute("aria-pressed", soundWanted() ? "false" : "true"); }
  if (muteButton) muteButton.addEventListener("click", function () { soundChosen(!soundWanted()); });
  document.addEventListener("accord:alarm-sound", function () {
    showMute();
    if (alarm.hidden) return;
    soundOn();
  });
  showMute();
  var audio = null, beeper = null;
  function beep() {
    if (!audio) return;
    var osc = audio.createOscillator(), gain = audio.createGain();
    osc.type = "square"; osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
    osc.connect(gain).connect(audio.destination);
    osc.start(); osc.stop(audio.currentTime + 0.4);
  }
  function soundOn() {
    var sound = alarm.querySelector(".alarm-sound");
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
    sound.textContent = state === "blocked" ? " " + t("click_for_sound", "(click anywhere to hear the alarm)") : "";
  }
  function soundOff() {
    if (beeper) { clearInterval(beeper); beeper = null; }
    alarm.querySelector(".alarm-sound").dataset.sound = "off";
  }
  document.addEventListener("click", function () {
    if (audio && audio.state === "suspended") audio.resume().then(function () {
      if (beeper) alarm.querySelector(".alarm-sound").dataset.sound = "playing";
    });
  });

  function refreshAlarm() {
    var ids = Object.keys(pending);
    if (!ids.length) {
      alarm.hidden = true; document.body.classList.remove("alarmed"); soundOff();
      document.title = document.title.replace(/^\u26a0 /, "");
      return;
    }
    ids.sort(function (a, b) {
      return RANK[pending[a].precedence] - RANK[pending[b].precedence] || pending[b].seq - pending[a].seq;
    });
    var top = pending[ids[0]];
    alarm.hidden = false;
    alarm.className = "alarm alarm-" + top.precedence.toLowerCase();
    alarm.dataset.messageId = ids[0];
    var words = { precedence: top.precedence, side: top.from, more: ids.length - 1 };
    alarm.querySelector(".alarm-title").textContent = ids.length > 1
      ? t("alarm_title_more", "{precedence} from {side} (+{more} more):", words)
      : t("alarm_title", "{precedence} from {side}:", words);
    alarm.querySelector(".alarm-text").textContent = top.text;
    var button = alarm.querySelector(".alarm-ack");
    button.hidden = !canAck; button.dataset.ack = ids[0];
    document.body.classList.add("alarmed");
    if (!/^\u26a0 /.test(document.title)) document.title = "\u26a0 " + document.title;
    soundOn();
  }
  function raise(id, precedence, from, text, seq) {
    if (!URGENT[precedence] || !canAck) return;
    pending[id] = { precedence: precedence, from: from, text: text, seq: Number(seq) || 0 };
    refreshAlarm();
  }
  function clear(id) { delete pending[id]; refreshAlarm(); }

  function acknowledge(id, reply, form) {
    var body = { reply: reply || null };
    // The reply's precedence and language, as its author chose them (the server's
    // defaults, ROUTINE and the author's language, where the form has no such field).
    if (form && form.elements.reply_precedence) body.reply_precedence = form.elements.reply_precedence.value;
    if (form && form.elements.reply_language) body.reply_language = form.elements.reply_language.value || null;
    return api("/messages/" + id + "/acknowledge", body).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok && r.status !== 409) { window.alert(body.detail || t("could_not_acknowledge", "Could not acknowledge.")); return; }
        var article = document.getElementById("msg-" + id);
        if (article) setState(article, "acknowledged", body.acknowledged_by);
        clear(id);
      });
    });
  }
  alarm.querySelector(".alarm-ack").addEventListener("click", function (e) {
    acknowledge(e.currentTarget.dataset.ack);
  });
  list.addEventListener("submit", function (e) {
    var form = e.target.closest('[data-role="ack-form"]');
    if (!form) return;
    e.preventDefault();
    var article = form.closest("article");
    acknowledge(article.dataset.messageId, form.elements.reply && form.elements.reply.value, form);
  });

  // Receipts can arrive out of order with our own optimistic update: never go back.
  var ORDER = ["sent", "delivered", "read", "acknowledged"];
  function advance(id, state, by) {
    var article = document.getElementById("msg-" + id);
    if (article && ORDER.indexOf(state) > ORDER.indexOf(article.dataset.state)) setState(article, state, by);
  }

  // --- the live feed ---------------------------------------------------------------
  document.addEventListener("accord:event", function (e) {
    var d = e.detail, p = d.payload;
    if (!p || p.channel !== channel) return;
    if (SENT[d.kind]) {
      if (document.getElementById("msg-" + p.id)) return;
      // An older page of the record stays as it was; the newest page takes the message.
      if (list.dataset.olderPage !== "1") {
        var empty = list.querySelector(".empty");
        if (empty) empty.remove();
        list.append(render(p));
      }
      if (p.to_side === side) {
        receipt(p.id, document.visibilityState === "visible" ? "read" : "delivered");
        raise(p.id, p.precedence, p.from_side, p.text, p.seq);
      }
      return;
    }
    if (d.kind === "ChannelReceiptsRecorded") {
      (p.messages || []).forEach(function (m) { advance(m.id, m.state, p.by); });
      return;
    }
    var article = document.getElementById("msg-" + p.id);
    if (RECEIPT[d.kind]) {
      advance(p.id, p.state, p.by);
      if (d.kind === "ChannelMessageAcknowledged") clear(p.id);
    } else if (d.kind === "ChannelMessageEscalated" && article) {
      var tag = el("span", "tag esc", t("escalated", "escalated to {to}", { to: T["escalated_to_" + p.escalated_to] || p.escalated_to }));
      article.querySelector('[data-role="escalations"]').append(tag, " ");
    } else if (d.kind === "ChannelMessageTranslated" && article) {
      var tr = el("p", "translation"); tr.dir = "auto"; tr.lang = p.language;
      tr.append(el("span", "tag", p.language), " " + p.text);
      article.querySelector(".text").after(tr);
    }
  });

  // Messages already on the page: receipts (read when the page is visible, else
  // delivered; one batch), and alarms for urgent unacknowledged ones.
  list.querySelectorAll("article.msg").forEach(function (article) {
    if (article.dataset.to !== side || article.dataset.state === "acknowledged") return;
    if (article.dataset.state !== "read") {
      if (document.visibilityState === "visible") receipt(article.dataset.messageId, "read");
      else if (article.dataset.state === "sent") receipt(article.dataset.messageId, "delivered");
    }
    raise(article.dataset.messageId, article.dataset.precedence, article.dataset.from,
          article.querySelector(".text").textContent, article.dataset.seq);
  });
})();
