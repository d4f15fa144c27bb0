// Interface strings, Spanish and English. Data (mention text, names) is never translated here.
"use strict";
const I18N = {
  es: {
    username: "Usuario", password: "Contraseña", login: "Entrar", logout: "Salir",
    login_failed: "Usuario o contraseña incorrectos.",
    login_locked: "Demasiados intentos fallidos: la cuenta está bloqueada un rato.",
    overview: "Resumen", stream: "En vivo", incidents: "Incidentes", tickets: "Tickets",
    feeds: "Fuentes", customer: "Cliente", live: "en vivo", offline: "sin conexión",
    last_24h: "Últimas 24 h", last_7d: "Últimos 7 días", all_networks: "Todas las redes",
    mentions: "Menciones", negative_share: "Proporción negativa", share_of_voice: "Cuota de voz",
    top_terms: "Términos principales", top_hashtags: "Hashtags", categories: "Categorías",
    networks: "Por red", timeline: "Volumen y sentimiento por hora",
    positive: "positivo", neutral: "neutral", negative: "negativo",
    no_data: "Sin datos en este periodo.",
    shifted: "No hay menciones en este periodo; se muestra el periodo que termina en la última mención ({t}).",
    any_sentiment: "Cualquier sentimiento", category: "Categoría", search: "Buscar texto",
    apply: "Aplicar", open_original: "ver original", explained_by: "Explicado por",
    status: "Estado", severity: "Severidad", opened: "Abierto", mention_count: "Menciones",
    ack: "Reconocer", resolve: "Resolver", open: "abierto", acknowledged: "reconocido",
    resolved: "resuelto", auto_closed: "cerrado automáticamente", reopen: "Reabrir", details: "Detalle", timeline_inc: "Cronología", samples: "Menciones de ejemplo",
    detail_unavailable: "El detalle de incidentes aún no está disponible en este servidor.",
    action_unavailable: "Esta acción aún no está disponible en este servidor.",
    forbidden: "Tu rol no permite esta acción.",
    trigger_negative_volume: "{count} menciones negativas en {window_minutes} min superaron el umbral de la marca.",
    trigger_critical_category: "Una mención cayó en la categoría crítica «{category}».",
    subject: "Asunto", priority: "Prioridad", assignee: "Asignado a", sla: "SLA", updated: "Actualizado",
    due_in: "vence en {d}", overdue: "vencido hace {d}", none: "—",
    identities: "Identidades", tier: "Nivel", language: "Idioma", sentiment_trend: "Tendencia de sentimiento",
    feed: "Fuente", kind: "Tipo", state: "Estado", last_success: "Último éxito", last_error: "Último error",
    failures: "Fallos seguidos", last_hour: "Última hora", last_mention: "Última mención", silent: "silenciosa",
    never: "nunca", not_found: "No encontrado.", unavailable: "No disponible en este servidor.",
    brand: "Marca", customer_of: "Cliente #{id}", new_mentions: "nuevas"
  },
  en: {
    username: "Username", password: "Password", login: "Log in", logout: "Log out",
    login_failed: "Wrong username or password.",
    login_locked: "Too many failed attempts: the account is locked for a while.",
    overview: "Overview", stream: "Live", incidents: "Incidents", tickets: "Tickets",
    feeds: "Feeds", customer: "Customer", live: "live", offline: "offline",
    last_24h: "Last 24 h", last_7d: "Last 7 days", all_networks: "All networks",
    mentions: "Mentions", negative_share: "Negative share", share_of_voice: "Share of voice",
    top_terms: "Top terms", top_hashtags: "Hashtags", categories: "Categories",
    networks: "By network", timeline: "Volume and sentiment per hour",
    positive: "positive", neutral: "neutral", negative: "negative",
    no_data: "No data in this period.",
    shifted: "No mentions in this period; showing the period ending at the latest mention ({t}).",
    any_sentiment: "Any sentiment", category: "Category", search: "Search text",
    apply: "Apply", open_original: "open original", explained_by: "Explained by",
    status: "Status", severity: "Severity", opened: "Opened", mention_count: "Mentions",
    ack: "Acknowledge", resolve: "Resolve", open: "open", acknowledged: "acknowledged",
    resolved: "resolved", auto_closed: "closed automatically", reopen: "Reopen", details: "Details", timeline_inc: "Timeline", samples: "Sample mentions",
    detail_unavailable: "Incident details are not available on this server yet.",
    action_unavailable: "This action is not available on this server yet.",
    forbidden: "Your role does not allow this.",
    trigger_negative_volume: "{count} negative mentions within {window_minutes} min reached the brand's threshold.",
    trigger_critical_category: "A mention fell in the critical category “{category}”.",
    subject: "Subject", priority: "Priority", assignee: "Assignee", sla: "SLA", updated: "Updated",
    due_in: "due in {d}", overdue: "overdue by {d}", none: "—",
    identities: "Identities", tier: "Tier", language: "Language", sentiment_trend: "Sentiment trend",
    feed: "Feed", kind: "Kind", state: "State", last_success: "Last success", last_error: "Last error",
    failures: "Failures in a row", last_hour: "Last hour", last_mention: "Last mention", silent: "silent",
    never: "never", not_found: "Not found.", unavailable: "Not available on this server.",
    brand: "Brand", customer_of: "Customer #{id}", new_mentions: "new"
  }
};

let LANG = "es";

/// The string for `key` in the current language, with `{name}` placeholders filled (as text).
function t(key, vars) {
  let s = (I18N[LANG] && I18N[LANG][key]) || I18N.en[key] || key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}

function applyStaticStrings() {
  document.documentElement.lang = LANG;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
}
