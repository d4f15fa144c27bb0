// Incidents: the list, and the war room of one incident (volume with the incident span, all
// its mentions paginated and filterable, top authors by reach, owner, notes, who-did-what
// history, acknowledge / resolve with a note and confirmation / reopen), updated live.
"use strict";

function triggerSentence(inc) {
  if (inc.sentence || inc.explanation) return inc.sentence || inc.explanation;
  const tr = Object.assign({}, inc.trigger || {});
  if (tr.category) tr.category = tc("cat", tr.category);
  return t("trigger_" + tr.kind, tr);
}

Views.incidents = async function (root, args) {
  if (args[0]) return warRoom(root, args[0]);
  const r = await api("/api/incidents?limit=50" + brandQ("&"));
  if (!r.ok) return root.append(el("p", { class: "muted" }, t("unavailable")));
  const list = el("div", { id: "incident-list", class: "grid" });
  const empty = el("p", { class: "muted", id: "no-incidents", hidden: r.body.items.length > 0 }, t("no_incidents"));
  root.append(el("h2", {}, t("incidents")), empty, list);
  list.append(...r.body.items.map((i) => incidentCard(i)));
  onLive((kind, inc) => {
    if (kind !== "incident" || (App.brand && inc.brand !== App.brand)) return;
    empty.hidden = true;
    const old = document.getElementById("incident-" + inc.id);
    if (old) old.replaceWith(incidentCard(inc)); else list.prepend(incidentCard(inc));
  });
};

function incidentCard(inc, onChange) {
  const actions = el("div", { class: "actions" });
  if (can("incident")) {
    if (inc.status === "open") actions.append(el("button", { type: "button", class: "ack", onclick: () => act(inc, "ack", actions, {}, onChange) }, t("ack")));
    const closed = inc.status === "resolved" || inc.status === "auto_closed";
    if (!closed) actions.append(el("button", { type: "button", class: "resolve", onclick: () => resolveDialog(inc, actions, onChange) }, t("resolve")));
    else actions.append(el("button", { type: "button", class: "reopen", onclick: () => act(inc, "reopen", actions, {}, onChange) }, t("reopen")));
  }
  const who = inc.acknowledged_by ? " · " + tc("inc", "acknowledged") + " " + t("by", { who: inc.acknowledged_by }) : "";
  return el("article", { class: "card incident", id: "incident-" + inc.id, "data-status": inc.status },
    el("div", {},
      el("div", {}, el("b", {}, "#" + inc.id + " " + brandName(inc.brand) + " "),
        el("span", { class: "badge status " + inc.status }, tc("inc", inc.status)), " ",
        inc.severity ? el("span", { class: "badge " + inc.severity }, tc("sev", inc.severity)) : null),
      el("p", { class: "sentence" }, triggerSentence(inc)),
      el("div", { class: "muted" }, t("opened") + ": " + fmtTime(inc.opened_at) + " · ",
        el("a", { href: "#/incidents/" + inc.id + "?m=1", class: "mention-count" }, t("mention_count") + ": " + fmtNum(inc.mention_count)), who, " · ",
        el("a", { href: "#/incidents/" + inc.id, class: "details" }, t("details")))),
    actions);
}

/// Resolving asks for a note and a confirmation.
function resolveDialog(inc, box, onChange) {
  if (box.querySelector("form")) return;
  const note = el("textarea", { id: "resolve-note", required: true, rows: 2, maxlength: 1000, placeholder: t("note_placeholder") });
  const form = el("form", { class: "resolve-form" }, labelled(t("resolve_note"), note),
    el("p", { class: "muted" }, t("confirm_resolve", { id: inc.id })),
    el("button", { type: "submit", class: "confirm" }, t("confirm")), " ",
    el("button", { type: "button", onclick: () => form.remove() }, t("cancel")));
  form.addEventListener("submit", (e) => { e.preventDefault(); if (note.value.trim()) act(inc, "resolve", box, { note: note.value.trim() }, onChange); });
  box.append(form);
  note.focus();
}

/// Acknowledge, resolve or reopen; other browsers learn it through the live stream.
async function act(inc, what, box, json, onChange) {
  const r = await api("/api/incidents/" + inc.id + "/" + what, { method: "POST", json });
  if (r.ok) {
    const fresh = r.body && r.body.id ? r.body : inc;
    trackIncident(fresh, false);
    document.getElementById("incident-" + inc.id)?.replaceWith(incidentCard(fresh, onChange));
    if (onChange) onChange();
    return;
  }
  box.append(el("p", { class: "error" }, failure(r)));
}

async function warRoom(root, id) {
  const [r, room] = await Promise.all([api("/api/incidents/" + encodeURIComponent(id)), api("/api/incidents/" + encodeURIComponent(id) + "/room")]);
  root.append(el("h2", {}, t("incidents") + " #" + id));
  if (!r.ok) return root.append(el("p", { class: "muted" }, t(r.status === 404 ? "not_found" : "unavailable")));
  const inc = r.body, rm = room.ok ? room.body : null;
  const refresh = () => route();
  const side = el("div", { class: "grid" },
    ownerCard(inc, rm), historyCard(inc),
    card(t("top_authors"), authorsList(rm)),
    card(t("top_terms"), el("ul", { class: "counts" }, (inc.top_terms || []).map((x) => el("li", {}, el("span", {}, x.term), el("b", {}, x.count))))),
    inc.tickets && inc.tickets.length ? card(t("linked_tickets"), el("ul", { class: "counts" }, inc.tickets.map((tk) =>
      el("li", {}, el("a", { href: "#/tickets/" + tk.id }, "#" + tk.id + " " + (tk.subject || "")), el("b", {}, tc("tk", tk.status))))),
      inc.tickets_more ? el("p", { class: "muted" }, t("linked_tickets_more", { n: inc.tickets.length })) : null) : null);
  const chart = rm ? volumeChart(hourSlots(rm.volume, rm.from, rm.to, ""), { title: t("volume_inc"),
    span: { from: inc.first_mention_at || inc.opened_at, to: inc.resolved_at } }) : el("p", { class: "muted" }, t("unavailable"));
  const mentionsBox = el("section", { class: "card wide", id: "incident-mentions" });
  root.append(incidentCard(inc, refresh), el("section", { class: "card wide" }, el("h3", {}, t("volume_inc")), chart), side, mentionsBox);
  incidentMentions(mentionsBox, inc);
  if (new URLSearchParams(location.hash.split("?")[1] || "").get("m")) mentionsBox.scrollIntoView();
  onLive(async (kind, x) => {
    if (kind !== "incident" || String(x.id) !== String(id)) return;
    document.getElementById("incident-" + id)?.replaceWith(incidentCard(x, refresh));
    const [fresh, room] = await Promise.all([api("/api/incidents/" + encodeURIComponent(id)),
      api("/api/incidents/" + encodeURIComponent(id) + "/room")]);
    if (fresh.ok) document.getElementById("incident-history")?.closest("section")?.replaceWith(historyCard(fresh.body));
    // Another person's owner change or note (the history above shows the note).
    const owner = document.getElementById("incident-owner");
    if (room.ok && owner) owner.textContent = room.body.owner || t("none");
  });
}

function authorsList(rm) {
  if (!rm || !rm.authors.length) return el("p", { class: "muted" }, t("no_data"));
  return el("ol", { class: "counts", id: "top-authors" }, rm.authors.map((a) => el("li", {},
    el("span", {}, a.customer_id ? el("a", { href: "#/customers/" + a.customer_id }, "@" + a.handle) : "@" + a.handle,
      a.name ? " (" + a.name + ")" : "", " · " + tc("kindname", a.source) + " · " + a.mentions + " " + t("mentions").toLowerCase()),
    el("b", {}, a.followers === null ? t("none") : fmtNum(a.followers) + " " + t("followers")))));
}

function ownerCard(inc, rm) {
  const owner = el("b", { id: "incident-owner" }, (rm && rm.owner) || t("none"));
  const box = el("section", { class: "card" }, el("h3", {}, t("owner")), owner);
  if (!can("incident")) return box;
  const input = el("input", { id: "owner-input", value: (rm && rm.owner) || "", maxlength: 100 });
  const msg = el("p", { class: "muted", role: "status" });
  const set = async (who) => {
    const r = await api("/api/incidents/" + inc.id + "/owner", { method: "POST", json: { owner: who } });
    if (r.ok) route(); else msg.textContent = failure(r);
  };
  const form = el("form", { class: "inline" }, labelled(t("owner"), input), el("button", { type: "submit" }, t("set_owner")), " ",
    el("button", { type: "button", id: "take-owner", onclick: () => set(App.me.username) }, t("take_owner")));
  form.addEventListener("submit", (e) => { e.preventDefault(); set(input.value); });
  const note = el("textarea", { id: "note-input", rows: 2, maxlength: 1000, placeholder: t("note_placeholder") });
  const nform = el("form", {}, labelled(t("note"), note), el("button", { type: "submit", id: "add-note" }, t("add_note")));
  nform.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!note.value.trim()) return;
    const r = await api("/api/incidents/" + inc.id + "/notes", { method: "POST", json: { text: note.value } });
    if (r.ok) route(); else msg.textContent = failure(r);
  });
  box.append(form, nform, msg);
  return box;
}

function historyCard(inc) {
  const items = (inc.timeline || []).map((e) => {
    const d = e.detail || {};
    const extra = d.note ? ": «" + d.note + "»" : e.kind === "owner_set" ? ": " + (d.owner || t("none"))
      : d.superseded_by ? ": " + t("superseded_by", { id: d.superseded_by }) : d.severity ? ": " + tc("sev", d.severity) : "";
    const beside = Array.isArray(d.beside) && d.beside.length
      ? " · " + t("beside", { ids: d.beside.map((id) => "#" + id).join(", ") }) : "";
    return el("li", { "data-kind": e.kind }, el("span", {}, el("b", {}, tc("ev", e.kind)), e.actor ? " " + t("by", { who: e.actor }) : "", extra, beside),
      el("time", { datetime: e.at }, fmtTime(e.at)));
  });
  return el("section", { class: "card" }, el("h3", {}, t("timeline_inc")), el("ul", { class: "counts timeline", id: "incident-history" }, items));
}

/// All the incident's mentions, 25 per page, by sentiment, category and text.
function incidentMentions(box, inc) {
  const f = { sentiment: "", category: "", q: "", offset: 0 };
  const s = sentimentSelect("im-sentiment", "", true), c = categorySelect("im-category", "", true);
  const q = el("input", { id: "im-q", type: "search" });
  const list = el("div", { id: "incident-mention-list" });
  const pager = el("div", { class: "toolbar pager" });
  const load = async () => {
    const p = new URLSearchParams({ limit: "25", offset: String(f.offset) });
    for (const k of ["sentiment", "category", "q"]) if (f[k]) p.set(k, f[k]);
    const r = await api("/api/incidents/" + inc.id + "/mentions?" + p);
    if (!r.ok) return list.replaceChildren(el("p", { class: "muted" }, failure(r)));
    const { items, total } = r.body;
    list.replaceChildren(...(items.length ? items.map((m) => mentionCard(m)) : [el("p", { class: "muted" }, t("no_results"))]));
    pager.replaceChildren(
      el("button", { type: "button", disabled: f.offset === 0, onclick: () => { f.offset = Math.max(0, f.offset - 25); load(); } }, t("prev")),
      el("span", { id: "im-range" }, t("page_of", { from: total ? f.offset + 1 : 0, to: f.offset + items.length, total })),
      el("button", { type: "button", id: "im-next", disabled: f.offset + items.length >= total, onclick: () => { f.offset += 25; load(); } }, t("next")));
  };
  const form = el("form", { class: "toolbar" }, labelled(t("sentiment"), s), labelled(t("category"), c), labelled(t("search"), q),
    el("button", { type: "submit" }, t("apply")));
  form.addEventListener("submit", (e) => { e.preventDefault(); Object.assign(f, { sentiment: s.value, category: c.value, q: q.value, offset: 0 }); load(); });
  box.append(el("h3", {}, t("all_mentions") + " (" + fmtNum(inc.mention_count) + ")"), form, list, pager);
  load();
}
