'use strict';
/* A pod's page: its nodes, policy and controls, live charts of the window, decisions, jobs, node events. */
(() => {
  const { $, el, api, act, pod, num, pct, time, brief, policyText, throttled, follow, fill } = CMS;
  const name = decodeURIComponent(location.pathname.split('/').pop());
  const path = pod(name);
  const s = {
    pod: null, windowMs: 900000, skew: 0, rows: new Map(), podSamples: [], util: new Map(), sizes: [],
    decisions: [], nodeEvents: [], jobs: new Map(), tracked: null
  };
  const ENDED = new Set(['SUCCEEDED', 'FAILED', 'ABORTED']);
  const now = () => Date.now() + s.skew;

  function sizeOf(p, at) {
    const live = p.nodes.filter(n => n.state !== 'STOPPED' && !n.removing);
    return { at, online: p.nodes.filter(n => n.state === 'ONLINE').length,
      starting: p.nodes.filter(n => n.state === 'STARTING').length, total: live.length };
  }

  function fillForm(e) {
    $('#min').value = e.min;
    $('#max').value = e.max;
    $('#mode').value = e.mode || 'threshold';
    $('#metric').value = e.metric || 'cpu';
    $('#target').value = e.target == null ? '' : e.target;
    $('#step').value = e.step || 'one';
    $('#lower').value = e.lower_threshold;
    $('#upper').value = e.upper_threshold;
  }

  function setPod(p, at) {
    const first = !s.pod;
    s.pod = p;
    const size = sizeOf(p, at);
    const last = s.sizes[s.sizes.length - 1];
    if (!last || last.online !== size.online || last.starting !== size.starting || last.total !== size.total) {
      s.sizes.push(size);
    }
    if (first || s.refill) {
      fillForm(p.elasticity);
      s.refill = false;
    }
  }

  /** Why a node is as it is: "restart in 42 s" while a FAILED node waits for its restart, and the reason. */
  function nodeNote(n) {
    if (n.state === 'FAILED' && n.restart_at && !n.removing) {
      const secs = Math.max(0, Math.ceil((Date.parse(n.restart_at) - now()) / 1000));
      return (secs > 0 ? 'restart in ' + secs + ' s' : 'restart due') + (n.reason ? ' · ' + n.reason : '');
    }
    return n.reason || '';
  }

  function nodeRow(n) {
    const r = s.rows.get(n.name) || {};
    return el('tr', { 'data-node': n.name },
      el('td', { text: n.name }),
      el('td', {}, el('span', { class: 'badge state-' + n.state, text: n.state + (n.removing ? ' (removing)' : '') })),
      el('td', { class: 'num restarts', text: String(n.restarts || 0) }),
      el('td', { class: 'note', text: nodeNote(n) }),
      el('td', { text: n.host_id || '–' }),
      el('td', { text: n.address ? n.address + ':' + n.port : '–' }),
      el('td', { class: 'num', text: pct(r.cpu_share) }),
      el('td', { class: 'num', text: r.memory_mb != null ? r.memory_mb + ' MB' : '–' }),
      el('td', { class: 'num', text: num(r.requests_per_second) }),
      el('td', { class: 'num', text: r.sessions != null ? r.sessions : '–' }),
      el('td', { text: r.balancer_status || '–' }),
      el('td', {}, el('button', { class: 'remove', text: 'Remove',
        onclick: () => act('DELETE', path + '/nodes/' + encodeURIComponent(n.name)) })));
  }

  function decisionRow(d) {
    return el('tr', {}, el('td', { text: time(d.at) }), el('td', { text: d.from_nodes + ' → ' + d.to_nodes }),
      el('td', { class: 'num', text: num(d.value, 2) }), el('td', { class: 'reason', text: d.reason }));
  }

  /** What came of a job: its error, its result, or why its last attempt was repeated. */
  function outcome(j) {
    if (j.error) return j.error;
    if (j.status === 'SUCCEEDED') return (j.duration_ms != null ? j.duration_ms + ' ms: ' : '') + brief(j.result);
    return j.last_retry ? 'retried: ' + j.last_retry : '';
  }

  function abortJob(id) {
    return act('POST', '/api/jobs/' + encodeURIComponent(id) + '/abort', { reason: 'aborted from the dashboard' },
      '#job-message');
  }

  function jobRow(j) {
    return el('tr', { 'data-job': j.job_id, 'data-status': j.status }, el('td', { text: j.job_id }),
      el('td', {}, el('span', { class: 'badge job-' + j.status, text: j.status })),
      el('td', { class: 'node', text: j.node || '–' }), el('td', { class: 'num', text: j.attempt || '–' }),
      el('td', { text: time(j.ended_at || j.started_at || j.submitted_at) }),
      el('td', { class: 'outcome', text: outcome(j) }),
      el('td', { class: 'actions' }, ENDED.has(j.status) ? null
        : el('button', { class: 'abort', text: 'Abort', onclick: () => abortJob(j.job_id) })));
  }

  /** Where the test job submitted from this page is: from its id to its result or error. */
  function progressText(j) {
    switch (j.status) {
      case 'SUBMITTED': return 'taken by the API, not yet queued by the resource manager';
      case 'QUEUED': return 'waiting in the queue for attempt ' + j.attempt + (s.pod.paused ? ' (the pod is paused)' : '');
      case 'RUNNING': return 'attempt ' + j.attempt + ' sent' + (j.node ? ' to ' + j.node : ' through the pod\'s frontend');
      case 'SUCCEEDED': return 'on ' + j.node + ' in ' + j.duration_ms + ' ms (attempt ' + j.attempt + '): ' + brief(j.result);
      case 'FAILED': return (j.node ? 'on ' + j.node + ' ' : '') + '(attempt ' + j.attempt + '): ' + j.error;
      default: return j.error || '';
    }
  }

  function renderProgress() {
    const p = $('#job-progress');
    const j = s.tracked && s.jobs.get(s.tracked);
    p.hidden = !j;
    if (!j) return;
    p.dataset.job = j.job_id;
    p.dataset.status = j.status;
    p.replaceChildren('Test job ', el('b', { text: j.job_id }), ' ',
      el('span', { class: 'badge job-' + j.status, text: j.status }), ' ' + progressText(j));
  }

  function nodeEventItem(e) {
    const what = e.type.replace(/^Node/, '').toLowerCase();
    return el('li', {}, el('time', { text: time(e.at) }), ' ', el('b', { text: e.node }), ' ' + what,
      e.reason ? ': ' + e.reason : '', e.host_id ? ' on ' + e.host_id : '');
  }

  function renderTables() {
    const p = s.pod;
    $('#pod-name').textContent = p.name;
    document.title = 'CMS · ' + p.name;
    $('#paused').hidden = !p.paused;
    $('#pod-info').textContent = (p.workload.builtin || p.workload.image) + ' · ' + num(p.cpu_limit, 2) + ' CPU, '
      + p.memory_mb + ' MB per node · limit ' + p.node_limit + ' nodes'
      + (p.frontend_port ? ' · frontend port ' + p.frontend_port : '');
    $('#policy').textContent = 'Elasticity ' + policyText(p.elasticity);
    fill('#nodes', p.nodes.map(nodeRow));
    fill('#decisions', s.decisions.slice().reverse().map(decisionRow));
    fill('#jobs', [...s.jobs.values()].reverse().slice(0, 50).map(jobRow));
    renderProgress();
    $('#node-events').replaceChildren(...s.nodeEvents.slice().reverse().map(nodeEventItem));
  }

  function renderCharts() {
    const t1 = now();
    const t0 = t1 - s.windowMs;
    const e = s.pod.elasticity;
    const on = e && e.enabled;
    const target = on && e.mode === 'target';
    const metricIsCpu = !e || (e.metric || 'cpu') === 'cpu';
    const util = [...s.util.entries()].sort((a, b) => a[0] - b[0]).map(([sec, a]) => [sec * 1000, a.sum / a.n]);
    Chart.draw($('#chart-util'), { t0, t1, yMax: 1, series: [{ label: 'mean CPU share', color: '#2f6fde', points: util }],
      refs: !on || !metricIsCpu ? [] : target ? [{ label: 'target ' + e.target, value: e.target, color: '#8a4fd1' }]
        : e.mode === 'demand' ? [{ label: 'set-point ' + (e.target || 0.8), value: e.target || 0.8, color: '#8a4fd1' }]
        : [{ label: 'upper ' + e.upper_threshold, value: e.upper_threshold, color: '#d1493f' },
          { label: 'lower ' + e.lower_threshold, value: e.lower_threshold, color: '#3f9b5a' }] });
    const sizes = s.sizes.map(z => [Date.parse(z.at), z.online]);
    const totals = s.sizes.map(z => [Date.parse(z.at), z.total]);
    Chart.draw($('#chart-nodes'), { t0, t1, yMax: 2, series: [
      { label: 'ONLINE', color: '#3f9b5a', points: sizes, step: true },
      { label: 'all', color: '#999', points: totals, step: true }],
      refs: on ? [{ label: 'MAX ' + e.max, value: e.max, color: '#d1493f' }, { label: 'MIN ' + e.min, value: e.min, color: '#2f6fde' }] : [] });
    const traffic = s.podSamples.filter(p => p.requests_per_second != null);
    Chart.draw($('#chart-rps'), { t0, t1, series: [{ label: 'req/s', color: '#2f6fde',
      points: traffic.map(p => [Date.parse(p.at), p.requests_per_second]) }],
      refs: on && e.metric === 'rps' && target ? [{ label: 'target/node ' + e.target, value: e.target, color: '#8a4fd1' }] : [] });
    const hasP95 = traffic.some(p => p.p95_ms != null);
    $('#latency-caption').textContent = hasP95 ? 'Latency p95 (ms)' : 'Latency, mean (ms)';
    Chart.draw($('#chart-latency'), { t0, t1, series: [{ label: hasP95 ? 'p95' : 'mean', color: '#d18a2f',
      points: traffic.map(p => [Date.parse(p.at), hasP95 ? p.p95_ms : p.mean_response_ms]) }] });
    const jobs = s.podSamples.filter(p => p.source === 'rm');
    Chart.draw($('#chart-queue'), { t0, t1, series: [
      { label: 'queued', color: '#8a4fd1', step: true, points: jobs.map(p => [Date.parse(p.at), p.job_queue_depth]) },
      { label: 'running', color: '#2f6fde', step: true,
        points: jobs.filter(p => p.jobs_running != null).map(p => [Date.parse(p.at), p.jobs_running]) }] });
  }

  const render = throttled(() => {
    if (!s.pod) return;
    renderTables();
    renderCharts();
  });

  function addUtil(at, share) {
    const sec = Math.floor(Date.parse(at) / 1000);
    const a = s.util.get(sec) || { sum: 0, n: 0 };
    a.sum += share;
    a.n++;
    s.util.set(sec, a);
  }

  function prune() {
    const from = now() - s.windowMs;
    while (s.podSamples.length && Date.parse(s.podSamples[0].at) < from) s.podSamples.shift();
    for (const sec of s.util.keys()) if (sec * 1000 < from) s.util.delete(sec);
    while (s.sizes.length > 1 && Date.parse(s.sizes[1].at) < from) s.sizes.shift();
  }

  /** The job after one of its events, as GET /api/jobs/{id} shows it (JobView.apply on the server). */
  function jobAfter(b, e) {
    if (b && ENDED.has(b.status)) return b;
    const j = Object.assign({ job_id: e.job_id, pod: e.pod, attempt: 0, submitted_at: e.at }, b);
    switch (e.type) {
      case 'JobQueued': {
        const attempt = e.attempt || 1;
        return Object.assign(j, { status: 'QUEUED', attempt, node: null, source: e.source || j.source,
          submitted_at: attempt === 1 && e.submitted_at ? e.submitted_at : j.submitted_at,
          last_retry: attempt > 1 ? e.reason : j.last_retry });
      }
      case 'JobRunning':
        return Object.assign(j, { status: 'RUNNING', attempt: e.attempt, node: e.node, started_at: j.started_at || e.at });
      case 'JobSucceeded':
        return Object.assign(j, { status: 'SUCCEEDED', attempt: e.attempt || j.attempt, node: e.node, ended_at: e.at,
          duration_ms: e.duration_ms, result: e.result });
      case 'JobFailed':
        return Object.assign(j, { status: 'FAILED', attempt: e.attempt || j.attempt, node: e.node, ended_at: e.at,
          error: e.reason });
      default:
        return Object.assign(j, { status: 'ABORTED', node: null, ended_at: e.at, error: e.reason });
    }
  }

  function job(e) {
    const before = s.jobs.get(e.job_id);
    s.jobs.delete(e.job_id);
    s.jobs.set(e.job_id, jobAfter(before, e));
    if (s.jobs.size > 200) s.jobs.delete(s.jobs.keys().next().value);
  }

  function apply(d) {
    const e = d.event;
    if (e.type === 'PodSnapshot') setPod(e.pod, e.at);
    else if (e.type === 'PodRemoved') CMS.message('pod ' + name + ' was removed', 'error');
    else if (e.type === 'NodeSample') {
      Object.assign(s.rows.get(e.node) || s.rows.set(e.node, {}).get(e.node), { cpu_share: e.cpu_share, memory_mb: e.memory_mb });
      addUtil(e.at, e.cpu_share);
    } else if (e.type === 'ServerSample') {
      Object.assign(s.rows.get(e.node) || s.rows.set(e.node, {}).get(e.node),
        { requests_per_second: e.requests_per_second, sessions: e.sessions, balancer_status: e.status });
    } else if (e.type === 'PodSample') s.podSamples.push(e);
    else if (d.kind === 'scaling') {
      s.decisions.push(e);
      if (s.decisions.length > 50) s.decisions.shift();
    } else if (d.kind === 'nodes') {
      s.nodeEvents.push(e);
      if (s.nodeEvents.length > 100) s.nodeEvents.shift();
    } else if (d.kind === 'jobs') job(e);
    render();
  }

  function load(data) {
    s.skew = Date.parse(data.now) - Date.now();
    s.windowMs = data.window_millis;
    s.sizes = data.sizes.slice();
    setPod(data.pod, data.now);
    data.nodes.forEach(r => s.rows.set(r.node.name, r));
    s.podSamples = data.pod_samples.slice();
    data.utilisation.forEach(u => s.util.set(Math.floor(Date.parse(u.at) / 1000), { sum: u.value, n: 1 }));
    s.decisions = data.decisions.slice();
    s.nodeEvents = data.node_events.slice();
    data.jobs.slice().reverse().forEach(j => s.jobs.set(j.job_id, j));
  }

  /** Submits a test job; a payload that is not JSON is refused here, everything else is the API's to check. */
  async function submitJob(ev) {
    ev.preventDefault();
    const body = { pod: name };
    const payload = $('#job-payload').value.trim();
    if (payload !== '') {
      try {
        body.payload = JSON.parse(payload);
      } catch (e) {
        CMS.message('payload: not valid JSON (' + e.message + '); nothing was submitted', 'error', '#job-message');
        return;
      }
    }
    const limit = $('#job-timeout').value.trim();
    if (limit !== '') body.timeout_seconds = limit;
    const j = await act('POST', '/api/jobs', body, '#job-message');
    if (!j) return;
    CMS.message('job ' + j.job_id + ' submitted', 'ok', '#job-message');
    s.tracked = j.job_id;
    if (!s.jobs.has(j.job_id)) s.jobs.set(j.job_id, { job_id: j.job_id, pod: name, status: j.status, attempt: 0 });
    render();
  }

  function wire() {
    $('#pause').onclick = () => act('POST', path + '/pause');
    $('#resume').onclick = () => act('POST', path + '/resume');
    $('#launch').onclick = () => act('POST', path + '/launch');
    $('#register').onsubmit = ev => {
      ev.preventDefault();
      act('POST', path + '/nodes', { name: $('#node-name').value.trim() }).then(ok => { if (ok) $('#node-name').value = ''; });
    };
    const field = id => { const v = $('#' + id).value.trim(); return v === '' ? undefined : v; };
    $('#elasticity').onsubmit = ev => {
      ev.preventDefault();
      const body = { min: field('min'), max: field('max'), mode: $('#mode').value, metric: $('#metric').value,
        step: $('#step').value };
      if ($('#mode').value !== 'threshold') body.target = field('target');
      act('PUT', path + '/elasticity', body).then(ok => { s.refill = !!ok; });
    };
    $('#disable').onclick = () => act('DELETE', path + '/elasticity');
    $('#job-form').onsubmit = submitJob;
    $('#set-lower').onclick = () => act('PUT', path + '/elasticity/lower_threshold', { value: field('lower') })
      .then(ok => { s.refill = !!ok; });
    $('#set-upper').onclick = () => act('PUT', path + '/elasticity/upper_threshold', { value: field('upper') })
      .then(ok => { s.refill = !!ok; });
  }

  async function start() {
    try {
      const { data } = await api('GET', '/api/live/pods/' + encodeURIComponent(name));
      load(data);
      render();
      follow({ pod: name }, data.cursor, apply);
      setInterval(() => { prune(); render(); }, 1000);
    } catch (e) {
      CMS.message(e.message, 'error');
      setTimeout(start, 2000);
    }
  }
  wire();
  start();
})();
