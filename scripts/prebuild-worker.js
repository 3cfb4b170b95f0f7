#!/usr/bin/env node
/**
 * Writes the prebuilt split Worker build into dist/bundle (after `tsc` has built dist/lib), so the
 * published package's synth needs no bundler: it picks the modules a model needs from these.
 * Run by `npm run build`.
 */
const { writePrebuiltBundle } = require('../dist/lib/worker-bundle');

const written = writePrebuiltBundle();
console.log(`dist/bundle: ${written.modules} modules, ${written.bytes} bytes`);
