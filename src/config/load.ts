/**
 * Configuration: environment variables, optionally backed by a JSON file, validated once at start.
 *
 * Every other module receives what it needs as arguments; nothing else reads process.env. Every
 * problem found stops start-up in one ConfigError listing them all, one `VARIABLE: problem` a line.
 * Outside production, missing secrets are replaced by throw-away values and a warning, so
 * `npm start` works on a fresh clone; in production they are required.
 */
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readConfigFile, readPrivateKey, type Env } from './files.js';
import { throwProblems, type ConfigProblem } from './problems.js';
import { CONFIG_VARIABLES, configSchema, privateKeyVariables } from './schema.js';
import { buildSlices } from './slices.js';
import { unknownVariableWarnings } from './unknown-variables.js';
import type { Config } from './types.js';

export { ConfigError } from './problems.js';

export interface LoadConfigOptions {
  readFile?: (path: string) => string;
  exists?: (path: string) => boolean;
  /** Makes the throw-away RSA key outside production, on first read of the private key. */
  generateRsaKey?: () => KeyObject;
}

export function loadConfig(processEnv: Env, options: LoadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const exists = options.exists ?? existsSync;

  const file = readConfigFile(processEnv, CONFIG_VARIABLES, { readFile, exists });
  if (file.unreadable) throwProblems(file.problems, CONFIG_VARIABLES);
  // The environment wins over the file, so one deployment file can be overridden per host.
  const merged: Env = { ...file.values };
  for (const key of CONFIG_VARIABLES) if (processEnv[key] !== undefined) merged[key] = processEnv[key];

  const problems: ConfigProblem[] = [...file.problems];
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ variable: String(issue.path[0] ?? 'configuration'), problem: issue.message });
  }
  // The key is read even when other variables are wrong, so its problems are listed with theirs.
  const spellings = privateKeyVariables.parse(merged);
  const key = readPrivateKey(spellings, readFile);
  problems.push(...key.problems);
  throwProblems(problems, CONFIG_VARIABLES);

  // No problem listed: the schema passed.
  const config = buildSlices(parsed.data!, { privateKey: key.key, generateRsaKey: options.generateRsaKey });
  // Typos of the bridge's variables leave defaults in place: each one is named at start.
  config.warnings.push(...unknownVariableWarnings(processEnv, CONFIG_VARIABLES));
  return config;
}
