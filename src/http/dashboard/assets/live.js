// The tab's side of the live connection and the open-incident indicator shown on every page.
// With SharedWorker support, every tab shares one stream (live-worker.js); without it (some
// phone browsers) the tab opens its own and closes it on pagehide. The pill says the truth:
// connecting, live, reconnecting or offline.
"use strict";

const Live = { port: null, es: null, state: "offline", active: new Map(), seen: new Set(), ready: false };

function liveConnect() {
  liveDisconnect();
  if (window.SharedWorker) {
    try {
      const w = new SharedWorker("/dashboard/live-worker.js", { name: "vigia-live" });
      Live.port = w.port;
      w.port.onmessage = (m) => liveMessage(m.data || {});
      w.port.start();
      w.port.postMessage({ type: "hello" });
      return;
    } catch (_) { Live.port = null; }
  }
  const es = new EventSource("/api/stream");
  Live.es = es;
  setLiveState("connecting");
  es.onopen = () => setLiveState("live");
  es.onerror = () => setLiveState(es.readyState === EventSource.CLOSED ? "offline" : "reconnecting");
  for (const kind of ["mention", "incident"]) es.addEventListener(kind, (e) => liveEvent(kind, e.data));
}

function liveDisconnect() {
  if (Live.port) { Live.port.postMessage({ type: "bye" }); Live.port.close(); Live.port = null; }
  if (Live.es) { Live.es.close(); Live.es = null; }
  setLiveState("offline");
}

/// Signing out stops the shared stream for every tab; signing in starts it again.
function liveStop() { if (Live.port) Live.port.postMessage({ type: "stop" }); liveDisconnect(); }
function liveRestart() { liveConnect(); if (Live.port) Live.port.postMessage({ type: "restart" }); }

function liveMessage(msg) {
  if (msg.type === "state") setLiveState(msg.state);
  else if (msg.type === "event") liveEvent(msg.kind, msg.data);
}

function liveEvent(kind, raw) {
  let data; try { data = JSON.parse(raw); } catch (_) { return; }
  if (kind === "incident") trackIncident(data, true);
  for (const fn of App.listeners) {
    if (kind === "mention" && App.brand && data.brand !== App.brand) continue;
    try { fn(kind, data); } catch (e) { console.error(e); }
  }
}

function setLiveState(s) {
  Live.state = s;
  const pill = document.getElementById("live");
  if (!pill) return;
  pill.dataset.state = s;
  pill.textContent = t("live_" + s);
}

/// Loads the incidents that are not resolved (all brands the user sees) once per sign-in.
async function loadActiveIncidents() {
  Live.active.clear();
  for (const status of ["open", "acknowledged"]) {
    const r = await api("/api/incidents?limit=200&status=" + status);
    if (r.ok) for (const inc of r.body.items) trackIncident(inc, false);
  }
  Live.ready = true;
  renderIndicator();
}

function trackIncident(inc, live) {
  const isNew = live && inc.status === "open" && !Live.seen.has(inc.id) && !Live.active.has(inc.id);
  Live.seen.add(inc.id);
  if (inc.status === "resolved" || inc.status === "auto_closed") Live.active.delete(inc.id); else Live.active.set(inc.id, inc);
  renderIndicator();
  if (isNew) alertNewIncident(inc);
}

/// Header count, crisis banner, page title and favicon: the same on every page.
function renderIndicator() {
  const list = [...Live.active.values()].sort((a, b) => b.id - a.id);
  const n = list.length;
  const count = document.getElementById("incident-count");
  if (n && count.hidden) count.dataset.since = String(Date.now());
  count.hidden = n === 0;
  count.textContent = String(n);
  count.setAttribute("aria-label", t("open_incidents") + ": " + n);
  const banner = document.getElementById("crisis-banner");
  const top = list.find((i) => i.status === "open") || list[0];
  banner.hidden = !top;
  if (top) {
    banner.replaceChildren(
      el("span", { class: "sev-dot" }), " ",
      t("incident_banner", { id: top.id, brand: brandName(top.brand), sentence: triggerSentence(top) }),
      n > 1 ? el("span", { class: "muted-inv" }, " (+" + (n - 1) + ")") : "", " ",
      el("a", { href: "#/incidents/" + top.id, id: "crisis-link" }, t("see")));
    banner.dataset.status = top.status;
  }
  const base = document.title.replace(/^\(\d+\) /, "");
  document.title = (n ? "(" + n + ") " : "") + base;
  document.getElementById("favicon").href = n ? "/dashboard/favicon-alert.svg" : "/dashboard/favicon.svg";
}

function brandName(name) { return (App.brands.find((b) => b.name === name) || {}).display_name || name; }

/// Optional browser notification and a short beep, when the user turned alerts on.
function alertNewIncident(inc) {
  if (localStorage.getItem("vigia.notify") !== "1") return;
  if (window.Notification && Notification.permission === "granted") {
    try { new Notification(t("notification", { brand: brandName(inc.brand) }), { body: triggerSentence(inc), tag: "vigia-incident-" + inc.id }); }
    catch (_) { /* some browsers only notify from a service worker */ }
  }
  if (document.visibilityState === "visible") beep();
}

function beep() {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.08;
    osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 0.25);
    osc.onended = () => ctx.close();
  } catch (_) { /* no audio */ }
}

async function toggleNotify() {
  const on = localStorage.getItem("vigia.notify") === "1";
  if (!on && window.Notification && Notification.permission === "default") await Notification.requestPermission();
  localStorage.setItem("vigia.notify", on ? "0" : "1");
  renderNotify();
}

function renderNotify() {
  const on = localStorage.getItem("vigia.notify") === "1";
  const b = document.getElementById("notify");
  b.setAttribute("aria-pressed", on ? "true" : "false");
  b.classList.toggle("on", on);
}

window.addEventListener("pagehide", () => liveDisconnect());
window.addEventListener("pageshow", (e) => { if (e.persisted && App.me) liveConnect(); });
