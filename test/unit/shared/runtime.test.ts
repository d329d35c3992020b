import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRuntime, RECOMMENDED_NODE_MAJOR, TESTED_NODE_MAJORS } from '../../../src/shared/runtime.js';

const root = new URL('../../../', import.meta.url);

describe('the runtime, described once at start', () => {
  it('Node 22 is supported and recommended for production, said at info', () => {
    expect(describeRuntime('v22.23.5')).toEqual({
      version: 'v22.23.5',
      major: 22,
      status: 'recommended',
      level: 'info',
      message: 'node v22.23.5 (supported, recommended for production)',
    });
  });

  it('Node 24 is supported, said at info, naming 22 LTS as the recommended one', () => {
    const d = describeRuntime('v24.22.3');
    expect(d).toMatchObject({ major: 24, status: 'supported', level: 'info' });
    expect(d.message).toBe('node v24.22.3 (supported; Node.js 22 LTS is recommended for production)');
  });

  it('Node 20 is past its end of life: one warning that says what to run instead', () => {
    const d = describeRuntime('v20.20.2');
    expect(d).toMatchObject({ major: 20, status: 'end-of-life', level: 'warn' });
    expect(d.message).toBe('node v20.20.2 is past its end of life and not supported for production: run Node.js 22 LTS (recommended) or 24');
  });

  it.each(['v18.20.8', 'v21.7.3', 'v23.11.1', 'v26.12.1', 'garbage'])('%s is unsupported: one warning naming the tested runtimes', (version) => {
    const d = describeRuntime(version);
    expect(d).toMatchObject({ status: 'unsupported', level: 'warn' });
    expect(d.message).toContain('is not a supported runtime (koobridge is tested on Node.js 20, 22, 24): run Node.js 22 LTS (recommended) or 24');
  });

  it('describes the running process by default', () => {
    expect(describeRuntime().version).toBe(process.version);
  });
});

describe('one runtime matrix', () => {
  it('package.json engines admits exactly the tested majors', () => {
    const engines = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } }).engines.node;
    const majors = engines.split('||').map((range) => Number(/^\s*\^(\d+)(\.\d+)*\s*$/.exec(range)?.[1]));
    expect(majors).toEqual([...TESTED_NODE_MAJORS]);
  });

  it('scripts/test-matrix.sh runs exactly the tested majors, the recommended one among them', () => {
    const script = readFileSync(new URL('scripts/test-matrix.sh', root), 'utf8');
    const matrix = /^MATRIX=\(([\d ]+)\)$/m.exec(script)?.[1]?.split(' ').map(Number);
    expect(matrix).toEqual([...TESTED_NODE_MAJORS]);
    expect(matrix).toContain(RECOMMENDED_NODE_MAJOR);
  });
});
