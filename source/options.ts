// Moved to cli/options.ts. Kept only for source/net/chat-service.ts and test/e2e/two-instances.test.ts,
// which are the lead's to change; delete once they import cli/options.js.
export * from './cli/options.js';
