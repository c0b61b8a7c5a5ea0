import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from './support.js';

// A private network namespace of our own (no traffic leaves it): an "unreachable" route gives
// EHOSTUNREACH and a "prohibit" route EACCES, as a real network would.
const namespace = `tnc-${randomBytes(3).toString('hex')}`;

function ip(...args: string[]): void {
	execFileSync('ip', args, {stdio: 'pipe'});
}

function sendFromNamespace(...args: string[]): {status: number | null; stderr: string} {
	const result = spawnSync('ip', ['netns', 'exec', namespace, process.execPath, cliPath, ...args], {encoding: 'utf8', timeout: 15_000});
	return {status: result.status, stderr: result.stderr};
}

beforeAll(() => {
	ip('netns', 'add', namespace);
	ip('-n', namespace, 'link', 'set', 'lo', 'up');
	ip('-n', namespace, 'route', 'add', 'unreachable', '10.66.0.0/16');
	ip('-n', namespace, 'route', 'add', 'prohibit', '10.67.0.0/16');
});

afterAll(() => {
	spawnSync('ip', ['netns', 'del', namespace]);
});

describe('errors from the network, in words', () => {
	it('says a host is unreachable (EHOSTUNREACH) over UDP, in one line, and exits 1', () => {
		const {status, stderr} = sendFromNamespace('--peer', '10.66.0.1:7852', '--send', 'hello');
		expect(status).toBe(1);
		expect(stderr.trim().split('\n')).toEqual(['tui-netchat: UDP to 10.66.0.1:7852: host unreachable (EHOSTUNREACH)']);
	});

	it('says a host is unreachable (EHOSTUNREACH) over TCP', () => {
		const {status, stderr} = sendFromNamespace('--peer', '10.66.0.1:7852', '--protocol', 'tcp', '--send', 'hello');
		expect(status).toBe(1);
		expect(stderr).toContain('TCP to 10.66.0.1:7852: host unreachable (EHOSTUNREACH)');
		expect(stderr).not.toContain('    at ');
	});

	it('says permission denied (EACCES) when the route forbids it', () => {
		const {status, stderr} = sendFromNamespace('--peer', '10.67.0.1:7852', '--send', 'hello');
		expect(status).toBe(1);
		expect(stderr.trim()).toBe('tui-netchat: UDP to 10.67.0.1:7852: permission denied (EACCES)');
	});
});
