/**
 * Time as every room reads it. Injected (never `Date.now()` inside a rule) so tests move time
 * forward instead of sleeping, and two bridges in one test can disagree about it on purpose.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();
