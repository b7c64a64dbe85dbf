import { FrameIntake } from '../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../src/ingest/ingest-supervisor.js';
import { startWorkerMetrics } from '../src/metrics/worker-metrics.adapter.js';
import { stopOnSignals } from '../src/queue/worker-host.js';
import { createRuntime } from '../src/app/runtime.js';
import { FrameStore } from '../src/storage/frame-store.js';

// Ingest worker: runs the frame sources of the cameras it holds a lease on and feeds the `detect` queue.
const rt = createRuntime('ingest-worker');
const { metrics, close: closeMetrics } = await startWorkerMetrics(rt, 'ingest', []);
const intake = new FrameIntake({
  pool: rt.pool,
  frames: new FrameStore(rt.blobs),
  queues: rt.queues,
  redis: rt.queueRedis,
  logger: rt.logger,
});
const supervisor = new IngestSupervisor({
  pool: rt.pool,
  redis: rt.queueRedis,
  prefix: rt.config.queuePrefix,
  intake,
  policy: rt.cameraPolicy,
  logger: rt.logger,
  metrics,
});
await rt.claimQueues();
supervisor.start();
rt.logger.info({ workerId: supervisor.workerId }, 'ingest worker started');
stopOnSignals(
  rt.logger,
  () => supervisor.stop(),
  async () => {
    await closeMetrics();
    await rt.close();
  },
);
