declare const PACKAGE_VERSION: string | undefined;

/** Set from package.json by the build (scripts/build.mjs); the CTCP VERSION answer and --version say it. */
export const packageVersion = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';
