/**
 * A sorted set kept as an array ordered as Redis orders it — by score, then by member bytes — plus
 * a Map of member → score. Score-0 sets serve ZRANGE BYLEX pagination; scored sets serve the
 * outbox's schedule. Inserts cost O(n) for the splice, which is fine for per-tenant indexes and
 * queues of pending notifications.
 */
import { compareUtf8 } from './utf8-order.js';

export class SortedMembers {
  private readonly order: string[] = [];
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.order.length;
  }

  /** ZADD: adds the member, or moves it to `score` (also back to 0, as Redis does). */
  add(member: string, score = 0): void {
    const current = this.scores.get(member);
    if (current === score) return;
    if (current !== undefined) this.remove(member);
    this.scores.set(member, score);
    this.order.splice(this.firstAfter(score, member, true), 0, member);
  }

  remove(member: string): void {
    const score = this.scores.get(member);
    if (score === undefined) return;
    this.order.splice(this.firstAfter(score, member, true), 1);
    this.scores.delete(member);
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Members strictly after `after` (all when undefined), at most `limit`; defined for score-0 sets. */
  range(after: string | undefined, limit: number): string[] {
    const start = after === undefined ? 0 : this.firstAfter(0, after, false);
    return this.order.slice(start, start + limit);
  }

  /** Members with score <= max, lowest first, at most `limit`. */
  rangeByScore(max: number, limit: number): string[] {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.scores.get(this.order[mid]!)! <= max) lo = mid + 1;
      else hi = mid;
    }
    return this.order.slice(0, Math.min(lo, limit));
  }

  /** Binary search: first index whose (score, member) is >= (inclusive) or > (exclusive) the given one. */
  private firstAfter(score: number, member: string, inclusive: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.order[mid]!;
      const c = this.scores.get(m)! - score || compareUtf8(m, member);
      if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
