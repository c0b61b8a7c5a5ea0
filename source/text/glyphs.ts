/** The locale's character set: the first of LC_ALL, LC_CTYPE and LANG that is set (as tmux and the C library read them). */
function locale(env: NodeJS.ProcessEnv): string | undefined {
	return [env['LC_ALL'], env['LC_CTYPE'], env['LANG']].find(value => value !== undefined && value !== '');
}

/**
 * True when the terminal may not draw UTF-8: a locale is set and is not UTF-8 (LANG=C, POSIX,
 * en_US.ISO-8859-1). Then rules and marks are drawn in ASCII (- instead of ─, + for ✓, ... for …).
 * No locale at all is taken as UTF-8 (containers often set none on a UTF-8 terminal).
 * TUI_NETCHAT_ASCII=1 asks for ASCII, =0 for UTF-8, whatever the locale says.
 */
export function asciiOnly(env: NodeJS.ProcessEnv = process.env): boolean {
	const forced = env['TUI_NETCHAT_ASCII'];
	if (forced === '1' || forced === '0') {
		return forced === '1';
	}

	const value = locale(env);
	return value !== undefined && !/utf-?8/i.test(value);
}

export type Glyphs = {readonly rule: string; readonly delivered: string; readonly newline: string; readonly ellipsis: string; readonly separator: string; readonly times: string; readonly atMost: string};

const unicode: Glyphs = {rule: '─', delivered: '✓', newline: '⏎', ellipsis: '…', separator: '·', times: '×', atMost: '≤'};
const ascii: Glyphs = {rule: '-', delivered: '+', newline: '|', ellipsis: '...', separator: '|', times: 'x', atMost: '<='};

/** The marks the screen draws, in ASCII when the locale is not UTF-8 (decided once, at start). */
export const glyphs: Glyphs = asciiOnly() ? ascii : unicode;
