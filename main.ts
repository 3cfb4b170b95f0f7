/**
 * The app: one stack (or one per environment in MODEL_EDGE_ENVIRONMENTS) with one
 * ModelEdgeDeployment per folder under models/. See docs/deployment-settings.md.
 */
import * as path from 'path';
import { App } from 'cdktf';
import { addModelEdgeStacks } from './lib/stack';

const app = new App();
// MODEL_EDGE_MODELS_DIR points the app at another models folder (benchmarks, experiments).
addModelEdgeStacks(app, { modelsDir: process.env.MODEL_EDGE_MODELS_DIR ?? path.join(__dirname, 'models') });
app.synth();
