// Charts as SVG built node by node: hourly stacked bars with axes, hour ticks in the user's
// time zone, a tooltip per bar (<title>), incident markers or span, an optional previous-period
// line, an accessible name and a data table alternative.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const LABELS = ["positive", "neutral", "negative"];
const COLORS = { positive: "#15803d", neutral: "#9ca3af", negative: "#dc2626" };

function svg(tag, attrs, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "style") n.style.cssText = v; else n.setAttribute(k, String(v));
  }
  if (text !== undefined) n.textContent = text;
  return n;
}

/// Hourly slots {t, positive, neutral, negative} of `buckets` in [from, to), one network or all.
function hourSlots(buckets, from, to, network) {
  const start = Math.floor(Date.parse(from) / 3600e3) * 3600e3;
  const hours = Math.max(1, Math.ceil((Date.parse(to) - start) / 3600e3));
  const slots = Array.from({ length: hours }, (_, i) => ({ t: start + i * 3600e3, positive: 0, neutral: 0, negative: 0 }));
  for (const b of buckets || []) {
    if (network && b.network !== network) continue;
    const i = Math.floor((Date.parse(b.hour) - start) / 3600e3);
    if (i >= 0 && i < hours) slots[i][b.label] = (slots[i][b.label] || 0) + b.count;
  }
  return slots;
}

const sum = (s) => s.positive + s.neutral + s.negative;
function hourLabel(ms, withDay) {
  const d = new Date(ms);
  return withDay ? d.toLocaleString(LOCALE(), { weekday: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : d.toLocaleTimeString(LOCALE(), { hour: "2-digit", minute: "2-digit" });
}

/// opts: {title, previous: slots of the previous period, markers: [{at, label}], span: {from, to}}
function volumeChart(slots, opts) {
  const o = opts || {};
  const W = Math.max(300, Math.min(1300, (document.getElementById("view").clientWidth || 700) - 60));
  const H = 180, L = 36, B = 34, T = 10;
  const max = Math.max(1, ...slots.map(sum), ...(o.previous || []).map(sum));
  const bw = (W - L - 4) / slots.length;
  const x = (i) => L + i * bw, y = (v) => T + H - (v / max) * H;
  const total = slots.reduce((a, s) => a + sum(s), 0);
  const summary = t("chart_summary", { n: total, from: fmtTime(new Date(slots[0].t).toISOString()),
    to: fmtTime(new Date(slots[slots.length - 1].t + 3600e3).toISOString()), max: Math.max(...slots.map(sum)) });
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H + T + B}`, width: W, height: H + T + B, role: "img", "aria-label": (o.title || t("timeline")) + ". " + summary });
  chart.append(svg("title", {}, (o.title || t("timeline")) + ". " + summary));
  for (const v of [0, Math.round(max / 2), max]) {
    chart.append(svg("line", { x1: L, x2: W, y1: y(v), y2: y(v), stroke: "#e5e7eb" }));
    chart.append(svg("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", class: "axis" }, String(v)));
  }
  if (o.span) {
    const s = slots.findIndex((sl) => sl.t + 3600e3 > Date.parse(o.span.from));
    const e = o.span.to ? slots.findIndex((sl) => sl.t >= Date.parse(o.span.to)) : -1;
    const x0 = x(Math.max(0, s)), x1 = e < 0 ? W : x(e);
    chart.append(svg("rect", { x: x0, y: T, width: Math.max(2, x1 - x0), height: H, class: "span" }));
    chart.append(svg("text", { x: x0 + 3, y: T + 12, class: "axis span-label" }, t("incident_span")));
  }
  slots.forEach((s, i) => {
    let top = H + T;
    const g = svg("g", {});
    g.append(svg("title", {}, hourLabel(s.t, true) + " · " + t("total") + " " + sum(s) + " · " +
      LABELS.map((l) => t(l) + " " + s[l]).join(" · ")));
    g.append(svg("rect", { x: x(i), y: T, width: Math.max(bw, 1), height: H, fill: "transparent" }));
    for (const l of LABELS) {
      const h = (s[l] / max) * H;
      if (h > 0) g.append(svg("rect", { x: x(i) + 0.5, y: top - h, width: Math.max(bw - 1, 1), height: h, fill: COLORS[l] }));
      top -= h;
    }
    chart.append(g);
  });
  if (o.previous && o.previous.length) {
    const pts = o.previous.slice(-slots.length).map((s, i) => `${x(i) + bw / 2},${y(sum(s))}`).join(" ");
    chart.append(svg("polyline", { points: pts, fill: "none", stroke: "#1d4ed8", "stroke-width": 1.5, "stroke-dasharray": "4 3" }));
  }
  for (const m of o.markers || []) {
    const i = Math.floor((Date.parse(m.at) - slots[0].t) / 3600e3);
    if (i < 0 || i >= slots.length) continue;
    const mx = x(i) + bw / 2;
    const g = svg("g", { class: "marker" });
    g.append(svg("title", {}, m.label));
    g.append(svg("line", { x1: mx, x2: mx, y1: T, y2: T + H, stroke: "#7f1d1d", "stroke-width": 2 }));
    g.append(svg("circle", { cx: mx, cy: T + 4, r: 4, fill: "#b91c1c" }));
    chart.append(g);
  }
  chart.append(svg("line", { x1: L, x2: W, y1: T + H, y2: T + H, stroke: "#6b7280" }));
  const step = Math.max(1, Math.ceil(slots.length / Math.max(2, Math.floor((W - L) / 70))));
  const multiDay = slots.length > 24;
  for (let i = 0; i < slots.length; i += step) {
    chart.append(svg("line", { x1: x(i), x2: x(i), y1: T + H, y2: T + H + 4, stroke: "#6b7280" }));
    chart.append(svg("text", { x: x(i), y: T + H + 16, class: "axis", "text-anchor": "start" }, hourLabel(slots[i].t, multiDay && i % (step * 2) === 0)));
  }
  return el("figure", { class: "figure" }, el("div", { class: "chart-scroll" }, chart),
    el("figcaption", { class: "muted" }, t("time_zone", { tz: TZ }), o.previous ? " · - - " + t("previous_period") : null),
    dataTable(slots));
}

/// The chart's numbers as a table, folded away by default (for screen readers and copying).
function dataTable(slots) {
  const rows = slots.filter((s) => sum(s) > 0).map((s) => el("tr", {}, el("td", {}, hourLabel(s.t, true)),
    LABELS.map((l) => el("td", {}, s[l])), el("td", {}, sum(s))));
  return el("details", { class: "data-table" }, el("summary", {}, t("data_table")),
    rows.length ? el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, t("hour")), LABELS.map((l) => el("th", {}, t(l))), el("th", {}, t("total")))),
      el("tbody", {}, rows)) : el("p", { class: "muted" }, t("no_data")));
}

/// Mean sentiment per day as a small line chart (from the API's trend, or the mentions).
function sentimentTrend(src) {
  const days = new Map();
  for (const m of src || []) {
    const day = (m.day || m.date || m.created_at || "").slice(0, 10);
    const v = m.average ?? m.sentiment;
    if (!day || typeof v !== "number") continue;
    const w = typeof m.average === "number" ? m.mentions || 1 : 1;
    const d = days.get(day) || { sum: 0, n: 0 };
    d.sum += v * w; d.n += w; days.set(day, d);
  }
  const pts = [...days.entries()].sort().map(([day, d]) => [day, d.sum / d.n]);
  if (!pts.length) return el("p", { class: "muted" }, t("no_data"));
  const W = 300, H = 80;
  const chart = svg("svg", { class: "chart small", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": t("sentiment_trend") + ": " + pts.map(([d, v]) => d + " " + v.toFixed(2)).join(", ") });
  chart.append(svg("line", { x1: 0, x2: W, y1: H / 2, y2: H / 2, stroke: "#e5e7eb" }));
  const xy = pts.map(([, v], i) => [pts.length === 1 ? W / 2 : (i * W) / (pts.length - 1), H / 2 - v * (H / 2 - 4)]);
  chart.append(svg("polyline", { points: xy.map((p) => p.join(",")).join(" "), fill: "none", stroke: "#14213d", "stroke-width": 2 }));
  xy.forEach(([cx, cy], i) => {
    const c = svg("circle", { cx, cy, r: 3, fill: "#b45309" });
    c.append(svg("title", {}, pts[i][0] + ": " + pts[i][1].toFixed(2)));
    chart.append(c);
  });
  return el("div", {}, chart, el("div", { class: "muted" }, pts[0][0] + " → " + pts[pts.length - 1][0]));
}
