import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { NO_METRICS, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { jobIds, type JobPayloads } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { processFrame, type CameraRulesState } from './engine.js';
import { planFrames, type FramePlan } from './frame-order.js';
import { JudgingConfigCache, JudgingConfigError, type JudgingConfig } from './judging-config.repo.js';
import { recordRuleEvents, type EventOnFrame, type EvidenceFollowUp } from './rule-events.repo.js';
import { framesAfter, lockRulesState, saveRulesState, type FrameForRules } from './rules-state.repo.js';
import type { SceneGrid } from './scene-change.js';

/*
 * The rules stage: a `rules` job says "detections of a frame are stored". Under the camera's state row lock it
 * applies every frame of the camera that is ready, in sequence order (see frame-order.ts), saves the state and
 * writes the events' rows in the same transaction, and only after the commit enqueues the evidence jobs, with
 * fixed ids. A retried or duplicate job finds the frames already applied and changes nothing.
 */

export interface RulesStageDeps {
  pool: Pool;
  queues: Pick<Queues, 'enqueue'>;
  logger: Logger;
  /** How long a frame still in detection may hold up later frames before it is passed over (default 90 s). */
  gapTimeoutMs?: number;
  /** Frames applied per transaction, so the state lock is never held long (default 50). */
  pageSize?: number;
  configs?: JudgingConfigCache;
  /** frames considered, applied and passed over (none by default) */
  metrics?: PipelineMetrics;
}

export interface RulesRunResult {
  applied: number;
  skipped: number;
  events: EventOnFrame[];
  lastSeq: number;
  waitingFor: FramePlan['waitingFor'];
}

interface PageResult {
  plan: FramePlan;
  applied: number;
  events: EventOnFrame[];
  followUps: EvidenceFollowUp[];
  full: boolean;
  /** frames passed over, by reason, reported once the page is committed */
  passedOver: Map<string, number>;
}

function gridOf(frame: FrameForRules, width: number, height: number): SceneGrid | null {
  if (!frame.grid || frame.grid.length !== width * height) return null;
  return { width, height, data: new Uint8Array(frame.grid.buffer, frame.grid.byteOffset, frame.grid.length) };
}

export class RulesStage {
  private readonly configs: JudgingConfigCache;
  private readonly gapTimeoutMs: number;
  private readonly pageSize: number;

  constructor(private readonly deps: RulesStageDeps) {
    this.configs = deps.configs ?? new JudgingConfigCache();
    this.gapTimeoutMs = deps.gapTimeoutMs ?? 90_000;
    this.pageSize = deps.pageSize ?? 50;
  }

  async handle(job: JobPayloads['rules']): Promise<RulesRunResult> {
    const log = this.deps.logger.child({ cameraId: job.cameraId, frameId: job.frameId, seq: job.seq });
    const result: RulesRunResult = { applied: 0, skipped: 0, events: [], lastSeq: 0, waitingFor: null };
    for (;;) {
      const page = await withTransaction(this.deps.pool, (tx) => this.advance(tx, job.cameraId, log));
      this.report(page);
      result.applied += page.applied;
      result.skipped += page.plan.steps.length - page.applied;
      result.events.push(...page.events);
      result.lastSeq = page.plan.lastSeq;
      result.waitingFor = page.plan.waitingFor;
      await this.enqueueFollowUps(job.cameraId, page.followUps, log);
      if (!page.full || page.plan.steps.length === 0 || page.plan.waitingFor) break;
    }
    if (result.waitingFor) {
      const { seq, retryInMs } = result.waitingFor;
      // Someone must look again once the frame holding the camera up is given up, even if no job comes for it.
      const bucket = Math.floor(Date.now() / Math.max(1, this.gapTimeoutMs));
      await this.deps.queues.enqueue(
        'rules',
        { frameId: job.frameId, cameraId: job.cameraId, seq },
        { jobId: jobIds.rulesWait(job.cameraId, seq, bucket), delayMs: retryInMs + 1_000 },
      );
      log.debug({ waitingForSeq: seq, retryInMs }, 'later frames wait for a frame still in detection');
    }
    return result;
  }

  private report(page: PageResult): void {
    const metrics = this.deps.metrics ?? NO_METRICS;
    const frames = page.plan.steps.filter((s) => s.kind !== 'skip-missing').length;
    metrics.framesIn('rules', frames);
    metrics.framesOut('rules', page.applied);
    for (const [reason, count] of page.passedOver) metrics.framesDropped('rules', reason, count);
  }

  private async advance(tx: PoolClient, cameraId: string, log: Logger): Promise<PageResult> {
    const locked = await lockRulesState(tx, cameraId);
    const frames = await framesAfter(tx, cameraId, locked.lastSeq, this.pageSize);
    const plan = planFrames(locked.lastSeq, frames, { now: locked.now, gapTimeoutMs: this.gapTimeoutMs });
    const bySeq = new Map(frames.map((f) => [f.seq, f]));
    let state: CameraRulesState = locked.state;
    let applied = 0;
    const events: EventOnFrame[] = [];
    const passedOver = new Map<string, number>();
    const passOver = (reason: string, count = 1) =>
      passedOver.set(reason, (passedOver.get(reason) ?? 0) + count);
    for (const step of plan.steps) {
      if (step.kind !== 'apply') {
        log.info({ step }, 'frame passed over by the rules');
        if (step.kind === 'skip') passOver(step.reason);
        else passOver('missing', step.seq - step.fromSeq + 1);
        continue;
      }
      const frame = bySeq.get(step.seq)!;
      let config: JudgingConfig;
      try {
        config = await this.configs.get(tx, cameraId, frame.cameraVersion);
      } catch (err) {
        if (!(err instanceof JudgingConfigError)) throw err;
        // A version that cannot be read (no snapshot, an invalid config) fails every retry the same way; waiting
        // on it would stop the camera for good, so the frame is passed over and the fault logged.
        log.error({ err: err.message, frameSeq: frame.seq }, 'no usable config for this frame; passed over');
        passOver('no_config');
        continue;
      }
      const rules = config.fixedAspect
        ? config.rules
        : { ...config.rules, frameAspect: frame.width / frame.height };
      let processed: ReturnType<typeof processFrame>;
      try {
        processed = processFrame(
          state,
          {
            seq: frame.seq,
            capturedAt: frame.capturedAt.getTime(),
            detections: frame.detections ?? [],
            grid: gridOf(frame, rules.sceneChange.gridWidth, rules.sceneChange.gridHeight),
          },
          { cameraId, config: rules, configVersion: String(frame.cameraVersion), zones: config.zones },
        );
      } catch (err) {
        // One malformed frame must not stop the camera: it is passed over, and the state stays as it was.
        log.error({ err, frameSeq: frame.seq }, 'the rules could not judge this frame; passed over');
        passOver('unjudgeable');
        continue;
      }
      if (!processed.applied) {
        passOver('late');
        continue;
      }
      state = processed.state;
      applied++;
      for (const event of processed.events) {
        events.push({ event, frameId: frame.frameId, cameraVersion: frame.cameraVersion });
        log
          .child({ violationId: event.violationId, frameSeq: frame.seq })
          .info({ event: event.type, rule: event.rule, zoneId: event.zoneId }, 'rule event');
      }
    }
    if (plan.lastSeq !== locked.lastSeq) await saveRulesState(tx, cameraId, plan.lastSeq, state);
    const followUps = await recordRuleEvents(tx, { cameraId, epoch: locked.epoch }, events);
    return { plan, applied, events, followUps, full: frames.length === this.pageSize, passedOver };
  }

  private async enqueueFollowUps(cameraId: string, followUps: readonly EvidenceFollowUp[], log: Logger) {
    for (const f of followUps) {
      await this.deps.queues.enqueue(
        'evidence',
        { cameraId, dedupeKey: f.dedupeKey },
        { jobId: jobIds.evidence(f.dedupeKey, f.phase) },
      );
      log.child({ violationId: f.engineViolationId }).debug({ phase: f.phase }, 'evidence job enqueued');
    }
  }
}
