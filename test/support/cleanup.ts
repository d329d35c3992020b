/** Cleanups that all run even when one of them fails. */

/** Runs every closer in order, whatever the others do; then throws the first failure, if any. */
export async function closeAll(...closers: Array<(() => unknown) | undefined>): Promise<void> {
  const failures: unknown[] = [];
  for (const close of closers) {
    try {
      await close?.();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}
