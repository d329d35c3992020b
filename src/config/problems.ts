/**
 * What loading the configuration throws: one ConfigError listing every problem found, each on its
 * own line as `VARIABLE: problem`, so an operator fixes them all in one pass rather than one per
 * restart. The first line reads well alone (`koobridge: configuration error: PORT: …`).
 */
import { KbError } from '../shared/errors.js';

/** One thing wrong: the variable it is about and what is wrong with it. Never the value itself. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

export class ConfigError extends KbError {
  /** Each problem as its `VARIABLE: problem` line, in the order of the message. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const lines = typeof problems === 'string' ? [problems] : [...problems];
    super('config_invalid', lines.join('\n'));
    this.problems = lines;
  }
}

/**
 * Throws when anything is wrong: problems of the config file first (they may explain the rest),
 * then in the order of `variables` (the README's table), several about one variable in the order found.
 */
export function throwProblems(problems: readonly ConfigProblem[], variables: readonly string[]): void {
  if (problems.length === 0) return;
  const rank = (p: ConfigProblem) => (p.variable === 'CONFIG_FILE' ? -1 : variables.indexOf(p.variable));
  const sorted = [...problems].sort((a, b) => rank(a) - rank(b)); // stable: ties keep the order found
  throw new ConfigError(sorted.map((p) => `${p.variable}: ${p.problem}`));
}
