import {PassThrough} from 'node:stream';
import {setImmediate as endOfTurn} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {parseFormat, type InLine} from '../../source/cli/line-format.js';
import {nameWaitMs, PipeOutput} from '../../source/cli/pipe-output.js';
import type {ConversationSummary} from '../../source/domain/conversation.js';
import {ChatHistory, type StatusFields} from '../../source/net/history/history.js';

/** A sender known only by the address it wrote from: a tui-netchat before its greeting, or a plain peer. */
const ci = '127.0.0.1:41006';
const nc = '127.0.0.1:52000';

let history: ChatHistory;
let conversations: ConversationSummary[];
let out: string;
let output: PipeOutput;

function summary(id: string, name: string): ConversationSummary {
	return {id, kind: 'peer', name, address: name, protocol: 'udp', tnc: false, transports: ['udp'], lastHeard: 0, members: [], link: 'idle', retryInMs: undefined, number: 1};
}

/** A real history and pipe output, as headless.ts wires them: every line added is given to the output. */
function start(format = '{nick}|{text}'): void {
	history = new ChatHistory(() => ({conversations}) as unknown as StatusFields, 1000, 0);
	const stdout = new PassThrough();
	stdout.setEncoding('utf8').on('data', (chunk: string) => {
		out += chunk;
	});
	output = new PipeOutput({getSnapshot: history.getSnapshot, subscribe: history.subscribe, flushLog() {}}, stdout, parseFormat(format));
	history.onLineAdded(line => {
		if (line.kind === 'in') {
			output.add(line);
		}
	});
}

function receive(address: string, text: string, transport: 'udp' | 'tcp' = 'udp', conversation = 'c1'): void {
	const line: InLine = {id: history.newId(), time: Date.now(), conversation, kind: 'in', transport, from: address, address, text, action: false};
	history.append(line);
}

/** Runs the timers due within `ms`, then the end of that turn of the event loop. */
async function after(ms: number): Promise<void> {
	await vi.advanceTimersByTimeAsync(ms);
	await endOfTurn();
}

beforeEach(() => {
	// The clock and its timers are fake; setImmediate (the end of a turn of the event loop) is real.
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
	conversations = [summary('c1', ci), summary('c2', nc)];
	out = '';
});

afterEach(() => {
	output.close();
	history.close();
	vi.useRealTimers();
});

describe('PipeOutput: a sender named by the greeting after its first message', () => {
	it("prints a tui-netchat's first TCP message with the nick its greeting gives 250 ms later", async () => {
		start();
		receive(ci, 'build finished', 'tcp');
		await after(250);
		expect(out).toBe('');
		history.relabel(ci, 'ci');
		await after(0);
		expect(out).toBe('ci|build finished\n');
	});

	it('prints its plain "* NICK text" as an action once the greeting names it NICK', async () => {
		start('json');
		receive(ci, '* ci starts the build');
		await after(1);
		history.relabel(ci, 'ci');
		await after(0);
		expect(JSON.parse(out)).toMatchObject({nick: 'ci', text: 'starts the build', action: true});
	});

	it('keeps the order: a plain peer writing meanwhile prints after the held line, both once it is named', async () => {
		start();
		receive(ci, 'first', 'tcp');
		await after(10);
		receive(nc, 'second', 'udp', 'c2');
		await after(100);
		expect(out).toBe('');
		history.relabel(ci, 'ci');
		await after(0);
		expect(out).toBe('ci|first\n');
		// The plain peer's own wait for a greeting ends in its time, however long the first one waited.
		await after(nameWaitMs.udp - 100);
		expect(out).toBe(`ci|first\n${nc}|second\n`);
	});

	it("prints a plain peer's message with its address after at most 0.3 s, and its next ones at once", async () => {
		start();
		receive(nc, 'over tcp', 'tcp', 'c2');
		await after(nameWaitMs.tcp - 1);
		expect(out).toBe('');
		await after(1);
		expect(out).toBe(`${nc}|over tcp\n`);
		expect(nameWaitMs.udp).toBeLessThanOrEqual(300);
		expect(nameWaitMs.tcp).toBeLessThanOrEqual(300);
		receive(nc, 'again', 'tcp', 'c2');
		await after(0);
		expect(out).toBe(`${nc}|over tcp\n${nc}|again\n`);
	});

	it('prints a named sender at once', async () => {
		start();
		history.append({id: history.newId(), time: Date.now(), conversation: 'c1', kind: 'in', transport: 'tcp', from: 'ci', address: ci, text: 'hi', action: false});
		await after(0);
		expect(out).toBe('ci|hi\n');
	});

	it('writes every held line on close (the end of input, SIGTERM)', async () => {
		start();
		receive(nc, 'last words', 'tcp', 'c2');
		await after(5);
		output.close();
		expect(out).toBe(`${nc}|last words\n`);
	});
});
