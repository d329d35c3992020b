/** The store's light histogram says exactly what prom-client's Histogram would, for the same observations. */
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CommandTimings } from '../../../src/metrics/command-timings.js';

const BUCKETS = [0.001, 0.01, 0.1];
const OBSERVED: [string, number][] = [['get', 0.0005], ['get', 0.001], ['get', 0.05], ['exec', 0.2], ['get', 7]];

/** Sample lines, labels sorted, so the two renderings compare whatever order each writes labels in. */
const samples = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\{([^}]*)\}/, (_, labels: string) => `{${labels.split(',').sort().join(',')}}`))
    .sort();

describe('CommandTimings', () => {
  it('renders the same _bucket, _sum and _count series as prom-client\'s Histogram, and resets to zero', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const timings = new CommandTimings('t_seconds', 'help', BUCKETS, ours);
    const histogram = new Histogram({ name: 't_seconds', help: 'help', labelNames: ['command'], buckets: BUCKETS, registers: [theirs] });
    const children = new Map(['get', 'exec'].map((c) => [c, timings.child(c)]));
    for (const [command, seconds] of OBSERVED) {
      children.get(command)!(seconds);
      histogram.observe({ command }, seconds);
    }
    expect(samples(await ours.metrics())).toEqual(samples(await theirs.metrics()));
    expect(await ours.metrics()).toContain('t_seconds_bucket{le="0.01",command="get"} 2');
    ours.resetMetrics();
    expect(await ours.metrics()).toContain('t_seconds_count{command="get"} 0');
  });
});
