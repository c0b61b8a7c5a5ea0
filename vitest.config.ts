import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 20_000,
		hookTimeout: 20_000,
		// End-to-end tests share tmux and fixed ports; run files one at a time on these 2-core machines.
		fileParallelism: false,
		// The screen's marks are pinned to UTF-8 whatever the machine's locale (the LANG=C test sets its own).
		env: {TUI_NETCHAT_ASCII: '0'},
	},
});
