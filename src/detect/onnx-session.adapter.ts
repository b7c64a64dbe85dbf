import { availableParallelism } from 'node:os';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { InferenceUnavailableError, ModelLoadError } from './detect-errors.js';
import {
  openSessionThread,
  type InferenceFaults,
  type RawOutput,
  type RawSession,
} from './inference-thread.adapter.js';
import type { ModelManifest } from './model-manifest.js';
import { anchorsOf, type OutputLayout } from './yolo-decoders.js';

export interface ModelSessionOptions {
  /**
   * Threads onnxruntime uses inside one inference (intra-op). Default: all cores. On a machine shared with other
   * workers, give each process its share.
   */
  threads?: number;
  /** Let idle onnxruntime threads spin for work instead of sleeping (default false). */
  spinWait?: boolean;
  /**
   * Where inferences run: `thread` (default), on a worker thread of the session's own, so that the event loop
   * never waits for the model; `caller`, on the JavaScript thread that calls run (blocking its event loop for
   * the inference), which the benchmark uses as the bare baseline.
   */
  placement?: SessionPlacement;
  /** Faults injected into the inference thread, for tests and the chaos run only (see InferenceFaults). */
  faults?: InferenceFaults;
}

export type SessionPlacement = 'thread' | 'caller';

/** The whole output tensor (all images of the batch), and the input tensor handed back for reuse. */
export type ModelOutput = RawOutput;

/** One onnxruntime session for one model; a process holds one and every detection goes through it. */
export interface ModelSession {
  readonly inputLength: number;
  readonly layout: OutputLayout;
  /** Anchors per image in the output, read from the warm-up run. */
  readonly anchors: number;
  /** Milliseconds the warm-up inference took (the first run allocates memory and is slower than the rest). */
  readonly warmupMs: number;
  readonly placement: SessionPlacement;
  /**
   * Runs `batch` images packed one after another in `input` (NCHW). On a thread, `input` is unusable (its buffer
   * travels) until the run settles; use the output's `input` afterwards. In the caller, it blocks the event loop.
   */
  run(input: Float32Array, batch: number): Promise<ModelOutput>;
  /**
   * Refuses runs that have not started, lets the one in progress finish and releases the session. On a thread,
   * rejects with InferenceStuckError if that run is still going after `timeoutMs` (the thread is never killed:
   * see docs/detection.md).
   */
  close(timeoutMs?: number): Promise<void>;
  /** Called once if the session becomes unusable for good (its thread died). */
  onFailure(listener: (err: InferenceUnavailableError) => void): void;
}

function describeShape(shape: readonly (number | string)[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : 'an unknown shape';
}

export function outputLayoutOf(manifest: ModelManifest): OutputLayout {
  return {
    format: manifest.output.format,
    numClasses: manifest.labels.length,
    inputWidth: manifest.input.width,
    inputHeight: manifest.input.height,
    strides: manifest.output.strides,
    scoresActivated: manifest.output.scoresActivated,
  };
}

/**
 * Opens the model, checks that its graph has the input and output its manifest names with a compatible shape,
 * and runs one warm-up inference so the first real frame does not pay for memory allocation.
 */
export async function openModelSession(
  modelPath: string,
  manifest: ModelManifest,
  options: ModelSessionOptions = {},
): Promise<ModelSession> {
  const threads = options.threads ?? availableParallelism();
  if (!(Number.isInteger(threads) && threads >= 1)) {
    throw new RangeError(`threads must be a whole number of at least 1, got ${threads}`);
  }
  const sessionOptions: InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Spinning threads burn a core while they wait for work; here that core is the one decoding the next
    // frame, so they sleep instead (measured: a third less CPU per inference, same latency on 2 cores).
    extra: { session: { intra_op: { allow_spinning: options.spinWait ? '1' : '0' } } },
  };
  const placement = options.placement ?? 'thread';
  let session: RawSession;
  try {
    session =
      placement === 'thread'
        ? await openSessionThread(
            modelPath,
            sessionOptions,
            { inputName: manifest.input.name, outputName: manifest.output.name },
            options.faults,
          )
        : await openInline(modelPath, sessionOptions, {
            inputName: manifest.input.name,
            outputName: manifest.output.name,
          });
  } catch (err) {
    if (err instanceof InferenceUnavailableError) throw err;
    throw new ModelLoadError('runtime', `onnxruntime cannot open ${modelPath}: ${(err as Error).message}`, {
      cause: err,
    });
  }

  const { input, output } = manifest;
  const mismatch = (what: string) => {
    void session.release();
    return new ModelLoadError('graph-mismatch', `model "${manifest.name}" (${modelPath}): ${what}`);
  };
  if (!session.inputNames.includes(input.name)) {
    throw mismatch(`the graph has no input "${input.name}"; its inputs are ${session.inputNames.join(', ')}`);
  }
  if (!session.outputNames.includes(output.name)) {
    throw mismatch(
      `the graph has no output "${output.name}"; its outputs are ${session.outputNames.join(', ')}`,
    );
  }
  const meta = session.inputMetadata.find((m) => m.name === input.name);
  if (meta?.isTensor) {
    const shape = meta.shape;
    const [b, c, h, w] = shape;
    const sizeOk = shape.length === 4 && c === 3 && h === input.height && w === input.width;
    const batchOk = input.dynamicBatch ? typeof b === 'string' || b === -1 : b === 1;
    if (!sizeOk || !batchOk) {
      throw mismatch(
        `input "${input.name}" has shape ${describeShape(shape)}, but the manifest declares ` +
          `[${input.dynamicBatch ? -1 : 1}, 3, ${input.height}, ${input.width}]`,
      );
    }
  }

  const layout = outputLayoutOf(manifest);
  const inputLength = 3 * input.width * input.height;
  const dims = [0, 3, input.height, input.width];
  const run = async (data: Float32Array, batch: number): Promise<ModelOutput> => {
    dims[0] = batch;
    const tensor = data.length === batch * inputLength ? data : data.subarray(0, batch * inputLength);
    return session.run(tensor, dims);
  };

  // Warm-up on a blank input; its output also shows whether the output layout matches the manifest.
  const started = performance.now();
  let warm: ModelOutput;
  try {
    warm = await run(new Float32Array(inputLength), 1);
  } catch (err) {
    void session.release();
    throw new ModelLoadError(
      'runtime',
      `model "${manifest.name}" (${modelPath}): the warm-up inference failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const warmupMs = performance.now() - started;
  let anchors: number;
  try {
    anchors = anchorsOf(warm.dims, layout);
  } catch (err) {
    throw mismatch((err as Error).message);
  }

  return {
    inputLength,
    layout,
    anchors,
    warmupMs,
    placement,
    run,
    close: (timeoutMs) => session.release(timeoutMs),
    onFailure: (listener) => session.onFailure(listener),
  };
}

/** A session on the calling thread, behind the same interface as one on a thread of its own. */
async function openInline(
  modelPath: string,
  sessionOptions: InferenceSession.SessionOptions,
  { inputName, outputName }: { inputName: string; outputName: string },
): Promise<RawSession> {
  const session = await InferenceSession.create(modelPath, sessionOptions);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputMetadata: session.inputMetadata,
    async run(input, dims) {
      const feeds = { [inputName]: new Tensor('float32', input, [...dims]) };
      const started = performance.now();
      const result = await session.run(feeds);
      const runMs = performance.now() - started;
      const out = result[outputName];
      if (!out) throw new Error(`the model returned no output "${outputName}"`);
      return { data: out.data as Float32Array, dims: out.dims, input, runMs };
    },
    release: () => session.release(),
    onFailure: () => {},
  };
}
