/// The live page of `netchaos up`, served at `/`: one self-contained HTML document (inline CSS and
/// JavaScript, no external resources, works offline). It fetches `GET /api/live` (relative URL,
/// `cache: 'no-store'`) at load and then every second, and redraws in place: headline numbers,
/// anomalies per second by kind (inline SVG), totals by label, batches landed, latest anomalies and
/// switch metrics. A failed poll shows `disconnected: <reason>` in `#status` and keeps the last data.
/// Every string from the JSON is inserted as text, never as markup. `document.body.dataset.updates`
/// counts the successful updates; missing keys show as `—` and missing lists as empty tables.
public enum LivePage {
    /// The whole document (UTF-8); serve it as `text/html; charset=utf-8`.
    public static let html: String = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>NetChaos · live</title>
    <style>
    :root {
      --bg: #f3f5f8; --panel: #ffffff; --ink: #18202c; --muted: #667085; --line: #e2e7ee; --rule: #eef1f5;
      --accent: #1d4ed8; --bad: #b42318;
      --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
    }
    * { box-sizing: border-box; }
    html, body { margin: 0; }
    body {
      background: var(--bg); color: var(--ink);
      font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
    }
    header {
      display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap;
      padding: 12px 24px; background: #0f172a; color: #e2e8f0;
    }
    header h1 { margin: 0; font-size: 18px; font-weight: 650; letter-spacing: .01em; }
    header h1 small { margin-left: 10px; font-size: 13px; font-weight: 400; color: #94a3b8; }
    .meta { display: flex; align-items: center; gap: 14px; font-size: 13px; color: #94a3b8; }
    .status {
      display: inline-flex; align-items: center; gap: 8px; padding: 3px 12px; border-radius: 999px;
      background: #1e293b; color: #cbd5e1; font-weight: 600; max-width: 60vw;
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
    }
    .status::before { content: ""; flex: none; width: 8px; height: 8px; border-radius: 50%; background: #94a3b8; }
    .status[data-state="live"] { background: #14532d; color: #dcfce7; }
    .status[data-state="live"]::before { background: #4ade80; }
    .status[data-state="error"] { background: #7f1d1d; color: #fee2e2; }
    .status[data-state="error"]::before { background: #f87171; }
    main { max-width: 1600px; margin: 0 auto; padding: 18px 24px 32px; display: flex; flex-direction: column; gap: 16px; }
    .cards { display: grid; grid-template-columns: minmax(0, 1.25fr) repeat(4, minmax(0, 1fr)); gap: 12px; }
    .card { min-width: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 11px 16px; }
    .card.primary { grid-row: span 2; display: flex; flex-direction: column; justify-content: center; }
    .card-k { font-size: 11px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .card-v {
      margin-top: 3px; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums;
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
    }
    .card.primary .card-v { font-size: 40px; line-height: 1.15; color: var(--accent); }
    .card-s { min-height: 1.4em; margin-top: 1px; font-size: 12px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .meter { height: 6px; margin: 8px 0 4px; border-radius: 3px; background: #e8edf5; overflow: hidden; }
    .meter div { width: 0; height: 100%; border-radius: 3px; background: var(--accent); transition: width .4s ease; }
    @media (max-width: 1100px) {
      .cards { grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); }
      .card.primary { grid-row: auto; }
      .card { padding: 10px 14px; }
      .card-v, .card.primary .card-v { font-size: 21px; }
    }
    .grid2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
    .grid2.even { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
    @media (max-width: 1100px) { .grid2, .grid2.even { grid-template-columns: minmax(0, 1fr); } }
    .panel { min-width: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
    .panel-head { display: flex; align-items: baseline; flex-wrap: wrap; gap: 6px 12px; margin-bottom: 10px; }
    .panel-head h2 { margin: 0; font-size: 15px; font-weight: 650; }
    .note { font-size: 12px; color: var(--muted); }
    .spacer { flex: 1; }
    .toggle { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); cursor: pointer; user-select: none; }
    table { width: 100%; border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
    th {
      padding: 6px 8px; text-align: left; font-size: 11px; font-weight: 650; color: var(--muted);
      text-transform: uppercase; letter-spacing: .04em; border-bottom: 1px solid var(--line);
      background: var(--panel); white-space: nowrap;
    }
    td { padding: 5px 8px; border-bottom: 1px solid var(--rule); white-space: nowrap; }
    tbody tr:last-child td { border-bottom: 0; }
    th.num, td.num { text-align: right; }
    .mono { font-family: var(--mono); font-size: 12px; }
    td.key { width: 100%; max-width: 0; overflow: hidden; text-overflow: ellipsis; }
    td.wrap { max-width: 16em; overflow: hidden; text-overflow: ellipsis; }
    .scroll { max-height: 560px; overflow: auto; }
    .scroll thead th { position: sticky; top: 0; z-index: 1; }
    tr.anomalous td { background: #fff4f2; }
    tr.anomalous td:first-child { box-shadow: inset 3px 0 0 var(--c, #dc2626); font-weight: 650; }
    td.down { color: var(--bad); font-weight: 650; }
    .badge {
      display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 1.6;
      color: var(--c, #475569); background: color-mix(in srgb, var(--c, #475569) 12%, transparent);
      max-width: 16em; overflow: hidden; text-overflow: ellipsis; vertical-align: middle;
    }
    .empty { margin: 10px 0 2px; font-size: 13px; color: var(--muted); }
    td.line { width: 40%; min-width: 12em; }
    .track { position: relative; height: 10px; border-radius: 5px; background: color-mix(in srgb, var(--muted) 12%, transparent); }
    .span { position: absolute; top: 0; bottom: 0; min-width: 3px; border-radius: 5px; background: var(--c, #475569); }
    tr.running .span { box-shadow: 0 0 0 2px color-mix(in srgb, var(--c, #475569) 35%, transparent); }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 6px; padding: 0; list-style: none; }
    .legend li { display: flex; align-items: center; gap: 6px; font-size: 13px; cursor: pointer; user-select: none; }
    .legend li.off { opacity: .35; }
    .legend .sw { flex: none; width: 14px; height: 4px; border-radius: 2px; background: var(--c); }
    .legend .lv { font-weight: 650; font-variant-numeric: tabular-nums; }
    .chart-wrap { position: relative; }
    #anomaly-chart { display: block; width: 100%; height: 250px; }
    #anomaly-chart .grid line { stroke: #e9edf3; stroke-width: 1; }
    #anomaly-chart .axis line { stroke: #c9d1dc; stroke-width: 1; }
    #anomaly-chart text { fill: #7a8599; font-size: 11px; font-variant-numeric: tabular-nums; }
    #anomaly-chart text.placeholder { fill: #98a2b3; font-size: 13px; }
    #anomaly-chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
    #anomaly-chart .cursor { stroke: #475569; stroke-width: 1; stroke-dasharray: 3 3; }
    .tip {
      position: absolute; top: 6px; min-width: 170px; padding: 6px 10px; border-radius: 6px; pointer-events: none;
      background: rgba(15, 23, 42, .92); color: #f1f5f9; font-size: 12px; font-variant-numeric: tabular-nums;
    }
    .tip div { display: flex; justify-content: space-between; gap: 14px; }
    .tip .th { font-weight: 650; margin-bottom: 2px; }
    .labels { display: flex; flex-direction: column; gap: 9px; }
    .label-row {
      display: grid; grid-template-columns: 10px minmax(0, 1fr) auto 58px; align-items: center; column-gap: 8px; row-gap: 3px;
      font-size: 13px; font-variant-numeric: tabular-nums;
    }
    .label-row .dot { width: 10px; height: 10px; border-radius: 3px; background: var(--c); }
    .label-row .label-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .label-row .label-count { font-weight: 650; text-align: right; }
    .label-row .label-pct { color: var(--muted); text-align: right; }
    .label-row .label-bar { grid-column: 2 / 5; height: 5px; border-radius: 3px; background: #edf0f4; overflow: hidden; }
    .label-row .label-bar div { height: 100%; min-width: 1px; background: var(--c); border-radius: 3px; }
    </style>
    </head>
    <body data-updates="0">
    <header>
      <h1>NetChaos<small>live pipeline</small></h1>
      <div class="meta">
        <span id="last-update"></span>
        <span id="status" class="status" data-state="connecting">connecting…</span>
      </div>
    </header>
    <main>
      <section class="cards" aria-label="Headline numbers">
        <div class="card primary">
          <div class="card-k">Events per second</div>
          <div class="card-v" id="events-per-second">—</div>
          <div class="meter" aria-hidden="true"><div id="rate-meter"></div></div>
          <div class="card-s" id="rate-note"></div>
        </div>
        <div class="card"><div class="card-k">Target rate</div><div class="card-v" id="target-rate">—</div><div class="card-s" id="target-note"></div></div>
        <div class="card"><div class="card-k">Events total</div><div class="card-v" id="events-total">—</div><div class="card-s" id="events-note"></div></div>
        <div class="card"><div class="card-k">Uptime</div><div class="card-v" id="uptime">—</div><div class="card-s" id="uptime-note"></div></div>
        <div class="card"><div class="card-k">Sink lag</div><div class="card-v" id="sink-lag">—</div><div class="card-s">records not yet stored</div></div>
        <div class="card"><div class="card-k">Records stored</div><div class="card-v" id="records-stored">—</div><div class="card-s" id="records-consumed"></div></div>
        <div class="card"><div class="card-k">Dead letters</div><div class="card-v" id="dead-letters">—</div><div class="card-s" id="records-invalid"></div></div>
        <div class="card"><div class="card-k">Batches landed</div><div class="card-v" id="batches-total">—</div><div class="card-s" id="batch-note"></div></div>
        <div class="card"><div class="card-k">Bytes stored</div><div class="card-v" id="bytes-stored">—</div><div class="card-s" id="bytes-note"></div></div>
        <div class="card"><div class="card-k">Every record accounted for</div><div class="card-v" id="reconciled">—</div><div class="card-s" id="reconciled-note"></div></div>
      </section>

      <section class="grid2">
        <div class="panel">
          <div class="panel-head"><h2>Anomalies per second, by kind</h2><span class="note">last 2 minutes · click a kind to hide it</span></div>
          <ul class="legend" id="anomaly-legend"></ul>
          <div class="chart-wrap">
            <svg id="anomaly-chart" role="img" aria-label="Anomalies per second by kind"></svg>
            <div class="tip" id="chart-tip" hidden></div>
          </div>
        </div>
        <div class="panel">
          <div class="panel-head"><h2>Events by label</h2><span class="note" id="labels-note"></span></div>
          <div class="labels" id="labels"></div>
          <p class="empty" id="labels-empty">No events yet.</p>
        </div>
      </section>

      <section class="grid2 even">
        <div class="panel">
          <div class="panel-head"><h2>Batches landed</h2><span class="note">newest first</span></div>
          <table id="batches">
            <thead><tr><th>Key</th><th class="num">Records</th><th class="num">Size</th></tr></thead>
            <tbody></tbody>
          </table>
          <p class="empty" id="batches-empty">No batches landed yet.</p>
        </div>
        <div class="panel">
          <div class="panel-head"><h2>Latest anomalies</h2><span class="note">newest first</span></div>
          <table id="latest-anomalies">
            <thead><tr><th>Time (UTC)</th><th>Label</th><th>Source</th><th>Destination</th><th>Proto</th><th class="num">Bytes</th></tr></thead>
            <tbody></tbody>
          </table>
          <p class="empty" id="latest-anomalies-empty">No anomalies yet.</p>
        </div>
      </section>

      <section class="panel">
        <div class="panel-head"><h2>Incidents</h2><span class="note" id="incidents-note">running and past, newest first, on one time line</span></div>
        <div class="scroll">
          <table id="incidents">
            <thead><tr><th>Start (UTC)</th><th>Family</th><th>Technique</th><th>Time line</th><th class="num">Records</th><th>Status</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
        <p class="empty" id="incidents-empty">No incidents yet.</p>
      </section>

      <section class="panel">
        <div class="panel-head">
          <h2>Switches</h2>
          <span class="note" id="switch-snapshot">no snapshot yet</span>
          <span class="spacer"></span>
          <span class="note" id="switch-summary"></span>
          <label class="toggle"><input type="checkbox" id="switch-filter"> anomalous only</label>
        </div>
        <div class="scroll">
          <table id="switches">
            <thead><tr><th>Switch</th><th class="num">Bandwidth</th><th class="num">Latency</th><th class="num">Errors</th><th class="num">Utilization</th><th>Status</th><th>Label</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
        <p class="empty" id="switches-empty">No switch reports yet.</p>
      </section>
    </main>
    <script>
    (() => {
      'use strict';

      const POLL_MS = 1000;
      const TIMEOUT_MS = 5000;
      const DASH = '\u2014';
      const KNOWN_KINDS = ['latency_spike', 'connection_reset', 'exfiltration', 'port_scan', 'malformed'];
      const LABEL_ORDER = ['normal'].concat(KNOWN_KINDS);
      const COLORS = {
        normal: '#94a3b8', latency_spike: '#d97706', connection_reset: '#7c3aed', exfiltration: '#dc2626',
        port_scan: '#2563eb', malformed: '#0d9488', beaconing: '#db2777', brute_force: '#65a30d', ddos: '#be123c',
        lateral_movement: '#4f46e5',
      };
      const SWITCH_COLORS = {
        normal: '#64748b', link_flap: '#7c3aed', congestion_spike: '#d97706', error_burst: '#dc2626', stale: '#0e7490',
      };
      const SPARE = ['#db2777', '#65a30d', '#0891b2', '#ea580c', '#4f46e5', '#a16207', '#be123c', '#0f766e'];
      const spareColors = new Map();

      const $ = (id) => document.getElementById(id);
      const chart = $('anomaly-chart');
      const SVG_NS = chart.namespaceURI;

      // ---- small helpers -------------------------------------------------------------------
      const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
      const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
      const obj = (v) => (isObj(v) ? v : {});
      const arr = (v) => (Array.isArray(v) ? v : []);
      const own = (o, k) => (isObj(o) && has(o, k) ? o[k] : undefined);
      function num(v) {
        if (typeof v === 'number') return Number.isFinite(v) ? v : null;
        if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
        return null;
      }
      const str = (v) => (v === null || v === undefined ? '' : String(v));

      function colorOf(kind, table) {
        if (has(table, kind)) return table[kind];
        if (!spareColors.has(kind)) spareColors.set(kind, SPARE[spareColors.size % SPARE.length]);
        return spareColors.get(kind);
      }

      function fmtInt(v) {
        const n = num(v);
        if (n === null) return DASH;
        const r = Math.round(n);
        const digits = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        return (r < 0 ? '-' : '') + digits;
      }
      function fmtBytes(v) {
        const n = num(v);
        if (n === null) return DASH;
        if (Math.abs(n) < 1024) return Math.round(n) + ' B';
        const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
        let x = n / 1024;
        let i = 0;
        while (Math.abs(x) >= 1024 && i < units.length - 1) { x /= 1024; i += 1; }
        return (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ' + units[i];
      }
      function fmtFixed(v, digits, unit) {
        const n = num(v);
        return n === null ? DASH : n.toFixed(digits) + unit;
      }
      function fmtCompact(n) {
        if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(n % 1e6 === 0 ? 0 : 1) + 'M';
        if (Math.abs(n) >= 1e3) return (n / 1e3).toFixed(n % 1e3 === 0 ? 0 : 1) + 'k';
        return String(Math.round(n * 100) / 100);
      }
      const pad2 = (n) => String(n).padStart(2, '0');
      function fmtDuration(v) {
        const n = num(v);
        if (n === null || n < 0) return DASH;
        const s = Math.floor(n);
        const d = Math.floor(s / 86400);
        const h = Math.floor((s % 86400) / 3600);
        const m = Math.floor((s % 3600) / 60);
        const sec = s % 60;
        if (d > 0) return d + 'd ' + h + 'h ' + pad2(m) + 'm';
        if (h > 0) return h + 'h ' + pad2(m) + 'm ' + pad2(sec) + 's';
        if (m > 0) return m + 'm ' + pad2(sec) + 's';
        return sec + 's';
      }
      /** HH:MM:SS (UTC) of an epoch in seconds, or null. */
      function clock(v) {
        const n = num(v);
        if (n === null) return null;
        const date = new Date(n * 1000);
        if (!Number.isFinite(date.getTime())) return null;
        return date.toISOString().slice(11, 19);
      }
      /** The time of day of an ISO 8601 timestamp, the whole text when it has none. */
      function isoTime(v) {
        const s = str(v);
        const m = /T(\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)/.exec(s);
        return m ? m[1] : (s || DASH);
      }
      function hostPort(host, port) {
        const h = str(host) || DASH;
        const p = num(port);
        if (p === null) return h;
        return (h.includes(':') ? '[' + h + ']' : h) + ':' + p;
      }
      function pct(part, whole) {
        if (!(whole > 0)) return '';
        const p = (part / whole) * 100;
        return (p > 0 && p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
      }

      function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined) e.textContent = text;
        return e;
      }
      function td(text, cls) { return el('td', cls, text); }
      function badge(text, color) {
        const b = el('span', 'badge', text || DASH);
        b.style.setProperty('--c', color);
        return b;
      }
      function svgEl(tag, attrs) {
        const e = document.createElementNS(SVG_NS, tag);
        for (const k of Object.keys(attrs || {})) e.setAttribute(k, String(attrs[k]));
        return e;
      }
      function setText(id, text) { $(id).textContent = text; }
      /** Shows `n` formatted in #id, the exact number in its data-value. */
      function setValue(id, n, format) {
        const e = $(id);
        e.textContent = format(n);
        if (n === null) e.removeAttribute('data-value');
        else e.dataset.value = String(n);
      }
      function fillBody(tableId, rows) {
        $(tableId).tBodies[0].replaceChildren(...rows);
        $(tableId + '-empty').hidden = rows.length > 0;
      }

      // ---- reconciliation: every slot written is stored, dead-lettered, a planned drop or pending
      function renderReconciliation(d) {
        const r = own(d, 'reconciliation');
        if (r === null || typeof r !== 'object') {
          setText('reconciled', 'off');
          setText('reconciled-note', 'not reconciled');
          return;
        }
        const dup = num(r.duplicates) || 0;
        const lost = num(r.lost) || 0;
        setText('reconciled', r.ok ? (r.final ? 'yes, final' : 'so far') : (lost > 0 ? fmtInt(lost) + ' lost' : fmtInt(dup) + ' repeated'));
        const parts = [fmtInt(num(r.present) || 0) + ' stored', fmtInt(num(r.dead_lettered) || 0) + ' dead letters',
          fmtInt(num(r.planned_drops) || 0) + ' planned drops'];
        if (!r.final) parts.push(fmtInt(num(r.pending) || 0) + ' pending');
        if (dup > 0) parts.push(fmtInt(dup) + ' repeated');
        setText('reconciled-note', parts.join(' · '));
      }

      // ---- headline numbers ----------------------------------------------------------------
      function renderHeadline(d) {
        const g = obj(d.generator);
        const s = obj(d.sink);
        const rate = num(g.events_per_second);
        setValue('events-per-second', rate, fmtInt);

        const target = $('target-rate');
        const tr = own(g, 'target_rate');
        const trn = num(tr);
        if (tr === null) {
          target.textContent = 'max';
          target.dataset.value = 'max';
          setText('target-note', 'as fast as it can');
        } else {
          setValue('target-rate', trn, fmtInt);
          setText('target-note', trn !== null ? 'events per second' : '');
        }
        const ofTarget = rate !== null && trn !== null && trn > 0 ? rate / trn : null;
        setText('rate-note', ofTarget !== null ? pct(rate, trn) + ' of target' : (tr === null ? 'unthrottled' : ''));
        $('rate-meter').style.width = (ofTarget !== null ? Math.min(1, Math.max(0, ofTarget)) * 100 : 0) + '%';

        setValue('events-total', num(g.events_total), fmtInt);
        setValue('records-stored', num(s.records_valid), fmtInt);
        const consumed = num(s.records_consumed);
        setText('records-consumed', consumed === null ? '' : fmtInt(consumed) + ' consumed');
        setValue('dead-letters', num(s.dead_lettered), fmtInt);
        const invalid = num(s.records_invalid);
        setText('records-invalid', invalid === null ? '' : fmtInt(invalid) + ' invalid');
        const batches = num(s.batches);
        setValue('batches-total', batches, fmtInt);
        const bytes = num(s.bytes_stored);
        setValue('bytes-stored', bytes, fmtBytes);
        setText('bytes-note', bytes !== null ? fmtInt(bytes) + ' bytes' : '');
        setText('batch-note', bytes !== null && batches ? fmtBytes(bytes / batches) + ' per batch' : '');
        setValue('sink-lag', num(s.lag_records), fmtInt);
        renderReconciliation(d);
        const uptime = num(d.uptime_seconds);
        setValue('uptime', uptime, fmtDuration);
        const now = num(d.time);
        const since = now !== null && uptime !== null ? clock(now - uptime) : null;
        setText('uptime-note', since ? 'since ' + since + ' UTC' : '');
        const evNote = num(g.events_total);
        setText('events-note', evNote !== null ? 'generated' : '');
        document.title = rate !== null ? 'NetChaos · ' + fmtInt(rate) + ' ev/s' : 'NetChaos · live';
      }

      // ---- totals by label -----------------------------------------------------------------
      function rank(label) {
        const i = LABEL_ORDER.indexOf(label);
        return i < 0 ? LABEL_ORDER.length : i;
      }
      function renderLabels(d) {
        const by = obj(obj(d.generator).by_label);
        const labels = Object.keys(by).sort((a, b) => rank(a) - rank(b));
        let total = 0;
        for (const l of labels) total += Math.max(0, num(by[l]) || 0);
        const rows = labels.map((label) => {
          const count = num(by[label]);
          const color = colorOf(label, COLORS);
          const row = el('div', 'label-row');
          row.dataset.label = label;
          row.dataset.count = count === null ? '' : String(count);
          row.style.setProperty('--c', color);
          const name = el('span', 'label-name', label);
          name.title = label;
          const bar = el('div', 'label-bar');
          const fill = el('div');
          fill.style.width = (total > 0 && count !== null ? Math.max(0, (count / total) * 100) : 0) + '%';
          bar.append(fill);
          row.append(el('span', 'dot'), name, el('span', 'label-count', fmtInt(count)),
            el('span', 'label-pct', count === null ? '' : pct(count, total)), bar);
          return row;
        });
        $('labels').replaceChildren(...rows);
        $('labels-empty').hidden = rows.length > 0;
        setText('labels-note', labels.length ? fmtInt(total) + ' events' : '');
      }

      // ---- anomalies over time -------------------------------------------------------------
      let chartEntries = [];
      let chartGeom = null;
      let hoverX = null;
      const hiddenKinds = new Set();

      function chartKinds(entries) {
        const kinds = KNOWN_KINDS.slice();
        for (const e of entries) {
          for (const k of Object.keys(obj(e.counts))) {
            if (k !== 'normal' && !kinds.includes(k)) kinds.push(k);
          }
        }
        return kinds;
      }
      function countOf(entry, kind) {
        const v = num(own(obj(entry.counts), kind));
        return v === null ? 0 : v;
      }
      function niceScale(max) {
        const m = max > 0 ? max : 4;
        const rough = m / 4;
        const mag = Math.pow(10, Math.floor(Math.log10(rough)));
        const norm = rough / mag;
        let step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
        step = Math.max(1, step);
        return { step, top: Math.max(step, Math.ceil(m / step) * step) };
      }

      function renderLegend() {
        const kinds = chartKinds(chartEntries);
        const last = chartEntries.length ? chartEntries[chartEntries.length - 1] : null;
        const items = kinds.map((kind) => {
          const li = el('li');
          li.dataset.kind = kind;
          const latest = last ? countOf(last, kind) : null;
          li.dataset.latest = latest === null ? '' : String(latest);
          li.style.setProperty('--c', colorOf(kind, COLORS));
          li.title = hiddenKinds.has(kind) ? 'show ' + kind : 'hide ' + kind;
          if (hiddenKinds.has(kind)) li.classList.add('off');
          li.append(el('span', 'sw'), el('span', 'ln', kind), el('span', 'lv', latest === null ? DASH : fmtInt(latest)));
          return li;
        });
        $('anomaly-legend').replaceChildren(...items);
      }

      function drawChart() {
        const entries = chartEntries;
        const kinds = chartKinds(entries);
        const W = Math.max(320, Math.round(chart.getBoundingClientRect().width || 720));
        const H = Math.max(160, Math.round(chart.getBoundingClientRect().height || 250));
        const m = { l: 50, r: 14, t: 10, b: 26 };
        const pw = W - m.l - m.r;
        const ph = H - m.t - m.b;
        chart.setAttribute('viewBox', '0 0 ' + W + ' ' + H);

        const raw = entries.map((e) => num(e.t));
        const epochs = raw.every((t) => t !== null);
        const ts = epochs ? raw : entries.map((_, i) => i);
        const tMax = ts.length ? Math.max(...ts) : 0;
        const tMin = ts.length ? Math.min(Math.min(...ts), tMax - 59) : tMax - 59;
        const span = Math.max(1, tMax - tMin);
        const X = (t) => m.l + ((t - tMin) / span) * pw;

        const visible = kinds.filter((k) => !hiddenKinds.has(k));
        let vmax = 0;
        for (const e of entries) for (const k of visible) vmax = Math.max(vmax, countOf(e, k));
        const { step, top } = niceScale(vmax);
        const Y = (v) => m.t + ph - (Math.max(0, v) / top) * ph;

        const grid = svgEl('g', { class: 'grid' });
        for (let i = 0; i * step <= top + 1e-9; i += 1) {
          const v = i * step;
          const y = Y(v).toFixed(1);
          grid.append(svgEl('line', { x1: m.l, x2: W - m.r, y1: y, y2: y }));
          const label = svgEl('text', { x: m.l - 8, y: Number(y) + 4, 'text-anchor': 'end' });
          label.textContent = fmtCompact(v);
          grid.append(label);
        }

        const axis = svgEl('g', { class: 'axis' });
        axis.append(svgEl('line', { x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph }));
        const maxTicks = Math.max(2, Math.floor(pw / 90));
        const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
        const xs = steps.find((s) => span / s <= maxTicks) || steps[steps.length - 1];
        for (let t = Math.ceil(tMin / xs) * xs; t <= tMax + 1e-9; t += xs) {
          const x = X(t).toFixed(1);
          axis.append(svgEl('line', { x1: x, x2: x, y1: m.t + ph, y2: m.t + ph + 4 }));
          const anchor = Number(x) > W - m.r - 28 ? 'end' : Number(x) < m.l + 28 ? 'start' : 'middle';
          const label = svgEl('text', { x: x, y: H - 7, 'text-anchor': anchor });
          label.textContent = epochs ? (clock(t) || '') : String(t - tMax) + 's';
          axis.append(label);
        }

        const series = [];
        const ends = [];
        for (const kind of kinds) {
          const color = colorOf(kind, COLORS);
          const pts = entries.map((e, i) => X(ts[i]).toFixed(1) + ',' + Y(countOf(e, kind)).toFixed(1));
          const d = pts.length ? 'M' + pts.join(' L') + (pts.length === 1 ? ' L' + pts[0] : '') : '';
          const path = svgEl('path', { class: 'series', d: d, stroke: color });
          path.setAttribute('data-kind', kind);
          const latest = entries.length ? countOf(entries[entries.length - 1], kind) : null;
          path.setAttribute('data-latest', latest === null ? '' : String(latest));
          if (hiddenKinds.has(kind)) path.setAttribute('display', 'none');
          series.push(path);
          if (entries.length && !hiddenKinds.has(kind)) {
            ends.push(svgEl('circle', {
              class: 'end', r: 3, fill: color,
              cx: X(ts[ts.length - 1]).toFixed(1), cy: Y(latest).toFixed(1),
            }));
          }
        }

        const cursor = svgEl('line', { class: 'cursor', x1: 0, x2: 0, y1: m.t, y2: m.t + ph, display: 'none' });
        const parts = [grid, axis, ...series, ...ends, cursor];
        if (!entries.length) {
          const ph0 = svgEl('text', { class: 'placeholder', x: m.l + pw / 2, y: m.t + ph / 2, 'text-anchor': 'middle' });
          ph0.textContent = 'waiting for data…';
          parts.push(ph0);
        }
        chart.replaceChildren(...parts);
        chartGeom = { xs: ts.map(X), kinds, entries, epochs, cursor, W };
        if (hoverX !== null) showHover(hoverX);
      }

      function showHover(x) {
        const tip = $('chart-tip');
        const g = chartGeom;
        if (!g || !g.entries.length) { tip.hidden = true; return; }
        let best = 0;
        for (let i = 1; i < g.xs.length; i += 1) if (Math.abs(g.xs[i] - x) < Math.abs(g.xs[best] - x)) best = i;
        const px = g.xs[best];
        g.cursor.setAttribute('x1', px.toFixed(1));
        g.cursor.setAttribute('x2', px.toFixed(1));
        g.cursor.removeAttribute('display');
        const entry = g.entries[best];
        const head = el('div', 'th');
        head.textContent = g.epochs ? (clock(entry.t) || DASH) + ' UTC' : 'sample ' + (best + 1);
        const lines = [head];
        for (const kind of g.kinds) {
          if (hiddenKinds.has(kind)) continue;
          const line = el('div');
          const name = el('span', null, kind);
          name.style.color = colorOf(kind, COLORS);
          line.append(name, el('span', null, fmtInt(countOf(entry, kind))));
          lines.push(line);
        }
        tip.replaceChildren(...lines);
        tip.hidden = false;
        const width = tip.offsetWidth || 180;
        tip.style.left = (px + 14 + width > g.W ? Math.max(0, px - 14 - width) : px + 14) + 'px';
      }
      function hideHover() {
        hoverX = null;
        $('chart-tip').hidden = true;
        if (chartGeom) chartGeom.cursor.setAttribute('display', 'none');
      }
      chart.addEventListener('mousemove', (ev) => {
        hoverX = ev.clientX - chart.getBoundingClientRect().left;
        showHover(hoverX);
      });
      chart.addEventListener('mouseleave', hideHover);
      $('anomaly-legend').addEventListener('click', (ev) => {
        const li = ev.target instanceof Element ? ev.target.closest('li') : null;
        if (!li) return;
        const kind = li.dataset.kind;
        if (hiddenKinds.has(kind)) hiddenKinds.delete(kind); else hiddenKinds.add(kind);
        renderLegend();
        drawChart();
      });
      let resizeTimer = 0;
      window.addEventListener('resize', () => {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(drawChart, 100);
      });

      function renderChart(d) {
        chartEntries = arr(d.anomalies_over_time).filter(isObj);
        renderLegend();
        drawChart();
      }

      // ---- tables --------------------------------------------------------------------------
      function shortKey(key) {
        const parts = key.split('/').filter((p) => p !== '');
        return parts.length ? parts[parts.length - 1] : key;
      }
      function renderBatches(d) {
        const rows = arr(obj(d.sink).recent_batches).map((b0) => {
          const b = obj(b0);
          const key = str(b.key);
          const tr = el('tr');
          tr.dataset.key = key;
          const when = clock(b.time);
          if (when) { tr.dataset.time = String(num(b.time)); tr.title = 'landed ' + when + ' UTC'; }
          const keyCell = td(key ? shortKey(key) : DASH, 'mono key');
          keyCell.title = key;
          const size = td(fmtBytes(b.bytes), 'num');
          if (num(b.bytes) !== null) size.dataset.value = String(num(b.bytes));
          tr.append(keyCell, td(fmtInt(b.records), 'num'), size);
          return tr;
        });
        fillBody('batches', rows);
      }

      function renderLatest(d) {
        const rows = arr(d.latest_anomalies).map((a0) => {
          const a = obj(a0);
          const label = str(a.label);
          const tr = el('tr');
          tr.dataset.label = label;
          const time = td(isoTime(a.timestamp), 'mono');
          time.title = str(a.timestamp);
          const lab = td(null);
          lab.append(badge(label, colorOf(label, COLORS)));
          const src = td(str(a.src_ip) || DASH, 'mono wrap');
          const dst = td(hostPort(a.dst_ip, a.dst_port), 'mono wrap');
          const bytes = td(fmtBytes(a.bytes), 'num');
          if (num(a.bytes) !== null) bytes.dataset.value = String(num(a.bytes));
          tr.append(time, lab, src, dst, td(str(a.protocol) || DASH), bytes);
          return tr;
        });
        fillBody('latest-anomalies', rows);
      }

      function renderIncidents(d) {
        const inc = obj(d.incidents);
        const recent = arr(inc.recent).filter(isObj);
        let lo = Infinity, hi = -Infinity;
        for (const r of recent) {
          const s = num(r.start_ms), e = num(r.end_ms);
          if (s !== null) lo = Math.min(lo, s);
          if (e !== null) hi = Math.max(hi, e);
        }
        const span = hi > lo ? hi - lo : 1;
        const rows = recent.map((r) => {
          const label = str(r.label);
          const tr = el('tr');
          tr.dataset.incident = str(r.incident_id);
          tr.dataset.family = str(r.family);
          tr.dataset.running = r.running === true ? 'true' : 'false';
          if (r.running === true) tr.classList.add('running');
          tr.style.setProperty('--c', colorOf(label, COLORS));
          const start = td(clock(num(r.start_ms) !== null ? num(r.start_ms) / 1000 : null) || DASH, 'mono');
          start.title = str(r.incident_id);
          const fam = td(null);
          fam.append(badge(str(r.family), colorOf(label, COLORS)));
          const line = td(null, 'line');
          const track = el('div');
          track.className = 'track';
          const bar = el('div');
          bar.className = 'span';
          const s = num(r.start_ms), e = num(r.end_ms);
          if (s !== null && e !== null) {
            bar.style.left = (100 * (s - lo) / span).toFixed(2) + '%';
            bar.style.width = (100 * Math.max(e - s, 0) / span).toFixed(2) + '%';
            bar.title = (clock(s / 1000) || '') + ' – ' + (clock(e / 1000) || '') + ' UTC';
          }
          track.append(bar);
          line.append(track);
          tr.append(start, fam, td(str(r.technique) || DASH, 'mono'), line, td(fmtInt(r.records), 'num'), td(r.running === true ? 'running' : 'ended'));
          return tr;
        });
        fillBody('incidents', rows);
        const total = num(inc.total);
        setText('incidents-note', total !== null ? fmtInt(total) + ' incidents so far · running and past, newest first, on one time line' : 'running and past, newest first, on one time line');
      }

      function applySwitchFilter() {
        const only = $('switch-filter').checked;
        for (const tr of $('switches').tBodies[0].rows) tr.hidden = only && tr.dataset.anomalous !== 'true';
      }
      $('switch-filter').addEventListener('change', applySwitchFilter);

      function renderSwitches(d) {
        const sw = obj(d.switches);
        const snap = num(sw.snapshot_timestamp);
        const snapEl = $('switch-snapshot');
        if (snap === null) {
          snapEl.textContent = 'no snapshot yet';
          snapEl.removeAttribute('data-value');
        } else {
          const now = num(d.time);
          const age = now !== null ? Math.max(0, Math.round(now - snap)) : null;
          snapEl.textContent = 'snapshot ' + (clock(snap) || DASH) + ' UTC' + (age !== null ? ' · ' + fmtDuration(age) + ' old' : '');
          snapEl.dataset.value = String(snap);
        }
        let anomalous = 0;
        const rows = arr(sw.reports).map((r0) => {
          const r = obj(r0);
          const label = str(r.label);
          const status = str(r.oper_status);
          const tr = el('tr');
          const bad = label !== '' && label !== 'normal';
          tr.dataset.label = label;
          tr.dataset.anomalous = bad ? 'true' : 'false';
          if (bad) {
            anomalous += 1;
            tr.classList.add('anomalous');
            tr.style.setProperty('--c', colorOf(label, SWITCH_COLORS));
          }
          const lab = td(null);
          lab.append(badge(label, colorOf(label, SWITCH_COLORS)));
          tr.append(
            td(str(r.switch_id) || DASH, 'mono'),
            td(fmtFixed(r.bandwidth_mbps, 1, ' Mbps'), 'num'),
            td(fmtFixed(r.latency_ms, 2, ' ms'), 'num'),
            td(fmtInt(r.packet_errors), 'num'),
            td(fmtFixed(r.utilization_pct, 1, '%'), 'num'),
            td(status || DASH, status !== '' && status !== 'up' ? 'down' : ''),
            lab,
          );
          return tr;
        });
        fillBody('switches', rows);
        applySwitchFilter();
        setText('switch-summary', rows.length ? fmtInt(rows.length) + ' switches · ' + fmtInt(anomalous) + ' anomalous' : '');
      }

      // ---- polling -------------------------------------------------------------------------
      let updates = 0;
      let failures = 0;
      let inFlight = false;
      let lastTime = null;

      function setStatus(state, text) {
        const s = $('status');
        s.dataset.state = state;
        s.textContent = text;
        s.title = text;
      }
      function render(d) {
        const sections = [renderHeadline, renderLabels, renderChart, renderBatches, renderLatest, renderIncidents, renderSwitches];
        for (const section of sections) {
          try { section(d); } catch (err) { console.error('live page: ' + section.name + ' failed', err); }
        }
        lastTime = clock(d.time);
        setText('last-update', lastTime ? 'updated ' + lastTime + ' UTC' : '');
      }
      function reason(err) {
        if (err && err.name === 'AbortError') return 'timed out';
        return (err && err.message) ? err.message : String(err);
      }

      async function poll() {
        if (inFlight) return;
        inFlight = true;
        const ctrl = new AbortController();
        const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
        try {
          const res = await fetch('/api/live', { cache: 'no-store', signal: ctrl.signal });
          if (!res.ok) throw new Error('HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''));
          let data;
          try { data = await res.json(); } catch (err) { throw new Error('invalid JSON'); }
          if (!isObj(data)) throw new Error('unexpected response');
          render(data);
          updates += 1;
          document.body.dataset.updates = String(updates);
          setStatus('live', 'live');
        } catch (err) {
          failures += 1;
          document.body.dataset.failures = String(failures);
          setStatus('error', 'disconnected: ' + reason(err));
          if (lastTime) setText('last-update', 'showing data from ' + lastTime + ' UTC');
        } finally {
          clearTimeout(timer);
          inFlight = false;
        }
      }

      drawChart();
      poll();
      setInterval(poll, POLL_MS);
    })();
    </script>
    </body>
    </html>
    """#
}
