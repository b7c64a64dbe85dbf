import { createNotifyServices } from '../src/notices/notify-services.js';
import { startWorkerMetrics } from '../src/metrics/worker-metrics.adapter.js';
import { stopOnSignals, WorkerHost } from '../src/queue/worker-host.js';
import { createRuntime } from '../src/app/runtime.js';

// Notify worker: sends notices over the online channels (`deliver`) and moves cases along their deadlines
// (`case-sweep`, scheduled here every CASE_SWEEP_INTERVAL_S seconds; the scheduler is shared, so several
// workers still run one sweep per interval).
const rt = createRuntime('notify-worker');
const { metrics, close: closeMetrics } = await startWorkerMetrics(rt, 'notify', ['deliver', 'case-sweep']);
const services = createNotifyServices({
  config: rt.config,
  pool: rt.pool,
  blobs: rt.blobs,
  queues: rt.queues,
  logger: rt.logger,
  metrics,
});
// Fail at start-up, not on the first document, when the font or the seal key is missing.
await services.tools();
const host = new WorkerHost({
  connection: rt.queueRedis,
  prefix: rt.config.queuePrefix,
  logger: rt.logger,
  metrics,
  handlers: services.handlers,
  serves: ['deliver', 'case-sweep'],
  lockMs: rt.config.jobLockMs,
});
await rt.claimQueues();
host.start();
await rt.queues.schedule('case-sweep', {}, rt.config.caseSweepIntervalS * 1000);
rt.logger.info({ sweepEveryS: rt.config.caseSweepIntervalS }, 'notify worker started');
stopOnSignals(
  rt.logger,
  () => host.stop(),
  async () => {
    await closeMetrics();
    await rt.close();
  },
);
