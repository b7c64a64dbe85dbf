import sharp from 'sharp';
import { DetectStage } from '../src/detect/detect-stage.service.js';
import { createDetector, defaultInferenceThreads } from '../src/detect/detector.service.js';
import { WorkerHost, stopOnSignals } from '../src/queue/worker-host.js';
import { createRuntime } from '../src/runtime.js';
import { FrameStore } from '../src/storage/frame-store.js';

// Detect worker: one onnxruntime session per process. Several jobs run at once so that the next frames' decoding
// overlaps the current inference (the detector queues inferences on its single session); inference leaves a core
// for decoding, and libvips decodes one image at a time so the two do not fight over the cores.
const rt = createRuntime('detect-worker');
sharp.concurrency(1);
const threads = process.env.DETECT_THREADS ? Number(process.env.DETECT_THREADS) : defaultInferenceThreads();
const concurrency = Number(process.env.DETECT_CONCURRENCY ?? 3);
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
  handlers: {
    detect: {
      handle: async (payload) => void (await stage.handle(payload)),
      concurrency,
      lockDurationMs: 60_000,
    },
  },
});
host.start();
stopOnSignals(
  rt.logger,
  () => host.stop(),
  async () => {
    await detector.close();
    await rt.close();
  },
);
