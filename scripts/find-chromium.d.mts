/** The command line every browser of the tests gets, persistent contexts included. */
export const CHROMIUM_ARGS: readonly string[];

/** Environment variables that name a Chromium executable, in the order they are honoured. */
export const CHROMIUM_ENV_VARS: readonly string[];

/** Where system packages install Chromium or Chrome, in the order they are tried. */
export const CHROMIUM_SYSTEM_PATHS: readonly string[];

/** Every place looked at, in order: the environment variables that are set, then the system paths. */
export function chromiumCandidates(env?: Record<string, string | undefined>): { source: string; path: string }[];

/** The first candidate that is an executable file, or undefined when there is none. */
export function findChromium(env?: Record<string, string | undefined>): string | undefined;
