/**
 * Deployments anywhere in one App must not claim the same Worker name, route pattern or hostname:
 * with one stack per environment, a staging Worker named like production's would take it over.
 * Each stack gets one validation that compares its deployments with every deployment the App holds
 * before it (so each conflict is reported once, by the stack of the later claimant).
 */
import { IConstruct, IValidation } from 'constructs';
import { TerraformStack } from 'cdktf';
import { configProblem, formatProblem } from './errors';
import { isToken } from './config/tokens';
import type { ResolvedDeploymentConfig } from './config/types';

/** What the check needs to know of a deployment. */
export interface Claimant extends IConstruct {
  readonly config: ResolvedDeploymentConfig;
}

const STACKS_WITH_CHECK = new WeakSet<TerraformStack>();

export function registerClaimsCheck(deployment: Claimant, isClaimant: (x: unknown) => x is Claimant): void {
  const stack = TerraformStack.of(deployment);
  if (STACKS_WITH_CHECK.has(stack)) return;
  STACKS_WITH_CHECK.add(stack);
  stack.node.addValidation(new UniqueClaimsValidation(stack, isClaimant));
}

class UniqueClaimsValidation implements IValidation {
  constructor(
    private readonly stack: TerraformStack,
    private readonly isClaimant: (x: unknown) => x is Claimant,
  ) {}

  validate(): string[] {
    const all = this.stack.node.root.node.findAll().filter(this.isClaimant);
    const owners = new Map<string, { model: string; field: string; stack: string }>();
    const errors: string[] = [];
    for (const d of all) {
      const stack = TerraformStack.of(d);
      const mine = stack === this.stack;
      const c = d.config;
      const report = (field: string, what: string, fix: string) =>
        errors.push(formatProblem({ ...configProblem(c.modelName, field, what, fix), stack: stack.node.id }));
      /** Claims `value` under `key`; conflicts with an earlier claim under any of `conflicts`. */
      const claim = (kind: string, value: string, key: string, conflicts: string[], field: string, fix: string) => {
        if (isToken(value)) return; // known only when Terraform runs
        const lower = value.toLowerCase();
        const owner = conflicts.map((k) => owners.get(`${k}:${lower}`)).find((o) => o !== undefined);
        if (owner && mine) {
          const where = owner.stack === stack.node.id ? '' : ` in stack "${owner.stack}"`;
          report(field, `the ${kind} "${value}" is already claimed by model "${owner.model}"${where} (${owner.field})`, fix);
        }
        if (!owners.has(`${key}:${lower}`)) owners.set(`${key}:${lower}`, { model: c.modelName, field, stack: stack.node.id });
      };
      claim('Worker name', c.workerName, 'worker', ['worker'], 'workerName', 'give each model and environment its own workerName, or set environment so the default names differ');
      c.routes.forEach((p, i) => claim('route pattern', p, 'route', ['route'], `routes[${i}]`, 'give each model its own route pattern, e.g. a different path or host per environment'));
      c.routes.forEach((p, i) => {
        const host = p.slice(0, p.indexOf('/'));
        if (host !== '' && !host.includes('*')) claim('hostname', host, 'route-host', ['domain'], `routes[${i}]`, 'a custom domain takes every path of its host: route this model on another host');
      });
      if (c.customDomain !== undefined) claim('hostname', c.customDomain, 'domain', ['domain', 'route-host'], 'customDomain', 'give each model its own customDomain hostname, one no route uses');
    }
    return errors;
  }
}
