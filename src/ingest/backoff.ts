export interface BackoffSettings {
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * The wait before reconnection attempt `attempt` (0 for the first): doubling from the initial delay up to the
 * maximum, then drawn between half and all of it, so that a hundred cameras behind one failed switch do not all
 * knock again at the same instant.
 */
export function backoffDelay(
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
