/**
 * The Node.js runtimes koobridge is tested on and which of them to run in production, and the one
 * sentence the process logs about the runtime it finds itself on (once, at start; see main.ts).
 *
 * TESTED_NODE_MAJORS is CI's matrix (`.ci/run`, `scripts/test-matrix.sh`) and the `engines` field
 * of package.json; a unit test keeps the three equal.
 */
export const TESTED_NODE_MAJORS = [20, 22, 24] as const;
// Node 20 reached its end of life in April 2026 and oidc-provider 9 no longer supports it; it
// stays in the matrix while the project's own machines run it, never for production.
export const END_OF_LIFE_NODE_MAJORS: readonly number[] = [20];
// The active LTS line oidc-provider 9 names ("Use Node.js v22.x LTS, or a later LTS release").
export const RECOMMENDED_NODE_MAJOR = 22;

export type RuntimeStatus = 'recommended' | 'supported' | 'end-of-life' | 'unsupported';

export interface RuntimeDescription {
  version: string;
  major: number;
  status: RuntimeStatus;
  /** `info` for a supported runtime, `warn` otherwise. */
  level: 'info' | 'warn';
  message: string;
}

const SUPPORTED_NODE_MAJORS = TESTED_NODE_MAJORS.filter((m) => !END_OF_LIFE_NODE_MAJORS.includes(m));

function statusOf(major: number): RuntimeStatus {
  if (major === RECOMMENDED_NODE_MAJOR) return 'recommended';
  if (END_OF_LIFE_NODE_MAJORS.includes(major)) return 'end-of-life';
  if ((SUPPORTED_NODE_MAJORS as readonly number[]).includes(major)) return 'supported';
  return 'unsupported';
}

/** `version` is `process.version` (`v22.23.5`) unless a test passes another. */
export function describeRuntime(version: string = process.version): RuntimeDescription {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);
  const status = statusOf(major);
  const node = `node ${version.startsWith('v') ? version : `v${version}`}`;
  const advice = `run Node.js ${RECOMMENDED_NODE_MAJOR} LTS (recommended) or ${SUPPORTED_NODE_MAJORS.filter((m) => m !== RECOMMENDED_NODE_MAJOR).join(' or ')}`;
  switch (status) {
    case 'recommended':
      return { version, major, status, level: 'info', message: `${node} (supported, recommended for production)` };
    case 'supported':
      return { version, major, status, level: 'info', message: `${node} (supported; Node.js ${RECOMMENDED_NODE_MAJOR} LTS is recommended for production)` };
    case 'end-of-life':
      return { version, major, status, level: 'warn', message: `${node} is past its end of life and not supported for production: ${advice}` };
    case 'unsupported':
      return { version, major, status, level: 'warn', message: `${node} is not a supported runtime (koobridge is tested on Node.js ${TESTED_NODE_MAJORS.join(', ')}): ${advice}` };
  }
}
