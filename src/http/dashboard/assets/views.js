// Dashboard views. Each renders into `root` from the JSON API; a route that answers 404
// (not on this server yet) hides its panel instead of failing.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const LABELS = ["positive", "neutral", "negative"];
const COLORS = { positive: "#16a34a", neutral: "#9ca3af", negative: "#dc2626" };

function svg(tag, attrs) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "style") n.style.cssText = v; else n.setAttribute(k, String(v));
  }
  return n;
}

function card(title, ...body) { return el("section", { class: "card" }, title ? el("h3", {}, title) : null, ...body); }
function pct(x) { return (100 * x).toFixed(1) + " %"; }
function counts(items, total) {
  if (!items.length) return el("p", { class: "muted" }, t("no_data"));
  return el("ul", { class: "counts" }, items.map((i) => el("li", {}, el("span", {}, i.name), el("b", {}, total ? pct(i.count / total) : i.count))));
}
function brandQ(prefix) { return App.brand ? prefix + "brand=" + encodeURIComponent(App.brand) : ""; }

/// Stacked bars per hour (positive / neutral / negative) for the chosen network.
function timelineChart(ov, network) {
  const hours = ov.range === "7d" ? 168 : 24;
  const start = Date.parse(ov.to) - hours * 3600e3;
  const slots = Array.from({ length: hours }, () => ({ positive: 0, neutral: 0, negative: 0 }));
  for (const b of ov.timeline) {
    if (network && b.network !== network) continue;
    const i = Math.floor((Date.parse(b.hour) - start) / 3600e3);
    if (i >= 0 && i < hours) slots[i][b.label] = (slots[i][b.label] || 0) + b.count;
  }
  const max = Math.max(1, ...slots.map((s) => s.positive + s.neutral + s.negative));
  const W = 720, H = 200, bw = W / hours;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H + 20}`, preserveAspectRatio: "none", role: "img" });
  slots.forEach((s, i) => {
    let y = H;
    for (const l of LABELS) {
      const h = (s[l] / max) * H;
      if (h > 0) chart.append(svg("rect", { x: i * bw + 0.5, y: y - h, width: Math.max(bw - 1, 1), height: h, fill: COLORS[l] }));
      y -= h;
    }
  });
  const lbl = svg("text", { x: 2, y: H + 15, "font-size": 11, fill: "#6b7280" });
  lbl.textContent = fmtTime(new Date(start).toISOString()) + " → " + fmtTime(ov.to) + " · max " + max;
  chart.append(lbl);
  return chart;
}

const Views = {
  async overview(root) {
    if (!App.brand) return root.append(el("p", {}, t("no_data")));
    const range = sessionStorage.getItem("vigia.range") || "24h";
    const base = "/api/overview?brand=" + encodeURIComponent(App.brand) + "&range=" + range;
    let r = await api(base);
    if (!r.ok) return root.append(el("p", { class: "error" }, (r.body && r.body.message) || t("unavailable")));
    let ov = r.body, notice = null;
    if (ov.totals.total === 0 && ov.last_activity && Date.parse(ov.last_activity) < Date.parse(ov.from) + 1) {
      const r2 = await api(base + "&until=" + encodeURIComponent(ov.last_activity));
      if (r2.ok) { ov = r2.body; notice = el("p", { class: "notice" }, t("shifted", { t: fmtTime(ov.to) })); }
    }
    const netSel = el("select", { id: "network" }, el("option", { value: "" }, t("all_networks")),
      ov.networks.map((n) => el("option", { value: n.name }, n.name)));
    const rangeSel = el("select", { id: "range" },
      el("option", { value: "24h", selected: range === "24h" }, t("last_24h")),
      el("option", { value: "7d", selected: range === "7d" }, t("last_7d")));
    rangeSel.addEventListener("change", () => { sessionStorage.setItem("vigia.range", rangeSel.value); route(); });
    const chartBox = el("div", {}, timelineChart(ov, ""));
    netSel.addEventListener("change", () => chartBox.replaceChildren(timelineChart(ov, netSel.value)));
    const legend = el("div", { class: "legend" }, LABELS.map((l) => el("span", {}, el("i", { class: "sw " + l.slice(0, 3) }), t(l))));
    const sov = ov.share_of_voice.map((s) => el("div", {}, el("div", {}, s.display_name + " · " + s.count + " · " + pct(s.share)),
      el("div", { class: "bar" }, el("div", { style: "width:" + (100 * s.share).toFixed(1) + "%" }))));
    root.append(
      el("h2", { id: "overview-title" }, ov.display_name),
      el("div", { class: "toolbar" }, rangeSel, netSel),
      notice,
      el("div", { class: "grid" },
        card(t("mentions"), el("div", { class: "kpi", id: "kpi-total" }, ov.totals.total),
          el("div", { class: "muted" }, LABELS.map((l) => t(l) + " " + ov.totals[l]).join(" · "))),
        card(t("negative_share"), el("div", { class: "kpi", id: "kpi-negative" }, pct(ov.negative_share))),
        card(t("share_of_voice"), sov.length ? sov : el("p", { class: "muted" }, t("no_data"))),
        el("section", { class: "card wide" }, el("h3", {}, t("timeline")), legend, chartBox),
        card(t("networks"), counts(ov.networks, ov.totals.total)),
        card(t("categories"), counts(ov.categories, 0)),
        card(t("top_terms"), counts(ov.top_terms, 0)),
        card(t("top_hashtags"), counts(ov.top_hashtags, 0))));
  },

  async stream(root) {
    const f = JSON.parse(sessionStorage.getItem("vigia.filter") || "{}");
    const sentiment = el("select", { id: "f-sentiment" }, el("option", { value: "" }, t("any_sentiment")),
      LABELS.map((l) => el("option", { value: l, selected: f.sentiment === l }, t(l))));
    const category = el("input", { id: "f-category", placeholder: t("category"), value: f.category || "" });
    const q = el("input", { id: "f-q", placeholder: t("search"), value: f.q || "" });
    const apply = el("button", { type: "button" }, t("apply"));
    apply.addEventListener("click", () => {
      sessionStorage.setItem("vigia.filter", JSON.stringify({ sentiment: sentiment.value, category: category.value, q: q.value }));
      route();
    });
    const list = el("div", { id: "mentions" });
    root.append(el("h2", {}, t("stream")), el("div", { class: "toolbar" }, sentiment, category, q, apply), list);
    const params = new URLSearchParams({ limit: "50" });
    if (App.brand) params.set("brand", App.brand);
    for (const k of ["sentiment", "category", "q"]) if (f[k]) params.set(k, f[k]);
    const r = await api("/api/mentions?" + params);
    if (r.ok) list.append(...r.body.items.map(mentionCard));
    const matches = (m) => (!f.sentiment || m.label === f.sentiment) && (!f.category || m.categories.includes(f.category))
      && (!f.q || m.text.toLowerCase().includes(f.q.toLowerCase()));
    onLive((kind, m) => { if (kind === "mention" && matches(m)) list.prepend(mentionCard(m)); });
  },

  async incidents(root, args) {
    if (args[0]) return incidentDetail(root, args[0]);
    const r = await api("/api/incidents?limit=50" + brandQ("&"));
    if (!r.ok) return root.append(el("p", { class: "muted" }, t("unavailable")));
    const list = el("div", { id: "incident-list", class: "grid" });
    root.append(el("h2", {}, t("incidents")), list);
    list.append(...r.body.items.map(incidentCard));
    onLive((kind, inc) => {
      if (kind !== "incident") return;
      const old = document.getElementById("incident-" + inc.id);
      if (old) old.replaceWith(incidentCard(inc)); else list.prepend(incidentCard(inc));
    });
  },

  async tickets(root) {
    const r = await api("/api/tickets?limit=100" + brandQ("&"));
    if (!r.ok) return root.append(el("p", { class: "muted" }, t("unavailable")));
    const rows = r.body.items.map((tk) => el("tr", {},
      el("td", {}, "#" + tk.id), el("td", {}, tk.subject), el("td", {}, tk.category),
      el("td", {}, tk.priority ? el("span", { class: "badge" }, tk.priority) : t("none")),
      el("td", {}, el("a", { href: "#/customers/" + tk.customer_id, class: "customer-link" }, tk.customer_name || t("customer_of", { id: tk.customer_id }))),
      el("td", {}, tk.assignee || t("none")),
      el("td", {}, slaCell(tk)),
      el("td", {}, el("span", { class: "badge " + tk.status }, tk.status)),
      el("td", {}, fmtTime(tk.updated_at))));
    root.append(el("h2", {}, t("tickets")), el("div", { class: "table-wrap card" }, el("table", { id: "tickets" },
      el("thead", {}, el("tr", {}, ["#", t("subject"), t("category"), t("priority"), t("customer"), t("assignee"), t("sla"), t("status"), t("updated")].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))));
    const timer = setInterval(() => {
      if (!document.body.contains(root.firstChild)) return clearInterval(timer);
      for (const c of document.querySelectorAll("[data-due]")) c.textContent = countdown(c.dataset.due);
    }, 1000);
  },

  async customers(root, args) {
    const r = await api("/api/customers/" + encodeURIComponent(args[0] || ""));
    if (!r.ok) return root.append(el("p", { class: "muted" }, t(r.status === 404 ? "not_found" : "unavailable")));
    const c = r.body;
    const trend = sentimentTrend(c.sentiment_trend || c.mentions);
    root.append(el("h2", { id: "customer-name" }, c.name || t("customer_of", { id: c.id })),
      el("div", { class: "grid" },
        card(t("customer"), el("ul", { class: "counts" },
          el("li", {}, el("span", {}, t("tier")), el("b", {}, c.tier || t("none"))),
          el("li", {}, el("span", {}, t("language")), el("b", {}, c.lang || t("none"))),
          el("li", {}, el("span", {}, "email"), el("b", {}, c.email || t("none"))))),
        card(t("identities"), el("ul", { class: "counts", id: "identities" }, (c.identities || []).map((i) => el("li", {}, el("span", {}, i.network), el("b", {}, i.value))))),
        card(t("sentiment_trend"), trend),
        el("section", { class: "card wide" }, el("h3", {}, t("tickets") + " (" + (c.tickets_total ?? c.tickets.length) + ")"),
          el("ul", { class: "counts" }, (c.tickets || []).map((tk) => el("li", {}, el("span", {}, "#" + tk.id + " " + tk.subject), el("b", {}, tk.status))))),
        el("section", { class: "card wide" }, el("h3", {}, t("mentions") + " (" + (c.mentions_total ?? c.mentions.length) + ")"),
          (c.mentions || []).map(mentionCard))));
  },

  async feeds(root) {
    const r = await api("/api/feeds");
    if (!r.ok) return root.append(el("p", { class: "muted" }, t("unavailable")));
    const rows = r.body.items.filter((f) => !App.brand || f.brand === App.brand).map((f) => {
      const silent = !f.last_mention_at || Date.now() - Date.parse(f.last_mention_at) > 24 * 3600e3;
      return el("tr", {}, el("td", {}, f.name), el("td", {}, f.kind),
        el("td", {}, el("span", { class: "badge " + (f.state === "ok" ? "ok" : "open") }, f.state), silent ? el("span", { class: "chip" }, t("silent")) : null),
        el("td", {}, fmtTime(f.last_success_at)), el("td", {}, f.last_error || t("none")),
        el("td", {}, f.consecutive_failures), el("td", {}, f.mentions_last_hour), el("td", {}, fmtTime(f.last_mention_at)));
    });
    root.append(el("h2", {}, t("feeds")), el("div", { class: "table-wrap card" }, el("table", { id: "feeds" },
      el("thead", {}, el("tr", {}, [t("feed"), t("kind"), t("state"), t("last_success"), t("last_error"), t("failures"), t("last_hour"), t("last_mention")].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))));
  }
};

function mentionCard(m) {
  const url = safeUrl(m.url);
  const explain = Array.isArray(m.explanation) ? m.explanation : [];
  return el("article", { class: "mention " + m.label, "data-id": m.id },
    el("div", { class: "muted" }, "@" + m.author_handle + " · " + m.source + " · " + fmtTime(m.created_at) + " · ",
      el("span", { class: "badge " + (m.label === "negative" ? "open" : m.label === "positive" ? "ok" : "") }, t(m.label) + " " + Number(m.sentiment).toFixed(2))),
    el("div", { class: "text" }, m.text),
    el("div", {}, (m.categories || []).map((c) => el("span", { class: "chip" }, c)),
      explain.length ? el("span", { class: "muted" }, t("explained_by") + ": " + explain.map((x) => x.token + " (" + Number(x.valence).toFixed(1) + ")").join(", ")) : null),
    el("div", { class: "muted" }, url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, t("open_original")) : null,
      m.customer_id ? [" · ", el("a", { href: "#/customers/" + m.customer_id, class: "customer-link" }, t("customer_of", { id: m.customer_id }))] : null));
}

function triggerSentence(inc) {
  if (inc.sentence || inc.explanation) return inc.sentence || inc.explanation;
  const tr = inc.trigger || {};
  return t("trigger_" + tr.kind, tr);
}

function incidentCard(inc) {
  const actions = el("div", { class: "actions" });
  const closed = inc.status === "resolved" || inc.status === "auto_closed";
  if (can("incident") && !closed) {
    if (inc.status === "open") actions.append(el("button", { type: "button", class: "ack", onclick: () => act(inc, "ack", actions) }, t("ack")));
    actions.append(el("button", { type: "button", class: "resolve", onclick: () => act(inc, "resolve", actions) }, t("resolve")));
  }
  if (can("incident") && closed) {
    actions.append(el("button", { type: "button", class: "reopen", onclick: () => act(inc, "reopen", actions) }, t("reopen")));
  }
  return el("article", { class: "card incident", id: "incident-" + inc.id, "data-status": inc.status },
    el("div", {},
      el("div", {}, el("b", {}, "#" + inc.id + " " + inc.brand + " "),
        el("span", { class: "badge status " + inc.status }, t(inc.status)), " ",
        inc.severity ? el("span", { class: "badge " + inc.severity }, inc.severity) : null),
      el("p", { class: "sentence" }, triggerSentence(inc)),
      el("div", { class: "muted" }, t("opened") + ": " + fmtTime(inc.opened_at) + " · " + t("mention_count") + ": " + inc.mention_count + " · ",
        el("a", { href: "#/incidents/" + inc.id }, t("details")))),
    actions);
}

/// Acknowledge, resolve or reopen; the new state arrives through the live stream (on every screen).
async function act(inc, what, box) {
  const r = await api("/api/incidents/" + inc.id + "/" + what, { method: "POST", json: {} });
  if (r.ok) {
    if (r.body && r.body.id) document.getElementById("incident-" + inc.id)?.replaceWith(incidentCard(r.body));
    return;
  }
  box.append(el("p", { class: "error" }, t(r.status === 404 || r.status === 405 ? "action_unavailable" : r.status === 403 ? "forbidden" : "unavailable")));
}

async function incidentDetail(root, id) {
  const r = await api("/api/incidents/" + encodeURIComponent(id));
  root.append(el("h2", {}, t("incidents") + " #" + id));
  if (!r.ok) return root.append(el("p", { class: "muted" }, t(r.status === 404 ? "detail_unavailable" : "unavailable")));
  const inc = r.body;
  root.append(incidentCard(inc),
    el("div", { class: "grid" },
      card(t("timeline_inc"), el("ul", { class: "counts" }, (inc.timeline || []).map((e) =>
        el("li", {}, el("span", {}, e.event || e.kind || e.status || ""), el("b", {}, fmtTime(e.at || e.time)))))),
      card(t("top_terms"), el("ul", { class: "counts" }, (inc.top_terms || []).map((x) => el("li", {}, el("span", {}, x.term ?? x.name ?? x), el("b", {}, x.count ?? ""))))),
      el("section", { class: "card wide" }, el("h3", {}, t("samples")), (inc.sample_mentions || inc.mentions || []).map(mentionCard))));
  onLive((kind, x) => { if (kind === "incident" && String(x.id) === String(id)) document.getElementById("incident-" + id)?.replaceWith(incidentCard(x)); });
}

function dueOf(tk) {
  const s = tk.sla || {};
  if (!tk.first_response_at && !s.first_response_at) return s.first_response_due || tk.first_response_due || s.resolution_due || tk.resolution_due;
  return s.resolution_due || tk.resolution_due;
}

function countdown(iso) {
  const ms = Date.parse(iso) - Date.now();
  const m = Math.round(Math.abs(ms) / 60000);
  const d = m >= 1440 ? Math.floor(m / 1440) + "d " + Math.floor((m % 1440) / 60) + "h" : Math.floor(m / 60) + "h " + (m % 60) + "m";
  return t(ms >= 0 ? "due_in" : "overdue", { d });
}

function slaCell(tk) {
  const due = dueOf(tk);
  if (!due) return t("none");
  return el("span", { class: "badge " + (Date.parse(due) < Date.now() ? "breached" : "due_soon"), "data-due": due }, countdown(due));
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
  const W = 300, H = 80, chart = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, style: "height:90px" });
  chart.append(svg("line", { x1: 0, x2: W, y1: H / 2, y2: H / 2, stroke: "#e5e7eb" }));
  const xy = pts.map(([, v], i) => [pts.length === 1 ? W / 2 : (i * W) / (pts.length - 1), H / 2 - v * (H / 2 - 4)]);
  chart.append(svg("polyline", { points: xy.map((p) => p.join(",")).join(" "), fill: "none", stroke: "#14213d", "stroke-width": 2 }));
  for (const [x, y] of xy) chart.append(svg("circle", { cx: x, cy: y, r: 3, fill: "#fca311" }));
  return el("div", {}, chart, el("div", { class: "muted" }, pts[0][0] + " → " + pts[pts.length - 1][0]));
}
