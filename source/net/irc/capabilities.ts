// IRCv3 capability negotiation (ircv3.net/specs/extensions/capability-negotiation) and the SASL PLAIN
// payload (ircv3.net/specs/extensions/sasl-3.1).

/** 'sasl=PLAIN,EXTERNAL server-time multi-prefix' -> Map { sasl => 'PLAIN,EXTERNAL', 'server-time' => '', ... } */
export function parseCapList(list: string): Map<string, string> {
	const caps = new Map<string, string>();
	for (const cap of list.split(' ')) {
		const equals = cap.indexOf('=');
		const name = equals === -1 ? cap : cap.slice(0, equals);
		if (name !== '') {
			caps.set(name, equals === -1 ? '' : cap.slice(equals + 1));
		}
	}

	return caps;
}

const wanted = [
	'message-tags',
	'server-time',
	'echo-message',
	'batch',
	'labeled-response',
	'multi-prefix',
	'away-notify',
	'chghost',
	'setname',
	'userhost-in-names',
	'draft/chathistory',
	'chathistory',
];

/** sasl without a value (CAP LS 301) does not list its mechanisms, so PLAIN may be among them. */
function offersPlain(mechanisms: string | undefined): boolean {
	return mechanisms !== undefined && (mechanisms === '' || mechanisms.toUpperCase().split(',').includes('PLAIN'));
}

/** The caps we ask for, of those offered; sasl only when wanted and PLAIN may be used. */
export function capsToRequest(offered: ReadonlyMap<string, string>, wantSasl: boolean): string[] {
	const caps = wanted.filter(cap => offered.has(cap));
	return wantSasl && offersPlain(offered.get('sasl')) ? [...caps, 'sasl'] : caps;
}

const chunkLength = 400;

/** The AUTHENTICATE arguments for SASL PLAIN: base64 of '\0account\0password' (no authzid) in 400-character chunks. */
export function saslPlainChunks(account: string, password: string): string[] {
	const payload = Buffer.from(`\u0000${account}\u0000${password}`, 'utf8').toString('base64');
	const chunks: string[] = [];
	for (let start = 0; start < payload.length; start += chunkLength) {
		chunks.push(payload.slice(start, start + chunkLength));
	}

	// A chunk of exactly 400 says "more follows", so '+' (empty) ends such a payload.
	return payload.length % chunkLength === 0 ? [...chunks, '+'] : chunks;
}
