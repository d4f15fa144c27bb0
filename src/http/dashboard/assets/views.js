// Dashboard views: overview, live stream, customer, feeds, and the mention card. Each renders
// into `root` from the JSON API; the incidents and tickets views live in their own files.
"use strict";

function card(title, ...body) { return el("section", { class: "card" }, title ? el("h3", {}, title) : null, ...body); }
function pct(x) { return (100 * x).toFixed(1) + " %"; }
function counts(items, total, name) {
  if (!items.length) return el("p", { class: "muted" }, t("no_data"));
  return el("ul", { class: "counts" }, items.map((i) => el("li", {}, el("span", {}, name ? name(i.name) : i.name), el("b", {}, total ? pct(i.count / total) : i.count))));
}
function brandQ(prefix) { return App.brand ? prefix + "brand=" + encodeURIComponent(App.brand) : ""; }
function labelled(text, control) { return el("label", { class: "field" }, el("span", {}, text), control); }
function categorySelect(id, value, any) {
  const codes = Object.keys(I18N.en.cat).sort((a, b) => tc("cat", a).localeCompare(tc("cat", b), LOCALE()));
  return el("select", { id }, any ? el("option", { value: "" }, t("any_category")) : null,
    codes.map((c) => el("option", { value: c, selected: c === value }, tc("cat", c))));
}
function sentimentSelect(id, value, any) {
  return el("select", { id }, any ? el("option", { value: "" }, t("any_sentiment")) : null,
    LABELS.map((l) => el("option", { value: l, selected: value === l }, t(l))));
}
function delta(now, before) {
  if (!before) return null;
  const d = (100 * (now - before)) / before;
  return el("div", { class: "muted delta" }, t("vs_previous", { d: (d >= 0 ? "+" : "") + d.toFixed(0) + " %" }));
}

const Views = {
  async overview(root) {
    if (!App.brand) return root.append(el("p", {}, t("no_data")));
    const range = sessionStorage.getItem("vigia.range") || "24h";
    const until = sessionStorage.getItem("vigia.until") || "";
    const since = sessionStorage.getItem("vigia.since") || "";
    const compare = sessionStorage.getItem("vigia.compare") === "1";
    const custom = range === "custom";
    const iso = (local) => encodeURIComponent(new Date(local).toISOString());
    // A custom range without a start yet shows the last 24 h until one is picked.
    const q = (from, to) => "/api/overview?brand=" + encodeURIComponent(App.brand) +
      "&range=" + (custom ? "24h" : range) + (from ? "&since=" + from : "") + "&until=" + to;
    const [r, incs] = await Promise.all([
      api(q(custom && since ? iso(since) : "", until ? iso(until) : "event")),
      api("/api/incidents?limit=100&brand=" + encodeURIComponent(App.brand))]);
    if (!r.ok) return root.append(el("p", { class: "error" }, (r.body && r.body.message) || t("unavailable")));
    const ov = r.body;
    // The previous period: the same length, ending where this one starts.
    const before = ov.range === "custom" ? encodeURIComponent(new Date(2 * Date.parse(ov.from) - Date.parse(ov.to)).toISOString()) : "";
    const prev = compare ? await api(q(before, encodeURIComponent(ov.from))) : null;
    const pv = prev && prev.ok ? prev.body : null;
    const netSel = el("select", { id: "network" }, el("option", { value: "" }, t("all_networks")),
      ov.networks.map((n) => el("option", { value: n.name }, tc("kindname", n.name))));
    const rangeSel = el("select", { id: "range" },
      el("option", { value: "24h", selected: range === "24h" }, t("last_24h")),
      el("option", { value: "7d", selected: range === "7d" }, t("last_7d")),
      el("option", { value: "30d", selected: range === "30d" }, t("last_30d")),
      el("option", { value: "custom", selected: custom }, t("custom_range")));
    const untilIn = el("input", { id: "until", type: "datetime-local", value: until });
    const sinceIn = el("input", { id: "since", type: "datetime-local", value: since });
    sinceIn.addEventListener("change", () => { sessionStorage.setItem("vigia.since", sinceIn.value); route(); });
    const cmp = el("input", { id: "compare", type: "checkbox", checked: compare });
    rangeSel.addEventListener("change", () => { sessionStorage.setItem("vigia.range", rangeSel.value); route(); });
    untilIn.addEventListener("change", () => { sessionStorage.setItem("vigia.until", untilIn.value); route(); });
    cmp.addEventListener("change", () => { sessionStorage.setItem("vigia.compare", cmp.checked ? "1" : "0"); route(); });
    const markers = (incs.ok ? incs.body.items : []).map((i) => ({ at: i.opened_at, label: "#" + i.id + " · " + triggerSentence(i) }));
    const draw = () => volumeChart(hourSlots(ov.timeline, ov.from, ov.to, netSel.value),
      { markers, previous: pv ? hourSlots(pv.timeline, pv.from, pv.to, netSel.value) : null });
    const chartBox = el("div", {}, draw());
    netSel.addEventListener("change", () => chartBox.replaceChildren(draw()));
    const legend = el("div", { class: "legend" }, LABELS.map((l) => el("span", {}, el("i", { class: "sw " + l.slice(0, 3) }), t(l))),
      markers.length ? el("span", {}, el("i", { class: "sw mark" }), t("incidents")) : null);
    const sov = ov.share_of_voice.length < 2 ? el("p", { class: "muted", id: "sov-alone" }, t("sov_alone"))
      : ov.share_of_voice.map((s) => el("div", {}, el("div", {}, s.display_name + " · " + fmtNum(s.count) + " · " + pct(s.share)),
        el("div", { class: "bar", role: "img", "aria-label": s.display_name + " " + pct(s.share) }, el("div", { style: "width:" + (100 * s.share).toFixed(1) + "%" }))));
    root.append(
      el("h2", { id: "overview-title" }, ov.display_name),
      el("div", { class: "toolbar" }, labelled(t("range"), rangeSel), custom ? labelled(t("since"), sinceIn) : null, labelled(t("until"), untilIn),
        labelled(t("network"), netSel), el("label", { class: "check" }, cmp, " ", t("compare"))),
      el("p", { class: "muted" }, fmtTime(ov.from) + " → " + fmtTime(ov.to) + " · " + t("time_zone", { tz: TZ })),
      el("div", { class: "grid" },
        card(t("mentions"), el("div", { class: "kpi", id: "kpi-total" }, ov.totals.total),
          el("div", { class: "muted" }, LABELS.map((l) => t(l) + " " + ov.totals[l]).join(" · ")), pv ? delta(ov.totals.total, pv.totals.total) : null),
        card(t("negative_share"), el("div", { class: "kpi", id: "kpi-negative" }, pct(ov.negative_share)),
          pv ? el("div", { class: "muted delta" }, t("previous_period") + ": " + pct(pv.negative_share)) : null),
        card(t("share_of_voice"), sov),
        el("section", { class: "card wide" }, el("h3", {}, t("timeline")), legend, chartBox),
        card(t("networks"), counts(ov.networks, ov.totals.total, (n) => tc("kindname", n))),
        card(t("categories"), counts(ov.categories, 0, (c) => tc("cat", c))),
        card(t("top_terms"), counts(ov.top_terms, 0)),
        card(t("top_hashtags"), counts(ov.top_hashtags, 0))));
  },

  async stream(root) {
    const f = JSON.parse(sessionStorage.getItem("vigia.filter") || "{}");
    const sentiment = sentimentSelect("f-sentiment", f.sentiment, true);
    const category = categorySelect("f-category", f.category, true);
    const q = el("input", { id: "f-q", type: "search", value: f.q || "" });
    const apply = el("button", { type: "submit", id: "f-apply" }, t("apply"));
    const form = el("form", { class: "toolbar" }, labelled(t("sentiment"), sentiment), labelled(t("category"), category),
      labelled(t("search"), q), apply);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      sessionStorage.setItem("vigia.filter", JSON.stringify({ sentiment: sentiment.value, category: category.value, q: q.value }));
      route();
    });
    const list = el("div", { id: "mentions", "aria-live": "off" });
    const feed = mentionFeed(list, f);
    root.append(el("h2", {}, t("stream")), form, feed.bar, list, feed.more);
    await feed.load();
    onLive((kind, m) => { if (kind === "mention") feed.push(m); });
  },

  async customers(root, args) {
    const r = await api("/api/customers/" + encodeURIComponent(args[0] || ""));
    if (!r.ok) return root.append(el("p", { class: "muted" }, t(r.status === 404 ? "not_found" : "unavailable")));
    const c = r.body;
    const authors = new Map();
    for (const m of c.mentions || []) if (!authors.has(m.author_handle)) authors.set(m.author_handle, m);
    root.append(el("h2", { id: "customer-name" }, c.name || t("customer_of", { id: c.id })),
      el("div", { class: "grid" },
        card(t("customer"), el("ul", { class: "counts" },
          el("li", {}, el("span", {}, t("tier")), el("b", {}, tc("field", c.tier))),
          el("li", {}, el("span", {}, t("language")), el("b", {}, tc("field", c.lang))),
          el("li", {}, el("span", {}, tc("field", "email")), el("b", {}, c.email || t("none"))),
          el("li", {}, el("span", {}, tc("field", "phone")), el("b", {}, c.phone || t("none"))))),
        card(t("identities"), el("ul", { class: "counts", id: "identities" }, (c.identities || []).map((i) => {
          const m = authors.get(String(i.value || "").replace(/^@/, ""));
          return el("li", {}, el("span", {}, tc("field", i.network) + " · " + i.value),
            el("b", {}, m && m.author_followers !== null ? fmtNum(m.author_followers) + " " + t("followers") : ""));
        }))),
        card(t("sentiment_trend"), sentimentTrend(c.sentiment_trend || c.mentions)),
        el("section", { class: "card wide" }, el("h3", {}, t("tickets_of", { n: c.tickets_total ?? c.tickets.length })),
          (c.tickets || []).length ? el("ul", { class: "counts", id: "customer-tickets" }, c.tickets.map((tk) => el("li", {},
            el("a", { href: "#/tickets/" + tk.id }, "#" + tk.id + " " + tk.subject), el("b", {}, tc("tk", tk.status)))))
            : el("p", { class: "muted" }, t("no_tickets"))),
        el("section", { class: "card wide" }, el("h3", {}, t("mentions_of", { n: c.mentions_total ?? c.mentions.length })),
          (c.mentions || []).map((m) => mentionCard(m)))));
  },

  async feeds(root) {
    const box = el("div", { class: "table-wrap card" });
    root.append(el("h2", {}, t("feeds")), box);
    const load = async () => {
      const r = await api("/api/feeds");
      if (!r.ok) return box.replaceChildren(el("p", { class: "muted" }, t("unavailable")));
      const items = r.body.items.filter((f) => !App.brand || f.brand === App.brand);
      if (!items.length) return box.replaceChildren(el("p", { class: "muted" }, t("no_feeds")));
      const rows = items.map((f) => {
        const silent = !f.last_mention_at || Date.now() - Date.parse(f.last_mention_at) > 24 * 3600e3;
        return el("tr", { "data-feed": f.name }, el("td", {}, f.name), el("td", {}, tc("kindname", f.kind)),
          el("td", {}, el("span", { class: "badge " + (f.state === "ok" ? "ok" : "open") }, tc("feedstate", f.state)), silent ? el("span", { class: "chip" }, t("silent")) : null),
          el("td", {}, fmtTime(f.last_success_at)), el("td", {}, f.last_error || t("none")),
          el("td", {}, f.consecutive_failures), el("td", { class: "last-hour" }, f.mentions_last_hour), el("td", {}, fmtTime(f.last_mention_at)));
      });
      box.replaceChildren(el("table", { id: "feeds" },
        el("thead", {}, el("tr", {}, [t("feed"), t("kind"), t("state"), t("last_success"), t("last_error"), t("failures"), t("last_hour"), t("last_mention")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows)));
    };
    await load();
    let pending = false;
    onLive((kind) => {
      if (kind !== "mention" || pending) return;
      pending = true;
      setTimeout(() => { pending = false; if (document.getElementById("feeds")) load(); }, 3000);
    });
    every(15000, load);
  }
};

/// The live list: newest first, capped; new mentions wait in an "N new" button while paused or
/// scrolled down; "load more" pages back through older ones.
function mentionFeed(list, f) {
  const CAP = 200, PAGE = 50;
  let paused = false, offset = 0, cap = CAP;
  const waiting = [];
  const muted = new Set(JSON.parse(localStorage.getItem("vigia.muted") || "[]"));
  const newBtn = el("button", { type: "button", id: "new-mentions", class: "new", hidden: true });
  const pauseBtn = el("button", { type: "button", id: "pause", "aria-pressed": "false" }, t("pause"));
  const note = el("span", { class: "muted", id: "paused-note", hidden: true }, t("paused_note"));
  const more = el("button", { type: "button", id: "load-more", class: "more" }, t("load_more"));
  const empty = el("p", { class: "muted", id: "no-results", hidden: true }, t("no_results"));
  const params = () => {
    const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (App.brand) p.set("brand", App.brand);
    for (const [k, v] of [["sentiment", f.sentiment], ["category", f.category], ["q", f.q]]) if (v) p.set(k, v);
    return p;
  };
  const matches = (m) => (!f.sentiment || m.label === f.sentiment) && (!f.category || (m.categories || []).includes(f.category))
    && (!f.q || m.text.toLowerCase().includes(f.q.toLowerCase())) && !muted.has(m.source + ":" + m.author_handle);
  let scheduled = false;
  const flush = () => {
    // Only the newest `cap` of a burst become cards; older ones stay reachable by "load more".
    const cards = waiting.splice(0).slice(-cap).reverse().map((m) => mentionCard(m, { muted }));
    list.prepend(...cards);
    while (list.children.length > cap) list.lastChild.remove();
    newBtn.hidden = true; empty.hidden = list.children.length > 0;
  };
  const showWaiting = () => { newBtn.hidden = !waiting.length; newBtn.textContent = t("new_mentions", { n: waiting.length }); };
  newBtn.addEventListener("click", flush);
  pauseBtn.addEventListener("click", () => {
    paused = !paused;
    pauseBtn.textContent = t(paused ? "resume" : "pause");
    pauseBtn.setAttribute("aria-pressed", String(paused));
    note.hidden = !paused;
    if (!paused && window.scrollY < 200) flush();
  });
  more.addEventListener("click", async () => {
    const r = await api("/api/mentions?" + params());
    if (!r.ok) return;
    const have = new Set([...list.children].map((c) => c.dataset.id));
    const fresh = r.body.items.filter((m) => !have.has(String(m.id)) && matches(m));
    list.append(...fresh.map((m) => mentionCard(m, { muted })));
    offset += r.body.items.length; cap += PAGE;
    more.hidden = offset >= r.body.total;
  });
  list.after(empty);
  return {
    bar: el("div", { class: "toolbar live-bar" }, pauseBtn, note, newBtn),
    more,
    async load() {
      const r = await api("/api/mentions?" + params());
      if (!r.ok) return;
      const items = r.body.items.filter((m) => !muted.has(m.source + ":" + m.author_handle));
      list.append(...items.map((m) => mentionCard(m, { muted })));
      offset = r.body.items.length;
      more.hidden = offset >= r.body.total;
      empty.hidden = items.length > 0;
    },
    push(m) {
      if (!matches(m)) return;
      offset += 1;
      waiting.push(m);
      if (scheduled) return;
      // A burst (hundreds per second in a crisis) is drawn once, a quarter second later.
      scheduled = true;
      setTimeout(() => { scheduled = false; if (!paused && window.scrollY < 200) flush(); else showWaiting(); }, 250);
    }
  };
}

function mentionCard(m, ctx) {
  const url = safeUrl(m.url);
  const explain = Array.isArray(m.explanation) ? m.explanation : [];
  const actions = el("div", { class: "mention-actions" });
  const who = el("span", { class: "author" }, "@" + m.author_handle, m.author_name ? " (" + m.author_name + ")" : "",
    m.author_followers !== null && m.author_followers !== undefined ? " · " + fmtNum(m.author_followers) + " " + t("followers") : "");
  const art = el("article", { class: "mention " + m.label, "data-id": m.id },
    el("div", { class: "muted" }, who, " · " + tc("kindname", m.source) + " · " + fmtTime(m.created_at) + " · ",
      el("span", { class: "badge " + (m.label === "negative" ? "open" : m.label === "positive" ? "ok" : "") }, t(m.label) + " " + Number(m.sentiment).toFixed(2))),
    el("div", { class: "text" }, m.text),
    el("div", {}, (m.categories || []).map((c) => el("span", { class: "chip", "data-code": c }, tc("cat", c))),
      explain.length ? el("span", { class: "muted" }, t("explained_by") + ": " + explain.map((x) => x.token + " (" + Number(x.valence).toFixed(1) + ")").join(", ")) : null),
    el("div", { class: "muted" }, url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, t("open_original")) : null,
      m.customer_id ? [" · ", el("a", { href: "#/customers/" + m.customer_id, class: "customer-link" }, m.customer_name || t("customer"))] : null,
      m.customer_id ? [" · ", el("a", { href: "#/tickets?customer=" + m.customer_id, class: "ticket-link" }, t("customer_tickets"))] : null),
    actions);
  actions.append(el("button", { type: "button", class: "link", onclick: () => correctForm(m, actions) }, t("correct")));
  if (can("ticket")) actions.append(el("button", { type: "button", class: "link open-ticket", onclick: async (e) => {
      const b = e.currentTarget;
      b.disabled = true;
      const r = await api("/api/mentions/" + m.id + "/ticket", { method: "POST", json: {} });
      if (r.ok) { location.hash = "#/tickets/" + r.body.id; return; }
      b.disabled = false;
      actions.append(el("span", { class: "muted", role: "status" }, failure(r)));
    } }, t("open_ticket")));
  if (ctx && ctx.muted) actions.append(el("button", { type: "button", class: "link mute", onclick: () => {
      ctx.muted.add(m.source + ":" + m.author_handle);
      localStorage.setItem("vigia.muted", JSON.stringify([...ctx.muted]));
      for (const c of document.querySelectorAll("#mentions .mention")) if (c.dataset.author === m.source + ":" + m.author_handle) c.remove();
    } }, t("mute")));
  art.dataset.author = m.source + ":" + m.author_handle;
  return art;
}

/// Correct a mention's sentiment or category: recorded as feedback (exportable) by the API.
function correctForm(m, box) {
  if (box.querySelector("form")) return;
  const s = sentimentSelect("", m.label, false), c = categorySelect("", (m.categories || [])[0], true);
  const msg = el("span", { class: "muted", role: "status" });
  const form = el("form", { class: "inline" }, labelled(t("sentiment"), s), labelled(t("category"), c),
    el("button", { type: "submit" }, t("send")), msg);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const json = {};
    if (s.value !== m.label) json.sentiment = s.value;
    if (c.value && !(m.categories || []).includes(c.value)) json.category = c.value;
    if (!Object.keys(json).length) return;
    const r = await api("/api/mentions/" + m.id + "/feedback", { method: "POST", json });
    msg.textContent = r.ok ? t("feedback_saved") : failure(r);
  });
  box.append(form);
}
