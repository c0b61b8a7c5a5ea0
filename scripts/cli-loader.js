#!/usr/bin/env node
// Runs the bundled app (app.js) through a V8 code cache (app-SIZE-MTIME.cache). Node 20 has no compile cache of
// its own, and compiling the bundle is a large part of start-up. V8 rejects a cache made by another
// Node version, and then a new one is written when the program exits.
// dist/package.json makes this CommonJS: a CommonJS entry starts a few ms sooner than an ES module.
'use strict';
// The app loads some builtins at first use with process.getBuiltinModule (Node 20.16 and later).
if (typeof process.getBuiltinModule !== 'function') {
	process.stderr.write(`tui-netchat: needs Node.js 20.16 or newer (this is ${process.version})\n`);
	process.exit(1);
}

const {readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} = require('node:fs');
const {join} = require('node:path');
const {Script} = require('node:vm');

const directory = __dirname;
const file = join(directory, 'app.js');
// V8 checks a code cache against the source's length only: a rebuilt app.js of the same length would run
// the old build's code (and crash). The cache's name carries app.js's size and modification time.
const {size, mtimeMs} = statSync(file);
const cacheName = `app-${size}-${Math.round(mtimeMs)}.cache`;
const cacheFile = join(directory, cacheName);
const source = readFileSync(file, 'utf8');
let cachedData;
try {
	cachedData = readFileSync(cacheFile);
} catch {}

const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: file, cachedData});
if (cachedData === undefined || script.cachedDataRejected) {
	let written = false;
	const writeCache = () => {
		if (written) {
			return;
		}

		written = true;
		try {
			const temporary = `${cacheFile}.${process.pid}`;
			writeFileSync(temporary, script.createCachedData());
			renameSync(temporary, cacheFile);
			for (const name of readdirSync(directory)) {
				if (/^app.*\.cache$/.test(name) && name !== cacheName) {
					rmSync(join(directory, name), {force: true});
				}
			}
		} catch {}
	};

	// The app calls this once its first frame is drawn, so the cache holds what a start-up compiles; a
	// program that ends sooner (--help, an error) writes what it has on the way out.
	globalThis[Symbol.for('tui-netchat.started')] = writeCache;
	process.once('exit', writeCache);
}

const appModule = {exports: {}};
script.runInThisContext()(appModule.exports, require, appModule, file, directory);
