/** Vigil's version, from package.json: shown by the CLI and in the API description. */
import fs from 'node:fs';

export const VERSION = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
