// @ts-check
/**
 * The inference thread's entry point: it holds the process's one onnxruntime session and runs inferences on
 * request, so that the main thread's event loop stays free for reading, decoding, packing and job locks while
 * the model computes. It knows nothing of manifests or layouts; inference-thread.adapter.ts drives it.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of tsx or vitest, and
 * this file runs unchanged from src/ and from the compiled dist/.
 *
 * Messages in:  { type: 'run', id, input: Float32Array, dims: number[] } | { type: 'close' }
 * Messages out: { type: 'ready', inputNames, outputNames, inputMetadata } | { type: 'open-failed', message }
 *               { type: 'result', id, data: Float32Array, dims, input, runMs } | { type: 'failed', id, message, input }
 * Input and output buffers are transferred, never copied; the input goes back with the answer for reuse.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/** @type {{ modelPath: string, sessionOptions: InferenceSession.SessionOptions, inputName: string, outputName: string }} */
const { modelPath, sessionOptions, inputName, outputName } = workerData;
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

/**
 * @param {{ id: number, input: Float32Array, dims: number[] }} msg
 */
async function run(msg) {
  const { id, input, dims } = msg;
  try {
    const started = performance.now();
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
let queue = Promise.resolve();
port.on('message', (msg) => {
  if (msg.type === 'run') {
    queue = queue.then(() => run(msg));
  } else if (msg.type === 'close') {
    void session.release().finally(() => port.close());
  }
});
