/** Reads a passphrase from the terminal without echoing it; resolves undefined on Ctrl+C or Ctrl+D. */
export async function askSecret(prompt: string, stdin = process.stdin, stderr = process.stderr): Promise<string | undefined> {
	if (!stdin.isTTY) {
		return undefined;
	}

	stderr.write(prompt);
	stdin.setRawMode(true);
	stdin.resume();
	stdin.setEncoding('utf8');
	return new Promise(resolve => {
		let secret = '';
		const finish = (value: string | undefined) => {
			stdin.off('data', onData);
			stdin.setRawMode(false);
			stdin.pause();
			stderr.write('\n');
			resolve(value);
		};

		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n') {
					finish(secret);
					return;
				}

				if (char === '\u0003' || char === '\u0004') {
					finish(undefined);
					return;
				}

				if (char === '\u007F' || char === '\b') {
					secret = [...secret].slice(0, -1).join('');
				} else if (char >= ' ') {
					secret += char;
				}
			}
		};

		stdin.on('data', onData);
	});
}
