/**
 * A zone's rate limiting rules. A zone has exactly one entry-point ruleset per phase, so every model
 * of a stack that is rate limited in one zone adds its rule to one shared `cloudflare_ruleset` in the
 * `http_ratelimit` phase (StackShared keeps one per zone), and the zone plan's rule count applies to
 * them together.
 */
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { Ruleset, RulesetRules } from '@cdktf/provider-cloudflare/lib/ruleset';
import { configProblem, throwIfProblems } from './errors';
import type { ResolvedRateLimit } from './config/types';
import { ZONE_PLANS } from './config/rate-limit';

/** What a blocked client reads: the API's own error shape (Free zones answer Cloudflare's 429 page instead). */
export const RATE_LIMIT_STATUS = 429;

export interface RateLimitRuleOwner {
  readonly modelName: string;
  /** may be a Terraform expression */
  readonly workerName: string;
  /** the deployment's construct path: unique in the stack, so it names the rule (`ref`) */
  readonly path: string;
}

export class ZoneRateLimits extends Construct {
  readonly ruleset: Ruleset;
  private readonly rules: RulesetRules[] = [];
  private readonly owners: string[] = [];
  private zonePlan: string | undefined;

  constructor(scope: Construct, id: string, zoneId: string) {
    super(scope, id);
    this.ruleset = new Ruleset(this, 'Ruleset', {
      zoneId,
      kind: 'zone',
      phase: 'http_ratelimit',
      name: 'model-edge rate limits',
      description: 'Rate limits of the models served by model-edge in this zone',
      rules: [],
    });
  }

  /** Adds one model's rule; throws when the zone's plan would not hold it. */
  addRule(owner: RateLimitRuleOwner, limit: ResolvedRateLimit): void {
    const problems = [];
    if (this.zonePlan !== undefined && this.zonePlan !== limit.zonePlan) {
      problems.push(configProblem(owner.modelName, 'rateLimit.zonePlan', `"${limit.zonePlan}" differs from "${this.zonePlan}", which ${this.owners.join(', ')} gave for the same zone`, 'give every model in one zone the same zonePlan: the plan of that zone'));
    }
    const maxRules = ZONE_PLANS[limit.zonePlan]?.rules ?? 1;
    if (this.rules.length + 1 > maxRules) {
      problems.push(
        configProblem(owner.modelName, 'rateLimit', `the "${limit.zonePlan}" plan allows ${maxRules} rate limiting rule${maxRules === 1 ? '' : 's'} per zone, and ${this.owners.join(', ')} already ${this.owners.length === 1 ? 'has' : 'have'} ${maxRules === 1 ? 'it' : 'them'}`, 'rate limit fewer models in this zone, or set rateLimit.zonePlan to the zone\'s plan if it is higher'),
      );
    }
    throwIfProblems(problems);
    this.zonePlan = limit.zonePlan;
    this.owners.push(`"${owner.modelName}"`);
    this.rules.push(rateLimitRule(owner, limit));
    this.ruleset.putRules(this.rules);
  }
}

/** One model's rule: its routes, its counter per client and data center, and for block the 429 answer. */
export function rateLimitRule(owner: RateLimitRuleOwner, limit: ResolvedRateLimit): RulesetRules {
  // Custom responses need a paid zone; a Free zone answers with Cloudflare's own 429 page.
  const customResponse = limit.action === 'block' && limit.zonePlan !== 'free';
  return {
    ref: `model_edge_${owner.path.replace(/[^A-Za-z0-9_]/g, '_')}`,
    description: `model-edge: ${owner.modelName} (${owner.workerName})`,
    expression: limit.expression,
    action: limit.action,
    ...(customResponse
      ? {
          actionParameters: {
            response: {
              statusCode: RATE_LIMIT_STATUS,
              contentType: 'application/json',
              content: JSON.stringify({ error: `rate limit exceeded: at most ${Token.isUnresolved(limit.requestsPerPeriod) ? Token.asString(limit.requestsPerPeriod) : limit.requestsPerPeriod} requests per ${limit.period} s; retry later` }),
            },
          },
        }
      : {}),
    ratelimit: {
      characteristics: limit.characteristics,
      period: limit.period,
      requestsPerPeriod: limit.requestsPerPeriod,
      mitigationTimeout: limit.mitigationTimeout,
    },
    enabled: true,
  };
}
