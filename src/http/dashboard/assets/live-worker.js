// Vigía live connection, shared by every tab of one browser (a SharedWorker): one
// server-sent-events stream instead of one per tab, so tabs never queue behind the browser's
// six connections per host. Tabs say "hello" when they open and "bye" on pagehide; the stream
// closes when the last tab leaves. Events are passed on as received (tabs parse them).
"use strict";

const ports = new Set();
let source = null;
let state = "offline";
let retry = null;
let delay = 1000;

function broadcast(msg) { for (const p of ports) p.postMessage(msg); }
function setState(s) { state = s; broadcast({ type: "state", state }); }

function open() {
  if (source || !ports.size) return;
  clearTimeout(retry);
  setState(state === "offline" ? "connecting" : "reconnecting");
  const es = new EventSource("/api/stream");
  source = es;
  es.onopen = () => { delay = 1000; setState("live"); };
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) return setState("reconnecting");
    // The server refused (e.g. signed out): try again later, slower each time.
    source = null;
    setState("reconnecting");
    retry = setTimeout(open, delay);
    delay = Math.min(delay * 2, 30000);
  };
  for (const kind of ["mention", "incident"]) {
    es.addEventListener(kind, (e) => broadcast({ type: "event", kind, data: e.data }));
  }
}

function close() {
  clearTimeout(retry);
  if (source) { source.close(); source = null; }
}

onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    const msg = m.data || {};
    if (msg.type === "hello") { ports.add(port); port.postMessage({ type: "state", state }); open(); }
    else if (msg.type === "bye") { ports.delete(port); if (!ports.size) { close(); state = "offline"; } }
    else if (msg.type === "restart") { close(); state = "offline"; open(); }
    else if (msg.type === "stop") { close(); setState("offline"); }
  };
  port.start();
};
