/**
 * The app: one stack (or one per environment in MODEL_EDGE_ENVIRONMENTS) with one
 * ModelEdgeDeployment per folder under models/. See docs/deployment-settings.md.
 */
import * as path from 'path';
import { App } from 'cdktf';
import { addModelEdgeStacks } from './lib/stack';

const app = new App();
addModelEdgeStacks(app, { modelsDir: path.join(__dirname, 'models') });
app.synth();
