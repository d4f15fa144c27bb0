// Vigía dashboard: session, routing, header. Every stored string reaches the page through
// text nodes (el(), textContent), never as HTML.
"use strict";

const App = { me: null, csrf: null, brands: [], brand: null, listeners: new Set(), timers: [] };

/// Builds an element; string children become text nodes. `attrs` never carries HTML.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "style") node.style.cssText = v; // CSSOM: allowed by the CSP, unlike attributes
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/// Only http(s) links are rendered as links (a stored URL is hostile input too).
function safeUrl(u) {
  try { const url = new URL(u); return url.protocol === "https:" || url.protocol === "http:" ? url.href : null; }
  catch (_) { return null; }
}

async function api(path, opts) {
  const o = Object.assign({ method: "GET", credentials: "same-origin", headers: {} }, opts || {});
  if (o.method !== "GET" && App.csrf) o.headers["X-CSRF-Token"] = App.csrf;
  if (o.json !== undefined) { o.headers["Content-Type"] = "application/json"; o.body = JSON.stringify(o.json); }
  let res;
  try { res = await fetch(path, o); } catch (_) { return { status: 0, ok: false, body: null }; }
  let body = null;
  try { body = await res.json(); } catch (_) { body = null; }
  if (res.status === 401 && !path.startsWith("/dashboard/login")) showLogin();
  return { status: res.status, ok: res.ok, body };
}

const LOCALE = () => (LANG === "es" ? "es-ES" : "en-GB");
const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function fmtTime(iso) {
  if (!iso) return t("never");
  return new Date(iso).toLocaleString(LOCALE(), { dateStyle: "short", timeStyle: "short" });
}

function fmtNum(n) { return n === null || n === undefined ? t("none") : Number(n).toLocaleString(LOCALE()); }

function can(action) {
  const role = App.me && App.me.role;
  if (role === "admin") return true;
  if (action === "incident") return role === "crisis";
  if (action === "ticket") return role === "community" || role === "agent";
  return true;
}

/// Message for a failed action, by status.
function failure(r) {
  if (r.status === 404 || r.status === 405) return t("action_unavailable");
  if (r.status === 403) return t("forbidden");
  return (r.body && r.body.message) || t("failed");
}

function showLogin() {
  liveStop();
  document.getElementById("shell").hidden = true;
  document.getElementById("login").hidden = false;
  applyStaticStrings();
}

async function login(ev) {
  ev.preventDefault();
  const err = document.getElementById("login-error");
  err.textContent = "";
  const r = await api("/dashboard/login", { method: "POST", json: {
    username: document.getElementById("login-user").value,
    password: document.getElementById("login-pass").value } });
  if (r.ok) { document.getElementById("login-pass").value = ""; return start(true); }
  err.textContent = t(r.status === 429 ? "login_locked" : "login_failed");
}

async function logout() {
  await api("/dashboard/logout", { method: "POST" });
  App.me = null; App.csrf = null;
  showLogin();
}

async function setLang(lang) {
  LANG = lang;
  if (App.me) { await api("/api/me/lang", { method: "POST", json: { lang } }); App.me.lang = lang; }
  renderChrome();
  route();
}

function renderChrome() {
  applyStaticStrings();
  document.getElementById("lang-es").classList.toggle("active", LANG === "es");
  document.getElementById("lang-en").classList.toggle("active", LANG === "en");
  document.getElementById("whoami").textContent = App.me ? App.me.username : "";
  setLiveState(Live.state);
  renderNotify();
  renderIndicator();
}

/// Views subscribe to live events while they are shown; `every` runs while they are shown.
function onLive(fn) { App.listeners.add(fn); }
function every(ms, fn) { App.timers.push(setInterval(fn, ms)); }

function route() {
  App.listeners.clear();
  for (const id of App.timers) clearInterval(id);
  App.timers = [];
  const [path, query] = (location.hash || "#/overview").slice(2).split("?");
  const parts = path.split("/");
  for (const a of document.querySelectorAll("#nav a")) {
    const on = a.getAttribute("href") === "#/" + parts[0] || (parts[0] === "customers" && a.getAttribute("href") === "#/tickets");
    a.classList.toggle("active", on);
    if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  const view = document.getElementById("view");
  view.replaceChildren();
  const render = Views[parts[0]] || Views.overview;
  render(view, parts.slice(1), new URLSearchParams(query || "")).catch((e) => view.replaceChildren(el("p", { class: "error" }, String(e))));
}

async function start(fresh) {
  const me = await api("/api/me");
  if (!me.ok) return showLogin();
  App.me = me.body; App.csrf = me.body.csrf; LANG = me.body.lang || "es";
  const brands = await api("/api/brands");
  App.brands = brands.ok ? brands.body.items : [];
  const saved = sessionStorage.getItem("vigia.brand");
  App.brand = (App.brands.find((b) => b.name === saved) || App.brands[0] || {}).name || null;
  const sel = document.getElementById("brand");
  sel.replaceChildren(...App.brands.map((b) => el("option", { value: b.name, selected: b.name === App.brand }, b.display_name)));
  document.getElementById("login").hidden = true;
  document.getElementById("shell").hidden = false;
  renderChrome();
  if (fresh) liveRestart(); else liveConnect();
  route();
  loadActiveIncidents();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login-form").addEventListener("submit", login);
  document.getElementById("logout").addEventListener("click", logout);
  document.getElementById("notify").addEventListener("click", toggleNotify);
  document.getElementById("lang-es").addEventListener("click", () => setLang("es"));
  document.getElementById("lang-en").addEventListener("click", () => setLang("en"));
  document.getElementById("skip").addEventListener("click", (e) => { e.preventDefault(); document.getElementById("view").focus(); });
  document.getElementById("brand").addEventListener("change", (e) => {
    App.brand = e.target.value; sessionStorage.setItem("vigia.brand", App.brand); route();
  });
  window.addEventListener("hashchange", route);
  start(false);
});
