/**
 * Runs `work` over every item, at most `limit` at a time, and waits for all: enough overlap to hide
 * store round trips when hundreds of users are deprovisioned at once, never thousands of commands
 * queued on one connection. `work` must handle its own errors if one item's failure must not stop
 * the others (the first rejection is passed on after every started item settled).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** How many revocations of one deprovisioning run side by side (store round trips, not CPU). */
export const REVOCATION_CONCURRENCY = 16;
