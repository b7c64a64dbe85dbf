/**
 * A camera's health as staff see it, derived at read time from when it last delivered a frame and last failed,
 * so a camera whose ingest worker died shows as offline without anyone having to write that down.
 */
export type CameraStatus = 'online' | 'stale' | 'offline' | 'failing';

export const STALE_AFTER_SAMPLES = 2;
export const OFFLINE_AFTER_SAMPLES = 5;

export function cameraStatus(input: {
  lastFrameAt: Date | null;
  lastErrorAt: Date | null;
  sampleIntervalS: number;
  now: Date;
}): CameraStatus {
  const { lastFrameAt, lastErrorAt, sampleIntervalS, now } = input;
  const intervalMs = sampleIntervalS * 1000;
  const erroredSinceFrame = lastErrorAt !== null && (lastFrameAt === null || lastErrorAt > lastFrameAt);
  if (
    erroredSinceFrame &&
    now.getTime() - lastErrorAt.getTime() < OFFLINE_AFTER_SAMPLES * intervalMs + 60_000
  )
    return 'failing';
  if (lastFrameAt === null) return 'offline';
  const age = now.getTime() - lastFrameAt.getTime();
  if (age <= STALE_AFTER_SAMPLES * intervalMs + 5_000) return 'online';
  if (age <= OFFLINE_AFTER_SAMPLES * intervalMs + 5_000) return 'stale';
  return 'offline';
}
