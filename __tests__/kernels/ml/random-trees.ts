/**
 * Seeded random tree ensembles in the ai.onnx.ml TreeEnsembleRegressor/Classifier layout, shaped
 * like random forests (every leaf votes for every class) or gradient boosting (one target per tree),
 * with thresholds on a coarse grid so that inputs hit them exactly (exercising LEQ vs LT, EQ, NEQ).
 */
import { Random } from '../../../models/lib/random';

export const GRID = [-1, -0.5, -0.25, 0, 0.25, 0.5, 1];

export interface RandomTreesOptions {
  seed: number;
  trees: number;
  maxDepth: number;
  features: number;
  targets: number;
  /** modes to draw branch modes from; default BRANCH_LEQ only */
  modes?: readonly string[];
  /** mark some branches nodes_missing_value_tracks_true = 1 */
  missingTracks?: boolean;
  /** 'all': each leaf votes for every target (random forest); 'one': tree t votes for target t % targets (boosting) */
  votes: 'all' | 'one';
  /** leaf weights in [0, 1) (probabilities) instead of signed */
  positive?: boolean;
  /** a fixed target every weight is for (the binary single-class case) */
  onlyTarget?: number;
}

export interface TreeLists {
  nodes_treeids: number[];
  nodes_nodeids: number[];
  nodes_featureids: number[];
  nodes_modes: string[];
  nodes_values: number[];
  nodes_truenodeids: number[];
  nodes_falsenodeids: number[];
  nodes_missing_value_tracks_true: number[];
  w_treeids: number[];
  w_nodeids: number[];
  w_ids: number[];
  w_weights: number[];
}

export function randomTrees(o: RandomTreesOptions): TreeLists {
  const rng = new Random(o.seed);
  const l: TreeLists = {
    nodes_treeids: [],
    nodes_nodeids: [],
    nodes_featureids: [],
    nodes_modes: [],
    nodes_values: [],
    nodes_truenodeids: [],
    nodes_falsenodeids: [],
    nodes_missing_value_tracks_true: [],
    w_treeids: [],
    w_nodeids: [],
    w_ids: [],
    w_weights: [],
  };
  const modes = o.modes ?? ['BRANCH_LEQ'];
  for (let t = 0; t < o.trees; t++) {
    // Breadth-first ids: node 0 is the root.
    let nextId = 1;
    const queue: { id: number; depth: number }[] = [{ id: 0, depth: 0 }];
    while (queue.length) {
      const { id, depth } = queue.shift()!;
      const leaf = depth >= o.maxDepth || (depth > 0 && rng.next() < 0.25);
      l.nodes_treeids.push(t);
      l.nodes_nodeids.push(id);
      if (leaf) {
        l.nodes_featureids.push(0);
        l.nodes_modes.push('LEAF');
        l.nodes_values.push(0);
        l.nodes_truenodeids.push(0);
        l.nodes_falsenodeids.push(0);
        l.nodes_missing_value_tracks_true.push(0);
        const targets = o.onlyTarget !== undefined ? [o.onlyTarget] : o.votes === 'all' ? [...Array(o.targets).keys()] : [t % o.targets];
        for (const target of targets) {
          l.w_treeids.push(t);
          l.w_nodeids.push(id);
          l.w_ids.push(target);
          const w = o.positive ? rng.next() : rng.uniform(-1, 1);
          l.w_weights.push(Math.fround(w));
        }
        continue;
      }
      const trueId = nextId++;
      const falseId = nextId++;
      l.nodes_featureids.push(rng.int(o.features));
      l.nodes_modes.push(modes[rng.int(modes.length)]);
      l.nodes_values.push(GRID[rng.int(GRID.length)]);
      l.nodes_truenodeids.push(trueId);
      l.nodes_falsenodeids.push(falseId);
      l.nodes_missing_value_tracks_true.push(o.missingTracks && rng.next() < 0.5 ? 1 : 0);
      queue.push({ id: trueId, depth: depth + 1 }, { id: falseId, depth: depth + 1 });
    }
  }
  return l;
}

/** Rows on the threshold grid (plus off-grid values and, optionally, NaN). */
export function randomRows(seed: number, rows: number, features: number, nanRate = 0): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(rows * features);
  for (let i = 0; i < out.length; i++) {
    const r = rng.next();
    out[i] = r < nanRate ? NaN : r < 0.6 ? GRID[rng.int(GRID.length)] : rng.uniform(-1.5, 1.5);
  }
  return out;
}
