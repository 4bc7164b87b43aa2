// The shared map (decisions 0100-0103, docs/geo.md): Leaflet over Natural Earth's land
// (world-atlas TopoJSON, converted by topojson-client), no tile server. Every element
// rendered by geo/_map.html ([data-geo-map]) becomes a map of named GeoJSON layers from
// its JSON (data-layers-url, or a json_script named by data-layers-script):
//   {"layers": [{"name", "label", "style": {"colour_by", "colours", "labels", "colour",
//                "vector_minutes", "dash", "fill"}, "features": [GeoJSON features]}],
//    "time": {"start": ISO, "end": ISO, "step": seconds}}
// Feature properties it reads: name, colour, heading (degrees true) and speed (knots) on
// points (a heading vector), buffer_m (a circle in metres around a point),
// buffer_geometry (a GeoJSON geometry drawn dashed around the feature), approximate
// (a dashed outline), start/end or time (ISO; a layer's feature shows only while the
// slider is in its window; "time" holds for the layer's hold_s, 600 s by default),
// details ([[label, value], ...], shown in the panel), key (identity for selection).
// Live updates: AccordMap.get(id).setLayer(name, features), at most one redraw a second,
// or data-refresh-url (polled every data-refresh-seconds, at least 1) answering the same
// JSON. Clicks dispatch "geo:select" on the element ({detail: {layer, feature}}).
// Text alternative: the table in the element's <details>, drawn only while open.
// User text only via textContent; no inline script or style attribute (strict CSP).
(function () {
  "use strict";
  var maps = {};
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
    "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"];
  var MIN_REDRAW_MS = 1000;

  function parseTime(value) {
    if (value === undefined || value === null || value === "") return null;
    var t = Date.parse(value);
    return isNaN(t) ? null : t;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function formatTime(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
      " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + " UTC";
  }

  function words(text, params) {
    Object.keys(params || {}).forEach(function (k) { text = text.split("{" + k + "}").join(params[k]); });
    return text;
  }

  // The end of a heading vector: ``metres`` from (lat, lon) on ``heading`` (flat, for display).
  function ahead(lat, lon, heading, metres) {
    var rad = heading * Math.PI / 180;
    var dLat = metres * Math.cos(rad) / 111320;
    var dLon = metres * Math.sin(rad) / (111320 * Math.max(Math.cos(lat * Math.PI / 180), 0.01));
    return [lat + dLat, lon + dLon];
  }

  function firstPosition(geometry) {
    var c = geometry && geometry.coordinates;
    while (c && Array.isArray(c[0])) c = c[0];
    return c && c.length >= 2 ? c : null;
  }

  function GeoMap(root) {
    this.root = root;
    this.T = { live: root.dataset.textLive, load_failed: root.dataset.textLoadFailed,
      attribution: root.dataset.textAttribution };
    this.layers = {};      // name -> {spec, features, group, colours}
    this.order = [];
    this.time = null;      // the slider's time (ms) or null when live / no slider
    this.range = null;     // {start, end, step}
    this.listeners = [];
    this.lastDraw = 0;
    this.drawTimer = null;
    this.selected = null;
    var canvas = root.querySelector(".geo-map__canvas");
    this.map = L.map(canvas, { preferCanvas: true, zoomSnap: 0.25, attributionControl: true,
      worldCopyJump: false });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution(this.T.attribution);
    var b = (root.dataset.bounds || "-180,-60,180,80").split(",").map(Number);
    this.map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    this.map.createPane("land").style.zIndex = 250;
    this.legend = root.querySelector(".geo-map__legend");
    this.table = root.querySelector(".geo-map__list");
    this.details = root.querySelector(".geo-map__alternative");
    this.panel = root.querySelector(".geo-map__panel");
    this.slider = root.querySelector(".geo-map__slider input");
    this.sliderOutput = root.querySelector(".geo-map__slider output");
    this.status = root.querySelector(".geo-map__status");
    var self = this;
    if (this.details) this.details.addEventListener("toggle", function () { self.drawTable(); });
    if (this.slider) {
      this.slider.addEventListener("input", function () { self.sliderMoved(); });
    }
    this.loadLand();
    this.loadLayers();
    var refresh = root.dataset.refreshUrl;
    if (refresh) {
      var every = Math.max(1, Number(root.dataset.refreshSeconds || 5)) * 1000;
      this.poll = setInterval(function () { self.fetchJSON(refresh, function (data) { self.apply(data); }); }, every);
    }
  }

  GeoMap.prototype.fetchJSON = function (url, done) {
    var self = this;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(done)
      .catch(function () { if (self.status) self.status.textContent = self.T.load_failed; });
  };

  GeoMap.prototype.loadLand = function () {
    var self = this, url = this.root.dataset.landUrl;
    if (!url || typeof topojson === "undefined") return;
    this.fetchJSON(url, function (topology) {
      // Countries when the file has them (borders help a reader place the shapes).
      var land = topojson.feature(topology, topology.objects.countries || topology.objects.land);
      L.geoJSON(land, { pane: "land", interactive: false,
        style: { color: "#9a9483", weight: 0.6, fillColor: "#efe9d8", fillOpacity: 1 } }).addTo(self.map);
      self.root.dataset.land = "1";
    });
  };

  GeoMap.prototype.loadLayers = function () {
    var self = this;
    var scriptId = this.root.dataset.layersScript;
    if (scriptId) {
      this.apply(JSON.parse(document.getElementById(scriptId).textContent));
    }
    if (this.root.dataset.layersUrl) {
      this.fetchJSON(this.root.dataset.layersUrl, function (data) { self.apply(data); });
    }
  };

  // Take a {"layers": [...], "time": {...}} answer: new layers are added, known ones replaced.
  GeoMap.prototype.apply = function (data) {
    var self = this;
    if (data.time) this.setRange(data.time);
    (data.layers || []).forEach(function (spec) {
      var layer = self.layers[spec.name];
      if (!layer) {
        layer = { spec: spec, features: [], colours: {}, group: L.layerGroup().addTo(self.map), visible: true };
        self.layers[spec.name] = layer;
        self.order.push(spec.name);
      } else if (spec.style || spec.label) {
        layer.spec = Object.assign({}, layer.spec, spec);
      }
      layer.features = spec.features || [];
    });
    this.scheduleDraw();
    this.root.dataset.ready = "1";
  };

  GeoMap.prototype.setRange = function (time) {
    var start = parseTime(time.start), end = parseTime(time.end);
    if (start === null || end === null || !this.slider) return;
    this.range = { start: start, end: end, step: Math.max(1, Number(time.step || 60)) };
    this.slider.min = "0";
    this.slider.max = String(Math.round((end - start) / 1000));
    this.slider.step = String(this.range.step);
    if (this.time === null) this.slider.value = this.slider.max;
    this.slider.disabled = false;
    this.showSliderTime();
  };

  GeoMap.prototype.sliderMoved = function () {
    if (!this.range) return;
    var value = Number(this.slider.value);
    this.time = value >= Number(this.slider.max) ? null : this.range.start + value * 1000;
    this.showSliderTime();
    this.draw();  // the user's own move draws at once
  };

  GeoMap.prototype.showSliderTime = function () {
    if (!this.sliderOutput || !this.range) return;
    this.sliderOutput.textContent = this.time === null
      ? words(this.T.live, { time: formatTime(this.range.end) })
      : formatTime(this.time);
  };

  // Whether ``feature`` of ``layer`` shows at the slider's time (live: the range's end).
  GeoMap.prototype.inTime = function (layer, feature) {
    var p = feature.properties || {};
    var start = parseTime(p.start), end = parseTime(p.end);
    var at = parseTime(p.time);
    if (at !== null) { start = at; end = at + 1000 * Number(layer.spec.hold_s || 600); }
    if (start === null && end === null) return true;
    var t = this.time !== null ? this.time : (this.range ? this.range.end : Date.now());
    return (start === null || start <= t) && (end === null || t <= end);
  };

  GeoMap.prototype.colourOf = function (layer, feature) {
    var p = feature.properties || {}, style = layer.spec.style || {};
    if (p.colour) return p.colour;
    if (!style.colour_by) return style.colour || PALETTE[this.order.indexOf(layer.spec.name) % PALETTE.length];
    var value = p[style.colour_by];
    var key = value === undefined || value === null ? "" : String(value);
    if (style.colours && style.colours[key]) return style.colours[key];
    if (!layer.colours[key]) {
      layer.colours[key] = (style.colours && style.colours[""]) ||
        PALETTE[Object.keys(layer.colours).length % PALETTE.length];
    }
    return layer.colours[key];
  };

  GeoMap.prototype.scheduleDraw = function () {
    var self = this;
    if (this.drawTimer) return;
    var wait = Math.max(0, this.lastDraw + MIN_REDRAW_MS - Date.now());
    this.drawTimer = setTimeout(function () { self.drawTimer = null; self.draw(); }, wait);
  };

  GeoMap.prototype.draw = function () {
    var self = this;
    this.lastDraw = Date.now();
    var shown = 0;
    this.order.forEach(function (name) {
      var layer = self.layers[name];
      layer.group.clearLayers();
      layer.shown = [];
      if (!layer.visible) return;
      layer.features.forEach(function (feature) {
        if (!feature || !feature.geometry || !self.inTime(layer, feature)) return;
        self.drawFeature(layer, feature);
        layer.shown.push(feature);
      });
      shown += layer.shown.length;
    });
    this.root.dataset.shown = String(shown);
    this.root.dataset.draws = String(Number(this.root.dataset.draws || 0) + 1);
    this.drawLegend();
    this.drawTable();
  };

  GeoMap.prototype.drawFeature = function (layer, feature) {
    var self = this, p = feature.properties || {}, style = layer.spec.style || {};
    var colour = this.colourOf(layer, feature);
    var dash = p.approximate || style.dash ? "6 4" : null;
    var select = function () { self.select(layer, feature); };
    if (p.buffer_geometry) {
      L.geoJSON(p.buffer_geometry, { interactive: false, style: { color: colour, weight: 1,
        dashArray: "4 4", fillOpacity: 0.08 } }).addTo(layer.group);
    }
    var type = feature.geometry.type;
    if (type === "Point") {
      var c = feature.geometry.coordinates, lat = c[1], lon = c[0];
      if (p.buffer_m) {
        L.circle([lat, lon], { radius: Number(p.buffer_m), color: colour, weight: 1,
          dashArray: "4 4", fillOpacity: 0.08, interactive: false }).addTo(layer.group);
      }
      if (typeof p.heading === "number" && p.heading >= 0 && p.heading < 360) {
        var knots = typeof p.speed === "number" ? p.speed : null;
        var metres = knots ? knots * 1852 / 60 * Number(style.vector_minutes || 6) : 1852;
        L.polyline([[lat, lon], ahead(lat, lon, p.heading, metres)], { color: colour, weight: 2,
          interactive: false }).addTo(layer.group);
      }
      var marker = L.circleMarker([lat, lon], { radius: Number(style.radius || 5), color: "#222",
        weight: 1, fillColor: colour, fillOpacity: 0.9 });
      marker.on("click", select);
      if (p.name) marker.bindTooltip(String(p.name));
      marker.addTo(layer.group);
      return;
    }
    var shape = L.geoJSON(feature, { style: { color: colour, weight: style.weight || 2,
      dashArray: dash, fill: style.fill !== false && type.indexOf("Polygon") >= 0,
      fillOpacity: style.fill_opacity === undefined ? 0.15 : style.fill_opacity } });
    shape.on("click", select);
    if (p.name) shape.bindTooltip(String(p.name), { sticky: true });
    shape.addTo(layer.group);
  };

  GeoMap.prototype.select = function (layer, feature) {
    this.selected = { layer: layer.spec.name, key: (feature.properties || {}).key || feature.id };
    this.showPanel(layer, feature);
    var detail = { layer: layer.spec.name, feature: feature };
    this.listeners.forEach(function (fn) { fn(detail); });
    this.root.dispatchEvent(new CustomEvent("geo:select", { detail: detail, bubbles: true }));
  };

  GeoMap.prototype.showPanel = function (layer, feature) {
    if (!this.panel) return;
    var p = feature.properties || {};
    var title = this.panel.querySelector(".geo-map__panel-title");
    var list = this.panel.querySelector(".geo-map__panel-details");
    title.textContent = p.name || layer.spec.label || layer.spec.name;
    list.replaceChildren();
    (p.details || []).forEach(function (pair) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = pair[0]; dd.textContent = pair[1];
      list.append(dt, dd);
    });
    this.panel.hidden = false;
  };

  GeoMap.prototype.drawLegend = function () {
    if (!this.legend) return;
    var self = this;
    var list = document.createElement("ul");
    this.order.forEach(function (name) {
      var layer = self.layers[name], style = layer.spec.style || {};
      if (!layer.features.length && !layer.spec.always_in_legend) return;
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = layer.visible; box.className = "geo-map__toggle";
      box.dataset.layer = name;
      box.addEventListener("change", function () { layer.visible = box.checked; self.draw(); });
      label.append(box, document.createTextNode(" " + (layer.spec.label || name)));
      item.append(label);
      var values = style.labels ? Object.keys(style.labels) : [];
      if (!style.colour_by) values = [];
      if (values.length) {
        var sub = document.createElement("ul");
        values.forEach(function (value) {
          var li = document.createElement("li"), swatch = document.createElement("span");
          swatch.className = "geo-map__swatch";
          swatch.style.backgroundColor = self.colourOf(layer, { properties: (function () {
            var o = {}; o[style.colour_by] = value; return o; })() });
          li.append(swatch, document.createTextNode(" " + style.labels[value]));
          sub.append(li);
        });
        item.append(sub);
      } else {
        var one = document.createElement("span");
        one.className = "geo-map__swatch";
        one.style.backgroundColor = style.colour || self.colourOf(layer, { properties: {} });
        label.insertBefore(one, box.nextSibling);
      }
      list.append(item);
    });
    this.legend.replaceChildren(list);
  };

  // The text alternative: every feature shown, one row each (only while the list is open).
  GeoMap.prototype.drawTable = function () {
    if (!this.table || (this.details && !this.details.open)) return;
    var self = this, body = document.createElement("tbody");
    this.order.forEach(function (name) {
      var layer = self.layers[name];
      (layer.shown || []).forEach(function (feature) {
        var p = feature.properties || {}, row = document.createElement("tr");
        var position = firstPosition(feature.geometry);
        var when = p.time || p.start || "";
        [layer.spec.label || name, p.name || "", p.summary || "",
          position ? position[1].toFixed(4) + ", " + position[0].toFixed(4) : "",
          when ? formatTime(parseTime(when)) : ""].forEach(function (text, column) {
          var cell = document.createElement("td");
          if (column === 1 && text) {
            // The list is also a way to select: the keyboard's way to the panel.
            var button = document.createElement("button");
            button.type = "button"; button.className = "geo-map__pick"; button.textContent = text;
            button.addEventListener("click", function () {
              self.select(layer, feature);
              if (position) self.map.panTo([position[1], position[0]]);
            });
            cell.append(button);
          } else {
            cell.textContent = text;
          }
          row.append(cell);
        });
        body.append(row);
      });
    });
    var old = this.table.querySelector("tbody");
    if (old) old.replaceWith(body); else this.table.append(body);
  };

  // --- the small API ---------------------------------------------------------------
  GeoMap.prototype.setLayer = function (name, features) {
    var layer = this.layers[name];
    if (!layer) { this.apply({ layers: [{ name: name, features: features }] }); return; }
    layer.features = features || [];
    this.scheduleDraw();
  };
  GeoMap.prototype.setTime = function (iso) {
    if (!this.range || !this.slider) return;
    var t = parseTime(iso);
    this.slider.value = String(t === null ? this.slider.max : Math.round((t - this.range.start) / 1000));
    this.sliderMoved();
  };
  GeoMap.prototype.onSelect = function (fn) { this.listeners.push(fn); };
  GeoMap.prototype.featuresOf = function (name) {
    return this.layers[name] ? this.layers[name].features : [];
  };

  function start() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-geo-map]").forEach(function (root) {
      if (!maps[root.id]) maps[root.id] = new GeoMap(root);
    });
  }

  window.AccordMap = {
    get: function (id) { return maps[id] || null; },
    start: start,
    ahead: ahead
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
