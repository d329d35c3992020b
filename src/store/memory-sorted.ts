/**
 * A score-0 sorted set kept as a byte-ordered array (for ZRANGE BYLEX pagination) plus a Set (for
 * membership). Inserts cost O(n) for the splice, which is fine for per-tenant indexes.
 */
import { compareUtf8 } from './utf8-order.js';

export class SortedMembers {
  private readonly order: string[] = [];
  private readonly members = new Set<string>();

  get size(): number {
    return this.order.length;
  }

  add(member: string): void {
    if (this.members.has(member)) return;
    this.members.add(member);
    this.order.splice(this.firstAfter(member, true), 0, member);
  }

  remove(member: string): void {
    if (!this.members.delete(member)) return;
    this.order.splice(this.firstAfter(member, true), 1);
  }

  /** Members strictly after `after` (all when undefined), at most `limit`. */
  range(after: string | undefined, limit: number): string[] {
    const start = after === undefined ? 0 : this.firstAfter(after, false);
    return this.order.slice(start, start + limit);
  }

  /** Binary search: first index whose member is >= value (inclusive) or > value (exclusive). */
  private firstAfter(value: string, inclusive: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareUtf8(this.order[mid]!, value);
      if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
