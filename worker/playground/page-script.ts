/**
 * The playground page's script, run in the browser (kept as text: the Worker serves it inline, and
 * the Content-Security-Policy admits it by its hash). It reads the page's JSON config (model name,
 * API base path, whether keys are on), fetches the model's metadata, builds one field per input
 * from it — a 28x28 drawing canvas for an image-like FP input of 784 elements, text for BYTES,
 * numbers (or a file of numbers) otherwise — and on Send posts a V2 infer request, shows the answer
 * (top classes with bars for score outputs, the raw JSON beside) and the same request as `curl`.
 *
 * Plain ES2020 with no dependencies and no external fetches; hand-written and small, because it is
 * part of the Worker bundle.
 */
export const PAGE_SCRIPT = `"use strict";
const $ = (id) => document.getElementById(id);
const el = (tag, props, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
const cfg = JSON.parse($('cfg').textContent);
const api = cfg.base + '/v2/models/' + cfg.name;
const size = (shape) => shape.reduce((n, d) => n * (d < 0 ? 1 : d), 1);
let fields = [];

function headers(extra) {
  const key = cfg.keys ? $('key').value.trim() : '';
  return key ? Object.assign({ authorization: 'Bearer ' + key }, extra) : extra;
}

async function call(path, init) {
  const res = await fetch(api + path, init);
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = { error: text }; }
  if (!res.ok) throw new Error(res.status + ': ' + (body.error || text));
  return body;
}

async function load() {
  $('note').textContent = 'Loading the model\\u2026';
  try {
    const meta = await call('', { headers: headers({}) });
    $('form').replaceChildren();
    fields = meta.inputs.map(field);
    $('send').disabled = false;
    $('note').textContent = '';
  } catch (e) {
    $('note').textContent = e.message + (cfg.keys ? ' \\u2014 enter an API key and press Load' : '');
  }
}

function field(t) {
  const n = size(t.shape);
  const box = el('fieldset', {}, el('legend', { textContent: t.name + ' \\u00b7 ' + t.datatype + ' [' + t.shape.join(', ') + ']' }));
  $('form').append(box);
  if (t.datatype.startsWith('FP') && n === 784) return canvasField(t, box);
  if (t.datatype === 'BYTES') {
    const area = el('textarea', { rows: Math.min(n, 6), placeholder: 'one value per line' });
    box.append(area);
    return { t, read: () => (n === 1 ? [area.value] : area.value.split('\\n')) };
  }
  const area = el('textarea', { rows: 3, value: new Array(n).fill(0).join(', ') });
  const file = el('input', { type: 'file', accept: '.json,.csv,.txt', title: 'numbers as JSON or CSV' });
  file.onchange = async () => { if (file.files[0]) area.value = await file.files[0].text(); };
  box.append(area, el('label', {}, 'or load a file: ', file));
  return {
    t,
    read: () => area.value.split(/[\\s,\\[\\]]+/).filter(Boolean).map((v) => (t.datatype === 'BOOL' ? v === 'true' || v === '1' : Number(v))),
  };
}

/** Draw white on black, scaled down to 28x28 grey levels in 0..1 (as MNIST). */
function canvasField(t, box) {
  const pad = el('canvas', { width: 280, height: 280, className: 'pad', title: 'draw here' });
  const g = pad.getContext('2d');
  const clear = () => { g.fillStyle = '#000'; g.fillRect(0, 0, 280, 280); };
  clear();
  g.strokeStyle = '#fff'; g.lineWidth = 22; g.lineCap = g.lineJoin = 'round';
  let last;
  const at = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * 280 / r.width, (e.clientY - r.top) * 280 / r.height]; };
  pad.onpointerdown = (e) => { last = at(e); pad.setPointerCapture(e.pointerId); };
  pad.onpointermove = (e) => {
    if (!last) return;
    const p = at(e);
    g.beginPath(); g.moveTo(last[0], last[1]); g.lineTo(p[0], p[1]); g.stroke();
    last = p;
  };
  pad.onpointerup = pad.onpointercancel = () => { last = undefined; };
  box.append(pad, el('button', { type: 'button', textContent: 'Clear', onclick: clear }));
  return {
    t,
    read: () => {
      const small = el('canvas', { width: 28, height: 28 }).getContext('2d');
      small.drawImage(pad, 0, 0, 28, 28);
      return Array.from(small.getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0), (v) => Math.round(v / 0.255) / 1000);
    },
  };
}

function request() {
  return {
    inputs: fields.map(({ t, read }) => {
      const data = read();
      const shape = t.shape.map((d) => (d < 0 ? 1 : d));
      const free = t.shape.indexOf(-1);
      if (free >= 0) shape[free] = Math.max(0, Math.round(data.length / size(shape)));
      return { name: t.name, shape, datatype: t.datatype, data };
    }),
  };
}

async function send() {
  const body = JSON.stringify(request());
  const auth = cfg.keys ? ' -H "authorization: Bearer $API_KEY"' : '';
  $('curl').textContent = "curl -s '" + location.origin + api + "/infer' -H 'content-type: application/json'" + auth + " -d '" + body + "'";
  $('out').replaceChildren(el('p', { textContent: 'Running\\u2026' }));
  try {
    const answer = await call('/infer', { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body });
    $('raw').textContent = JSON.stringify(answer, null, 1);
    $('out').replaceChildren(...answer.outputs.map(show));
  } catch (e) {
    $('raw').textContent = '';
    $('out').replaceChildren(el('p', { className: 'error', textContent: e.message }));
  }
}

/** Scores (an FP [1, C] row, or ZipMap scores with their labels) as the top classes; anything else as values. */
function show(o) {
  const labels = o.parameters && o.parameters.class_labels ? JSON.parse(o.parameters.class_labels) : undefined;
  const c = o.shape[o.shape.length - 1];
  const scores = o.data && o.datatype.startsWith('FP') && o.shape.length === 2 && o.shape[0] === 1 && c > 1;
  const box = el('section', {}, el('h3', { textContent: o.name }));
  if (!scores) {
    const values = o.data ? o.data.slice(0, 32).join(', ') + (o.data.length > 32 ? ', \\u2026' : '') : '(binary)';
    box.append(el('p', { className: 'values', textContent: values }));
    return box;
  }
  const top = o.data.map((v, i) => [labels ? labels[i] : i, v]).sort((a, b) => b[1] - a[1]).slice(0, 5);
  const max = Math.max(...top.map((r) => Math.abs(r[1])), 1e-9);
  top.forEach(([label, v], i) => box.append(el('div', { className: i === 0 ? 'row top' : 'row' },
    el('b', { className: 'label', textContent: String(label) }),
    el('meter', { min: 0, max: 1, value: Math.abs(v) / max }),
    el('span', { textContent: Number(v).toFixed(4) }))));
  return box;
}

$('load').onclick = load;
$('send').onclick = send;
load();
`;
