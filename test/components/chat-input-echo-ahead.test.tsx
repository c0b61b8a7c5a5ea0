import {afterEach, describe, expect, it} from 'vitest';
import {ChatInput} from '../../source/ui/input/chat-input.js';
import type {ChatInputHandlers} from '../../source/ui/input/use-chat-input.js';
import {registerEchoAhead} from '../../source/ui/screen/echo-ahead.js';
import {keys, render, waitFor} from '../helpers/render.js';

// The input line asks the screen writer to draw a typed character before the frame (echo-ahead.ts) only
// when the frame will show that character at the cursor and nothing else changes in the row.

const handlers: ChatInputHandlers = {
	onSubmit() {},
	onToggleProtocol() {},
	onToggleNicklist() {},
	onScroll() {},
	onBuffer() {},
	onExit() {},
};

let unregister: (() => void) | undefined;
afterEach(() => {
	unregister?.();
});

function setup(width = 40) {
	const echoed: string[] = [];
	unregister = registerEchoAhead(char => {
		echoed.push(char);
		return true;
	});
	const app = render(<ChatInput handlers={handlers} width={width} row={1} placeholder="type here" describeDraft={text => `${text.length} chars`} status={null} />);
	// The rule says the draft's size, so a trailing space is seen to arrive too.
	const type = async (input: string, shown: string, size = shown.length) => {
		app.stdin.write(input);
		await waitFor(() => {
			expect(app.frame()).toContain(`> ${shown}`.trimEnd());
			expect(app.frame()).toContain(` ${size} chars `);
		});
	};

	return {echoed, type};
}

describe('ChatInput echo ahead', () => {
	it('asks for each key typed at the end of the draft, the first over the placeholder too', async () => {
		const {echoed, type} = setup();
		await type('h', 'h');
		await type('i', 'hi');
		await type(' ', 'hi ');
		await type('!', 'hi !');
		expect(echoed).toEqual(['h', 'i', ' ', '!']);
	});

	it('does not ask for a key inserted before other text, several keys in one read, or a character wider than one column', async () => {
		const {echoed, type} = setup();
		await type('ac', 'ac');
		await type(keys.left, 'ac');
		await type('b', 'abc');
		await type(keys.end, 'abc');
		await type('你', 'abc你');
		await type('de', 'abc你de');
		expect(echoed).toEqual([]);
	});

	it('does not ask for a bracketed paste, nor for the key after it in the same read', async () => {
		const {echoed, type} = setup();
		await type('a', 'a');
		await type('\u001B[200~pasted\u001B[201~', 'apasted');
		await type('\u001B[200~more\u001B[201~x', 'apastedmorex');
		expect(echoed).toEqual(['a']);
	});

	it('does not ask once the draft reaches the right edge, where the row scrolls', async () => {
		// 11 columns: the prompt, 8 for text and the last for the cursor.
		const {echoed, type} = setup(11);
		await type('abcdefgh', 'abcdefgh');
		await type('i', '<cdefghi', 9);
		expect(echoed).toEqual([]);
	});
});
