// Vigía dashboard: session, routing, live stream. Every stored string reaches the page through
// text nodes (el(), textContent), never as HTML.
"use strict";

const App = { me: null, csrf: null, brands: [], brand: null, source: null, listeners: new Set() };

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
  const res = await fetch(path, o);
  let body = null;
  try { body = await res.json(); } catch (_) { body = null; }
  if (res.status === 401 && !path.startsWith("/dashboard/login")) showLogin();
  return { status: res.status, ok: res.ok, body };
}

function fmtTime(iso) {
  if (!iso) return t("never");
  return new Date(iso).toLocaleString(LANG === "es" ? "es-ES" : "en-GB", { dateStyle: "short", timeStyle: "short" });
}

function can(action) {
  const role = App.me && App.me.role;
  if (role === "admin") return true;
  if (action === "incident") return role === "crisis";
  if (action === "ticket") return role === "community" || role === "agent";
  return true;
}

function showLogin() {
  closeStream();
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
  if (r.ok) { document.getElementById("login-pass").value = ""; return start(); }
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
  document.getElementById("whoami").textContent = App.me ? App.me.username + " · " + App.me.role : "";
  const live = document.getElementById("live");
  live.textContent = t(live.classList.contains("on") ? "live" : "offline");
}

function openStream() {
  closeStream();
  const q = App.brand ? "?brand=" + encodeURIComponent(App.brand) : "";
  const src = new EventSource("/api/stream" + q);
  const live = document.getElementById("live");
  src.onopen = () => { live.classList.add("on"); live.textContent = t("live"); };
  src.onerror = () => { live.classList.remove("on"); live.textContent = t("offline"); };
  for (const kind of ["mention", "incident"]) {
    src.addEventListener(kind, (e) => {
      let data; try { data = JSON.parse(e.data); } catch (_) { return; }
      for (const fn of App.listeners) fn(kind, data);
    });
  }
  App.source = src;
}

function closeStream() { if (App.source) { App.source.close(); App.source = null; } }

/// Views subscribe to stream events while they are shown.
function onLive(fn) { App.listeners.add(fn); }

function route() {
  App.listeners.clear();
  const parts = (location.hash || "#/overview").slice(2).split("/");
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.getAttribute("href") === "#/" + parts[0]);
  const view = document.getElementById("view");
  view.replaceChildren();
  const render = Views[parts[0]] || Views.overview;
  render(view, parts.slice(1)).catch((e) => view.replaceChildren(el("p", { class: "error" }, String(e))));
}

async function start() {
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
  openStream();
  route();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login-form").addEventListener("submit", login);
  document.getElementById("logout").addEventListener("click", logout);
  document.getElementById("lang-es").addEventListener("click", () => setLang("es"));
  document.getElementById("lang-en").addEventListener("click", () => setLang("en"));
  document.getElementById("brand").addEventListener("change", (e) => {
    App.brand = e.target.value; sessionStorage.setItem("vigia.brand", App.brand); openStream(); route();
  });
  window.addEventListener("hashchange", route);
  start();
});
