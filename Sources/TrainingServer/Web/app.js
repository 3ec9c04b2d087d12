// bordersim training page: controls → /api/run (KPIs, charts) and /api/trace (the animated day).
// Every number shown comes from the server; the page only draws. Charts: Chart.js (served by
// `bordersim serve` from Debian's libjs-chart.js); the port itself is drawn on a canvas.
"use strict";

const FATES = ["cleared", "false referral", "violator detected", "violator missed", "left unserved"];
const COLOURS = ["#2e7d32", "#ef6c00", "#1565c0", "#c62828", "#9e9e9e"];
const client = Math.random().toString(36).slice(2, 12);      // this page's id: stale requests are cancelled
const $ = (id) => document.getElementById(id);
const state = { scenario: null, settings: {}, lastRun: null, trace: null, runs: 0, traces: 0, frontiers: 0,
                t: 0, playing: true, speed: 900, frames: 0, lessonStep: 0, frontierKey: null };
window.bordersim = state;                                      // for the browser test and curious trainers

// ---------- numbers ----------
const fmt = (x, digits = 1) => (x === null || x === undefined || !isFinite(x)) ? "—" : x.toFixed(digits);
const pct = (x, digits = 0) => (x === null || x === undefined || !isFinite(x)) ? "—" : (100 * x).toFixed(digits) + " %";
const clock = (s) => {
  const m = Math.floor(s / 60), d = Math.floor(m / 1440), h = Math.floor(m / 60) % 24, mm = m % 60;
  return (d > 0 ? `day ${d + 1} ` : "") + String(h).padStart(2, "0") + ":" + String(mm).padStart(2, "0");
};
const scheduleAt = (sch, t) => { let v = sch.values[0]; for (let i = 0; i < sch.times.length && sch.times[i] <= t; i++) v = sch.values[i]; return v; };

// ---------- controls ----------
function controlsFromScenario() {
  const c = state.scenario.controls;
  $("threshold").value = c.threshold ?? 1;
  $("inspect-all").checked = c.inspect_all;
  $("random").value = c.random ?? 0;
  $("auc").value = c.auc;
  $("advance").value = c.advance_info_share;
  for (const [lane, n] of Object.entries(c.booths)) { const e = $("booths-" + lane); if (e) e.value = n; }
  for (const [st, n] of Object.entries(c.servers)) { const e = $("servers-" + st); if (e) e.value = n; }
  $("outage-on").checked = false;
  showValues();
}

function buildControls() {
  const s = state.scenario, c = s.controls, box = $("capacity");
  box.innerHTML = "";
  const row = (label, id, value, hint) => {
    const div = document.createElement("div");
    div.className = "count-row";
    div.innerHTML = `<span class="name"><strong>${label}</strong>${hint ? `<span class="hint">${hint}</span>` : ""}</span>` +
      `<input id="${id}" type="number" min="0" max="200" step="1" value="${value}">`;
    box.appendChild(div);
    $(id).addEventListener("change", schedule);
  };
  for (const lane of s.lanes) if (lane in c.booths) row(`Booths, ${lane}`, "booths-" + lane, c.booths[lane], "open all day");
  for (const st of s.stations) if (st in c.servers) row(`Officers at ${st}`, "servers-" + st, c.servers[st], "secondary servers");
  const sel = $("outage-station");
  sel.innerHTML = s.stations.map((st) => `<option>${st}</option>`).join("");
  $("outage-from").max = $("outage-to").max = Math.min(24, s.horizon_h);
  $("outage-from").value = Math.min(1, s.horizon_h / 3).toFixed(2);
  $("outage-to").value = Math.min(2, (2 * s.horizon_h) / 3).toFixed(2);
  $("outage-station").closest("fieldset").hidden = s.stations.length === 0;
  $("advance-control").hidden = c.auc_with_advance_info === null || c.auc_with_advance_info === undefined;
  if (c.threshold === null && !c.inspect_all) $("threshold").closest(".control").querySelector(".hint").textContent +=
    " (The scenario uses another rule; moving this sets a threshold rule.)";
}

function showValues() {
  const all = $("inspect-all").checked;
  $("threshold").disabled = all;
  $("threshold-out").textContent = all ? "everyone" : Number($("threshold").value).toFixed(2);
  $("random-out").textContent = pct(Number($("random").value), 1);
  $("auc-out").textContent = Number($("auc").value).toFixed(2);
  $("advance-out").textContent = pct(Number($("advance").value));
  $("aucai-out").textContent = state.scenario.controls.auc_with_advance_info ?? "—";
}

/// The request: only what differs from the scenario, so the command line stays short.
function currentSettings() {
  const c = state.scenario.controls, out = {};
  const near = (a, b) => b !== null && b !== undefined && Math.abs(a - b) < 1e-9;
  if ($("inspect-all").checked) { if (!c.inspect_all) out.inspect_all = true; }
  else {
    const t = Number($("threshold").value), r = Number($("random").value);
    if (c.inspect_all || !near(t, c.threshold) || !near(r, c.random ?? 0)) { out.threshold = t; out.random = r; }
  }
  const auc = Number($("auc").value);
  if (!near(auc, c.auc)) out.auc = auc;
  const adv = Number($("advance").value);
  if (!$("advance-control").hidden && !near(adv, c.advance_info_share)) out.advance_info_share = adv;
  const booths = {}, servers = {};
  for (const lane of state.scenario.lanes) { const e = $("booths-" + lane); if (e && Number(e.value) !== c.booths[lane]) booths[lane] = Number(e.value); }
  for (const st of state.scenario.stations) { const e = $("servers-" + st); if (e && Number(e.value) !== c.servers[st]) servers[st] = Number(e.value); }
  if (Object.keys(booths).length) out.booths = booths;
  if (Object.keys(servers).length) out.servers = servers;
  if ($("outage-on").checked) out.outage = { station: $("outage-station").value, from_h: Number($("outage-from").value), to_h: Number($("outage-to").value) };
  return out;
}

// ---------- requests ----------
const inFlight = {};
async function post(endpoint, body) {
  if (inFlight[endpoint]) inFlight[endpoint].abort();      // the server cancels it too (same client id)
  const ctl = new AbortController();
  inFlight[endpoint] = ctl;
  const r = await fetch("api/" + endpoint, { method: "POST", body: JSON.stringify({ ...body, client }), signal: ctl.signal,
                                             headers: { "Content-Type": "application/json" } });
  const json = await r.json();
  if (r.status === 409) return null;                          // superseded by a newer request: ignore
  if (!r.ok) throw new Error(json.error || r.statusText);
  return json;
}

let timer = null;
function schedule() { showValues(); clearTimeout(timer); timer = setTimeout(update, 40); }

async function update() {
  const settings = currentSettings();
  const started = performance.now();
  $("run-status").textContent = "running " + state.scenario.replications + " simulated days…";
  try {
    const run = await post("run", settings);
    if (!run) return;
    const ms = performance.now() - started;
    state.lastRun = run; state.runs++; state.settings = settings;
    $("run-status").textContent = `updated in ${ms.toFixed(0)} ms (${state.scenario.replications} days simulated in ${run.elapsed_ms.toFixed(0)} ms)`;
    $("command").textContent = run.command;
    showKPIs(run);
    drawHourly(run); drawROC(run); drawFrontierPoint();
    // The frontier sweeps the threshold: it changes only when something else does.
    const key = JSON.stringify({ ...settings, threshold: undefined, inspect_all: undefined, random: Number($("random").value) });
    if (key !== state.frontierKey) { state.frontierKey = key; loadFrontier(settings); }
    loadTrace(settings);
  } catch (e) {
    if (e.name !== "AbortError") $("run-status").textContent = "error: " + e.message;
  }
}

async function loadTrace(settings) {
  try {
    const tr = await post("trace", settings);
    if (!tr) return;
    state.trace = tr; state.traces++;
    $("replication").textContent = (tr.replication + 1) + " of " + state.scenario.replications;
    if (state.t > tr.horizon_s) state.t = 0;
  } catch (e) { if (e.name !== "AbortError") $("run-status").textContent = "trace: " + e.message; }
}

async function loadFrontier(settings) {
  const note = $("frontier-note");
  note.textContent = "(computing the thresholds for these settings…)";
  try {
    const f = await post("frontier", settings);
    if (!f) return;
    note.textContent = `(${f.points.length} policies × ${state.scenario.replications} days in ${f.elapsed_ms.toFixed(0)} ms)`;
    state.frontier = f; state.frontiers++;
    drawFrontier();
  } catch (e) { if (e.name !== "AbortError") $("run-status").textContent = "frontier: " + e.message; }
}

// ---------- KPI cards ----------
function card(id, estimate, digits, sub, asPercent) {
  const el = $(id), mean = estimate ? estimate.mean : null;
  const text = asPercent ? pct(mean, 1) : fmt(mean, digits);
  const old = el.querySelector(".value").textContent;
  el.querySelector(".value").textContent = text;
  el.dataset.value = mean === null || mean === undefined ? "" : String(mean);
  const hw = estimate ? estimate.half_width : null;
  el.querySelector(".ci").textContent = hw === null || hw === undefined ? "no interval" :
    "± " + (asPercent ? pct(hw, 1) : fmt(hw, digits)) + (asPercent ? "" : "");
  el.querySelector(".sub").textContent = sub || "";
  if (old !== text) { el.classList.remove("changed"); void el.offsetWidth; el.classList.add("changed"); }
}

function showKPIs(run) {
  const s = run.summary, sec = s.security;
  $("reps").textContent = s.replications;
  const lane = s.lanes[0];
  if (s.lanes.length === 1) card("kpi-primary-wait", lane.mean_wait_min, 1, "min · 95th pct " + fmt(lane.p95_wait_min.mean) + " min");
  else {
    const arrived = {}; for (const f of s.flows) arrived[f.lane] = (arrived[f.lane] || 0) + (f.arrived.mean || 0);
    let w = 0, n = 0; for (const l of s.lanes) if (isFinite(l.mean_wait_min.mean)) { w += l.mean_wait_min.mean * arrived[l.name]; n += arrived[l.name]; }
    card("kpi-primary-wait", { mean: n > 0 ? w / n : null, half_width: null }, 1, "min, all lanes (weighted by arrivals)");
  }
  const st = s.stations[0];
  if (st) card("kpi-secondary-wait", st.mean_wait_min, 1, "min at " + st.name + " · 95th pct " + fmt(st.p95_wait_min.mean) + " min");
  else card("kpi-secondary-wait", null, 1, "no secondary station");
  card("kpi-detected", sec.detected, 1, "of " + fmt(sec.violators_arrived.mean) + " violators (" + pct(sec.detection_rate.mean) + ")");
  card("kpi-missed", sec.missed, 1, "left the port undetected");
  card("kpi-false", sec.false_referrals, 1, "innocent travellers referred · " + pct(sec.referral_rate.mean, 1) + " referred");
  card("kpi-hit", sec.hit_rate, 1, "of referrals find something", true);
  $("warnings").innerHTML = run.warnings.map((w) => `<li>${escapeHTML(w)}</li>`).join("");
}
const escapeHTML = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

// ---------- charts (Chart.js) ----------
const charts = {};
const haveCharts = () => typeof window.Chart !== "undefined";
function chart(id, config) {
  if (!haveCharts()) return null;
  if (!charts[id]) { config.options = { animation: false, maintainAspectRatio: false, ...config.options }; charts[id] = new Chart($(id), config); }
  return charts[id];
}
const axis = (title, extra = {}) => ({ title: { display: true, text: title }, ...extra });

function drawFrontier() {
  const f = state.frontier;
  if (!f) return;
  const c = chart("chart-frontier", { type: "scatter", data: { datasets: [] }, options: {
    scales: { x: axis("mean wait at secondary (min)", { min: 0 }), y: axis("violators detected per day", { min: 0 }) },
    plugins: { tooltip: { callbacks: { label: (ctx) => ctx.raw.label || "" } } } } });
  if (!c) return;
  const pts = f.points.filter((p) => p.threshold != null && p.secondary_wait_min)
    .map((p) => ({ x: p.secondary_wait_min.mean, y: p.detected.mean, label: `${p.label}: ${fmt(p.detected.mean)} detected, ${fmt(p.secondary_wait_min.mean)} min` }));
  const all = f.points.filter((p) => p.threshold == null && p.secondary_wait_min)
    .map((p) => ({ x: p.secondary_wait_min.mean, y: p.detected.mean, label: `inspect everyone: ${fmt(p.detected.mean)} detected, ${fmt(p.secondary_wait_min.mean)} min` }));
  c.data.datasets = [
    { label: "thresholds −0.5 … 3", data: pts, showLine: true, borderColor: "#8aa0b8", backgroundColor: "#8aa0b8", pointRadius: 3 },
    { label: "inspect everyone", data: all, pointStyle: "triangle", pointRadius: 8, backgroundColor: "#6a1b9a", borderColor: "#6a1b9a" },
    { label: "you are here", data: [], pointStyle: "star", pointRadius: 12, borderWidth: 3, borderColor: "#d32f2f", backgroundColor: "#d32f2f" },
  ];
  drawFrontierPoint();
}

function drawFrontierPoint() {
  const c = charts["chart-frontier"], run = state.lastRun;
  if (!c || !run || !c.data.datasets[2]) return;
  const st = run.summary.stations[0];
  c.data.datasets[2].data = st ? [{ x: st.mean_wait_min.mean, y: run.summary.security.detected.mean, label: "current settings" }] : [];
  c.update();
}

function drawROC(run) {
  const c = chart("chart-roc", { type: "scatter", data: { datasets: [] }, options: {
    scales: { x: axis("innocent travellers referred (false-positive rate)", { min: 0, max: 1 }),
              y: axis("violators referred (true-positive rate)", { min: 0, max: 1 }) } } });
  if (!c) return;
  const ds = run.roc.curves.map((cv, i) => ({ label: cv.label, data: cv.points.map((p) => ({ x: p.fpr, y: p.tpr })), showLine: true,
    pointRadius: 0, borderColor: i === 0 ? "#1565c0" : "#2e7d32", borderWidth: 2 }));
  ds.push({ label: "chance (AUC 0.5)", data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, pointRadius: 0, borderDash: [5, 5], borderColor: "#9e9e9e" });
  const op = run.roc.operating_point;
  if (op) ds.push({ label: "your rule", data: [{ x: op.fpr, y: op.tpr }], pointStyle: "star", pointRadius: 12, borderWidth: 3, borderColor: "#d32f2f", backgroundColor: "#d32f2f" });
  c.data.datasets = ds;
  c.update();
}

function drawHourly(run) {
  const c = chart("chart-hourly", { type: "line", data: { labels: [], datasets: [] }, options: {
    scales: { x: axis("hour of the day"), y: axis("mean wait (min)", { min: 0 }) }, spanGaps: false,
    plugins: { legend: { labels: { filter: (item) => !item.text.endsWith("CI") } } } } });
  if (!c) return;
  const h = run.hourly, n = h.lanes.length ? h.lanes[0].mean_wait_min.length : 0;
  c.data.labels = Array.from({ length: n }, (_, i) => clock(i * h.bin_h * 3600));
  const palette = ["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f"];
  c.data.datasets = h.lanes.flatMap((l, i) => {
    const col = palette[i % palette.length];
    return [
      { label: l.name + " low CI", data: l.mean_wait_min.map((e) => e.low), borderWidth: 0, pointRadius: 0, fill: false },
      { label: l.name + " high CI", data: l.mean_wait_min.map((e) => e.high), borderWidth: 0, pointRadius: 0, fill: "-1", backgroundColor: col + "33" },
      { label: l.name, data: l.mean_wait_min.map((e) => e.mean), borderColor: col, backgroundColor: col, pointRadius: 2 },
    ];
  });
  c.update();
}

// ---------- the port, animated ----------
const canvas = $("canvas"), ctx = canvas.getContext("2d");
function layout(tr) {
  const W = canvas.width, H = canvas.height, L = tr.lanes.length, S = tr.stations.length;
  const maxBooths = tr.lanes.map((l) => Math.max(1, ...l.booths.values));
  const maxServers = tr.stations.map((s) => Math.max(1, ...s.servers.values));
  const laneH = (H - 30) / Math.max(1, L), stH = (H - 30) / Math.max(1, S);
  return { W, H, laneH, stH, maxBooths, maxServers, split: S > 0 ? W * 0.56 : W };
}

function draw() {
  const tr = state.trace;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!tr) return;
  const t = state.t, g = layout(tr), p = tr.parties, n = p.arrival.length;
  const laneQueues = tr.lanes.map(() => []), booths = tr.lanes.map(() => ({}));
  const stQueues = tr.stations.map(() => []), stBusy = tr.stations.map(() => []);
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < n && p.arrival[i] <= t; i++) {
    if (p.exit[i] <= t) { counts[p.fate[i]]++; continue; }
    const qe = p.queue_entry[i], ss = p.service_start[i], se = p.service_end[i];
    if (qe === null || t < qe) continue;
    if (ss === null || t < ss) { laneQueues[p.lane[i]].push(i); continue; }
    if (se === null || t < se) { booths[p.lane[i]][p.booth[i]] = i; continue; }
    for (const v of p.visits[i]) {
      if (t >= v[1] && t < v[2]) { stQueues[v[0]].push(i); break; }
      if (t >= v[2] && t < v[3]) { stBusy[v[0]].push(i); break; }
    }
  }
  const sample = Math.min(tr.sample_times.length - 1, Math.max(0, Math.floor(t / 60)));
  const sampled = (k) => (tr.queue_samples[k] ? tr.queue_samples[k][sample] || 0 : 0);

  ctx.font = "14px system-ui, sans-serif"; ctx.textBaseline = "middle";
  ctx.fillStyle = "#5b6776";
  ctx.fillText("PRIMARY — lanes and booths", 10, 12);
  if (tr.stations.length) ctx.fillText("SECONDARY — examination", g.split + 16, 12);
  tr.lanes.forEach((lane, l) => {
    const y0 = 24 + l * g.laneH, open = scheduleAt(lane.booths, t), nb = g.maxBooths[l];
    const bs = Math.min(44, (g.laneH - 26) / nb - 4), bx = g.split - bs - 40;
    ctx.fillStyle = "#1d2733"; ctx.font = "bold 14px system-ui, sans-serif";
    ctx.fillText(`${lane.name}: ${open} of ${nb} booths open`, 10, y0 + 10);
    for (let b = 0; b < nb; b++) {
      const y = y0 + 22 + b * (bs + 4), isOpen = b < open, who = booths[l][b];
      ctx.fillStyle = isOpen ? "#ffffff" : "#cfd6de"; ctx.strokeStyle = isOpen ? "#16324f" : "#9aa5b1"; ctx.lineWidth = 2;
      ctx.fillRect(bx, y, bs, bs); ctx.strokeRect(bx, y, bs, bs);
      if (!isOpen) { ctx.fillStyle = "#7d8893"; ctx.font = "11px system-ui"; ctx.fillText("closed", bx + bs + 4, y + bs / 2); }
      if (who !== undefined) dot(bx + bs / 2, y + bs / 2, Math.min(11, bs / 2 - 3), COLOURS[p.fate[who]]);
      else if (isOpen && sampled(l) > laneQueues[l].length) ring(bx + bs / 2, y + bs / 2, Math.min(11, bs / 2 - 3));
    }
    queueDots(laneQueues[l], sampled(l), 14, y0 + 34, bx - 16, g.laneH - 50, p);
    ctx.fillStyle = "#1d2733"; ctx.font = "bold 13px system-ui";
    ctx.fillText(`waiting: ${Math.max(laneQueues[l].length, sampled(l))}`, 10, y0 + g.laneH - 8);
  });
  let busyNow = 0, waitingNow = 0;       // in secondary: traced, or counted by the minute's queue sample
  tr.stations.forEach((st, s) => {
    const y0 = 24 + s * g.stH, servers = scheduleAt(st.servers, t), ns = Math.max(g.maxServers[s], 1);
    const down = st.down.some((d) => t >= d[0] && t < d[1]) || servers === 0;
    const bs = Math.min(44, (g.stH - 26) / ns - 4), bx = g.W - bs - 14;
    ctx.fillStyle = down ? "#c62828" : "#1d2733"; ctx.font = "bold 14px system-ui, sans-serif";
    ctx.fillText(down ? `${st.name}: OUT OF SERVICE` : `${st.name}: ${servers} officer${servers === 1 ? "" : "s"} on duty`, g.split + 16, y0 + 10);
    stBusy[s].sort((a, b) => a - b);
    const q = tr.lanes.length + s;
    for (let k = 0; k < ns; k++) {
      const y = y0 + 22 + k * (bs + 4), isOpen = k < servers && !down;
      ctx.fillStyle = down ? "#f3c7c7" : isOpen ? "#ffffff" : "#cfd6de";
      ctx.strokeStyle = down ? "#c62828" : isOpen ? "#16324f" : "#9aa5b1"; ctx.lineWidth = 2;
      ctx.fillRect(bx, y, bs, bs); ctx.strokeRect(bx, y, bs, bs);
      if (down) { ctx.beginPath(); ctx.moveTo(bx + 4, y + 4); ctx.lineTo(bx + bs - 4, y + bs - 4); ctx.moveTo(bx + bs - 4, y + 4); ctx.lineTo(bx + 4, y + bs - 4); ctx.stroke(); }
      if (k < stBusy[s].length) { dot(bx + bs / 2, y + bs / 2, Math.min(11, bs / 2 - 3), COLOURS[p.fate[stBusy[s][k]]]); busyNow++; }
      else if (isOpen && sampled(q) > stQueues[s].length) { ring(bx + bs / 2, y + bs / 2, Math.min(11, bs / 2 - 3)); busyNow++; }
    }
    stQueues[s].sort((a, b) => a - b);
    waitingNow += Math.max(stQueues[s].length, sampled(q));
    queueDots(stQueues[s], sampled(q), g.split + 16, y0 + 34, bx - 16, g.stH - 50, p);
    ctx.fillStyle = "#1d2733"; ctx.font = "bold 13px system-ui";
    ctx.fillText(`waiting: ${Math.max(stQueues[s].length, sampled(q))}`, g.split + 16, y0 + g.stH - 8);
  });
  if (tr.stations.length) { ctx.strokeStyle = "#d5dbe3"; ctx.beginPath(); ctx.moveTo(g.split + 4, 4); ctx.lineTo(g.split + 4, g.H - 4); ctx.stroke(); }
  const inSecondary = busyNow + waitingNow;
  $("clock").textContent = clock(t) + (t >= tr.horizon_s ? " (end of day)" : "");
  $("count-cleared").textContent = counts[0];
  $("count-false").textContent = counts[1];
  $("count-detected").textContent = counts[2];
  $("count-missed").textContent = counts[3];
  $("count-secondary").textContent = inSecondary;
  state.frames++;
}

/// A queue as rows of dots right to left from `right`; beyond the traced parties, hollow dots for
/// those the minute's queue count has but the trace does not (still waiting when the day ends).
function queueDots(list, sampled, left, top, right, height, p) {
  const r = 6, step = 2 * r + 4, perRow = Math.max(1, Math.floor((right - left) / step)), rows = Math.max(1, Math.floor(height / step));
  const total = Math.max(list.length, sampled), cap = perRow * rows;
  for (let k = 0; k < Math.min(total, cap); k++) {
    const x = right - (k % perRow) * step, y = top + Math.floor(k / perRow) * step;
    if (k < list.length) dot(x, y, r, COLOURS[p.fate[list[k]]]);
    else ring(x, y, r);
  }
  if (total > cap) { ctx.fillStyle = "#1d2733"; ctx.font = "12px system-ui"; ctx.fillText(`+${total - cap}`, left, top + rows * step); }
  return total;
}
function ring(x, y, r) { ctx.strokeStyle = "#9e9e9e"; ctx.lineWidth = 1.5; ctx.beginPath(); ctx.arc(x, y, Math.max(2, r - 1), 0, 2 * Math.PI); ctx.stroke(); }
function dot(x, y, r, colour) { ctx.fillStyle = colour; ctx.beginPath(); ctx.arc(x, y, Math.max(2, r), 0, 2 * Math.PI); ctx.fill(); }

let last = null;
function frame(now) {
  if (last !== null && state.playing && state.trace) {
    state.t = Math.min(state.trace.horizon_s, state.t + ((now - last) / 1000) * state.speed);
    if (state.t >= state.trace.horizon_s) { state.playing = false; $("play").textContent = "Play"; }
  }
  last = now;
  draw();
  requestAnimationFrame(frame);
}

// ---------- lesson ----------
function showLesson() {
  const lesson = state.scenario.lesson, others = state.scenario.other_lessons;
  if (!lesson) return;
  $("lesson").hidden = false;
  $("title").textContent = "lesson: " + lesson.title;
  $("lesson-title").textContent = lesson.title;
  $("lesson-goal").textContent = lesson.goal;
  $("lesson-steps").innerHTML = lesson.steps.map((s, i) =>
    `<li data-step="${i}"><span class="kind ${s.kind}">${s.kind}</span>${escapeHTML(s.text)}</li>`).join("");
  for (const li of document.querySelectorAll("#lesson-steps li")) li.addEventListener("click", () => selectStep(Number(li.dataset.step)));
  $("other-lessons").textContent = others.length ? "Other lessons: " + others.map((o) => "bordersim serve " + o).join(" · ") : "";
  selectStep(0);
}
function selectStep(i) {
  const steps = state.scenario.lesson.steps;
  state.lessonStep = Math.max(0, Math.min(steps.length - 1, i));
  document.querySelectorAll("#lesson-steps li").forEach((li, k) => li.classList.toggle("current", k === state.lessonStep));
  $("lesson-apply").disabled = !steps[state.lessonStep].settings;
}
function applyStep() {
  const s = state.scenario.lesson.steps[state.lessonStep].settings;
  if (!s) return;
  controlsFromScenario();
  if ("threshold" in s) $("threshold").value = s.threshold;
  if ("inspect_all" in s) $("inspect-all").checked = s.inspect_all;
  if ("random" in s) $("random").value = s.random;
  if ("auc" in s) $("auc").value = s.auc;
  if ("advance_info_share" in s) $("advance").value = s.advance_info_share;
  for (const [k, v] of Object.entries(s.booths || {})) $("booths-" + k).value = v;
  for (const [k, v] of Object.entries(s.servers || {})) $("servers-" + k).value = v;
  if (s.outage) { $("outage-on").checked = true; $("outage-station").value = s.outage.station; $("outage-from").value = s.outage.from_h; $("outage-to").value = s.outage.to_h; }
  state.t = 0; state.playing = true; $("play").textContent = "Pause";
  schedule();
}

// ---------- start ----------
async function start() {
  if (window.BORDERSIM_CHARTS_MISSING || !haveCharts()) {
    $("banner").hidden = false;
    $("banner").textContent = window.BORDERSIM_CHARTS_MISSING || "Charts are off: Chart.js did not load.";
    for (const el of document.querySelectorAll(".chart")) el.innerHTML = '<p class="missing">Chart.js is not installed on the server.</p>';
  }
  const r = await fetch("api/scenario");
  state.scenario = await r.json();
  $("description").textContent = state.scenario.description;
  if (!state.scenario.lesson) $("title").textContent = state.scenario.name;
  $("legend").innerHTML = FATES.map((f, i) => `<span><span class="swatch c${i}"></span>${f}</span>`).join("") +
    '<span><span class="swatch hollow"></span>still in the port when the day ends</span>' +
    '<span><span class="box"></span>booth or officer free</span><span><span class="box closed"></span>closed</span>' +
    '<span><span class="box down"></span>out of service</span><span>a dot in a box: being inspected</span>';
  buildControls(); controlsFromScenario(); showLesson();
  for (const id of ["threshold", "random", "auc", "advance"]) $(id).addEventListener("input", schedule);
  for (const id of ["inspect-all", "outage-on", "outage-station", "outage-from", "outage-to"]) $(id).addEventListener("change", schedule);
  $("reset").addEventListener("click", () => { controlsFromScenario(); schedule(); });
  $("play").addEventListener("click", () => {
    if (state.trace && state.t >= state.trace.horizon_s) state.t = 0;
    state.playing = !state.playing; $("play").textContent = state.playing ? "Pause" : "Play";
  });
  $("restart").addEventListener("click", () => { state.t = 0; });
  $("speed").addEventListener("change", () => { state.speed = Number($("speed").value); });
  $("lesson-prev").addEventListener("click", () => selectStep(state.lessonStep - 1));
  $("lesson-next").addEventListener("click", () => selectStep(state.lessonStep + 1));
  $("lesson-apply").addEventListener("click", applyStep);
  state.speed = Number($("speed").value);
  update();
  requestAnimationFrame(frame);
}
start();
