import { FrameIntake } from '../ingest/frame-intake.service.js';
import { IngestSupervisor } from '../ingest/ingest-supervisor.js';
import { startWorkerMetrics } from '../metrics/worker-metrics.adapter.js';
import { stopOnSignals } from '../queue/worker-host.js';
import { FrameStore } from '../storage/frame-store.js';
import type { Runtime } from './runtime.js';

/**
 * The ingest worker process: runs the frame sources of the cameras it holds a lease on and feeds the `detect`
 * queue. It serves no queue, so it has no WorkerHost: the supervisor is its loop.
 */
export async function startIngestWorker(rt: Runtime): Promise<void> {
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
}
