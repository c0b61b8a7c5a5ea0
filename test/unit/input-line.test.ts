import {describe, expect, it} from 'vitest';
import {emptyInput, reduceInput, type InputAction, type InputLine} from '../../source/ui/input/input-line.js';
import {inputWindow} from '../../source/ui/input/input-window.js';

function run(...actions: InputAction[]): InputLine {
	return actions.reduce(reduceInput, emptyInput);
}

describe('reduceInput', () => {
	it('inserts at the cursor', () => {
		expect(run({type: 'insert', text: 'ac'}, {type: 'left'}, {type: 'insert', text: 'b'})).toEqual({value: 'abc', cursor: 2});
	});

	it('deletes backwards and forwards at the cursor', () => {
		const state = run({type: 'insert', text: 'abcd'}, {type: 'left'}, {type: 'left'});
		expect(reduceInput(state, {type: 'backspace'})).toEqual({value: 'acd', cursor: 1});
		expect(reduceInput(state, {type: 'delete'})).toEqual({value: 'abd', cursor: 2});
	});

	it('moves over and deletes a whole emoji with its modifier or ZWJ sequence', () => {
		const family = '👩‍👩‍👧';
		const state = run({type: 'insert', text: `你${family}👍🏽`});
		expect(reduceInput(state, {type: 'backspace'}).value).toBe(`你${family}`);
		const left = reduceInput(state, {type: 'left'});
		expect(reduceInput(left, {type: 'backspace'}).value).toBe('你👍🏽');
	});

	it('keeps a combining mark with its letter', () => {
		const state = run({type: 'insert', text: 'ae\u0301'});
		expect(reduceInput(state, {type: 'backspace'}).value).toBe('a');
	});

	it('goes home and end, and does nothing at the edges', () => {
		const home = run({type: 'insert', text: 'abc'}, {type: 'home'});
		expect(home.cursor).toBe(0);
		expect(reduceInput(home, {type: 'backspace'})).toBe(home);
		expect(reduceInput(home, {type: 'end'}).cursor).toBe(3);
	});
});

describe('inputWindow', () => {
	it('shows everything that fits', () => {
		expect(inputWindow('hello', 5, 20)).toEqual({text: 'hello', cursorColumn: 5, hiddenBefore: false, hiddenAfter: false});
	});

	it('scrolls so the cursor stays visible and counts CJK as two columns', () => {
		const value = '你'.repeat(30);
		const window = inputWindow(value, value.length, 21);
		expect(window.cursorColumn).toBeLessThanOrEqual(20);
		expect(window.text.length).toBeGreaterThan(0);
		expect(value.endsWith(window.text)).toBe(true);
	});
});

describe('reduceInput, word and line keys', () => {
	it('moves a word left and right', () => {
		const state = run({type: 'insert', text: 'hello big world'});
		const left = reduceInput(state, {type: 'word-left'});
		expect(left.cursor).toBe('hello big '.length);
		expect(reduceInput(reduceInput(left, {type: 'word-left'}), {type: 'word-right'}).cursor).toBe('hello big'.length);
	});

	it('deletes to the end of the line (Ctrl+K)', () => {
		const state = run({type: 'insert', text: 'keep this'}, {type: 'word-left'});
		expect(reduceInput(state, {type: 'kill-to-end'})).toEqual({value: 'keep ', cursor: 5});
	});
});
