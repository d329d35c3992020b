/**
 * The two settings that live in files: the optional JSON file of variables (CONFIG_FILE) and the
 * RSA private key (KOO_PRIVATE_KEY_FILE, or the same PEM inline as KOO_PRIVATE_KEY). Both report
 * problems instead of throwing, so they are listed with every other one.
 */
import type { KeyObject } from 'node:crypto';
import { loadPrivateKey } from '../koogallery/rsa-keys.js';
import type { ConfigProblem } from './problems.js';
import { didYouMean } from './unknown-variables.js';

/** The default file, read when present; CONFIG_FILE names another one. */
export const DEFAULT_CONFIG_FILE = 'config/koobridge.json';

export type Env = Record<string, string | undefined>;

export interface FileAccess {
  readFile: (path: string) => string;
  exists: (path: string) => boolean;
}

/**
 * Reads the optional JSON file: an object whose keys are the variable names. A file that cannot be
 * read or parsed is the only problem reported: every "missing" value after it would be its echo.
 * Unknown keys are each a problem (the file is the bridge's alone: any other key is a mistake),
 * named with the closest known one; the known ones still apply.
 */
export function readConfigFile(env: Env, variables: readonly string[], { readFile, exists }: FileAccess): { values: Env; problems: ConfigProblem[]; unreadable: boolean } {
  const path = env.CONFIG_FILE ?? DEFAULT_CONFIG_FILE;
  const unreadable = (problem: string) => ({ values: {}, problems: [{ variable: 'CONFIG_FILE', problem }], unreadable: true });
  if (!exists(path)) {
    return env.CONFIG_FILE ? unreadable(`${path} does not exist`) : { values: {}, problems: [], unreadable: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (err) {
    return unreadable(`${path} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return unreadable(`${path} must hold a JSON object of variable names`);
  }
  const values: Env = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!variables.includes(key)) problems.push({ variable: 'CONFIG_FILE', problem: `${path} has unknown setting ${key}${didYouMean(key, variables)}` });
    else if (value !== null && value !== undefined) values[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { values, problems, unreadable: false };
}

/**
 * The KooGallery private key from whichever spelling is set (the schema refuses both at once).
 * Undefined, without a problem, when neither is: outside production a throw-away one is made.
 */
export function readPrivateKey(
  spellings: { KOO_PRIVATE_KEY?: string | undefined; KOO_PRIVATE_KEY_FILE?: string | undefined },
  readFile: (path: string) => string,
): { key?: KeyObject; problems: ConfigProblem[] } {
  const { KOO_PRIVATE_KEY: inline, KOO_PRIVATE_KEY_FILE: file } = spellings;
  if ((inline && file) || (!inline && !file)) return { problems: [] };
  const variable = inline ? 'KOO_PRIVATE_KEY' : 'KOO_PRIVATE_KEY_FILE';
  let pem: string;
  if (inline) {
    // Env files often carry PEMs on one line with literal \n.
    pem = inline.replace(/\\n/g, '\n');
  } else {
    try {
      pem = readFile(file!);
    } catch (err) {
      return { problems: [{ variable, problem: `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})` }] };
    }
  }
  try {
    return { key: loadPrivateKey(pem), problems: [] };
  } catch (err) {
    return { problems: [{ variable, problem: (err as Error).message }] };
  }
}
