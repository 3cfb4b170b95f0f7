#!/usr/bin/env node
/**
 * Writes the prebuilt Worker bundle into dist/bundle (after `tsc` has built dist/lib), so the
 * published package's synth needs no bundler. Run by `npm run build`.
 */
const { writePrebuiltBundle } = require('../dist/lib/worker-bundle');

const bundle = writePrebuiltBundle();
console.log(`dist/bundle/worker.js: ${bundle.code.length} bytes, sha256 ${bundle.sha256.slice(0, 16)}...`);
