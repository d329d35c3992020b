/**
 * A histogram for the hottest path there is — every store command — at the cost of a few array
 * writes. prom-client's Histogram checks and hashes the label values on every observation (about a
 * microsecond); here each command gets its own bucket array once, at start, and an observation
 * only finds its bucket and adds. The registry reads it like any prom-client metric (`get()`), in
 * the same text format: `_bucket{le}` cumulative, `_sum`, `_count`.
 */
import type { Registry } from 'prom-client';

interface Series {
  counts: number[];
  sum: number;
  count: number;
}

type Observe = (seconds: number) => void;

export class CommandTimings {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly labelNames = ['command'];
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The observer of one command; the series exists (at zero) from this call on. */
  child(command: string): Observe {
    const s: Series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.series.set(command, s);
    const { buckets } = this;
    return (seconds) => {
      s.sum += seconds;
      s.count++;
      for (let i = 0; i < buckets.length; i++) {
        if (seconds <= buckets[i]!) {
          s.counts[i]!++;
          return;
        }
      }
    };
  }

  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const [command, s] of this.series) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i]!;
        values.push({ labels: { le, command }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', command }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { command }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { command }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
