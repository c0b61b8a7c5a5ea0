// Moved to cli/options.ts. Kept only for test/e2e/two-instances.test.ts, which is the lead's to change;
// delete once it imports cli/options.js.
export * from './cli/options.js';
