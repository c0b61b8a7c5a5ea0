// Moved to cli/headless.ts. Kept only for test/net/headless.test.ts, which is the lead's to change;
// delete once it imports cli/headless.js.
export * from './cli/headless.js';
