'use strict';
/* Shared by the dashboard's pages: the JSON API, messages, formatting, and the live stream. */
const CMS = (() => {
  const KINDS = ['pods', 'nodes', 'metrics', 'scaling', 'jobs', 'hosts'];
  const STATES = ['ONLINE', 'STARTING', 'NEW', 'DRAINING', 'FAILED', 'STOPPED'];

  const $ = (sel, root) => (root || document).querySelector(sel);

  /** An element with attributes (on* are listeners, 'class', 'text') and children (nodes or strings). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** Calls the API; resolves to its JSON, rejects with the API's own error message. */
  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' } };
    // the login cookie authenticates the dashboard; a call that changes something also carries this header,
    // which a page of another site cannot add (see ApiAuth)
    if (method !== 'GET') init.headers['X-CMS-CSRF'] = '1';
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let r;
    try {
      r = await fetch(path, init);
    } catch (e) {
      throw new Error('cannot reach the CMS API (' + e.message + ')');
    }
    if (r.status === 401) {
      location.href = '/login?next=' + encodeURIComponent(location.pathname);
      throw new Error('not logged in (or the token was revoked): log in again');
    }
    let json;
    try {
      json = await r.json();
    } catch (e) {
      json = { error: 'HTTP ' + r.status };
    }
    if (!r.ok) throw new Error(json.error || 'HTTP ' + r.status);
    return json;
  }

  /** Shows a message at the top of the page, or in the element {@code where} names. */
  function message(text, kind, where) {
    const m = $(where || '#message');
    m.textContent = text;
    m.className = 'message ' + kind;
    m.hidden = false;
  }

  /** Sends one request and shows its message, or the API's error, at the top of the page or in {@code where}. */
  async function act(method, path, body, where) {
    $(where || '#message').hidden = true;
    try {
      const j = await api(method, path, body);
      message(j.message || 'done', 'ok', where);
      return j;
    } catch (e) {
      message(e.message, 'error', where);
      return null;
    }
  }

  const pod = name => '/api/pods/' + encodeURIComponent(name);

  function num(v, digits) {
    return v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toFixed(digits === undefined ? 1 : digits);
  }

  function pct(v) {
    return v === undefined || v === null ? '–' : Math.round(v * 100) + '%';
  }

  function time(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour12: false });
  }

  /** A JSON value on one line, cut at {@code max} characters (a string as it is). */
  function brief(v, max) {
    if (v === undefined || v === null) return '';
    const t = typeof v === 'string' ? v : JSON.stringify(v);
    const m = max || 200;
    return t.length > m ? t.slice(0, m - 1) + '…' : t;
  }

  /** Counts a pod's nodes by state. */
  function counts(pod) {
    const c = {};
    STATES.forEach(s => { c[s] = 0; });
    (pod.nodes || []).forEach(n => { c[n.state] = (c[n.state] || 0) + 1; });
    return c;
  }

  /** One line about a pod's elasticity policy. */
  function policyText(e) {
    if (!e || !e.enabled) return 'off';
    const mode = e.mode || 'threshold';
    const metric = e.metric || 'cpu';
    const rule = mode === 'target' ? 'target ' + num(e.target, 2)
      : 'lower ' + num(e.lower_threshold, 2) + ', upper ' + num(e.upper_threshold, 2) + ', step ' + (e.step || 'one');
    return 'on ' + e.min + '–' + e.max + ' · ' + mode + ' on ' + metric + ' · ' + rule;
  }

  /** Calls fn at most every 100 ms, however often it is asked to. */
  function throttled(fn) {
    let pending = false;
    return () => {
      if (pending) return;
      pending = true;
      setTimeout(() => { pending = false; fn(); }, 100);
    };
  }

  /**
   * Follows /api/stream from a snapshot's cursor. EventSource reconnects by itself and sends the last
   * id it got, so the server resumes where it left off; if the browser gives up (an HTTP error while
   * the service restarts) this opens a new one from the last id. Events already seen are dropped by id.
   */
  function follow(params, cursor, onEvent) {
    const seen = new Set();
    const order = [];
    let lastId = cursor;
    let source = null;
    let retry = null;
    const conn = $('#conn');
    const status = (text, cls) => { conn.textContent = text; conn.className = 'conn ' + cls; };
    const open = () => {
      const q = new URLSearchParams(params);
      if (lastId) q.set('after', lastId);
      source = new EventSource('/api/stream?' + q);
      source.onopen = () => status('live', 'live');
      source.onerror = () => {
        status('reconnecting…', 'down');
        if (source.readyState === EventSource.CLOSED) {
          clearTimeout(retry);
          retry = setTimeout(open, 2000);
        }
      };
      for (const kind of KINDS) {
        source.addEventListener(kind, e => {
          lastId = e.lastEventId || lastId;
          const d = JSON.parse(e.data);
          const id = d.event && d.event.event_id;
          if (id) {
            if (seen.has(id)) return;
            seen.add(id);
            order.push(id);
            if (order.length > 50000) seen.delete(order.shift());
          }
          onEvent(d);
        });
      }
    };
    open();
    // a page kept in the back/forward cache must not hold its stream (a browser has 6 connections per host)
    window.addEventListener('pagehide', () => { clearTimeout(retry); source.close(); });
    window.addEventListener('pageshow', e => { if (e.persisted) open(); });
    return { close: () => { clearTimeout(retry); source.close(); } };
  }

  /** Fills a table body and labels each cell with its column's header (shown on narrow screens). */
  function fill(table, rows) {
    const t = $(table);
    const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent);
    t.tBodies[0].replaceChildren(...rows);
    rows.forEach(r => [...r.children].forEach((td, i) => { if (heads[i]) td.setAttribute('data-label', heads[i]); }));
  }

  return { $, el, api, act, message, pod, num, pct, time, brief, counts, policyText, throttled, follow, fill,
    STATES };
})();
