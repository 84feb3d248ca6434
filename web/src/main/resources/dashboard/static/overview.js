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
    s.frontendPort = p.frontendPort;
    s.onlineNodes = p.nodes.filter(n => n.state === 'ONLINE').map(n => n.name);
    return s;
  }

  function utilisation(s) {
    const recent = Date.now() + skew - 3000;
    const shares = s.onlineNodes.map(n => cpu.get(n)).filter(c => c && c.at >= recent).map(c => c.share);
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
      el('td', { class: 'num rps', text: num(s.requestsPerSecond) }),
      el('td', { class: 'num', text: s.p95Ms != null ? num(s.p95Ms, 0) + ' ms'
        : s.meanResponseMs != null ? num(s.meanResponseMs, 0) + ' ms (mean)' : '–' }),
      el('td', { class: 'num jobs-queued', text: jobCount(s, 'jobsQueued') }),
      el('td', { class: 'num jobs-running', text: jobCount(s, 'jobsRunning') }),
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
    return el('tr', { 'data-host': h.hostId, class: h.lost ? 'lost' : '' },
      el('td', { text: h.hostId + (h.lost ? ' (lost)' : '')
        + (h.scheduling && h.scheduling !== 'ok' ? ' · ' + h.scheduling : '') }),
      el('td', { text: h.address || '–' }),
      el('td', {}, bar(h.cpuUsed, h.cpuCores, num(h.cpuUsed, 2) + ' / ' + num(h.cpuCores, 1))),
      el('td', {}, bar(h.memoryUsedMb, h.memoryMb, h.memoryUsedMb + ' / ' + h.memoryMb + ' MB')),
      el('td', { text: time(h.lastSeen) }));
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
      const cordons = new Map((e.cordons || []).map(c => [c.hostId, c]));
      hosts.forEach(h => { const c = cordons.get(h.hostId); h.scheduling = !c ? 'ok' : c.drain ? 'draining' : 'cordoned'; });
    }
    else if (e.type === 'NodeSample') cpu.set(e.node, { share: e.cpuShare, at: Date.parse(e.at) });
    else if (e.type === 'PodSample' && pods.has(e.pod)) {
      const s = pods.get(e.pod);
      if (e.requestsPerSecond != null) Object.assign(s, { requestsPerSecond: e.requestsPerSecond, p95Ms: e.p95Ms,
        meanResponseMs: e.meanResponseMs });
      if (e.source === 'rm') Object.assign(s, { jobsQueued: e.jobQueueDepth, jobsRunning: e.jobsRunning,
        jobsAt: Date.parse(e.at) });
    } else if (d.kind === 'hosts') {
      const h = Object.assign({}, hosts.get(e.hostId) || { hostId: e.hostId, cpuUsed: 0, memoryUsedMb: 0 });
      if (e.type === 'HostLost') Object.assign(h, { lost: true, reason: e.reason });
      else Object.assign(h, { address: e.address, cpuCores: e.cpuCores, memoryMb: e.memoryMb, lastSeen: e.at,
        lost: false }, e.type === 'HostHeartbeat' ? { cpuUsed: e.cpuUsed, memoryUsedMb: e.memoryUsedMb } : {});
      hosts.set(e.hostId, h);
    }
    render();
  }

  async function start() {
    try {
      const { data } = await api('GET', '/api/live');
      skew = Date.parse(data.now) - Date.now();
      data.pods.forEach(p => pods.set(p.name, Object.assign(p, p.jobsQueued != null ? { jobsAt: Date.parse(data.now) } : {})));
      data.hosts.forEach(h => hosts.set(h.hostId, h));
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
