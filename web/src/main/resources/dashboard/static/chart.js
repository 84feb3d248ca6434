'use strict';
/*
 * A small time-series chart on a canvas: lines (or steps) over the last window, dashed reference lines
 * with labels (thresholds, bounds), a y axis from 0 that fits the data, and a legend.
 */
const Chart = (() => {
  const PAD = { left: 44, right: 8, top: 20, bottom: 18 };

  function nice(max) {
    if (max <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(max)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
    return 10 * p;
  }

  function label(v) {
    return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  }

  /**
   * o: { t0, t1: epoch ms; series: [{ label, color, points: [[t, v]], step }]; refs: [{ label, value, color }];
   *      yMax: at least this high }
   */
  function draw(canvas, o) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 300;
    const h = canvas.clientHeight || 160;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const values = [];
    o.series.forEach(s => s.points.forEach(p => values.push(p[1])));
    (o.refs || []).forEach(r => values.push(r.value));
    const top = nice(Math.max(o.yMax || 0, ...values.filter(v => Number.isFinite(v))) * 1.05);
    const x = t => PAD.left + (t - o.t0) / (o.t1 - o.t0) * (w - PAD.left - PAD.right);
    const y = v => h - PAD.bottom - v / top * (h - PAD.top - PAD.bottom);
    const css = getComputedStyle(canvas);
    g.font = '11px ' + css.fontFamily;
    g.strokeStyle = '#d9dde3';
    g.fillStyle = '#667';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = top * i / 4;
      g.beginPath();
      g.moveTo(PAD.left, Math.round(y(v)) + 0.5);
      g.lineTo(w - PAD.right, Math.round(y(v)) + 0.5);
      g.stroke();
      g.textAlign = 'right';
      g.fillText(label(v), PAD.left - 4, y(v) + 4);
    }
    g.textAlign = 'center';
    const minutes = Math.round((o.t1 - o.t0) / 60000);
    for (let m = minutes; m >= 0; m -= Math.max(1, Math.round(minutes / 3))) {
      g.fillText(m === 0 ? 'now' : '−' + m + ' min', Math.min(w - 16, Math.max(PAD.left + 16, x(o.t1 - m * 60000))), h - 4);
    }
    g.setLineDash([5, 4]);
    for (const r of o.refs || []) {
      g.strokeStyle = r.color;
      g.beginPath();
      g.moveTo(PAD.left, y(r.value));
      g.lineTo(w - PAD.right, y(r.value));
      g.stroke();
      g.fillStyle = r.color;
      g.textAlign = 'right';
      g.fillText(r.label, w - PAD.right - 2, y(r.value) - 3);
    }
    g.setLineDash([]);
    g.lineWidth = 1.8;
    for (const s of o.series) {
      const pts = s.points.filter(p => p[0] >= o.t0 - 60000 && Number.isFinite(p[1]));
      if (!pts.length) continue;
      g.strokeStyle = s.color;
      g.beginPath();
      pts.forEach((p, i) => {
        const px = Math.max(PAD.left, x(p[0]));
        if (i === 0) g.moveTo(px, y(p[1]));
        else {
          if (s.step) g.lineTo(px, y(pts[i - 1][1]));
          g.lineTo(px, y(p[1]));
        }
      });
      if (s.step) g.lineTo(x(o.t1), y(pts[pts.length - 1][1]));
      g.stroke();
    }
    g.textAlign = 'left';
    let lx = PAD.left;
    for (const s of o.series) {
      g.fillStyle = s.color;
      g.fillRect(lx, 6, 10, 3);
      g.fillStyle = '#334';
      g.fillText(s.label, lx + 14, 11);
      lx += g.measureText(s.label).width + 28;
    }
  }

  return { draw };
})();
