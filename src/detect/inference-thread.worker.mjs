// @ts-check
/**
 * The inference thread's entry point: it holds the process's one onnxruntime session and runs inferences on
 * request, so that the main thread's event loop stays free for reading, decoding, packing and job locks while
 * the model computes. It knows nothing of manifests or layouts; inference-thread.adapter.ts drives it.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of tsx or vitest, and
 * this file runs unchanged from src/ and from the compiled dist/.
 *
 * The thread is never terminated from outside: onnxruntime-node aborts the whole process when its JavaScript
 * environment is torn down during a native run. It ends by itself instead: on `close` it refuses the runs that
 * have not started, lets the one in progress finish, releases the session and closes its port.
 *
 * Messages in:  { type: 'run', id, input: Float32Array, dims: number[] } | { type: 'close' }
 * Messages out: { type: 'ready', inputNames, outputNames, inputMetadata } | { type: 'open-failed', message }
 *               { type: 'result', id, data: Float32Array, dims, input, runMs } | { type: 'failed', id, message, input }
 *               { type: 'refused', id, input }   (a run that had not started when the session closed)
 * Input and output buffers are transferred, never copied; the input goes back with the answer for reuse.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * @typedef {{ exitAfterRuns?: number, holdRunMs?: number }} Faults
 * Fault injection for tests and the chaos run (never set in production): `exitAfterRuns` ends the thread on its
 * own after that many runs, as a crash of the inference host would; `holdRunMs` keeps each run busy that long,
 * blocking the thread as a slow native run does.
 */

/** @type {{ modelPath: string, sessionOptions: InferenceSession.SessionOptions, inputName: string, outputName: string, faults?: Faults }} */
const { modelPath, sessionOptions, inputName, outputName, faults = {} } = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @type {InferenceSession} */
let session;
try {
  session = await InferenceSession.create(modelPath, sessionOptions);
} catch (err) {
  port.postMessage({ type: 'open-failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
  process.exit(0);
}

port.postMessage({
  type: 'ready',
  inputNames: session.inputNames,
  outputNames: session.outputNames,
  inputMetadata: session.inputMetadata,
});

/** @typedef {{ id: number, input: Float32Array, dims: number[] }} RunRequest */

/** @param {number} ms */
function holdFor(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** @param {RunRequest} req */
function refuse(req) {
  port.postMessage({ type: 'refused', id: req.id, input: req.input }, [
    /** @type {ArrayBuffer} */ (req.input.buffer),
  ]);
}

/** @param {RunRequest} msg */
async function run(msg) {
  const { id, input, dims } = msg;
  try {
    const started = performance.now();
    if (faults.holdRunMs) holdFor(faults.holdRunMs);
    const result = await session.run({ [inputName]: new Tensor('float32', input, dims) });
    const runMs = performance.now() - started;
    const out = result[outputName];
    if (!out) throw new Error(`the model returned no output "${outputName}"`);
    const data = /** @type {Float32Array} */ (out.data);
    // The output owns its buffer (checked: offset 0, full length); a view into a larger one is copied out.
    const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    port.postMessage({ type: 'result', id, data: owned, dims: out.dims, input, runMs }, [
      /** @type {ArrayBuffer} */ (owned.buffer),
      /** @type {ArrayBuffer} */ (input.buffer),
    ]);
  } catch (err) {
    port.postMessage(
      { type: 'failed', id, message: err instanceof Error ? err.message : String(err), input },
      [/** @type {ArrayBuffer} */ (input.buffer)],
    );
  }
}

// One run at a time, in arrival order: a second request waits here, ready the moment the first one ends.
/** @type {RunRequest[]} */
const waiting = [];
let running = false;
let closing = false;
let runsDone = 0;

function pump() {
  if (running) return;
  const next = closing ? undefined : waiting.shift();
  if (!next) {
    if (closing) void session.release().finally(() => port.close());
    return;
  }
  running = true;
  void run(next).finally(() => {
    running = false;
    runsDone++;
    // The injected crash comes between runs, never inside one: the thread ends as a host that died would.
    if (faults.exitAfterRuns && runsDone >= faults.exitAfterRuns) process.exit(1);
    pump();
  });
}

port.on('message', (msg) => {
  if (msg.type === 'run') {
    if (closing) return refuse(msg);
    waiting.push(msg);
    pump();
  } else if (msg.type === 'close') {
    closing = true;
    for (const req of waiting.splice(0)) refuse(req);
    pump();
  }
});
