import {describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/wait.js';
import {e2eSession, inputText, portTuple, statusBar, waitForExitCode} from './support.js';

// Issue 12: inside tmux the grid is tmux's, and tmux 3.3 measures emoji sequences its own way. The build patches
// string-width (scripts/patches/string-width.mjs) to count as tmux does. Without that patch the app lays a row
// out by Unicode's count, which tmux draws wider (👍🏽) or narrower (❤️): tmux wraps the row itself, the frame is
// a row taller than Ink thinks, and the cursor is not where the text ends. Each test that runs the app fails
// without the patch (run against a build without it through TUI_NETCHAT_CLI); the first test checks the premise,
// tmux's own widths. The family and the flag are as wide by either count: they pin tmux's widths, no more.
//
// A wrapped frame hides well: the extra row scrolls the top row away, and Ink shows one history row more, so
// the bottom rows look right. What shows it is tmux's own record of a row it wrapped (capture-pane -J joins
// such rows), the hanging indent of continuation rows, how many emoji a row holds, and the cursor.

const {tmux, peers, chat} = e2eSession('emoji');

const width = 80;
const height = 14;

/** tmux 3.3's widths (measured, and checked against tmux by the first test) and the patch's. */
const sequences = [
	{name: 'a thumbs up with a skin tone', text: '👍🏽', columns: 4},
	{name: 'a ZWJ family', text: '👨\u200D👩\u200D👧', columns: 2},
	{name: 'a heart with VS16', text: '❤\uFE0F', columns: 1},
	{name: 'the rainbow flag', text: '🏳\uFE0F\u200D🌈', columns: 1},
	{name: 'the flag of Japan', text: '🇯🇵', columns: 2},
] as const;

const thumbs = sequences[0];
const heart = sequences[2];

/** The captured rows: exactly the pane's height of them. */
function rowsOf(pane: string): string[] {
	return pane.replace(/\n$/, '').split('\n');
}

/** The pane with every row tmux wrapped itself (its line ran past the last column) joined to the next. */
function joinedRows(name: string): string[] {
	return rowsOf(tmux.run('capture-pane', '-p', '-J', '-t', `=${name}:`));
}

function count(text: string, part: string): number {
	return text.split(part).length - 1;
}

/** tmux's columns for a row of ASCII, rules (─) and the sequences above. */
function tmuxColumns(row: string): number {
	let rest = row;
	let columns = 0;
	for (const sequence of sequences) {
		columns += count(rest, sequence.text) * sequence.columns;
		rest = rest.replaceAll(sequence.text, '');
	}

	expect.soft(rest, `row ${JSON.stringify(row)} holds only ASCII and ─ besides the sequences`).toMatch(/^[\x20-\x7E─]*$/);
	return columns + rest.length;
}

/** Where tmux leaves the cursor after printing text at the start of a fresh pane: the text's width in tmux. */
async function tmuxWidth(name: string, text: string): Promise<number> {
	tmux.start(name, ['sh', '-c', 'printf "%s" "$1"; exec sleep 3600', 'sh', text], {width, height: 3});
	await tmux.waitForPane(name, pane => rowsOf(pane)[0] === text, `tmux to print ${text}`);
	return Number(tmux.display(name, '#{cursor_x}'));
}

async function startChat(): Promise<number> {
	const [port] = await portTuple(1);
	tmux.start('chat', chat('--port', String(port), '--bind', '127.0.0.1', '-n', 'tess'), {width, height});
	await tmux.waitForPane('chat', pane => statusBar(pane).startsWith('UDP · ^T TCP · ') && pane.includes(`Listening on UDP and TCP port ${port} `), 'the chat UI');
	return port;
}

/** A foreign peer's datagram: text and a newline, from a python3 socket of its own. */
async function sendFromPython(port: number, text: string): Promise<void> {
	const script = 'import socket, sys\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(bytes.fromhex(sys.argv[2]), ("127.0.0.1", int(sys.argv[1])))';
	const python = peers.spawn('python3', ['-c', script, String(port), Buffer.from(`${text}\n`).toString('hex')]);
	expect(await waitForExitCode(python)).toBe(0);
}

/**
 * The app's frame as it must stand: no row wrapped by tmux, the rule, the input row and the status bar on the
 * last rows but one (one row stays free, see source/ui/app.tsx).
 */
function expectIntactFrame(pane: string): string[] {
	const rows = rowsOf(pane);
	expect(rows).toHaveLength(height);
	expect.soft(joinedRows('chat').map(row => row.trimEnd()), 'rows tmux had to wrap (capture-pane -J joins them)').toEqual(rows.map(row => row.trimEnd()));
	expect.soft(rows[height - 4], 'the rule above the input row').toMatch(/^─+(?: \d+ B ─)?$/);
	expect.soft(tmuxColumns(rows[height - 4] ?? ''), 'the rule spans the pane').toBe(width);
	expect.soft(rows[height - 3], 'the input row').toMatch(/^> /);
	expect.soft(rows[height - 2], 'the status bar').toMatch(/^ ?UDP · \^T TCP · /);
	expect.soft(rows[height - 1], 'the free last row').toBe('');
	return rows;
}

/**
 * A received line of `total` copies of one sequence, as tmux must show it: the header, then as many copies per
 * row as tmux's columns allow, continuation rows indented under the text (irssi's hanging indent).
 */
function expectMessageRows(rows: readonly string[], sequence: (typeof sequences)[number], total: number): void {
	const header = new RegExp(`^(\\d\\d:\\d\\d:\\d\\d udp <127\\.0\\.0\\.1:\\d+> )(?:${sequence.text})+$`, 'u');
	const first = rows.findIndex(row => header.test(row));
	expect.soft(first, `the row where the line of ${sequence.name} begins`).toBeGreaterThanOrEqual(0);
	if (first < 0) {
		return;
	}

	const indent = header.exec(rows[first] ?? '')?.[1]?.length ?? 0;
	const perRow = Math.floor((width - indent) / sequence.columns);
	const expected: string[] = [];
	for (let left = total; left > 0; left -= perRow) {
		expected.push(sequence.text.repeat(Math.min(left, perRow)));
	}

	const shown = rows.slice(first, first + expected.length);
	expect.soft(shown.map((row, index) => (index === 0 ? row.slice(indent) : row)), `the rows of ${sequence.name}`).toEqual(expected.map((text, index) => (index === 0 ? text : `${' '.repeat(indent)}${text}`)));
	for (const row of shown.slice(0, -1)) {
		// Full: within the pane, and one more would not fit.
		expect.soft(tmuxColumns(row), `columns of ${JSON.stringify(row)}`).toBeLessThanOrEqual(width);
		expect.soft(tmuxColumns(row) + sequence.columns, `room for one more ${sequence.name} in ${JSON.stringify(row)}`).toBeGreaterThan(width);
	}
}

describe('emoji widths inside tmux (issue 12)', () => {
	it('tmux draws each sequence as wide as the patched string-width counts it', async () => {
		for (const [index, sequence] of sequences.entries()) {
			expect(await tmuxWidth(`probe-${index}`, sequence.text.repeat(3)), sequence.name).toBe(3 * sequence.columns);
		}
	});

	it('lays out received lines of 👍🏽 and ❤️ as tmux draws them: full rows, indented, nothing wrapped by tmux', async () => {
		const port = await startChat();
		await sendFromPython(port, thumbs.text.repeat(40));
		await tmux.waitForPane('chat', pane => count(pane, thumbs.text) === 40, 'the 40 thumbs');
		await sendFromPython(port, heart.text.repeat(60));
		const pane = await tmux.waitForPane('chat', pane => count(pane, heart.text) === 60 && count(pane, thumbs.text) === 40, 'the 60 hearts under the thumbs');

		const rows = expectIntactFrame(pane);
		expectMessageRows(rows, thumbs, 40);
		expectMessageRows(rows, heart, 60);
	});

	it('puts the cursor after typed emoji where tmux drew them', async () => {
		await startChat();
		for (const sequence of sequences) {
			const typed = sequence.text.repeat(3);
			tmux.press('chat', 'C-u');
			tmux.type('chat', typed);
			await tmux.waitForPane('chat', pane => inputText(pane) === typed, `the typed ${sequence.name}`);
			// After "> ", on the input row.
			const expected = `${2 + 3 * sequence.columns},${height - 3}`;
			let cursor = '';
			// The cursor moves with the frame's last write: give it a moment, then say where it is.
			await waitFor(() => (cursor = tmux.display('chat', '#{cursor_x},#{cursor_y}')) === expected, {timeout: 3000}).catch(() => undefined);
			expect.soft(cursor, `the cursor (x,y) after "> " and three of ${sequence.name}`).toBe(expected);
		}

		expectIntactFrame(tmux.capture('chat'));
	});

	it('scrolls a draft of 👍🏽 wider than the pane inside the input row, with the cursor at its end', async () => {
		await startChat();
		const typed = thumbs.text.repeat(25);
		tmux.type('chat', typed);
		// The input row has width - 2 columns after "> ", the last kept for the cursor; "<" marks hidden text.
		const shown = Math.floor((width - 2 - 1 - 1) / thumbs.columns);
		const row = `> <${thumbs.text.repeat(shown)}`;
		const pane = await tmux.waitForPane('chat', pane => / 200 B ─$/m.test(pane), 'the 200-byte draft');
		const rows = expectIntactFrame(pane);
		expect.soft(rows[height - 3], 'the input row').toBe(row);
		expect.soft(tmux.display('chat', '#{cursor_x},#{cursor_y}')).toBe(`${2 + 1 + shown * thumbs.columns},${height - 3}`);
	});
});
