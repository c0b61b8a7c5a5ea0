import {describe, expect, it} from 'vitest';
import {recordingPipeActions} from '../helpers/pipe-actions.js';
import {runPipeLine} from '../../source/cli/pipe-input.js';

const recorder = recordingPipeActions;

describe('runPipeLine: piped input read as the chat reads it', () => {
	it('sends text, and //text as /text', () => {
		const {calls, actions} = recorder();
		expect(runPipeLine('hello', actions)).toEqual({type: 'ok'});
		expect(runPipeLine('//etc/hosts', actions)).toEqual({type: 'ok'});
		expect(calls).toEqual([['send', 'hello'], ['send', '/etc/hosts']]);
	});

	it('runs /me, /nick, /proto, /connect, /query and /msg against the service', () => {
		const {calls, actions} = recorder();
		for (const line of ['/me waves', '/nick ci', '/proto tcp', '/connect 127.0.0.1:9000', '/query bob', '/msg 2 hi there']) {
			expect(runPipeLine(line, actions)).toEqual({type: 'ok'});
		}

		expect(calls).toEqual([
			['send', 'waves', {action: true}],
			['setNick', 'ci'],
			['setProtocol', 'tcp'],
			['connectTo', {host: '127.0.0.1', port: 9000}],
			['query', 'bob'],
			['message', '2', 'hi there'],
		]);
	});

	it('stops at /quit', () => {
		const {calls, actions} = recorder();
		expect(runPipeLine('/quit', actions)).toEqual({type: 'quit'});
		expect(runPipeLine('/exit done', actions)).toEqual({type: 'quit'});
		expect(calls).toEqual([]);
	});

	it('refuses an unknown command, a bad argument and a command that needs the screen, sending nothing', () => {
		const {calls, actions} = recorder();
		const unknown = runPipeLine('/frobnicate now', actions);
		expect(unknown).toEqual({type: 'refused', message: expect.stringMatching(/^unknown command \/frobnicate, not sent \(pipe mode runs \/nick .* \/quit; \/\/ starts a message with \/\)$/)});
		expect(runPipeLine('/proto sctp', actions)).toEqual({type: 'refused', message: expect.stringMatching(/^\/proto: "sctp" is not a protocol.*; not sent$/)});
		expect(runPipeLine('/help', actions)).toEqual({type: 'refused', message: expect.stringMatching(/^\/help works only in the chat, not in pipe mode; not sent/)});
		expect(runPipeLine('/JOIN #room', actions)).toEqual({type: 'refused', message: expect.stringMatching(/^\/join works only in the chat/)});
		expect(calls).toEqual([]);
	});
});
