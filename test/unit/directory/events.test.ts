/** Directory events: listeners run in order and are awaited; a failing one is logged, runs no shorter, and fails the emit. */
import { describe, expect, it } from 'vitest';
import { createDirectoryEvents } from '../../../src/directory/events.js';
import type { DirectoryEvent } from '../../../src/shared/directory-events.js';

const logger = () => {
  const errors: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  return { errors, error: (obj: Record<string, unknown>, msg: string) => void errors.push({ obj, msg }) };
};
const updated = (userName: string): DirectoryEvent => ({ type: 'user.updated', tenantId: 'acme', userName });

describe('directory events', () => {
  it('delivers every event to every listener, in order, awaiting each listener', async () => {
    const events = createDirectoryEvents(logger() as never);
    const seen: string[] = [];
    events.on(async (e) => {
      await new Promise((r) => setImmediate(r));
      seen.push(`a:${(e as { userName: string }).userName}`);
    });
    events.on((e) => void seen.push(`b:${(e as { userName: string }).userName}`));
    await events.emit([updated('one'), updated('two')]);
    expect(seen).toEqual(['a:one', 'b:one', 'a:two', 'b:two']);
  });

  it('a failing listener is logged with the event, does not stop the others, and fails the emit once all ran', async () => {
    const log = logger();
    const events = createDirectoryEvents(log as never);
    const seen: DirectoryEvent[] = [];
    events.on(() => {
      throw new Error('listener broke');
    });
    events.on((e) => void seen.push(e));
    await expect(events.emit([updated('one')])).rejects.toThrow('listener broke');
    expect(seen).toEqual([updated('one')]);
    expect(log.errors).toEqual([{ obj: { err: expect.objectContaining({ message: 'listener broke' }), event: 'user.updated', tenantId: 'acme' }, msg: 'directory listener failed' }]);
  });

  it('the function on() returns unsubscribes the listener', async () => {
    const events = createDirectoryEvents(logger() as never);
    const seen: DirectoryEvent[] = [];
    const off = events.on((e) => void seen.push(e));
    off();
    await events.emit([updated('one')]);
    expect(seen).toEqual([]);
  });
});
