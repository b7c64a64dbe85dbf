import sharp from 'sharp';
import { SpotCheckStage } from '../complaints/spot-check-stage.service.js';
import { DetectStage } from '../detect/detect-stage.service.js';
import { createDetector, defaultInferenceThreads } from '../detect/detector.service.js';
import { startWorkerMetrics } from '../metrics/worker-metrics.adapter.js';
import { JOB_LOCK_MS } from '../queue/jobs.js';
import { stopOnSignals, WorkerHost } from '../queue/worker-host.js';
import { exitProcess, registerBeforeExit } from '../shared/process-exit.js';
import { FrameStore } from '../storage/frame-store.js';
import type { Runtime } from './runtime.js';

/**
 * The detect worker process: one onnxruntime session per process, on a thread of its own so that the event loop
 * never waits for the model. Several jobs run at once so that the next frames are read and decoded while the
 * current one is inferred (the detector queues inferences on its single session); inference leaves a core for
 * decoding, and libvips decodes one image at a time so the two do not fight over the cores.
 */
export async function startDetectWorker(rt: Runtime): Promise<void> {
  sharp.concurrency(1);
  const { config } = rt;
  const threads = config.detectThreads || defaultInferenceThreads();
  const detector = await createDetector({
    modelName: config.detectModel || undefined,
    threads,
    faults: { exitAfterRuns: config.detectFaultExitAfterRuns, holdRunMs: config.detectFaultHoldRunMs },
  });
  // The process never exits while an inference is inside onnxruntime: tearing its thread down then aborts the
  // process. Every exit first closes the session (the run in progress finishes, waiting frames are refused and
  // go back to the queue); a run stuck past the bound makes the process end itself with SIGKILL.
  registerBeforeExit(() => detector.close({ drain: false, timeoutMs: config.detectCloseTimeoutMs }));
  rt.logger.info(
    { model: detector.model.name, sha256: detector.model.sha256, threads, warmupMs: detector.model.warmupMs },
    'detector ready',
  );

  const { metrics, close: closeMetrics } = await startWorkerMetrics(rt, 'detect', ['detect']);
  const stage = new DetectStage({
    pool: rt.pool,
    frames: new FrameStore(rt.blobs),
    queues: rt.queues,
    detector,
    logger: rt.logger,
    metrics,
  });
  // A complaint's spot check uses the same session; its frame stays outside the frames and the rules' state.
  const spotChecks = new SpotCheckStage({ pool: rt.pool, blobs: rt.blobs, detector, logger: rt.logger });
  const host = new WorkerHost({
    connection: rt.queueRedis,
    prefix: config.queuePrefix,
    logger: rt.logger,
    metrics,
    serves: ['detect', 'spot-check'],
    lockMs: config.jobLockMs,
    handlers: {
      detect: {
        handle: async (payload) => void (await stage.handle(payload)),
        concurrency: config.detectConcurrency,
        lockDurationMs: JOB_LOCK_MS.detect,
      },
      'spot-check': {
        handle: async (payload, job) =>
          void (await spotChecks.handle(payload, {
            number: job.attemptsMade + 1,
            of: job.opts.attempts ?? 1,
          })),
        lockDurationMs: JOB_LOCK_MS.detect,
      },
    },
  });
  await rt.claimQueues();
  host.start();
  // Without its session the worker can only fail every frame: exit non-zero, so that the supervisor starts a
  // fresh one. The jobs in hand fail and BullMQ gives them to another worker (or to this one once restarted).
  detector.onFailure((err) => {
    rt.logger.fatal({ err }, 'inference session lost; exiting to be restarted');
    void host
      .stop()
      .then(() => rt.close())
      .catch((closeErr: unknown) => rt.logger.error({ err: closeErr }, 'error while closing'))
      .finally(() => exitProcess(rt.logger, 1));
  });
  stopOnSignals(
    rt.logger,
    () => host.stop(),
    async () => {
      await detector.close({ timeoutMs: config.detectCloseTimeoutMs });
      await closeMetrics();
      await rt.close();
    },
  );
}
