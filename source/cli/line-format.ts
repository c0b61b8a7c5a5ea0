import {UsageError} from '../domain/endpoint.js';
import type {ChatLine} from '../domain/snapshot.js';

/** A received message, as pipe mode prints it. */
export type InLine = Extract<ChatLine, {kind: 'in'}>;

/** How pipe mode prints a received message: one JSON object a line, or a template with {fields}. */
export type LineFormat = {readonly kind: 'json'} | {readonly kind: 'template'; readonly template: string};

export const formatFields = ['time', 'date', 'nick', 'address', 'transport', 'text', 'conversation'] as const;
export type FormatField = (typeof formatFields)[number];

/** Like the pane (and irssi's logs): `12:30:04 <bob> hi`, and `12:30:04 * bob waves` for an action. */
export const defaultTemplate = '{time} <{nick}> {text}';
export const defaultFormat: LineFormat = {kind: 'template', template: defaultTemplate};

const token = /\{(\w*)\}|\\(.?)/g;
const escapes: Record<string, string> = {t: '\t', n: '\n', '\\': '\\'};

function isField(name: string): name is FormatField {
	return (formatFields as readonly string[]).includes(name);
}

/** --format json, or a template such as '{time} <{nick}> {text}' (escapes \t, \n, \\). */
export function parseFormat(value: string): LineFormat {
	if (value.trim().toLowerCase() === 'json') {
		return {kind: 'json'};
	}

	if (!/\{\w*\}/.test(value)) {
		throw new UsageError(`--format: "${value}" is neither json nor a template with fields like '{time} <{nick}> {text}'`);
	}

	for (const [, field, escape] of value.matchAll(token)) {
		if (field !== undefined && !isField(field)) {
			throw new UsageError(`--format: {${field}} is not a field; use ${formatFields.map(name => `{${name}}`).join(' ')}`);
		}

		if (escape !== undefined && !(escape in escapes)) {
			throw new UsageError(`--format: "\\${escape}" is not an escape; use \\t (tab), \\n (newline) or \\\\ (backslash)`);
		}
	}

	return {kind: 'template', template: value};
}

/** What a line's conversation is called ("bob", "room 127.0.0.1:9000", "#room"), if known. */
export type ConversationName = (id: string | undefined) => string | undefined;

const two = (value: number) => String(value).padStart(2, '0');

function localTime(time: number): string {
	const date = new Date(time);
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function localDate(time: number): string {
	const date = new Date(time);
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

function renderTemplate(template: string, line: InLine, text: string, conversation: string): string {
	// An action reads "* bob waves": its {text} says who, so a "<{nick}> " just before it would say it twice.
	const shape = line.action ? template.replaceAll('<{nick}> {text}', '{text}') : template;
	const values: Record<FormatField, string> = {
		time: localTime(line.time),
		date: localDate(line.time),
		nick: line.from,
		address: line.address,
		transport: line.transport,
		text: line.action ? `* ${line.from} ${text}` : text,
		conversation,
	};
	return shape.replace(token, (whole, field: string | undefined, escape: string | undefined) =>
		field !== undefined && isField(field) ? values[field] : escapes[escape ?? ''] ?? whole,
	);
}

/**
 * The output for one received message, with its newline. A text format prints a message of several lines
 * as several lines, each with the same time and sender, so every output line stands alone (for grep);
 * json keeps it one object.
 */
export function formatLine(format: LineFormat, line: InLine, conversationName: ConversationName = () => undefined): string {
	const conversation = conversationName(line.conversation);
	if (format.kind === 'json') {
		return `${JSON.stringify({
			time: new Date(line.time).toISOString(),
			nick: line.from,
			address: line.address,
			transport: line.transport,
			text: line.text,
			action: line.action ?? false,
			conversation: conversation ?? null,
		})}\n`;
	}

	return line.text
		.split(/\r?\n|\r/)
		.map(text => `${renderTemplate(format.template, line, text, conversation ?? '')}\n`)
		.join('');
}
