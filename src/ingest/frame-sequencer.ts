/**
 * Gives each camera's frames a sequence number and a capture time that only ever move forward, whatever the
 * camera's clock does. Rules measure dwell times and order events by these values, so a camera whose clock
 * jumps back an hour (a lost NTP server, a reboot to 1970) must not make a stall look older or newer than it is.
 */

/**
 * Where a source's timestamp comes from: `host` is when this machine received the frame, `camera` is the
 * camera's own stamp (EXIF, file time), `media` is a position on a recording's timeline (replays).
 */
export type FrameClock = 'host' | 'camera' | 'media';

export interface SequenceInput {
  /** The time the source proposes: the camera stamp, the media position, or the receive time. */
  proposedAt: Date;
  /** When this machine received the frame. */
  receivedAt: Date;
  clock: FrameClock;
}

export type TimeAdjustment = 'none' | 'camera_clock_out_of_range' | 'not_after_previous';

export interface SequencedFrame {
  seq: number;
  capturedAt: Date;
  /** Why `capturedAt` differs from the proposed time, for the frame record and camera health. */
  adjustment: TimeAdjustment;
}

export interface CameraSequenceState {
  lastSeq: number;
  lastCapturedAt: Date;
}

export interface SequencerOptions {
  /** How far behind the receive time a camera stamp may be (delivery and buffering delay). */
  maxCameraLagMs: number;
  /** How far ahead of the receive time a camera stamp may be (small clock differences). */
  maxCameraLeadMs: number;
}

export const DEFAULT_SEQUENCER_OPTIONS: Readonly<SequencerOptions> = Object.freeze({
  maxCameraLagMs: 10_000,
  maxCameraLeadMs: 2_000,
});

export class FrameSequencer {
  private readonly cameras = new Map<string, { lastSeq: number; lastMs: number }>();

  constructor(private readonly options: SequencerOptions = DEFAULT_SEQUENCER_OPTIONS) {}

  /** Continues from what was recorded before a restart, so numbers and times never repeat. */
  resume(cameraId: string, state: CameraSequenceState): void {
    if (!Number.isSafeInteger(state.lastSeq) || state.lastSeq < 0) {
      throw new RangeError(
        `lastSeq for camera ${cameraId} must be a non-negative integer, not ${state.lastSeq}`,
      );
    }
    this.cameras.set(cameraId, { lastSeq: state.lastSeq, lastMs: state.lastCapturedAt.getTime() });
  }

  next(cameraId: string, input: SequenceInput): SequencedFrame {
    const previous = this.cameras.get(cameraId);
    let { ms, adjustment } = this.candidate(input);
    if (previous && ms <= previous.lastMs) {
      ms = previous.lastMs + 1;
      adjustment = 'not_after_previous';
    }
    const seq = (previous?.lastSeq ?? 0) + 1;
    this.cameras.set(cameraId, { lastSeq: seq, lastMs: ms });
    return { seq, capturedAt: new Date(ms), adjustment };
  }

  state(cameraId: string): CameraSequenceState | undefined {
    const current = this.cameras.get(cameraId);
    return current && { lastSeq: current.lastSeq, lastCapturedAt: new Date(current.lastMs) };
  }

  private candidate(input: SequenceInput): { ms: number; adjustment: TimeAdjustment } {
    const received = input.receivedAt.getTime();
    const proposed = input.proposedAt.getTime();
    switch (input.clock) {
      case 'host':
        return { ms: received, adjustment: 'none' };
      case 'media':
        return { ms: proposed, adjustment: 'none' };
      case 'camera': {
        const plausible =
          Number.isFinite(proposed) &&
          proposed >= received - this.options.maxCameraLagMs &&
          proposed <= received + this.options.maxCameraLeadMs;
        return plausible
          ? { ms: proposed, adjustment: 'none' }
          : { ms: received, adjustment: 'camera_clock_out_of_range' };
      }
    }
  }
}
