const words: Record<string, string> = {
	EADDRINUSE: 'the port is already in use',
	EACCES: 'permission denied',
	EADDRNOTAVAIL: 'that address does not belong to this machine',
	ECONNREFUSED: 'connection refused: nothing is listening there',
	ECONNRESET: 'the connection was reset by the peer',
	EPIPE: 'the other end closed it',
	EAGAIN: 'the other end is not reading',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed (no DNS?)',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ETIMEDOUT: 'timed out',
	EMSGSIZE: 'message too long for one datagram',
	EAFNOSUPPORT: 'no socket for that address family',
	ENOSPC: 'no space left on the device',
	ENOENT: 'no such file or directory',
	EISDIR: 'that is a directory',
};

export function errorCode(error: unknown): string | undefined {
	const code = (error as {code?: unknown} | undefined)?.code;
	return typeof code === 'string' ? code : undefined;
}

/** An error whose message already says it in words (a --bind of the other family): shown as is, with its code. */
export function saidError(message: string, code: string): Error {
	return Object.assign(new Error(message), {code, said: true});
}

/** An error as one line a person can act on, e.g. "connection refused: nothing is listening there (ECONNREFUSED)". */
export function explainError(error: unknown): string {
	const code = errorCode(error);
	if ((error as {said?: unknown} | undefined)?.said === true && error instanceof Error) {
		return `${error.message} (${code ?? 'error'})`;
	}

	if (code !== undefined && words[code] !== undefined) {
		return `${words[code]} (${code})`;
	}

	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0] ?? message;
}
