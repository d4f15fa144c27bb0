// Tickets: the queue (my queue, filters, sorting, live refresh) and one ticket worked from the
// dashboard (conversation, reply, assign, status, SLA, priority factors). SLA countdowns use
// the server's "now" on the brand's event time line (`sla.now`), never the browser's clock
// alone, so a replayed week does not read "overdue by 270 days".
"use strict";

const PRIO_RANK = { urgent: 0, high: 1, normal: 2, low: 3 };
const TK_STATUSES = ["new", "open", "pending", "solved", "closed"];

/// Milliseconds to add to Date.now() to get the server's event-time now for this ticket.
function skewOf(tk) { const n = tk.sla && tk.sla.now; return n ? Date.parse(n) - Date.now() : 0; }

function dueOf(tk) {
  const s = tk.sla || {};
  if (tk.status === "solved" || tk.status === "closed") return null;
  if (!tk.first_response_at && !s.first_response_at) return s.first_response_due || tk.first_response_due || s.resolution_due || tk.resolution_due;
  return s.resolution_due || tk.resolution_due;
}

function countdown(iso, skew) {
  const ms = Date.parse(iso) - (Date.now() + skew);
  const m = Math.round(Math.abs(ms) / 60000);
  const d = m >= 1440 ? Math.floor(m / 1440) + "d " + Math.floor((m % 1440) / 60) + "h" : Math.floor(m / 60) + "h " + (m % 60) + "m";
  return t(ms >= 0 ? "due_in" : "overdue", { d });
}

function slaCell(tk) {
  if (tk.status === "solved" || tk.status === "closed") return el("span", { class: "badge ok" }, t("sla_met"));
  if (tk.pending_since || (tk.sla && tk.sla.paused_since)) return el("span", { class: "badge" }, t("sla_paused"));
  const due = dueOf(tk);
  if (!due) return t("none");
  const skew = skewOf(tk);
  const late = Date.parse(due) < Date.now() + skew;
  return el("span", { class: "badge sla " + (late ? "breached" : "due_soon"), "data-due": due, "data-skew": skew }, countdown(due, skew));
}

function tickSla() { for (const c of document.querySelectorAll("[data-due]")) c.textContent = countdown(c.dataset.due, Number(c.dataset.skew || 0)); }

Views.tickets = async function (root, args, query) {
  if (args[0]) return ticketPage(root, args[0]);
  const f = Object.assign({ mine: "", status: "", priority: "", category: "", sort: "priority" },
    JSON.parse(sessionStorage.getItem("vigia.tickets") || "{}"));
  const customer = query.get("customer");
  const save = () => { sessionStorage.setItem("vigia.tickets", JSON.stringify(f)); load(); };
  const mine = el("button", { type: "button", id: "my-queue", "aria-pressed": String(!!f.mine) }, t("my_queue"));
  mine.addEventListener("click", () => { f.mine = f.mine ? "" : "1"; mine.setAttribute("aria-pressed", String(!!f.mine)); save(); });
  const status = el("select", { id: "t-status" }, el("option", { value: "" }, t("any_status")),
    TK_STATUSES.map((s) => el("option", { value: s, selected: f.status === s }, tc("tk", s))));
  const prio = el("select", { id: "t-priority" }, el("option", { value: "" }, t("any_priority")),
    Object.keys(PRIO_RANK).map((p) => el("option", { value: p, selected: f.priority === p }, tc("prio", p))));
  const cat = categorySelect("t-category", f.category, true);
  const sort = el("select", { id: "t-sort" }, [["priority", t("priority")], ["sla", t("sla")], ["updated", t("updated")], ["opened", t("opened")]]
    .map(([v, l]) => el("option", { value: v, selected: f.sort === v }, l)));
  for (const [k, s] of [["status", status], ["priority", prio], ["category", cat], ["sort", sort]]) s.addEventListener("change", () => { f[k] = s.value; save(); });
  const box = el("div", { class: "table-wrap card" }, el("p", { class: "muted" }, t("loading")));
  root.append(el("h2", {}, t("tickets")), el("div", { class: "toolbar" }, mine, labelled(t("status"), status),
    labelled(t("priority"), prio), labelled(t("category"), cat), labelled(t("sort_by"), sort)), box);
  async function load() {
    const p = new URLSearchParams({ limit: "200" });
    if (App.brand) p.set("brand", App.brand);
    if (customer) p.set("customer", customer);
    if (f.mine) p.set("assignee", App.me.username);
    for (const k of ["status", "priority", "category"]) if (f[k]) p.set(k, f[k]);
    const r = await api("/api/tickets?" + p);
    if (!r.ok) return box.replaceChildren(el("p", { class: "muted" }, t("unavailable")));
    box.replaceChildren(ticketTable(sortTickets(r.body.items, f.sort)));
  }
  await load();
  every(1000, tickSla);
  every(20000, load);
  let pending = false;
  onLive((kind) => {
    if (pending || (kind !== "mention" && kind !== "incident")) return;
    pending = true;
    setTimeout(() => { pending = false; if (document.getElementById("tickets")) load(); }, 3000);
  });
};

function sortTickets(items, by) {
  const due = (tk) => { const d = dueOf(tk); return d ? Date.parse(d) : Infinity; };
  const cmp = {
    priority: (a, b) => (PRIO_RANK[a.priority] ?? 9) - (PRIO_RANK[b.priority] ?? 9) || due(a) - due(b),
    sla: (a, b) => due(a) - due(b),
    updated: (a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at),
    opened: (a, b) => Date.parse(b.opened_at) - Date.parse(a.opened_at)
  }[by] || (() => 0);
  return [...items].sort(cmp);
}

function ticketTable(items) {
  if (!items.length) return el("p", { class: "muted", id: "no-tickets" }, t("no_results"));
  const rows = items.map((tk) => el("tr", { "data-id": tk.id },
    el("td", {}, el("a", { href: "#/tickets/" + tk.id, class: "ticket-open" }, "#" + tk.id)),
    el("td", {}, el("a", { href: "#/tickets/" + tk.id }, tk.subject)), el("td", {}, tc("cat", tk.category)),
    el("td", {}, el("span", { class: "badge prio-" + tk.priority }, tc("prio", tk.priority))),
    el("td", {}, el("a", { href: "#/customers/" + tk.customer_id, class: "customer-link" }, tk.customer_name || t("customer_of", { id: tk.customer_id }))),
    el("td", {}, tk.assignee || t("none")),
    el("td", {}, slaCell(tk)),
    el("td", {}, el("span", { class: "badge " + tk.status }, tc("tk", tk.status))),
    el("td", {}, fmtTime(tk.updated_at))));
  return el("table", { id: "tickets" },
    el("thead", {}, el("tr", {}, ["#", t("subject"), t("category"), t("priority"), t("customer"), t("assignee"), t("sla"), t("status"), t("updated")].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
}

async function ticketPage(root, id) {
  const r = await api("/api/tickets/" + encodeURIComponent(id));
  if (!r.ok) return root.append(el("h2", {}, t("ticket") + " #" + id), el("p", { class: "muted" }, t(r.status === 404 ? "not_found" : "unavailable")));
  renderTicket(root, r.body);
  every(1000, tickSla);
}

function renderTicket(root, tk) {
  const msg = el("p", { class: "muted", role: "status", id: "ticket-msg" });
  const post = async (what, json) => {
    const r = await api("/api/tickets/" + tk.id + "/" + what, { method: "POST", json });
    if (!r.ok) { msg.textContent = failure(r); return false; }
    root.replaceChildren(); renderTicket(root, r.body);
    document.getElementById("ticket-msg").textContent = t("sent");
    return true;
  };
  const c = tk.customer || {};
  root.append(
    el("h2", { id: "ticket-title" }, t("ticket") + " #" + tk.id + " · " + tk.subject),
    el("div", { class: "toolbar" },
      el("span", { class: "badge " + tk.status, id: "ticket-status" }, tc("tk", tk.status)),
      el("span", { class: "badge prio-" + tk.priority }, t("priority") + ": " + tc("prio", tk.priority)),
      el("span", { class: "chip" }, tc("cat", tk.category)), slaCell(tk),
      el("a", { href: "#/customers/" + tk.customer_id, class: "customer-link" }, c.name || tk.customer_name || t("customer_of", { id: tk.customer_id }))),
    msg,
    el("div", { class: "grid ticket" },
      el("section", { class: "card wide" }, el("h3", {}, t("conversation")), conversation(tk), can("ticket") ? replyForm(tk, post) : null),
      can("ticket") ? workCard(tk, post) : null,
      slaCard(tk), factorsCard(tk)));
}

/// Mentions of the customer and agents' replies, oldest first.
function conversation(tk) {
  const items = [...(tk.mentions || []).map((m) => ({ at: m.created_at, node: mentionCard(m) })),
    ...(tk.replies || []).map((rp) => ({ at: rp.created_at, node: el("article", { class: "reply" },
      el("div", { class: "muted" }, t("agent") + " " + rp.author + " · " + fmtTime(rp.created_at)), el("div", { class: "text" }, rp.body)) }))];
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return el("div", { id: "conversation" }, items.map((i) => i.node));
}

function replyForm(tk, post) {
  const body = el("textarea", { id: "reply-body", rows: 3, maxlength: 10000, placeholder: t("reply_placeholder") });
  const form = el("form", { class: "reply-form" }, labelled(t("reply"), body), el("button", { type: "submit", id: "reply-send" }, t("send")));
  form.addEventListener("submit", (e) => { e.preventDefault(); if (body.value.trim()) post("reply", { body: body.value }); });
  return form;
}

function workCard(tk, post) {
  const who = el("input", { id: "assignee", value: tk.assignee || "", maxlength: 100 });
  const assign = el("form", { class: "inline" }, labelled(t("assignee"), who), el("button", { type: "submit" }, t("assign")));
  assign.addEventListener("submit", (e) => { e.preventDefault(); post("assign", { assignee: who.value.trim() || null }); });
  const next = TK_STATUSES.filter((s) => canMove(tk.status, s));
  const status = el("select", { id: "status-select" }, next.map((s) => el("option", { value: s }, tc("tk", s))));
  const sform = el("form", { class: "inline" }, labelled(t("set_status"), status), el("button", { type: "submit", id: "status-apply", disabled: !next.length }, t("apply")));
  sform.addEventListener("submit", (e) => { e.preventDefault(); if (status.value) post("status", { status: status.value }); });
  return card(t("assignee"),
    el("p", {}, el("b", { id: "ticket-assignee" }, tk.assignee || t("none")), tk.team ? " · " + t("team") + ": " + tk.team : ""),
    el("button", { type: "button", id: "assign-me", onclick: () => post("assign", { assignee: App.me.username }) }, t("assign_me")),
    assign, sform);
}

/// Mirrors TicketStatus::can_move_to on the server.
function canMove(from, to) {
  const rank = (s) => TK_STATUSES.indexOf(s);
  if (from === to || from === "closed" || to === "new") return false;
  if (from === "solved" && to === "open") return true;
  if (from === "solved" && to === "pending") return false;
  if (from === "pending" && to === "open") return true;
  return rank(to) > rank(from);
}

function slaCard(tk) {
  const s = tk.sla || {};
  const row = (label, due, done) => el("li", {}, el("span", {}, label),
    el("b", {}, done ? t("sla_met") + " · " + fmtTime(done) : due ? fmtTime(due) : t("none")));
  return card(t("sla"), el("ul", { class: "counts" },
    row(t("first_response"), s.first_response_due || tk.first_response_due, s.first_response_at || tk.first_response_at),
    row(t("resolution"), s.resolution_due || tk.resolution_due, s.solved_at || tk.solved_at)));
}

function factorsCard(tk) {
  let pf = tk.priority_factors;
  if (typeof pf === "string") { try { pf = JSON.parse(pf); } catch (_) { pf = null; } }
  const list = Array.isArray(pf) ? pf : (pf && pf.factors) || [];
  if (!list.length) return card(t("priority_factors"), el("p", { class: "muted" }, t("no_data")));
  return card(t("priority_factors"), el("ul", { class: "counts", id: "priority-factors" }, list.map((x) =>
    el("li", {}, el("span", {}, tc("factor", x.factor || x.name)),
      el("b", {}, t("value") + " " + Number(x.value).toFixed(2) + " × " + t("weight") + " " + Number(x.weight).toFixed(2) +
        " = " + Number(x.points ?? x.value * x.weight).toFixed(2))))),
    pf && typeof pf.score === "number" ? el("p", { class: "muted" }, t("total") + ": " + pf.score.toFixed(2) + " → " + tc("prio", pf.level || tk.priority)) : null);
}
