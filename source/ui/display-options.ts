import type {Colours} from './pane/theme.js';

/** When the terminal bell rings: never, when someone writes your nick (or in a private query), or for every message not in sight. */
export type BellMode = 'off' | 'mention' | 'all';

/** How the chat looks and alerts: from flags, the config file, and /bell while it runs. */
export type DisplayOptions = {
	/** Time before each line, in strftime-like fields: %H %M %S (%H:%M:%S by default), or '' for none. */
	readonly timeFormat: string;
	readonly bell: BellMode;
	/** A desktop notification through the terminal (OSC 9 / OSC 777) on a mention: off by default. */
	readonly notify: boolean;
	/** A rule with the date above a line said on another day than the one before it: on by default. */
	readonly dateChanges: boolean;
	/** config.toml's [colours]: what it leaves out keeps the built-in colour. */
	readonly colours: Colours;
};

export const defaultDisplay: DisplayOptions = {timeFormat: '%H:%M:%S', bell: 'mention', notify: false, dateChanges: true, colours: {}};

export const bellModes: readonly BellMode[] = ['off', 'mention', 'all'];
