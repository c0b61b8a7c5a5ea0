import {afterAll, describe, expect, it, vi} from 'vitest';

// Chalk decides on colour when Ink is first imported: forced on, the dim marks can be seen. Hoisted above the imports.
const previousForceColor = vi.hoisted(() => {
	const previous = process.env['FORCE_COLOR'];
	process.env['FORCE_COLOR'] = '1';
	return previous;
});

import {InputBox} from '../../source/ui/input/input-box.js';
import {render, rows} from '../helpers/render.js';

afterAll(() => {
	if (previousForceColor === undefined) {
		delete process.env['FORCE_COLOR'];
	} else {
		process.env['FORCE_COLOR'] = previousForceColor;
	}
});

const dim = '\u001B[2m';

describe('InputBox marks', () => {
	it('dims the edge marks, so they do not read as typed text', () => {
		const rendered = render(<InputBox line={{value: 'a'.repeat(100), cursor: 50}} width={40} row={5} />);
		expect(rows(rendered.frame())[1]).toMatch(/^> <a+>$/);
		expect(rendered.rawFrame()).toContain(`${dim}<`);
		expect(rendered.rawFrame()).toContain(`${dim}>`);
	});

	it('dims each ⏎ of a multi-line draft and not the text around it', () => {
		const rendered = render(<InputBox line={{value: 'one\ntwo', cursor: 7}} width={40} row={5} />);
		expect(rendered.rawFrame()).toContain(`${dim}⏎`);
		expect(rendered.rawFrame()).not.toContain(`${dim}one`);
	});
});
