/**
 * Reads what `cdktf synth` produced (cdktf.out) back into locally servable models: for every
 * `cloudflare_worker_version`, the uploaded module files (Worker code, model.bin, kernels.wasm)
 * from the stack's assets, its MODEL_CONFIG text and, when the weights are static assets, the
 * version's assets directory of weight shards. `npm start` serves exactly these files.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { ModelConfig } from '../../worker/env';
import type { LocalModel } from './workerd-config';
import type { WorkerModule } from '../worker-bundle';
import type { ValueInfo } from '../../worker/runtime/graph';
import { readArtifactHeader } from '../model-compiler/artifact-header';

/** A served artifact's inputs and outputs, read from its header (its weights may be in shards). */
export function artifactIo(artifact: Uint8Array): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const { graph } = readArtifactHeader(artifact).header;
  return { inputs: graph.inputs, outputs: graph.outputs };
}

export interface SynthesizedModel extends LocalModel {
  readonly version: string;
  /** the version's share of traffic in the Workers deployment, in percent */
  readonly percentage: number;
  readonly workerModules: readonly WorkerModule[];
  readonly kernelsWasm?: Uint8Array;
}

export interface SynthesizedStack {
  readonly stack: string;
  /** the Terraform JSON */
  readonly terraformJson: string;
  readonly models: SynthesizedModel[];
  /** things that differ from the deployment when served locally */
  readonly notes: string[];
}

interface ModuleJson {
  name: string;
  content_type: string;
  content_file?: string;
}
interface DeploymentJson {
  versions?: Array<{ version_id: string; percentage: number }>;
}
interface BindingJson {
  name: string;
  type: string;
  text?: string;
}

/** Every stack in `outDir` (cdktf.out) with its worker versions. */
export function readSynthesizedStacks(outDir: string): SynthesizedStack[] {
  const manifestPath = path.join(outDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} does not exist; run \`npx cdktf synth\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }> };
  return Object.entries(manifest.stacks).map(([stack, info]) => {
    const terraformJson = path.join(outDir, info.synthesizedStackPath);
    const workDir = path.join(outDir, info.workingDirectory);
    const tf = JSON.parse(readFileSync(terraformJson, 'utf8')) as {
      resource?: { cloudflare_worker_version?: Record<string, { main_module?: string; modules?: ModuleJson[]; bindings?: BindingJson[]; assets?: { directory?: string } }>; cloudflare_workers_deployment?: Record<string, DeploymentJson> };
    };
    const deployed = Object.values(tf.resource?.cloudflare_workers_deployment ?? {}).flatMap((d) => d.versions ?? []);
    const percentageOf = (key: string) => deployed.find((v) => v.version_id.includes(`cloudflare_worker_version.${key}.`))?.percentage ?? 0;
    const notes = new Set<string>();
    const models: SynthesizedModel[] = [];
    for (const [key, version] of Object.entries(tf.resource?.cloudflare_worker_version ?? {})) {
      const modules = version.modules ?? [];
      const file = (contentType: string) => {
        const m = modules.find((x) => x.content_type === contentType && x.content_file);
        return m ? readFileSync(path.resolve(workDir, m.content_file!)) : undefined;
      };
      const code = modules.filter((x) => x.content_type === 'application/javascript+module' && x.content_file).map((x) => ({ name: x.name, code: readFileSync(path.resolve(workDir, x.content_file!)) }));
      const artifact = file('application/octet-stream');
      const text = version.bindings?.find((b) => b.name === 'MODEL_CONFIG')?.text;
      if (code.length === 0 || !artifact || text === undefined) continue;
      const config = localConfig(text, notes);
      const weightsDir = version.assets?.directory !== undefined && version.bindings?.some((b) => b.name === 'MODEL_WEIGHTS' && b.type === 'assets') ? path.resolve(workDir, version.assets.directory) : undefined;
      models.push({
        ...(weightsDir ? { weightsDir } : {}),
        name: config.name,
        version: config.version,
        percentage: percentageOf(key),
        artifact,
        workerModules: mainFirst(code, version.main_module),
        kernelsWasm: file('application/wasm'),
        modelConfig: JSON.stringify(config),
      });
    }
    return { stack, terraformJson, models: pickServedVersions(models, notes), notes: [...notes] };
  });
}

/**
 * MODEL_CONFIG text as Terraform will render it, adapted for local serving. The cache settings
 * stay: local serving has an in-memory Cache API (see cache-worker.ts).
 */
function localConfig(text: string, notes: Set<string>): ModelConfig & Record<string, unknown> {
  let rendered = text;
  // API key hashes from a Terraform variable appear as ${jsonencode(...)}: unknown until apply.
  const keysFromVariable = /(^|[^$])\$\{jsonencode\(/.test(rendered);
  if (keysFromVariable) {
    rendered = rendered.replace(/(^|[^$])\$\{jsonencode\([^}]*\)\}/g, '$1[]');
    notes.add('API key hashes come from a Terraform variable, so local serving runs without keys');
  }
  rendered = rendered.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  const config = JSON.parse(rendered) as ModelConfig & Record<string, unknown>;
  // Served without the variable's keys on purpose: a key requirement would refuse every request.
  return keysFromVariable ? { ...config, auth: { keySha256: [] } } : config;
}

/** One version per model: the one with the largest share of traffic. */
function pickServedVersions(models: SynthesizedModel[], notes: Set<string>): SynthesizedModel[] {
  const byName = new Map<string, SynthesizedModel[]>();
  for (const m of models) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const served: SynthesizedModel[] = [];
  for (const [name, versions] of byName) {
    const best = versions.reduce((a, b) => (b.percentage > a.percentage ? b : a));
    if (versions.length > 1) notes.add(`${name}: serving version ${best.version} (the largest share) of ${versions.map((v) => v.version).join(', ')}`);
    served.push(best);
  }
  return served;
}

/** The Worker's code modules with the main module first, as workerd (and the router) expect. */
function mainFirst(modules: WorkerModule[], main: string | undefined): WorkerModule[] {
  const i = modules.findIndex((m) => m.name === main);
  return i <= 0 ? modules : [modules[i], ...modules.slice(0, i), ...modules.slice(i + 1)];
}
