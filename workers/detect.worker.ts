import { availableParallelism } from 'node:os';
import { DetectStage } from '../src/detect/detect-stage.service.js';
import { createDetector } from '../src/detect/detector.service.js';
import { WorkerHost, stopOnSignals } from '../src/queue/worker-host.js';
import { createRuntime } from '../src/runtime.js';
import { FrameStore } from '../src/storage/frame-store.js';

// Detect worker: one onnxruntime session per process. Two jobs run at once so that one frame's decoding and
// post-processing overlap the other's inference; the detector queues inferences on its single session.
const rt = createRuntime('detect-worker');
const threads = Number(process.env.DETECT_THREADS ?? availableParallelism());
const concurrency = Number(process.env.DETECT_CONCURRENCY ?? 2);
const detector = await createDetector({ modelName: process.env.DETECT_MODEL, threads });
rt.logger.info({ model: detector.model.name, sha256: detector.model.sha256, threads, warmupMs: detector.model.warmupMs }, 'detector ready');

const stage = new DetectStage({ pool: rt.pool, frames: new FrameStore(rt.blobs), queues: rt.queues, detector, logger: rt.logger });
const host = new WorkerHost({
  connection: rt.queueRedis,
  prefix: rt.config.queuePrefix,
  logger: rt.logger,
  serves: ['detect'],
  handlers: { detect: { handle: async (payload) => void (await stage.handle(payload)), concurrency, lockDurationMs: 60_000 } },
});
host.start();
stopOnSignals(rt.logger, () => host.stop(), async () => {
  await detector.close();
  await rt.close();
});
