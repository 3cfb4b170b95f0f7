/**
 * What several deployments in one stack share instead of creating each their own: one zone lookup
 * per zone, and one asset per built file (the Worker bundle, the kernels, equal model artifacts),
 * so a stack of ten models copies the bundle once and reads each zone once.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';

const SHARED_ID = 'ModelEdgeShared';

export class StackShared extends Construct {
  /** The one StackShared of the stack that holds `scope`. */
  static of(scope: Construct): StackShared {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(SHARED_ID) as StackShared | undefined) ?? new StackShared(stack, SHARED_ID);
  }

  private readonly assets = new Map<string, TerraformAsset>();
  private readonly zones = new Map<string, DataCloudflareZone>();

  /** The asset that copies `file` into the stack folder (files are content-addressed, so equal paths mean equal bytes). */
  asset(file: string, kind: string): TerraformAsset {
    let asset = this.assets.get(file);
    if (!asset) {
      asset = new TerraformAsset(this, `${kind}-${shortHash(file)}`, { path: file, type: AssetType.FILE });
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
}

function shortHash(file: string): string {
  return createHash('sha256').update(path.basename(file)).digest('hex').slice(0, 12);
}
