/**
 * The playground in a real headless Chromium against `model-edge serve` (serveModels, workerd) on
 * the example models: a digit drawn on the canvas with the mouse is sent and its predicted class
 * read from the page; the iris form is filled and answered with the species; / lists the models
 * for a browser; with API keys on, the page asks for the key and runs the model with it. The page must run under its own Content-Security-Policy with no violation or
 * script error. Screenshots are kept in test-artifacts/browser (git-ignored).
 *
 * Its own script (`npm run test:browser`), not part of `npm test`: it needs Debian's chromium.
 */
import { createHash } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { serveModels } from '../../lib/cli/serve';
import { startLocalServer, type LocalServer } from '../../lib/local/local-server';
import { localModelConfig } from '../../lib/local/workerd-config';
import { compileModelFile } from '../../lib/model-compiler';
import { launchChromium, type Browser, type Page } from './support/chromium';

const MODELS = path.join(__dirname, '../../models');
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/browser');
const DEADLINE_MS = 30_000;

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveModels([path.join(MODELS, 'digits'), path.join(MODELS, 'iris')], { port: 0, log: 'off', print: () => undefined });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page at `url`, recording script errors, console errors and CSP violations in `problems`. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('Runtime.exceptionThrown', (p) => problems.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`));
  page.on('Runtime.consoleAPICalled', (p) => p.type === 'error' && problems.push(`console.error: ${JSON.stringify(p.args.map((a: any) => a.value))}`));
  page.on('Log.entryAdded', (p) => (p.entry.level === 'error' || /Content.Security.Policy/i.test(p.entry.text)) && problems.push(`log: ${p.entry.text} ${p.entry.url ?? ''}`));
  await page.send('Page.enable');
  await page.send('Runtime.enable');
  await page.send('Log.enable');
  await page.send('Emulation.setDeviceMetricsOverride', { width: 1100, height: 1000, deviceScaleFactor: 1, mobile: false });
  const loaded = page.next('Page.loadEventFired');
  await page.send('Page.navigate', { url });
  await loaded;
  return { page, problems };
}

/** Polls an expression until it is truthy (the page answers asynchronously). */
async function waitFor<T>(page: Page, expression: string): Promise<T> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await page.evaluate<T>(expression);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${expression}; the page shows: ${await page.evaluate('document.body.innerText')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function centerOf(page: Page, selector: string): Promise<{ x: number; y: number; left: number; top: number; width: number }> {
  return page.evaluate(`(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left, top: r.top, width: r.width }; })()`);
}

async function click(page: Page, selector: string): Promise<void> {
  const { x, y } = await centerOf(page, selector);
  await page.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1, buttons: 1 });
  await page.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1, buttons: 0 });
}

/** Drags the mouse through the points, given in the 280x280 canvas's own pixels. */
async function draw(page: Page, points: Array<[number, number]>): Promise<void> {
  const pad = await centerOf(page, 'canvas.pad');
  const at = ([x, y]: [number, number]) => ({ x: pad.left + (x * pad.width) / 280, y: pad.top + (y * pad.width) / 280 });
  await page.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at(points[0]), button: 'left', clickCount: 1, buttons: 1 });
  for (const p of points.slice(1)) await page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at(p), button: 'left', buttons: 1 });
  await page.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at(points[points.length - 1]), button: 'left', clickCount: 1, buttons: 0 });
}

async function screenshot(page: Page, name: string): Promise<void> {
  const { data } = await page.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  writeFileSync(file, Buffer.from(data, 'base64'));
  console.log(`screenshot: ${file}`);
}

const line = (from: [number, number], to: [number, number], steps = 12): Array<[number, number]> =>
  Array.from({ length: steps + 1 }, (_, i) => [from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps]);
const ellipse = (cx: number, cy: number, rx: number, ry: number, steps = 36): Array<[number, number]> =>
  Array.from({ length: steps + 1 }, (_, i) => [cx + rx * Math.sin((2 * Math.PI * i) / steps), cy - ry * Math.cos((2 * Math.PI * i) / steps)]);

/** Draws, sends, and reads the top class the page shows for the `probabilities` output. */
async function recognise(page: Page, strokes: Array<Array<[number, number]>>): Promise<string> {
  await click(page, 'fieldset button'); // Clear
  await page.evaluate(`document.getElementById('out').replaceChildren()`);
  for (const stroke of strokes) await draw(page, stroke);
  await click(page, '#send');
  return waitFor<string>(page, `(() => { const s = [...document.querySelectorAll('#out section')].find((x) => x.querySelector('h3').textContent === 'probabilities'); return s && s.querySelector('.top .label').textContent; })()`);
}

describe('the playground in Chromium', () => {
  it('lets a person draw a digit and shows the predicted class, the raw JSON and the curl line', async () => {
    const { page, problems } = await open(`${server.url}/v2/models/digits/playground`);
    await waitFor(page, `!document.getElementById('send').disabled`);
    expect(await page.evaluate(`document.querySelectorAll('canvas.pad').length`)).toBe(1);

    expect(await recognise(page, [line([140, 45], [140, 235])])).toBe('1');
    expect(await recognise(page, [ellipse(140, 140, 55, 85)])).toBe('0');

    const raw = JSON.parse(await page.evaluate(`document.getElementById('raw').textContent`));
    expect(raw).toMatchObject({ model_name: 'digits', model_version: 'local' });
    expect(raw.outputs.find((o: any) => o.name === 'label').data).toEqual([0]);
    const curl = await page.evaluate<string>(`document.getElementById('curl').textContent`);
    expect(curl.startsWith(`curl -s '${server.url}/v2/models/digits/infer' -H 'content-type: application/json' -d '{"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[`)).toBe(true);
    await screenshot(page, 'playground-digits.png');
    expect(problems).toEqual([]);
  }, 120_000);

  it('fills the iris form and shows the species with their scores', async () => {
    const { page, problems } = await open(`${server.url}/v2/models/iris/playground`);
    await waitFor(page, `!document.getElementById('send').disabled`);
    await page.evaluate(`document.querySelector('fieldset textarea').value = '5.1, 3.5, 1.4, 0.2'`);
    await click(page, '#send');
    const top = await waitFor<string>(page, `(() => { const s = [...document.querySelectorAll('#out section')].find((x) => x.querySelector('h3').textContent === 'probabilities'); return s && s.querySelector('.top .label').textContent; })()`);
    expect(top).toBe('setosa');
    expect(await page.evaluate(`document.querySelectorAll('#out meter').length`)).toBe(3);
    await screenshot(page, 'playground-iris.png');
    expect(problems).toEqual([]);
  }, 120_000);

  it('with API keys on, serves the page at / and runs the model with the key typed into it', async () => {
    const key = 'browser-test-key';
    const keyed = await startLocalServer({
      models: [{ name: 'iris', artifact: compileModelFile(path.join(MODELS, 'iris', 'model.onnx')).artifact, modelConfig: localModelConfig('iris', { auth: { keySha256: [createHash('sha256').update(key).digest('hex')] } }) }],
      port: 0,
    });
    try {
      const { page, problems } = await open(`${keyed.url}/`);
      const note = await waitFor<string>(page, `document.getElementById('note').textContent.includes('401') && document.getElementById('note').textContent`);
      expect(note).toContain('enter an API key');
      expect(await page.evaluate(`document.getElementById('send').disabled`)).toBe(true);
      await page.evaluate(`document.getElementById('key').value = ${JSON.stringify(key)}`);
      await click(page, '#load');
      await waitFor(page, `!document.getElementById('send').disabled`);
      await page.evaluate(`document.querySelector('fieldset textarea').value = '6.3, 2.8, 5.1, 1.5'`);
      await click(page, '#send');
      const label = await waitFor<string>(page, `(() => { const s = [...document.querySelectorAll('#out section')].find((x) => x.querySelector('h3').textContent === 'label'); return s && s.querySelector('.values').textContent; })()`);
      expect(label).toBe('virginica');
      expect(await page.evaluate(`document.getElementById('curl').textContent`)).toContain('-H "authorization: Bearer $API_KEY"');
      expect(await page.evaluate(`document.body.innerHTML.includes(${JSON.stringify(key)})`)).toBe(false);
      await screenshot(page, 'playground-keys.png');
      // The 401 of the first load is the one expected console error.
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await keyed.close();
    }
  }, 120_000);

  it('shows a browser the models at /', async () => {
    const { page, problems } = await open(`${server.url}/`);
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll('li > a:first-child')].map((a) => a.textContent + ' ' + a.getAttribute('href'))`);
    expect(links).toEqual(['digits /v2/models/digits/playground', 'iris /v2/models/iris/playground']);
    expect(problems).toEqual([]);
  }, 60_000);
});
