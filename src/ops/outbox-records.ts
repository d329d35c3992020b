/**
 * The outbox's data in the store, and every transition of a job as one atomic store call:
 *
 *   enqueue ──▶ schedule (score = due time) ──claim──▶ leased (score = lease end)
 *                  ▲                                     │ ack: gone
 *                  └──────── retry (score = next due) ───┤ dead-letter: moved to dead
 *                  └──────── lease passes (crash) ───────┘
 *
 * Every write after a claim is guarded by the lease score (execIfScore): a worker whose lease was
 * taken over by another instance can no longer acknowledge, retry or dead-letter the job.
 */
import type { JsonValue } from '../shared/jobs.js';
import type { OutboxKeys } from '../store/keys.js';
import type { ScoreGuard, Store } from '../store/types.js';

export interface JobRecord {
  id: string;
  kind: string;
  payload: JsonValue;
  createdAt: number;
  /** Runs started so far (counted when a run starts, so a run that crashes the process counts too). */
  attempts: number;
  dedupeKey?: string;
  lastAttemptAt?: number;
  lastError?: string;
}

export interface DeadLetter extends JobRecord {
  deadAt: number;
  /** Why it was given up: the attempts or age exhausted, a permanent error, an unreadable record. */
  reason: string;
}

/** What a claimed id turned out to hold. */
export type ReadJob = { state: 'ok'; job: JobRecord } | { state: 'missing' } | { state: 'corrupt' };

// Trimming reads at most this many old dead letters per dead-lettering: bounded work per call.
const TRIM_BATCH = 100;

export function createOutboxRecords(store: Store, keys: OutboxKeys) {
  const lease = (id: string, until: number): ScoreGuard => ({ key: keys.schedule, member: id, score: until });
  const save = (job: JobRecord) => ({ op: 'hset' as const, key: keys.jobs, values: { [job.id]: JSON.stringify(job) } });
  const due = (id: string, at: number) => ({ op: 'zaddScore' as const, key: keys.schedule, members: [{ member: id, score: at }] });

  return {
    /** Stores the job and schedules it; with `once`, only while no job of that id is pending. */
    async add(job: JobRecord, dueAt: number, once: boolean): Promise<boolean> {
      const ops = [save(job), due(job.id, dueAt)];
      if (once) return store.execIfScore({ key: keys.schedule, member: job.id, score: null }, ops);
      await store.exec(ops);
      return true;
    },

    /** Leases up to `limit` due jobs until `until`; answers their ids. */
    claim: (now: number, until: number, limit: number) => store.claimByScore(keys.schedule, { max: now, score: until, limit }),

    async read(id: string): Promise<ReadJob> {
      const raw = await store.hget(keys.jobs, id);
      if (raw === null) return { state: 'missing' };
      try {
        const job = JSON.parse(raw) as JobRecord;
        if (typeof job?.kind !== 'string' || typeof job.attempts !== 'number' || typeof job.createdAt !== 'number') return { state: 'corrupt' };
        return { state: 'ok', job: { ...job, id } };
      } catch {
        return { state: 'corrupt' };
      }
    },

    /** Records the run about to start; false when the lease was lost (do not run). */
    startAttempt: (job: JobRecord, until: number) => store.execIfScore(lease(job.id, until), [save(job)]),

    /** Done: the job is gone. Also used for a scheduled id without a record. */
    ack: (id: string, until: number) =>
      store.execIfScore(lease(id, until), [
        { op: 'zrem', key: keys.schedule, members: [id] },
        { op: 'hdel', key: keys.jobs, fields: [id] },
      ]),

    /** Failed, to be retried at `at`, with the error kept on the record. */
    retry: (job: JobRecord, until: number, at: number) => store.execIfScore(lease(job.id, until), [save(job), due(job.id, at)]),

    /** Not runnable here now (no handler): back to waiting, the record unchanged. */
    postpone: (id: string, until: number, at: number) => store.execIfScore(lease(id, until), [due(id, at)]),

    /** Given up: moved to the dead letters in the same step as it leaves the schedule. */
    async bury(dead: DeadLetter, until: number): Promise<boolean> {
      return store.execIfScore(lease(dead.id, until), [
        { op: 'zrem', key: keys.schedule, members: [dead.id] },
        { op: 'hdel', key: keys.jobs, fields: [dead.id] },
        { op: 'hset', key: keys.dead, values: { [dead.id]: JSON.stringify(dead) } },
        { op: 'zaddScore', key: keys.deadIndex, members: [{ member: dead.id, score: dead.deadAt }] },
      ]);
    },

    /** Drops the oldest dead letters beyond `max` and those older than `olderThan`. */
    async trimDead(max: number, olderThan: number): Promise<number> {
      const excess = Math.min(TRIM_BATCH, (await store.zcard(keys.deadIndex)) - max);
      const ids = new Set([
        ...(excess > 0 ? await store.zrangeByScore(keys.deadIndex, { max: Infinity, limit: excess }) : []),
        ...(await store.zrangeByScore(keys.deadIndex, { max: olderThan, limit: TRIM_BATCH })),
      ]);
      if (ids.size === 0) return 0;
      await store.exec([
        { op: 'zrem', key: keys.deadIndex, members: [...ids] },
        { op: 'hdel', key: keys.dead, fields: [...ids] },
      ]);
      return ids.size;
    },

    /** The dead letters, oldest first. */
    async deadLetters(limit: number): Promise<DeadLetter[]> {
      const ids = await store.zrangeByScore(keys.deadIndex, { max: Infinity, limit });
      const raw = await store.hmget(keys.dead, ids);
      return raw.flatMap((r) => (r === null ? [] : [JSON.parse(r) as DeadLetter]));
    },

    /** Jobs waiting, retrying or running. */
    pending: () => store.zcard(keys.schedule),
  };
}

export type OutboxRecords = ReturnType<typeof createOutboxRecords>;
