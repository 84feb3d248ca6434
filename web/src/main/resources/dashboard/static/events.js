'use strict';
/* The events page: node, scaling and job events, newest first, filtered by pod and kind, live. */
(() => {
  const { $, el, api, time, brief, follow } = CMS;
  const MAX_ROWS = 1000;
  let stream = null;

  function details(e) {
    switch (e.type) {
      case 'ScalingDecision': return e.from_nodes + ' → ' + e.to_nodes + ' nodes (' + e.metric + ' '
        + Number(e.value).toFixed(2) + '): ' + e.reason;
      case 'NodeFailed': return (e.host_id ? 'on ' + e.host_id + ': ' : '') + (e.reason || '')
        + (e.exit_code != null ? ' (exit ' + e.exit_code + ')' : '');
      case 'NodeOnline': return 'on ' + e.host_id + ' at ' + e.address + ':' + e.port;
      case 'NodeStarting': case 'NodeStopped': return 'on ' + e.host_id;
      case 'JobQueued': return 'attempt ' + (e.attempt || 1) + (e.source ? ' from ' + e.source : '')
        + (e.reason ? ': ' + e.reason : '');
      case 'JobRunning': return 'attempt ' + e.attempt + (e.node ? ' on ' + e.node : ', sent to the pod\'s frontend');
      case 'JobSucceeded': return 'on ' + e.node + (e.attempt ? ', attempt ' + e.attempt : '') + ' in '
        + e.duration_ms + ' ms: ' + brief(e.result);
      case 'JobFailed': return (e.node ? 'on ' + e.node + ', ' : '') + (e.attempt ? 'attempt ' + e.attempt + ': ' : '')
        + (e.reason || '');
      case 'JobAborted': return e.reason || '';
      default: return '';
    }
  }

  /** What an event is about: the job of a job event (its node is in the details), else the node. */
  function subject(e) {
    return e.job_id || e.node || '';
  }

  function row(d) {
    const e = d.event;
    return el('tr', { class: 'kind-' + d.kind, 'data-kind': d.kind },
      el('td', { text: time(e.at) }), el('td', { text: d.kind }),
      el('td', {}, d.pod ? el('a', { href: '/pods/' + encodeURIComponent(d.pod), text: d.pod }) : '–'),
      el('td', { text: e.type + (subject(e) ? ' ' + subject(e) : '') }), el('td', { class: 'details', text: details(e) }));
  }

  function add(d) {
    const body = $('#events tbody');
    const r = row(d);
    [...r.children].forEach((td, i) => td.setAttribute('data-label', ['At', 'Kind', 'Pod', 'Event', 'Details'][i]));
    body.prepend(r);
    while (body.children.length > MAX_ROWS) body.lastChild.remove();
  }

  function params() {
    const kinds = [...document.querySelectorAll('input[name=kind]:checked')].map(i => i.value);
    const p = { kind: (kinds.length ? kinds : ['nodes', 'scaling', 'jobs']).join(',') };
    const pod = $('#filter-pod').value.trim();
    if (pod) p.pod = pod;
    return p;
  }

  async function load() {
    if (stream) stream.close();
    const p = params();
    try {
      const { data } = await api('GET', '/api/live/events?' + new URLSearchParams(p));
      $('#events tbody').replaceChildren();
      data.events.forEach(add);
      stream = follow(p, data.cursor, add);
      const overview = await api('GET', '/api/live');
      $('#pod-names').replaceChildren(...overview.data.pods.map(x => el('option', { value: x.name })));
    } catch (e) {
      CMS.message(e.message, 'error');
    }
  }

  const q = new URLSearchParams(location.search);
  if (q.get('pod')) $('#filter-pod').value = q.get('pod');
  if (q.get('kind')) {
    const kinds = q.get('kind').split(',');
    document.querySelectorAll('input[name=kind]').forEach(i => { i.checked = kinds.includes(i.value); });
  }
  $('#filter').onsubmit = ev => { ev.preventDefault(); load(); };
  load();
})();
