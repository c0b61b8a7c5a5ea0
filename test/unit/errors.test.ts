import {describe, expect, it} from 'vitest';
import {explainError} from '../../source/net/transport/errors.js';

describe('explainError', () => {
	it.each([
		['EADDRINUSE', 'already in use'],
		['EACCES', 'permission denied'],
		['ECONNREFUSED', 'nothing is listening'],
		['ENOTFOUND', 'host name not found'],
		['EHOSTUNREACH', 'host unreachable'],
		['ECONNRESET', 'reset by the peer'],
		['EPIPE', 'the other end closed it'],
		['EMSGSIZE', 'too long for one datagram'],
	])('puts %s in words a person can act on, keeping the code', (code, words) => {
		const text = explainError(Object.assign(new Error(`some syscall ${code}`), {code}));
		expect(text).toContain(words);
		expect(text).toContain(code);
		expect(text).not.toContain('\n');
	});

	it('keeps only the first line of an unknown error', () => {
		expect(explainError(new Error('first\n    at somewhere'))).toBe('first');
	});
});
