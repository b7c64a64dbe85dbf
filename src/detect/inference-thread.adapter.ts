import { Worker } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import { InferenceStuckError, InferenceUnavailableError } from './detect-errors.js';

/** What a session tells of its graph once open: the names and metadata the manifest is checked against. */
export interface GraphInfo {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata: readonly InferenceSession.ValueMetadata[];
}

export interface RawOutput {
  data: Float32Array;
  dims: readonly number[];
  /** The input tensor, usable again: the same object, or (from a thread) the one whose buffer came back. */
  input: Float32Array;
  /** Milliseconds onnxruntime computed, without the time the run waited for its turn or its transfer. */
  runMs: number;
}

/** The part of onnxruntime's session the detector uses, wherever the session runs. */
export interface RawSession extends GraphInfo {
  run(input: Float32Array, dims: readonly number[]): Promise<RawOutput>;
  /**
   * Closes the session: runs that have not started are refused, the one in progress finishes, and the promise
   * settles once the session is gone. On a thread it rejects with InferenceStuckError if the run in progress
   * holds the thread past `timeoutMs`; the thread is then left to finish, never terminated.
   */
  release(timeoutMs?: number): Promise<void>;
  /** Called once if the session becomes unusable for good (its thread died); every later run rejects. */
  onFailure(listener: (err: InferenceUnavailableError) => void): void;
}

/**
 * Faults a test or the chaos run can inject into the inference thread (never set in production): the thread
 * ends by itself after `exitAfterRuns` runs, as a crashed host would, or holds each run `holdRunMs` longer,
 * blocking the thread as a slow native run does.
 */
export interface InferenceFaults {
  exitAfterRuns?: number;
  holdRunMs?: number;
}

/** How long closing waits for a run in progress before reporting the thread stuck. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

type FromThread =
  | ({ type: 'ready' } & GraphInfo)
  | { type: 'open-failed'; message: string }
  | { type: 'result'; id: number; data: Float32Array; dims: number[]; input: Float32Array; runMs: number }
  | { type: 'failed'; id: number; message: string; input: Float32Array }
  | { type: 'refused'; id: number; input: Float32Array };

interface Pending {
  resolve(out: RawOutput): void;
  reject(err: Error): void;
}

/** The worker entry sits beside this file, in src/ (run by tsx or vitest) and in dist/ alike. */
const WORKER_URL = new URL('./inference-thread.worker.mjs', import.meta.url);

/**
 * Opens an onnxruntime session on a worker thread of its own. The main thread's event loop then never blocks on
 * an inference: while the thread computes, the loop reads the next frames, hands their decoding to libvips and
 * packs tensors, and BullMQ renews its locks. Tensors travel by transfer, not copy: the input's buffer goes to
 * the thread and comes back with the output, so the caller loses the use of it until the run settles.
 *
 * Rejects with `{ message }` of onnxruntime's own error when the model cannot be opened.
 */
export function openSessionThread(
  modelPath: string,
  sessionOptions: InferenceSession.SessionOptions,
  names: { inputName: string; outputName: string },
  faults: InferenceFaults = {},
): Promise<RawSession> {
  const worker = new Worker(WORKER_URL, {
    workerData: { modelPath, sessionOptions, ...names, faults },
    // No flags from the process: the entry needs no loader, and inherited ones can break it (--input-type) or be
    // refused for a worker (V8 and process-wide flags such as --expose-gc, given explicitly).
    execArgv: [],
  });
  const pending = new Map<number, Pending>();
  const failureListeners: ((err: InferenceUnavailableError) => void)[] = [];
  let nextId = 1;
  let failure: InferenceUnavailableError | undefined;
  let closing = false;
  const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  /** Every run from now on rejects with `err`; the listeners hear of it unless the session was closed on purpose. */
  const fail = (err: InferenceUnavailableError, notify: boolean) => {
    if (failure) return;
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (notify) for (const listener of failureListeners) listener(err);
  };

  return new Promise<RawSession>((resolveOpen, rejectOpen) => {
    let opened = false;
    worker.on('error', (err) => {
      const e = new InferenceUnavailableError(`the inference thread failed: ${err.message}`, { cause: err });
      if (!opened) rejectOpen(e);
      fail(e, true);
    });
    worker.on('exit', (code) => {
      if (!opened) rejectOpen(new InferenceUnavailableError(`the inference thread exited (code ${code})`));
      if (closing) fail(new InferenceUnavailableError('the inference session is closed'), false);
      else fail(new InferenceUnavailableError(`the inference thread exited (code ${code})`), true);
    });
    worker.on('message', (msg: FromThread) => {
      switch (msg.type) {
        case 'ready': {
          opened = true;
          resolveOpen(session(msg));
          return;
        }
        case 'open-failed':
          closing = true;
          rejectOpen(new Error(msg.message));
          return;
        case 'result':
        case 'failed':
        case 'refused': {
          const p = pending.get(msg.id);
          if (!p) return;
          pending.delete(msg.id);
          if (msg.type === 'result')
            p.resolve({ data: msg.data, dims: msg.dims, input: msg.input, runMs: msg.runMs });
          else if (msg.type === 'refused')
            p.reject(new InferenceUnavailableError('the inference session is closed'));
          else p.reject(Object.assign(new Error(msg.message), { input: msg.input }));
          return;
        }
      }
    });
  });

  function session(graph: GraphInfo): RawSession {
    return {
      inputNames: graph.inputNames,
      outputNames: graph.outputNames,
      inputMetadata: graph.inputMetadata,
      run(input, dims) {
        if (failure) return Promise.reject(failure);
        if (closing) return Promise.reject(new InferenceUnavailableError('the inference session is closed'));
        if (input.byteOffset !== 0 || input.byteLength !== input.buffer.byteLength) {
          // A view into a larger buffer cannot travel alone; copy it (never the case for the detector's tensors).
          input = input.slice();
        }
        const id = nextId++;
        return new Promise<RawOutput>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          worker.postMessage({ type: 'run', id, input, dims: [...dims] }, [input.buffer as ArrayBuffer]);
        });
      },
      async release(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
        if (!closing) {
          closing = true;
          worker.postMessage({ type: 'close' });
        }
        // Never worker.terminate(): tearing the thread down during a native run aborts the whole process.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), timeoutMs);
        });
        const outcome = await Promise.race([gone.then(() => 'gone' as const), late]);
        clearTimeout(timer);
        if (outcome === 'late') {
          throw new InferenceStuckError(
            `the inference thread is still inside a run ${timeoutMs} ms after it was asked to close`,
          );
        }
      },
      onFailure(listener) {
        if (failure) listener(failure);
        else failureListeners.push(listener);
      },
    };
  }
}
