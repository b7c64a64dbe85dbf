/*
 * Which of a camera's frames the rules stage may apply now. Several detect workers finish frames of one camera in
 * any order, but the tracker and the dwell clocks must see them in sequence order. So a rules job does not apply
 * "its" frame: it applies every frame after the camera's last applied one, in order, up to the first frame that
 * is still being detected, and leaves the rest to the job of that frame.
 *
 * A frame that never gets detections must not hold the camera up for ever: frames the intake replaced (dropped)
 * or the detector gave up on (failed) are passed over at once, and a frame still waiting after `gapTimeoutMs`
 * (its job lost, its worker killed and its lock not yet expired) is passed over as lost. A detection that comes
 * in after that is late and changes nothing, as the engine's own rules for late frames say.
 */

export interface PendingFrame {
  frameId: number;
  seq: number;
  status: 'queued' | 'detected' | 'dropped' | 'failed';
  /** Its detections are stored. */
  ready: boolean;
  /** When the frame row was written (epoch ms, database clock). */
  createdAt: number;
}

export type FrameStep =
  | { kind: 'apply'; frameId: number; seq: number }
  | { kind: 'skip'; seq: number; reason: 'dropped' | 'failed' | 'lost' }
  /** Sequence numbers no frame row holds (an intake that failed after numbering), passed over up to `seq`. */
  | { kind: 'skip-missing'; fromSeq: number; seq: number };

export interface FramePlan {
  steps: FrameStep[];
  /** The camera's last handled sequence number once the steps are done. */
  lastSeq: number;
  /** The frame holding up later, ready ones, and when it will be given up; null when nothing ready waits. */
  waitingFor: { seq: number; retryInMs: number } | null;
}

export interface FramePlanOptions {
  now: number;
  gapTimeoutMs: number;
}

/** `frames` are the camera's frames after `lastSeq`, in ascending sequence order (a bounded page of them). */
export function planFrames(
  lastSeq: number,
  frames: readonly PendingFrame[],
  options: FramePlanOptions,
): FramePlan {
  const steps: FrameStep[] = [];
  let last = lastSeq;
  const waitFor = (seq: number, since: number, index: number): FramePlan => {
    const readyBehind = frames.slice(index).some((f) => f.ready);
    const retryInMs = Math.max(0, options.gapTimeoutMs - (options.now - since));
    return { steps, lastSeq: last, waitingFor: readyBehind ? { seq, retryInMs } : null };
  };
  for (const [index, frame] of frames.entries()) {
    if (frame.seq <= last) {
      throw new Error(`frames must be after seq ${last} and in ascending order; got seq ${frame.seq}`);
    }
    const waited = options.now - frame.createdAt;
    if (frame.seq > last + 1) {
      // The missing numbers were handed out just before this frame's row was written, so they are as old.
      if (waited < options.gapTimeoutMs) return waitFor(last + 1, frame.createdAt, index);
      steps.push({ kind: 'skip-missing', fromSeq: last + 1, seq: frame.seq - 1 });
      last = frame.seq - 1;
    }
    if (frame.ready) {
      steps.push({ kind: 'apply', frameId: frame.frameId, seq: frame.seq });
    } else if (frame.status === 'dropped' || frame.status === 'failed') {
      steps.push({ kind: 'skip', seq: frame.seq, reason: frame.status });
    } else if (waited >= options.gapTimeoutMs) {
      steps.push({ kind: 'skip', seq: frame.seq, reason: 'lost' });
    } else {
      return waitFor(frame.seq, frame.createdAt, index + 1);
    }
    last = frame.seq;
  }
  return { steps, lastSeq: last, waitingFor: null };
}
