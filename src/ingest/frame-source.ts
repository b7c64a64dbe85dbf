import { setTimeout as delay } from 'node:timers/promises';
import type { CompiledAccessPolicy } from './access-policy.js';
import type { FrameClock } from './frame-sequencer.js';
import type { FrameLimits } from './frame-validation.js';
import type { IngestError, IngestErrorCode } from './ingest-errors.js';
import type { SourceKind } from './source-config.schema.js';
import type { Resolver } from './url-guard.js';

/**
 * What every source yields. A frame is validated JPEG; failures come as events too, not as thrown errors,
 * because a camera that sends one bad frame or drops off the network must be recorded and retried, never end
 * the worker's loop:
 *
 *   for await (const event of source) {
 *     if (event.type === 'frame') await ingest(event.frame); else await recordCameraError(event.error);
 *   }
 *
 * Sources are pulled: a source produces the next frame only when the loop asks for it (file replays wait,
 * live streams keep the newest frames and count the ones dropped).
 */
export interface CapturedFrame {
  /** JPEG bytes; the SHA-256 of these is the frame's identity. */
  bytes: Buffer;
  width: number;
  height: number;
  /** The source's best capture time; pass it with `receivedAt` and `clock` to the FrameSequencer. */
  capturedAt: Date;
  receivedAt: Date;
  clock: FrameClock;
  sourceInfo: FrameSourceInfo;
}

export interface FrameSourceInfo {
  kind: SourceKind;
  /** The camera URL without credentials, or the file or folder path. */
  origin: string;
  /** The file name, for folder sources. */
  fileName?: string;
  /** Position in the recording, for file replays. */
  mediaTimeMs?: number;
  /** Set when the camera sent PNG and the frame is its JPEG conversion. */
  convertedFrom?: 'png';
}

export type SourceEvent =
  { type: 'frame'; frame: CapturedFrame } | { type: 'error'; error: IngestError; at: Date };

export type SourceState = 'starting' | 'running' | 'backoff' | 'ended' | 'closed';

export interface SourceHealth {
  state: SourceState;
  framesEmitted: number;
  /** Live frames discarded because the consumer was slower than the camera. */
  framesDropped: number;
  errors: number;
  /** Errors since the last good frame; the registry shows a camera as failing when this grows. */
  consecutiveErrors: number;
  /** Times a stream process was started again after it ended or failed. */
  restarts: number;
  /** Runs of errors between two frames (a camera or server that went away and came back), and their length. */
  outages: number;
  outageMsTotal: number;
  lastOutage?: { from: Date; to: Date; ms: number; errors: number };
  /** Times the picture size changed mid-stream (the stream is restarted to keep frames at their own size). */
  resolutionChanges: number;
  lastResolutionChange?: {
    from: { width: number; height: number };
    to: { width: number; height: number };
    at: Date;
  };
  lastFrameAt?: Date;
  lastError?: { code: IngestErrorCode; message: string; at: Date };
}

export interface FrameSource extends AsyncIterable<SourceEvent> {
  readonly kind: SourceKind;
  readonly health: Readonly<SourceHealth>;
  /** Stops fetching, ends the iteration and releases processes and sockets; safe to call more than once. */
  close(): Promise<void>;
}

/** What sources need from the process around them, passed in as plain values. */
export interface SourceDeps {
  policy: CompiledAccessPolicy;
  limits?: FrameLimits;
  resolver?: Resolver;
  now?: () => Date;
  /** Jitter source for back-off; fixed in tests that need exact waits. */
  random?: () => number;
  ffmpegPath?: string;
}

/** Keeps the counters of SourceHealth consistent; each source owns one. */
export class HealthTracker {
  readonly health: SourceHealth = {
    state: 'starting',
    framesEmitted: 0,
    framesDropped: 0,
    errors: 0,
    consecutiveErrors: 0,
    restarts: 0,
    outages: 0,
    outageMsTotal: 0,
    resolutionChanges: 0,
  };

  constructor(private readonly now: () => Date) {}

  frame(frame: CapturedFrame): SourceEvent {
    const previous = this.health.lastFrameAt;
    if (previous && this.health.consecutiveErrors > 0) {
      // The gap is measured from the last frame before the failure to the first one after it.
      const ms = Math.max(0, frame.receivedAt.getTime() - previous.getTime());
      this.health.outages++;
      this.health.outageMsTotal += ms;
      this.health.lastOutage = {
        from: previous,
        to: frame.receivedAt,
        ms,
        errors: this.health.consecutiveErrors,
      };
    }
    this.health.framesEmitted++;
    this.health.consecutiveErrors = 0;
    this.health.lastFrameAt = frame.receivedAt;
    if (this.health.state !== 'closed') this.health.state = 'running';
    return { type: 'frame', frame };
  }

  error(error: IngestError): SourceEvent {
    const at = this.now();
    this.health.errors++;
    this.health.consecutiveErrors++;
    this.health.lastError = { code: error.code, message: error.message, at };
    return { type: 'error', error, at };
  }

  set state(state: SourceState) {
    if (this.health.state !== 'closed') this.health.state = state;
  }
}

/** Waits, or returns false at once when the signal aborts (the source is closing). */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
