/** When the terminal bell rings: never, when someone writes your nick (or in a private query), or for every message not in sight. */
export type BellMode = 'off' | 'mention' | 'all';

/** How the chat looks and alerts: from flags, the config file, and /bell while it runs. */
export type DisplayOptions = {
	/** Time before each line, in strftime-like fields: %H %M %S (%H:%M:%S by default), or '' for none. */
	readonly timeFormat: string;
	readonly bell: BellMode;
	/** A desktop notification through the terminal (OSC 9 / OSC 777) on a mention: off by default. */
	readonly notify: boolean;
};

export const defaultDisplay: DisplayOptions = {timeFormat: '%H:%M:%S', bell: 'mention', notify: false};

export const bellModes: readonly BellMode[] = ['off', 'mention', 'all'];
