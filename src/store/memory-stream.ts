/**
 * A stream kept in memory as Redis keeps it: entries in id order, ids `<ms>-<seq>` that only grow
 * (a clock that steps back reuses the last ms with the next seq, as Redis does).
 */
import { compareStreamIds, type StreamBounds, type StreamId } from './stream-ops.js';
import type { StreamEntry } from './types.js';

interface Held {
  id: StreamId;
  fields: Record<string, string>;
}

export class MemoryStream {
  private readonly entries: Held[] = [];
  private last: StreamId = { ms: 0, seq: -1n };

  get size(): number {
    return this.entries.length;
  }

  add(nowMs: number, fields: Record<string, string>, minIdMs: number | undefined): string {
    const id = nowMs > this.last.ms ? { ms: nowMs, seq: 0n } : { ms: this.last.ms, seq: this.last.seq + 1n };
    this.last = id;
    // A copy with own properties only: a field named "__proto__" stays a plain field.
    this.entries.push({ id, fields: Object.fromEntries(Object.entries(fields)) });
    // Exact trimming: allowed by the contract, which only promises to keep entries at or after minIdMs.
    if (minIdMs !== undefined) this.entries.splice(0, this.firstAtOrAfter({ ms: minIdMs, seq: 0n }));
    return `${id.ms}-${id.seq}`;
  }

  /** Newest first within the bounds, at most `count`. */
  revRange(bounds: StreamBounds, count: number): StreamEntry[] {
    let i = this.entries.length - 1;
    if (bounds.end) {
      const { id, exclusive } = bounds.end;
      // Index of the first entry above the end bound (at or above when exclusive), minus one.
      i = this.firstAtOrAfter(id, !exclusive) - 1;
    }
    const out: StreamEntry[] = [];
    for (; i >= 0 && out.length < count; i--) {
      const held = this.entries[i]!;
      if (bounds.start && compareStreamIds(held.id, bounds.start) < 0) break;
      out.push({ id: `${held.id.ms}-${held.id.seq}`, fields: { ...held.fields } });
    }
    return out;
  }

  /** Binary search: the first index whose id is >= `id` (or > `id` when `strictlyAfter`). */
  private firstAtOrAfter(id: StreamId, strictlyAfter = false): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareStreamIds(this.entries[mid]!.id, id);
      if (c < 0 || (strictlyAfter && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
