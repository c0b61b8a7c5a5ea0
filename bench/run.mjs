// npm run bench: tui-netchat's benchmark. Builds dist/ (node scripts/build.mjs), runs each scenario
// with real processes on 127.0.0.1, prints a table and writes it to bench/RESULTS.md.
//   node bench/run.mjs [--no-build] [1 2 3 4 5 6 7 8 9]   (numbers: only those scenarios)
// Only a run of every scenario writes bench/RESULTS.md: a partial run prints its table and leaves the file alone.
// A missed target is a FAIL row, not an error: the exit code is 0 unless the harness itself breaks.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {cpus, loadavg, totalmem} from 'node:os';
import {discovery} from './lib/discovery.mjs';
import {files} from './lib/files.mjs';
import {flood} from './lib/flood.mjs';
import {irc} from './lib/irc.mjs';
import {million} from './lib/million.mjs';
import {network} from './lib/network.mjs';
import {cli, killAll, removeTemporary, root} from './lib/proc.mjs';
import {render} from './lib/render.mjs';
import {startup} from './lib/startup.mjs';
import {terminal} from './lib/terminal.mjs';

const scenarios = [
	['1', 'start-up', startup],
	['2', 'render vs history', render],
	['3', 'flood', flood],
	['4', 'after 1M messages', million],
	['5', 'network', network],
	['6', 'irc', irc],
	['7', 'discovery', discovery],
	['8', 'terminal output', terminal],
	['9', 'files', files],
];
const args = process.argv.slice(2);
const only = args.filter(arg => /^\d$/.test(arg));
const unknown = only.filter(number => !scenarios.some(([each]) => each === number));
if (unknown.length > 0) {
	console.error(`bench: no scenario ${unknown.join(', ')} (there are ${scenarios.map(([each]) => each).join(', ')})`);
	removeTemporary();
	process.exit(2);
}

// A run of some scenarios only must not replace the full table in bench/RESULTS.md with a partial one.
const partial = scenarios.some(([number]) => only.length > 0 && !only.includes(number));
const rows = [];
let broken = false;

// Never leave a process behind: on a signal, and if the whole run takes far too long.
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		killAll();
		removeTemporary();
		process.exit(1);
	});
}

setTimeout(() => {
	console.error('bench: over 8 minutes, giving up');
	killAll();
	removeTemporary();
	process.exit(1);
}, 8 * 60_000).unref();

function machine() {
	const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
	return {
		cpu: model,
		cores: cpus().length,
		ram: `${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
		node: process.version,
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		load: loadavg().map(value => value.toFixed(2)).join(' '),
	};
}

const columns = ['scenario', 'figure', 'value', 'baseline', 'ratio', 'target', 'result'];
const cells = row => [row.scenario, row.figure, row.value, row.baseline ?? '', Number.isFinite(row.ratio) ? row.ratio.toFixed(2) : '', row.target ?? '', row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL'];

function textTable() {
	const body = rows.map(cells);
	const widths = columns.map((name, index) => Math.max(name.length, ...body.map(row => row[index].length)));
	const line = values => values.map((value, index) => value.padEnd(widths[index])).join('  ').trimEnd();
	return [line(columns), line(widths.map(width => '-'.repeat(width))), ...body.map(line)].join('\n');
}

function markdown(info) {
	const escape = text => text.replaceAll('|', '\\|');
	return [
		'# tui-netchat benchmark results',
		'',
		`Written by \`npm run bench\` (bench/run.mjs) on ${info.date}.`,
		'',
		`Machine: ${info.cpu}, ${info.cores} cores, ${info.ram} RAM, Node ${info.node}, load average at start ${info.load}.`,
		'',
		`| ${columns.join(' | ')} |`,
		`|${columns.map(() => '---').join('|')}|`,
		...rows.map(row => `| ${cells(row).map(escape).join(' | ')} |`),
		'',
		'Notes:',
		'',
		...rows.filter(row => row.note).map(row => `- ${row.scenario}, ${row.figure}: ${row.note}`),
		'',
	].join('\n');
}

const info = machine();
try {
	if (!args.includes('--no-build')) {
		try {
			execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: root, stdio: 'inherit'});
		} catch {
			console.error('bench: the build failed; measuring the dist/ that is there');
		}
	}

	if (!existsSync(`${root}${cli}`)) {
		throw new Error(`${cli} is missing: run node scripts/build.mjs`);
	}

	console.log(`${info.cpu}, ${info.cores} cores, ${info.ram}, Node ${info.node}, load ${info.load}`);
	for (const [number, name, run] of scenarios) {
		if (only.length > 0 && !only.includes(number)) {
			continue;
		}

		const started = performance.now();
		process.stdout.write(`scenario ${number} (${name})... `);
		try {
			await run(row => rows.push(row));
		} catch (error) {
			broken = true;
			rows.push({scenario: `${number} ${name}`, figure: 'harness error', value: String(error?.message ?? error).slice(0, 200)});
		} finally {
			killAll();
		}

		console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
	}
} finally {
	killAll();
	removeTemporary();
}

console.log(`\n${textTable()}\n`);
for (const row of rows.filter(row => row.note)) {
	console.log(`- ${row.scenario}, ${row.figure}: ${row.note}`);
}

if (partial) {
	console.log(`\npartial run (scenarios ${only.join(', ')}): bench/RESULTS.md left as it was; run every scenario to rewrite it`);
} else {
	writeFileSync(new URL('RESULTS.md', import.meta.url), markdown(info));
	console.log('\nwritten to bench/RESULTS.md');
}

process.exit(broken ? 1 : 0);
