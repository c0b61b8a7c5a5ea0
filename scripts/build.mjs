// Bundles cli.tsx into one minified ESM file with production React: start-up time matters
// more than anything else a terminal tool does (see readme, "Start-up").
import {build, context} from 'esbuild';

const options = {
	entryPoints: ['cli.tsx'],
	outdir: 'dist',
	entryNames: '[name]',
	// iconv-lite (GBK) is imported only when --encoding asks for it: a chunk of its own keeps start-up fast.
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	minify: true,
	legalComments: 'none',
	jsx: 'automatic',
	define: {'process.env.NODE_ENV': '"production"'},
	plugins: [
		{
			// Ink loads react-devtools-core only when DEV=true; it is not a dependency, so stub it out.
			name: 'stub-devtools',
			setup(build) {
				build.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'devtools', namespace: 'stub'}));
				build.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
					contents: 'export default {connectToDevTools() {}};',
				}));
			},
		},
	],
	banner: {
		js: [
			'#!/usr/bin/env node',
			"import {createRequire as __cr} from 'node:module';",
			'const require = __cr(import.meta.url);',
		].join('\n'),
	},
	logLevel: 'warning',
};

if (process.argv.includes('--watch')) {
	const ctx = await context(options);
	await ctx.watch();
} else {
	await build(options);
}
