// Bundles cli.tsx into dist/app.js (one minified CommonJS file, production React) and writes the loader
// dist/cli.js, which runs it through a V8 code cache. Start-up time matters more than anything else a
// terminal tool does; see readme, "Start-up".
import {createHash} from 'node:crypto';
import {realpathSync} from 'node:fs';
import {chmod, copyFile, mkdir, readFile, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {basename, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, context} from 'esbuild';
import {patchSegmenter} from './patches/segmenters.mjs';
import {patchStringWidth} from './patches/string-width.mjs';

const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

/** Replaces text in one dependency file, and fails the build if the text is gone (the dependency changed). */
function patch(name, filter, replacements) {
	return {
		name,
		setup(build) {
			build.onLoad({filter}, async ({path}) => {
				let source = await readFile(path, 'utf8');
				for (const [from, to] of replacements) {
					if (!source.includes(from)) {
						throw new Error(`${name}: "${from.slice(0, 60)}" not found in ${path}; update the patch`);
					}

					source = source.replaceAll(from, to);
				}

				return {contents: source, loader: 'js'};
			});
		},
	};
}

const require = createRequire(import.meta.url);

/**
 * Ink's Output (build/output.js) turns the tree's writes into the frame's text: it builds every cell of the
 * screen and serialises every row again for every frame (about 8 ms at 120x40 for one typed letter).
 * source/ui/screen/ink-output.ts gives the same text, drawing only rows it has not drawn before. It is a
 * copy of Ink's logic: the build fails when Ink's output.js is not the one it was made from (compare the
 * two, test/unit/ink-output.test.ts checks them against each other, then update the hash), and the imports
 * of its files (source/ui/screen/ink-output*.ts) resolve where Ink's do, so both use the same string-width,
 * slice-ansi and ansi-tokenize.
 */
const inkOutputHash = 'de9078c7fc647c40cf9e32d6658fcbbee91dae9e3f6334e5f4ebfc5905fc401d';
const inkOutputPath = fileURLToPath(new URL('../source/ui/screen/ink-output.ts', import.meta.url));
// ink-output.ts and its parts beside it (ink-output-caches.ts, ink-output-row.ts, …).
const isInkOutputFile = path => dirname(path) === dirname(inkOutputPath) && /^ink-output(-[a-z]+)*\.ts$/.test(basename(path));
const inkOutput = {
	name: 'ink-output',
	setup(build) {
		let inkBuild;
		build.onLoad({filter: /ink[\\/]build[\\/]renderer\.js$/}, async ({path}) => {
			inkBuild = dirname(path);
			const original = await readFile(`${inkBuild}/output.js`);
			const hash = createHash('sha256').update(original).digest('hex');
			if (hash !== inkOutputHash) {
				throw new Error(`ink-output: ${inkBuild}/output.js is not the one source/ui/screen/ink-output.ts copies (sha256 ${hash}); compare them, run test/unit/ink-output.test.ts and update the hash`);
			}

			const from = "import Output from './output.js';";
			const source = await readFile(path, 'utf8');
			if (!source.includes(from)) {
				throw new Error(`ink-output: "${from}" not found in ${path}; update the patch`);
			}

			return {contents: source.replace(from, `import Output from ${JSON.stringify(inkOutputPath)};`), loader: 'js'};
		});
		build.onResolve({filter: /^(slice-ansi|string-width|@alcalzone\/ansi-tokenize)$/}, async ({path, importer, kind}) => {
			if (!isInkOutputFile(importer)) {
				return undefined;
			}

			if (inkBuild === undefined) {
				throw new Error(`ink-output: ${importer} imported ${path} before Ink's renderer.js was loaded`);
			}

			const result = await build.resolve(path, {resolveDir: inkBuild, kind});
			return result.errors.length > 0 ? {errors: result.errors} : {path: result.path};
		});
	},
};

/**
 * esbuild gives every ES module that imports a CommonJS module its own copy of that module's exports
 * (React: 34 copies in Ink; node:process: 15 copies of ~150 properties), which costs milliseconds at
 * start-up. For ES imports of these, one shared ES module is used instead; require() calls are untouched.
 */
const sharedModules = {
	name: 'shared-modules',
	setup(build) {
		build.onResolve({filter: /^(react|react\/jsx-runtime|node:process|process)$/}, ({path, kind}) =>
			kind === 'import-statement' ? {path, namespace: 'shared-module'} : undefined,
		);
		build.onLoad({filter: /.*/, namespace: 'shared-module'}, ({path}) => {
			const source = path.endsWith('process') ? 'process' : `require(${JSON.stringify(require.resolve(path))})`;
			// For process, only plain values: its stdin and stdout getters must not run at import. A name not
			// listed fails the build ("no matching export"), never the program.
			const names = path.endsWith('process')
				? ['argv', 'cwd', 'env', 'platform', 'versions']
				: Object.keys(require(path)).filter(name => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
			return {
				contents: `const shared = ${source};\nexport default shared;\nexport const {${names.join(', ')}} = shared;\n`,
				loader: 'js',
				resolveDir: process.cwd(),
			};
		});
	},
};

// Exported for tests that bundle something else with the same patches (test/unit/ink-output-key-now.test.ts).
export const options = {
	entryPoints: ['cli.tsx'],
	outfile: 'dist/app.js',
	bundle: true,
	platform: 'node',
	target: 'node20',
	// Node 20 has the RegExp v flag; without this esbuild turns /…/v literals into new RegExp() calls, which
	// compile at start-up instead of at first use.
	supported: {'regexp-set-notation': true, 'regexp-unicode-property-escapes': true},
	format: 'cjs',
	minify: process.env.NO_MINIFY !== '1',
	legalComments: 'none',
	jsx: 'automatic',
	define: {
		'process.env.NODE_ENV': '"production"',
		'import.meta.url': '__importMetaUrl',
		PACKAGE_VERSION: JSON.stringify(packageJson.version),
		PACKAGE_DESCRIPTION: JSON.stringify(packageJson.description),
	},
	banner: {js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;'},
	// Loaded only for --encoding gbk/gb18030, from node_modules, so its tables are not parsed at every start.
	external: ['iconv-lite'],
	plugins: [
		sharedModules,
		{
			name: 'segmenters',
			setup(build) {
				build.onLoad({filter: /node_modules[\\/](wrap-ansi[\\/]node_modules[\\/]string-width[\\/]index|slice-ansi[\\/]tokenize-ansi|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize)\.js$/}, async ({path}) => ({
					contents: patchSegmenter(await readFile(path, 'utf8'), path),
					loader: 'js',
				}));
			},
		},
		{
			name: 'string-width-lazy',
			setup(build) {
				build.onLoad({filter: /node_modules[\\/]string-width[\\/]index\.js$/}, async ({path}) => ({
					contents: patchStringWidth(await readFile(path, 'utf8')),
					loader: 'js',
				}));
			},
		},
		// yoga-layout loads its inline wasm with fetch() (which loads undici) and a top-level await; compile
		// the same bytes synchronously instead, so the bundle can be CommonJS and start without undici.
		patch('yoga-sync', /yoga-wasm-base64-esm\.js$/, [
			['var _scriptDir = import.meta.url;', 'var _scriptDir = undefined;'],
			[
				'function c(e){return ya().then(function(f){return WebAssembly.instantiate(f,d)}).then(function(f){return f}).then(e,function(f){v("failed to asynchronously prepare wasm: "+f);x(f)})}',
				// Buffer decodes the base64 natively: yoga's own atob() and charCodeAt loop took ~4 ms of start-up.
				'function c(e){var m=new WebAssembly.Module(Buffer.from(H.slice(37),"base64"));e({instance:new WebAssembly.Instance(m,d),module:m});return Promise.resolve()}',
			],
		]),
		patch('yoga-sync-index', /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/, [
			['const Yoga = wrapAssembly(await loadYoga());', 'const yogaModule = {};\nloadYoga(yogaModule);\nconst Yoga = wrapAssembly(yogaModule);'],
		]),
		// cli.tsx hands meow its package data, so meow never reads or normalises package.json; without these
		// imports, normalize-package-data (and the licence table it sorts at import, ~9 ms) leaves the bundle.
		patch('meow-without-package-json', /meow[\\/]build[\\/]options\.js$/, [
			[
				"import { a as readPackageUpSync, n as normalizePackageData } from './dependencies.js';",
				'const readPackageUpSync = () => undefined;\nconst normalizePackageData = () => {};',
			],
		]),
		patch('meow-lazy-normalize', /meow[\\/]build[\\/]dependencies\.js$/, [
			// decamelize, for flag names (ASCII): Unicode-property patterns cost ~1.7 ms to compile at start.
			['/((?<![\\p{Uppercase_Letter}\\d])[\\p{Uppercase_Letter}\\d](?![\\p{Uppercase_Letter}\\d]))/gu', '/((?<![A-Z\\d])[A-Z\\d](?![A-Z\\d]))/g'],
			['/(?<!\\p{Uppercase_Letter})(\\p{Uppercase_Letter}+)(\\p{Uppercase_Letter}\\p{Lowercase_Letter}+)/gu', '/(?<![A-Z])([A-Z]+)([A-Z][a-z]+)/g'],
			['/([\\p{Lowercase_Letter}\\d])(\\p{Uppercase_Letter})/gu', '/([a-z\\d])([A-Z])/g'],
			['/(\\p{Uppercase_Letter})(\\p{Uppercase_Letter}\\p{Lowercase_Letter}+)/gu', '/([A-Z])([A-Z][a-z]+)/g'],
			// A promisified execFile nobody calls: it loaded node:child_process (~4 ms) at every start.
			["import { execFile } from 'node:child_process';\n", ''],
			['promisify(execFile);\n', ''],
			[
				'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
				'const normalizePackageData = data => getDefaultExportFromCjs(requireNormalize())(data);',
			],
		]),
		// terminal-size (Ink) runs tput or resize only when the terminal does not say its size; node:child_process
		// (~4 ms) is loaded then, not at every start.
		patch('terminal-size-lazy-exec', /terminal-size[\\/]index\.js$/, [
			["import {execFileSync} from 'node:child_process';", "const execFileSync = (...arguments_) => process.getBuiltinModule('node:child_process').execFileSync(...arguments_);"],
		]),
		// signal-exit 3 (under Ink's cli-cursor) loads node:assert (~3 ms) for one check of its argument.
		patch('signal-exit-without-assert', /signal-exit[\\/]index\.js$/, [
			["var assert = require('assert')", "var assert = {equal: function (a, b, message) { if (a != b) throw new TypeError(message) }}"],
		]),
		// Ink's log-update writes the whole output again for every frame: source/ui/screen/log-update.ts takes
		// its place and writes only the cells that changed. And a frame as tall as the terminal would not reach
		// it at all: ink.js clears the terminal and writes such frames whole itself; with that branch off they
		// go through the log too, throttled and synchronized (DEC 2026) as the others.
		patch('ink-screen-diff', /ink[\\/]build[\\/]ink\.js$/, [
			["import logUpdate from './log-update.js';", `import logUpdate from ${JSON.stringify(fileURLToPath(new URL('../source/ui/screen/log-update.ts', import.meta.url)))};`],
			['if (this.lastOutputHeight >= this.options.stdout.rows) {', 'if (false) {'],
			// The synchronized-update pair goes out in the frame's own write (one write, not three).
			[
				'                const shouldWrite = this.log.willRender(output);\n                const sync = shouldSynchronize(this.options.stdout);\n                if (sync && shouldWrite) {\n                    this.options.stdout.write(bsu);\n                }\n                this.log(output);\n                if (sync && shouldWrite) {\n                    this.options.stdout.write(esu);\n                }',
				'                this.log(output, shouldSynchronize(this.options.stdout));',
			],
			// ink-key-now, the instance's side: App calls this once it has handed a chunk of input on (below).
			[
				'    resolveExitPromise = () => { };',
				'    renderPendingFrame = () => {\n        if (this.hasPendingThrottledRender) {\n            this.throttledOnRender?.flush();\n        }\n    };\n    resolveExitPromise = () => { };',
			],
			['onExit: this.handleAppExit }, node)', 'onExit: this.handleAppExit, onInputHandled: this.renderPendingFrame }, node)'],
		]),
		// ink-key-now: a key's frame is drawn before the program does anything else. React 19's reconciler has
		// no synchronous legacy mode: an update made in a key handler gets the default priority and is rendered
		// by React's scheduler in a setImmediate, after every other I/O callback of that turn (under a flood,
		// hundreds of datagrams) and together with their updates. And a frame that comes within 8 ms of the
		// last (maxFps) waits for the throttle's trailing edge. So input is handed on as a discrete event
		// (React's SyncLane, as a browser's keypress), its render and commit are flushed at once, and a frame
		// the throttle holds back is drawn then. Frames from anything else stay throttled.
		patch('ink-key-now', /ink[\\/]build[\\/]components[\\/]App\.js$/, [
			["import ErrorBoundary from './ErrorBoundary.js';", "import ErrorBoundary from './ErrorBoundary.js';\nimport reconciler from '../reconciler.js';"],
			['exitOnCtrlC, onExit, setCursorPosition, }) {', 'exitOnCtrlC, onExit, setCursorPosition, onInputHandled, }) {'],
			[
				"        handleInput(input);\n        internal_eventEmitter.current.emit('input', input);\n    }, [handleInput]);",
				"        reconciler.discreteUpdates(() => {\n            handleInput(input);\n            internal_eventEmitter.current.emit('input', input);\n        });\n    }, [handleInput]);\n    const renderInput = useCallback(() => {\n        reconciler.flushSyncWork();\n        onInputHandled?.();\n    }, [onInputHandled]);",
			],
			['            emitInput(pendingEscape);\n        });\n    }, [clearPendingInputFlush, emitInput]);', '            emitInput(pendingEscape);\n            renderInput();\n        });\n    }, [clearPendingInputFlush, emitInput, renderInput]);'],
			[
				'            schedulePendingInputFlush();\n        }\n    }, [stdin, emitInput, clearPendingInputFlush, schedulePendingInputFlush]);',
				'            schedulePendingInputFlush();\n        }\n        renderInput();\n    }, [stdin, emitInput, clearPendingInputFlush, schedulePendingInputFlush, renderInput]);',
			],
		]),
		inkOutput,
		// Ink connects React devtools (an optional package) when DEV=true, with top-level awaits.
		patch('ink-without-devtools', /ink[\\/]build[\\/]reconciler\.js$/, [
			["await import('./devtools.js');", '/* React devtools are not bundled */'],
			['? await loadPackageJson()', '? {name: undefined, version: undefined}'],
		]),
	],
	logLevel: 'warning',
};

async function writeLoader() {
	await mkdir('dist', {recursive: true});
	await copyFile('scripts/cli-loader.js', 'dist/cli.js');
	// The package is "type": "module"; dist/ holds CommonJS, which Node loads without its ES module loader.
	await writeFile('dist/package.json', '{"type": "commonjs"}\n');
	await chmod('dist/cli.js', 0o755);
}

// Builds when run (node scripts/build.mjs), not when imported.
function isMain() {
	try {
		return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
	} catch {
		return false;
	}
}

if (isMain()) {
	await writeLoader();
	if (process.argv.includes('--watch')) {
		const ctx = await context(options);
		await ctx.watch();
	} else {
		await build(options);
	}
}
