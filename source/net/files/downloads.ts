import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {isAbsolute, join, resolve} from 'node:path';

/** XDG_DOWNLOAD_DIR from the environment, else from ~/.config/user-dirs.dirs (as xdg-user-dir reads it). */
function xdgDownloadDir(env: NodeJS.ProcessEnv, home: string): string | undefined {
	const expand = (value: string) => value.replace(/^\$HOME(?=\/|$)/, home);
	const fromEnv = env['XDG_DOWNLOAD_DIR'];
	if (fromEnv) {
		return expand(fromEnv);
	}

	try {
		const config = env['XDG_CONFIG_HOME'] && isAbsolute(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : join(home, '.config');
		const match = /^XDG_DOWNLOAD_DIR="([^"]+)"/m.exec(readFileSync(join(config, 'user-dirs.dirs'), 'utf8'));
		return match?.[1] === undefined ? undefined : expand(match[1]);
	} catch {
		return undefined;
	}
}

/**
 * --downloads DIR (from where we started: the records of partial files name it whole, for a start from
 * elsewhere); else $XDG_DOWNLOAD_DIR/tui-netchat, else ~/Downloads/tui-netchat. Nothing is created here.
 */
export function downloadsDirectory(chosen: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
	if (chosen !== undefined && chosen !== '') {
		return resolve(chosen);
	}

	const home = env['HOME'] || homedir();
	const xdg = xdgDownloadDir(env, home);
	return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, 'Downloads'), 'tui-netchat');
}
