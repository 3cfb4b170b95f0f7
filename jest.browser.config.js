/**
 * `npm run test:browser`: the tests that drive a real headless Chromium (Debian's `chromium`
 * package; see README). Kept out of `npm test`, whose config only matches *.test.ts.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/browser'],
  testMatch: ['**/*.browser.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/__tests__/support/summary-reporter.js'],
};
