import { existsSync } from 'node:fs';

/** The browser the tests drive: Debian's package (`apt-get install -y chromium`). */
export const chromiumPath = process.env.NNKIT_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests run. CI (`.ci/run` installs Chromium first) always runs them, so a
 * missing browser there fails; elsewhere, a machine without Chromium skips them with a notice
 * instead of failing the whole test command.
 */
export const browserTestsRun = existsSync(chromiumPath) || process.env.CI === 'true';

export const skipNotice = `playground browser tests skipped: ${chromiumPath} is missing (install it with \`apt-get install -y chromium\`)`;
