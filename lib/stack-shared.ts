/**
 * What several deployments in one stack share instead of creating each their own: one zone lookup
 * per zone, one rate limiting ruleset per zone (a zone has one per phase), and one asset per built
 * file (the Worker bundle, the kernels, equal model artifacts), so a stack of ten models copies the
 * bundle once and reads each zone once.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';
import { ZoneRateLimits } from './rate-limit-ruleset';

const SHARED_ID = 'ModelEdgeShared';

export class StackShared extends Construct {
  /** The one StackShared of the stack that holds `scope`. */
  static of(scope: Construct): StackShared {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(SHARED_ID) as StackShared | undefined) ?? new StackShared(stack, SHARED_ID);
  }

  private readonly assets = new Map<string, TerraformAsset>();
  private readonly zones = new Map<string, DataCloudflareZone>();
  private readonly rateLimitRulesets = new Map<string, ZoneRateLimits>();

  /** The asset that copies `file` into the stack folder (files are content-addressed, so equal paths mean equal bytes). */
  asset(file: string, kind: string, type: AssetType = AssetType.FILE): TerraformAsset {
    let asset = this.assets.get(file);
    if (!asset) {
      asset = new TerraformAsset(this, `${kind}-${shortHash(file)}`, { path: file, type });
      this.assets.set(file, asset);
    }
    return asset;
  }

  /** The lookup of the zone `zoneName` (narrowed to `accountId` when given). */
  zone(zoneName: string, accountId: string | undefined): DataCloudflareZone {
    const key = `${zoneName}\n${accountId ?? ''}`;
    let zone = this.zones.get(key);
    if (!zone) {
      zone = new DataCloudflareZone(this, this.zones.size === 0 ? 'Zone' : `Zone-${this.zones.size + 1}`, {
        filter: { name: zoneName, ...(accountId !== undefined ? { account: { id: accountId } } : {}) },
      });
      this.zones.set(key, zone);
    }
    return zone;
  }

  /** The rate limiting ruleset of the zone `zoneKey` (the zone's name or id as the deployment gives it), created with `zoneId`. */
  rateLimits(zoneKey: string, zoneId: string): ZoneRateLimits {
    let rulesets = this.rateLimitRulesets.get(zoneKey);
    if (!rulesets) {
      const n = this.rateLimitRulesets.size;
      rulesets = new ZoneRateLimits(this, n === 0 ? 'RateLimits' : `RateLimits-${n + 1}`, zoneId);
      this.rateLimitRulesets.set(zoneKey, rulesets);
    }
    return rulesets;
  }
}

function shortHash(file: string): string {
  return createHash('sha256').update(path.basename(file)).digest('hex').slice(0, 12);
}
