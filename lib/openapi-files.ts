/**
 * Writes each version's OpenAPI 3.1 document beside the stack when it is synthesized:
 * `cdktf.out/stacks/<stack>/openapi/<model>/<version>.json`. The document is the one the Worker
 * answers at /v2/models/{name}/openapi.json (worker/openapi/document.ts), built from the same
 * compiled artifact, with the deployment's endpoints as servers.
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { TerraformStack, Token } from 'cdktf';
// Custom synthesis is how cdktf's own TerraformAsset writes files beside the stack.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import type { Construct } from 'constructs';
import { openApiDocument } from '../worker/openapi/document';
import type { ResolvedDeploymentConfig } from './deployment-config';
import { builtModelTensors } from './model-build';

/** The folder of a stack's OpenAPI documents, relative to the stack's folder in cdktf.out. */
export const OPENAPI_FOLDER = 'openapi';

export interface VersionArtifact {
  readonly label: string;
  /** The compiled artifact (model-build's output). */
  readonly artifactPath: string;
}

export function writeOpenApiAtSynth(scope: Construct, config: ResolvedDeploymentConfig, versions: readonly VersionArtifact[], endpoints: () => readonly string[]): void {
  const stack = TerraformStack.of(scope);
  addCustomSynthesis(scope, {
    onSynthesize(session) {
      const stackDir = path.join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath, '..');
      const dir = path.join(stackDir, OPENAPI_FOLDER, config.modelName);
      mkdirSync(dir, { recursive: true });
      const servers = endpoints().filter((url) => !Token.isUnresolved(url)).map((url) => url.replace(/\/$/, ''));
      for (const v of versions) {
        const document = openApiDocument({
          name: config.modelName,
          version: v.label,
          versions: config.versions.map((x) => x.label),
          ...builtModelTensors(v.artifactPath),
          keys: Token.isUnresolved(config.apiKeySha256) || config.apiKeySha256.length > 0,
          playground: config.playground,
          servers,
        });
        writeFileSync(path.join(dir, `${v.label}.json`), `${JSON.stringify(document, null, 2)}\n`);
      }
    },
  });
}
