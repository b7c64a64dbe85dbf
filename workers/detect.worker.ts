import sharp from 'sharp';
import { DetectStage } from '../src/detect/detect-stage.service.js';
import {
  createDetector,
  DEFAULT_DETECT_CONCURRENCY,
  defaultInferenceThreads,
} from '../src/detect/detector.service.js';
import { WorkerHost, stopOnSignals } from '../src/queue/worker-host.js';
import { createRuntime } from '../src/runtime.js';
import { FrameStore } from '../src/storage/frame-store.js';

// Detect worker: one onnxruntime session per process, on a thread of its own so that the event loop never waits
// for the model. Several jobs run at once so that the next frames are read and decoded while the current one is
// inferred (the detector queues inferences on its single session); inference leaves a core for decoding, and
// libvips decodes one image at a time so the two do not fight over the cores.
const rt = createRuntime('detect-worker');
sharp.concurrency(1);
const threads = process.env.DETECT_THREADS ? Number(process.env.DETECT_THREADS) : defaultInferenceThreads();
const concurrency = Number(process.env.DETECT_CONCURRENCY ?? DEFAULT_DETECT_CONCURRENCY);
const detector = await createDetector({ modelName: process.env.DETECT_MODEL, threads });
rt.logger.info(
  { model: detector.model.name, sha256: detector.model.sha256, threads, warmupMs: detector.model.warmupMs },
  'detector ready',
);

const stage = new DetectStage({
  pool: rt.pool,
  frames: new FrameStore(rt.blobs),
  queues: rt.queues,
  detector,
  logger: rt.logger,
});
const host = new WorkerHost({
  connection: rt.queueRedis,
  prefix: rt.config.queuePrefix,
  logger: rt.logger,
  serves: ['detect'],
  lockMs: rt.config.jobLockMs,
  handlers: {
    detect: {
      handle: async (payload) => void (await stage.handle(payload)),
      concurrency,
      lockDurationMs: 60_000,
    },
  },
});
await rt.claimQueues();
host.start();
// Without its session the worker can only fail every frame: exit, so that the supervisor starts a fresh one. The
// jobs in hand fail and BullMQ gives them to another worker.
detector.onFailure((err) => {
  rt.logger.fatal({ err }, 'inference session lost; exiting to be restarted');
  void host
    .stop()
    .then(() => rt.close())
    .finally(() => process.exit(1));
});
stopOnSignals(
  rt.logger,
  () => host.stop(),
  async () => {
    await detector.close();
    await rt.close();
  },
);
