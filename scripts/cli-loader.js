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
drawCachedFrame(cacheName);
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

/** FNV-1a and a murmur-style mix side by side: 64 bits, enough to tell launches apart. */
function hash(text) {
	let a = 0x81_1c_9d_c5;
	let b = 0x97_47_b2_8c;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		a = Math.imul(a ^ code, 0x01_00_01_93);
		b = Math.imul(b ^ code, 0x5b_d1_e9_95);
		b ^= b >>> 15;
	}

	return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}

/** A file a cached frame was drawn from, as it was then ([path] when it did not exist). */
function unchanged([path, size, mtimeMs]) {
	const stats = statSync(path, {throwIfNoEntry: false});
	return stats === undefined ? size === undefined : stats.size === size && stats.mtimeMs === mtimeMs;
}

/**
 * The first frame of the last launch like this one (the same build, Node, terminal size, directory,
 * arguments and environment, and the files it read unchanged) drawn at once, before the app is loaded:
 * what the user sees first comes as soon as Node is up. The app then draws its own first frame over it,
 * nothing when it is the same, and keeps it for the next launch (source/cli/first-frame.ts). The
 * environment and arguments (a --secret among them) are kept only as a hash.
 */
function drawCachedFrame(build) {
	const {env, stdin, stdout} = process;
	// A relative XDG_CACHE_HOME is to be ignored, as the XDG spec says.
	const base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : env.HOME ? join(env.HOME, '.cache') : '';
	if (!stdout.isTTY || !stdin.isTTY || env.TERM === 'dumb' || base === '') {
		return;
	}

	let text = [build, process.version, `${stdout.columns}x${stdout.rows}`, process.cwd(), ...process.execArgv, '--', ...process.argv.slice(2)].join('\0');
	for (const name of Object.keys(env).sort()) {
		text += `\0${name}=${env[name]}`;
	}

	const handoff = {key: hash(text), file: join(base, 'tui-netchat', 'first-frame.json'), columns: stdout.columns, rows: stdout.rows, shown: undefined, adopted: false, dirty: false, watched: () => undefined};
	globalThis[Symbol.for('tui-netchat.first-frame')] = handoff;
	let entry;
	try {
		entry = JSON.parse(readFileSync(handoff.file, 'utf8')).entries.find(candidate => candidate.key === handoff.key);
		if (entry === undefined || typeof entry.screen !== 'string' || !entry.files.every(unchanged)) {
			return;
		}
	} catch {
		return;
	}

	// Until the app takes the terminal over (it restores it on every way out), an early end restores it here.
	const restore = () => {
		try {
			stdout.write('\u001B[?25h\u001B[?2004l\u001B[?1049l');
			stdin.setRawMode(false);
		} catch {
			// The terminal is gone (a hangup): nothing left to put back.
		}
	};
	process.once('exit', () => {
		if (!handoff.adopted) {
			restore();
		}
	});
	// A signal before the app listens for it would end the program where it stands: the terminal is put back
	// first, then the signal ends it as it would have. Listened for before the frame is drawn, so none is missed.
	for (const signal of ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM']) {
		const early = () => {
			process.removeListener(signal, early);
			if (process.listenerCount(signal) === 0) {
				restore();
				process.kill(process.pid, signal);
			}
		};

		process.on(signal, early);
	}

	// Keys typed from now on wait for the app, unechoed, as they would in its raw mode.
	stdin.setRawMode(true);
	stdout.write(entry.screen);
	handoff.shown = entry.screen;
	// Whatever else reaches the terminal before the app's first frame (a warning of Node's) is over the
	// frame: then the app draws its own whole. It stops watching at its first frame.
	const watched = [stdout, process.stderr].map(stream => {
		const write = stream.write;
		const watching = function (...args) {
			handoff.dirty = true;
			return write.apply(this, args);
		};
		stream.write = watching;
		return () => {
			if (stream.write === watching) {
				stream.write = write;
			}
		};
	});
	handoff.watched = () => {
		for (const stop of watched) {
			stop();
		}
	};
}
