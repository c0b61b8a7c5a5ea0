import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';

// A process inside a network namespace cannot be the test runner itself (a namespace belongs to a whole
// process), so a test that needs source code running in a namespace bundles a small TypeScript entry into
// one ESM file and runs it with `lan.exec(host, [process.execPath, file, ...args])`.

const bundled = new Map<string, Promise<string>>();
let directory: string | undefined;

/** The entry (a path to a .ts file) as one self-contained .mjs, built once per test process. */
export async function bundleForNamespace(entry: string): Promise<string> {
	let file = bundled.get(entry);
	if (file === undefined) {
		directory ??= mkdtempSync(join(tmpdir(), 'tnc-lan-bundle-'));
		const outfile = join(directory, `${bundled.size}.mjs`);
		file = build({
			entryPoints: [entry],
			outfile,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			logLevel: 'silent',
			// CommonJS dependencies bundled into ESM still call require() for Node's own modules.
			banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
		}).then(() => outfile);
		bundled.set(entry, file);
	}

	return file;
}

/** Removes the bundles (call it in afterAll). */
export function removeBundles(): void {
	if (directory !== undefined) {
		rmSync(directory, {recursive: true, force: true});
		directory = undefined;
		bundled.clear();
	}
}
