import { FrameIntake } from '../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../src/ingest/ingest-supervisor.js';
import { stopOnSignals } from '../src/queue/worker-host.js';
import { createRuntime } from '../src/runtime.js';
import { FrameStore } from '../src/storage/frame-store.js';

// Ingest worker: runs the frame sources of the cameras it holds a lease on and feeds the `detect` queue.
const rt = createRuntime('ingest-worker');
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
});
await rt.claimQueues();
supervisor.start();
rt.logger.info({ workerId: supervisor.workerId }, 'ingest worker started');
stopOnSignals(
  rt.logger,
  () => supervisor.stop(),
  () => rt.close(),
);
