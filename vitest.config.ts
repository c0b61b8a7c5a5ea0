import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 20_000,
		hookTimeout: 20_000,
		// End-to-end tests share tmux and fixed ports; run files one at a time on these 2-core machines.
		fileParallelism: false,
	},
});
