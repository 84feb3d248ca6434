'use strict';
/* The overview: pods with node counts, traffic, jobs and controls; hosts with capacity and use. */
(() => {
  const { $, el, api, act, pod, num, pct, time, counts, policyText, throttled, follow, fill, STATES } = CMS;
  const pods = new Map();   // name -> summary, as /api/live gives it, kept up to date
  const hosts = new Map();  // id -> host view
  const cpu = new Map();    // node -> {pod, share, at}
  const FRESH_MS = 5000;    // how old the resource manager's job sample may be and still be shown
  let skew = 0;             // server clock minus this browser's

  function summaryOf(p, before) {
    const s = Object.assign({}, before || {});
    s.name = p.name;
    s.workload = p.workload.builtin || (p.workload.image + ':' + p.workload.port);
    s.paused = p.paused;
    s.nodes = counts(p);
    s.elasticity = p.elasticity;
    s.frontend_port = p.frontend_port;
    s.online_nodes = p.nodes.filter(n => n.state === 'ONLINE').map(n => n.name);
    return s;
  }

  function utilisation(s) {
    const recent = Date.now() + skew - 3000;
    const shares = s.online_nodes.map(n => cpu.get(n)).filter(c => c && c.at >= recent).map(c => c.share);
    return shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : s.utilisation;
  }

  /** Jobs queued or running as the resource manager's last sample says, '–' when it sent none lately. */
  function jobCount(s, field) {
    return s.jobsAt !== undefined && s.jobsAt >= Date.now() + skew - FRESH_MS && s[field] != null ? s[field] : '–';
  }

  function nodeBadges(c) {
    return STATES.filter(st => c[st] > 0).map(st =>
      el('span', { class: 'badge state-' + st, 'data-state': st, text: c[st] + ' ' + st }));
  }

  function podRow(s) {
    return el('tr', { 'data-pod': s.name },
      el('td', {}, el('a', { href: '/pods/' + encodeURIComponent(s.name), text: s.name })),
      el('td', { text: s.workload }),
      el('td', { class: 'nodes' }, nodeBadges(s.nodes)),
      el('td', { class: 'paused', text: s.paused ? 'paused' : 'no' }),
      el('td', { class: 'elasticity', text: policyText(s.elasticity) }),
      el('td', { class: 'num', text: pct(utilisation(s)) }),
      el('td', { class: 'num rps', text: num(s.requests_per_second) }),
      el('td', { class: 'num', text: s.p95_ms != null ? num(s.p95_ms, 0) + ' ms'
        : s.mean_response_ms != null ? num(s.mean_response_ms, 0) + ' ms (mean)' : '–' }),
      el('td', { class: 'num jobs-queued', text: jobCount(s, 'jobs_queued') }),
      el('td', { class: 'num jobs-running', text: jobCount(s, 'jobs_running') }),
      el('td', { class: 'actions' },
        s.paused ? el('button', { class: 'resume', text: 'Resume', onclick: () => act('POST', pod(s.name) + '/resume') })
          : el('button', { class: 'pause', text: 'Pause', onclick: () => act('POST', pod(s.name) + '/pause') }),
        el('button', { class: 'launch', text: 'Launch', onclick: () => act('POST', pod(s.name) + '/launch') })));
  }

  function bar(used, total, text) {
    const share = total > 0 ? Math.min(1, used / total) : 0;
    return el('div', { class: 'bar', title: text },
      el('span', { style: 'width:' + Math.round(share * 100) + '%' }), el('em', { text }));
  }

  function hostRow(h) {
    return el('tr', { 'data-host': h.host_id, class: h.lost ? 'lost' : '' },
      el('td', { text: h.host_id + (h.lost ? ' (lost)' : '')
        + (h.scheduling && h.scheduling !== 'ok' ? ' · ' + h.scheduling : '') }),
      el('td', { text: h.address || '–' }),
      el('td', {}, bar(h.cpu_used, h.cpu_cores, num(h.cpu_used, 2) + ' / ' + num(h.cpu_cores, 1))),
      el('td', {}, bar(h.memory_used_mb, h.memory_mb, h.memory_used_mb + ' / ' + h.memory_mb + ' MB')),
      el('td', { text: time(h.last_seen) }));
  }

  const render = throttled(() => {
    fill('#pods', [...pods.values()].sort((a, b) => a.name.localeCompare(b.name)).map(podRow));
    $('#no-pods').hidden = pods.size > 0;
    fill('#hosts', [...hosts.values()].map(hostRow));
    if (window.cmsRenderedAt === undefined) window.cmsRenderedAt = performance.now(); // for the load benchmark
  });

  function apply(d) {
    const e = d.event;
    if (e.type === 'PodSnapshot') pods.set(e.pod.name, summaryOf(e.pod, pods.get(e.pod.name)));
    else if (e.type === 'PodRemoved') pods.delete(e.pod);
    else if (e.type === 'CloudSnapshot') {  // cordons as they change; the counts come with the next page load
      const cordons = new Map((e.cordons || []).map(c => [c.host_id, c]));
      hosts.forEach(h => { const c = cordons.get(h.host_id); h.scheduling = !c ? 'ok' : c.drain ? 'draining' : 'cordoned'; });
    }
    else if (e.type === 'NodeSample') cpu.set(e.node, { share: e.cpu_share, at: Date.parse(e.at) });
    else if (e.type === 'PodSample' && pods.has(e.pod)) {
      const s = pods.get(e.pod);
      if (e.requests_per_second != null) Object.assign(s, { requests_per_second: e.requests_per_second,
        p95_ms: e.p95_ms, mean_response_ms: e.mean_response_ms });
      if (e.source === 'rm') Object.assign(s, { jobs_queued: e.job_queue_depth, jobs_running: e.jobs_running,
        jobsAt: Date.parse(e.at) });
    } else if (d.kind === 'hosts') {
      const h = Object.assign({}, hosts.get(e.host_id) || { host_id: e.host_id, cpu_used: 0, memory_used_mb: 0 });
      if (e.type === 'HostLost') Object.assign(h, { lost: true, reason: e.reason });
      else Object.assign(h, { address: e.address, cpu_cores: e.cpu_cores, memory_mb: e.memory_mb, last_seen: e.at,
        lost: false }, e.type === 'HostHeartbeat' ? { cpu_used: e.cpu_used, memory_used_mb: e.memory_used_mb } : {});
      hosts.set(e.host_id, h);
    }
    render();
  }

  async function start() {
    try {
      const { data } = await api('GET', '/api/live');
      skew = Date.parse(data.now) - Date.now();
      data.pods.forEach(p => pods.set(p.name, Object.assign(p, p.jobs_queued != null ? { jobsAt: Date.parse(data.now) } : {})));
      data.hosts.forEach(h => hosts.set(h.host_id, h));
      render();
      follow({ kind: 'pods,metrics,hosts' }, data.cursor, apply);
      setInterval(render, 1000);
    } catch (e) {
      CMS.message(e.message, 'error');
      setTimeout(start, 2000);
    }
  }
  start();
})();
