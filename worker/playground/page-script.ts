/**
 * The playground page's script, run in the browser. It reads the page's JSON config (model name,
 * API base path, whether keys are on), fetches the model's metadata, builds one field per input
 * from it — a 28x28 drawing canvas for an image-like FP input of 784 elements, text for BYTES,
 * numbers (typed, or from a JSON/CSV file) otherwise — and on Send posts a V2 infer request, shows
 * the answer (top classes with bars for score outputs, the raw JSON beside) and the same request
 * as `curl`.
 *
 * Written as a real function so that it is checked by the compiler and minified with the bundle;
 * the page inlines its source (`PAGE_SCRIPT`), which the Content-Security-Policy admits by hash.
 * It must stay self-contained: it sees nothing of this module but the browser's globals, passed
 * in as parameters (the Worker's type environment has no DOM).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
function playground(document: any, location: any): void {
  const $ = (id: string): any => document.getElementById(id);
  const el = (tag: string, props: object, ...kids: any[]): any => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  const cfg = JSON.parse($('cfg').textContent) as { name: string; base: string; keys: boolean };
  const api = `${cfg.base}/v2/models/${cfg.name}`;
  const size = (shape: number[]) => shape.reduce((n, d) => n * (d < 0 ? 1 : d), 1);
  type Field = { t: { name: string; datatype: string; shape: number[] }; read: () => unknown[] };
  let fields: Field[] = [];

  const headers = (extra: Record<string, string>) => {
    const key = cfg.keys ? $('key').value.trim() : '';
    return key ? { authorization: `Bearer ${key}`, ...extra } : extra;
  };

  async function call(path: string, init: object): Promise<any> {
    const res = await fetch(api + path, init);
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: text };
    }
    if (!res.ok) throw new Error(`${res.status}: ${body.error || text}`);
    return body;
  }

  async function load() {
    $('note').textContent = 'Loading the model…';
    try {
      const meta = await call('', { headers: headers({}) });
      $('form').replaceChildren();
      fields = meta.inputs.map(field);
      $('send').disabled = false;
      $('note').textContent = '';
    } catch (e) {
      $('note').textContent = (e as Error).message + (cfg.keys ? ' — enter an API key and press Load' : '');
    }
  }

  function field(t: Field['t']): Field {
    const n = size(t.shape);
    const box = el('fieldset', {}, el('legend', { textContent: `${t.name} · ${t.datatype} [${t.shape.join(', ')}]` }));
    $('form').append(box);
    if (t.datatype.startsWith('FP') && n === 784) return canvasField(t, box);
    if (t.datatype === 'BYTES') {
      const text = el('textarea', { rows: Math.min(n, 6), placeholder: 'one value per line' });
      box.append(text);
      return { t, read: () => (n === 1 ? [text.value] : text.value.split('\n')) };
    }
    const text = el('textarea', { rows: 3, value: new Array(n).fill(0).join(', ') });
    const file = el('input', { type: 'file', accept: '.json,.csv,.txt', title: 'numbers as JSON or CSV' });
    file.onchange = async () => {
      if (file.files[0]) text.value = await file.files[0].text();
    };
    box.append(text, el('label', {}, 'or load a file: ', file));
    const value = (v: string) => (t.datatype === 'BOOL' ? v === 'true' || v === '1' : Number(v));
    return { t, read: () => text.value.split(/[\s,[\]]+/).filter(Boolean).map(value) };
  }

  /** Draw white on black, scaled down to 28x28 grey levels in 0..1 (as MNIST). */
  function canvasField(t: Field['t'], box: any): Field {
    const pad = el('canvas', { width: 280, height: 280, className: 'pad', title: 'draw here' });
    const g = pad.getContext('2d');
    const clear = () => {
      g.fillStyle = '#000';
      g.fillRect(0, 0, 280, 280);
    };
    clear();
    g.strokeStyle = '#fff';
    g.lineWidth = 22;
    g.lineCap = g.lineJoin = 'round';
    let last: number[] | undefined;
    const at = (e: any) => {
      const r = pad.getBoundingClientRect();
      return [((e.clientX - r.left) * 280) / r.width, ((e.clientY - r.top) * 280) / r.height];
    };
    pad.onpointerdown = (e: any) => {
      last = at(e);
      pad.setPointerCapture(e.pointerId);
    };
    pad.onpointermove = (e: any) => {
      if (!last) return;
      const p = at(e);
      g.beginPath();
      g.moveTo(last[0], last[1]);
      g.lineTo(p[0], p[1]);
      g.stroke();
      last = p;
    };
    pad.onpointerup = pad.onpointercancel = () => (last = undefined);
    box.append(pad, el('button', { type: 'button', textContent: 'Clear', onclick: clear }));
    const read = () => {
      const small = el('canvas', { width: 28, height: 28 }).getContext('2d');
      small.drawImage(pad, 0, 0, 28, 28);
      const rgba: number[] = Array.from(small.getImageData(0, 0, 28, 28).data);
      return rgba.filter((_, i) => i % 4 === 0).map((v) => Math.round(v / 0.255) / 1000);
    };
    return { t, read };
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
    $('curl').textContent = `curl -s '${location.origin}${api}/infer' -H 'content-type: application/json'${auth} -d '${body}'`;
    $('out').replaceChildren(el('p', { textContent: 'Running…' }));
    try {
      const answer = await call('/infer', { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body });
      $('raw').textContent = JSON.stringify(answer, null, 1);
      $('out').replaceChildren(...answer.outputs.map(show));
    } catch (e) {
      $('raw').textContent = '';
      $('out').replaceChildren(el('p', { className: 'error', textContent: (e as Error).message }));
    }
  }

  /** Scores (an FP [1, C] row, or ZipMap scores with their labels) as the top classes; anything else as values. */
  function show(o: { name: string; datatype: string; shape: number[]; data?: number[]; parameters?: { class_labels?: string } }) {
    const labels = o.parameters?.class_labels ? JSON.parse(o.parameters.class_labels) : undefined;
    const box = el('section', {}, el('h3', { textContent: o.name }));
    const data = o.data;
    if (!data || !o.datatype.startsWith('FP') || o.shape.length !== 2 || o.shape[0] !== 1 || o.shape[1] < 2) {
      const values = data ? data.slice(0, 32).join(', ') + (data.length > 32 ? ', …' : '') : '(binary)';
      box.append(el('p', { className: 'values', textContent: values }));
      return box;
    }
    const top = data.map((v, i) => [labels ? labels[i] : i, v]).sort((a, b) => b[1] - a[1]).slice(0, 5);
    const max = Math.max(...top.map((r) => Math.abs(r[1])), 1e-9);
    top.forEach(([label, v], i) =>
      box.append(
        el(
          'div',
          { className: i === 0 ? 'row top' : 'row' },
          el('b', { className: 'label', textContent: String(label) }),
          el('meter', { min: 0, max: 1, value: Math.abs(v) / max }),
          el('span', { textContent: Number(v).toFixed(4) }),
        ),
      ),
    );
    return box;
  }

  $('load').onclick = load;
  $('send').onclick = send;
  void load();
}

/** The inline script: the function's (minified, in the bundle) source, called with the page's globals. */
export const PAGE_SCRIPT = `(${playground.toString()})(document,location)`;
