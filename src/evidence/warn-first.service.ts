import { appendAudit } from '../audit/audit.repo.js';
import type { VoiceCallMode } from '../config/voice-call.js';
import { dispatchFieldTask } from '../field-tasks/field-task-dispatch.service.js';
import { warningCalls } from '../field-tasks/field-task.repo.js';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { enqueueDeliveries, type DeliveryRetry } from '../notices/delivery-jobs.js';
import { warningDeliveryStates } from '../notices/notice.repo.js';
import { graceEndsAt, warningReach, type WarningReach } from '../notices/warning-reach.js';
import { warningOf } from '../notices/warning.service.js';
import { jobIds, type JobPayloads } from '../queue/jobs.js';
import { updateViolation } from '../violations/violation.repo.js';
import type { Queues } from '../queue/queues.js';
import { insertReviewTask } from '../review/review.repo.js';
import type { JudgingConfigCache } from '../rules/judging-config.repo.js';
import type { WarningRecheckedEvent } from '../rules/rule-events.js';
import { lastJudgedAt } from '../rules/rules-state.repo.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FrameStore } from '../storage/frame-store.js';
import {
  findCandidateOfViolation,
  lockCandidate,
  recordRecheckOutcome,
  setCandidateStatus,
  type CandidateRow,
  type UncheckedRecheck,
} from './candidate.repo.js';
import { manifestHead, packagingContext } from './evidence-context.js';
import {
  EvidenceUnavailableError,
  writeEvidencePackage,
  type ReviewCopies,
} from './evidence-package.service.js';
import type { EvidenceRenderer } from './evidence-render.adapter.js';
import {
  districtReviewMode,
  findViolationDistrict,
  findViolationManifest,
  insertEvidenceItems,
  proofFrames,
  violationWarnedAfterRecheck,
  type NewEvidenceItem,
} from './evidence.repo.js';

/*
 * The end of warn-first. The engine decides the re-check on the first frame after the grace period (see
 * docs/rules.md); the rules stage records that outcome on the candidate, and this acts on it:
 *
 * - corrected: the violation closes as corrected, no penalty, recorded in the audit log;
 * - escalate: the frame that still shows the scene is packaged as further evidence, and the violation goes to
 *   review with its task;
 * - withdrawn (zone disabled or removed): the violation is closed, nothing can be decided;
 * - unchecked: the `recheck` job found no judged frame after the grace period (the camera was offline), so the
 *   violation goes to review with a note saying the re-check could not be made.
 *
 * The grace period is the party's time to correct after being told (Pudong art. 15: "应当通过短信告知或者语音电话
 * 等方式进行劝阻教育，责令及时改正"), so it runs from the warning's delivery (its receipt, or its send where no receipt
 * comes), not from the confirmation: the `recheck` job waits, a bounded number of times, while the warning is
 * still being delivered and until the grace period counted from its delivery has ended. A warning that reached
 * no one (every channel failed, or only post was left) never lets the violation close as corrected: it goes to
 * review with `warningUndelivered`, so the reviewer sees that the party was never told.
 */

export interface WarnFirstDeps {
  pool: Pool;
  blobs: BlobStore;
  frames: FrameStore;
  renderer: EvidenceRenderer;
  reviewCopies?: ReviewCopies;
  queues: Pick<Queues, 'enqueue'>;
  /** The warning's deliveries retry like every other delivery (DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS). */
  deliveryRetry: DeliveryRetry;
  logger: Logger;
  configs: JudgingConfigCache;
  /** Added to the grace period before the re-check job looks (default 5 min: the miss tolerance and a margin). */
  recheckMarginMs?: number;
  /** WARNING_VOICE_CALL: `task` makes a staff call task beside the warning's SMS (Pudong art. 15). */
  warningVoiceCall?: VoiceCallMode;
  now: () => Date;
}

/** Times the recheck job looks again while the engine is still waiting for the scene to clear or show. */
const MAX_RECHECK_ATTEMPTS = 3;
const ACTOR = { actorKind: 'system' as const, actorId: 'evidence-stage' };
const ACTOR_REF = { kind: 'system' as const, id: 'evidence-stage' };
/** Looks again while the warning is being delivered (each after the margin): half an hour by default. */
const MAX_DELIVERY_WAITS = 6;
export const UNDELIVERED_NOTE =
  'the warning could not be delivered, so the party was never told to correct (Pudong art. 15): not closed as corrected';
export const UNCHECKED_NOTE =
  'the re-check could not be made: no frame of the camera was judged after the grace period (camera offline?)';

export class WarnFirstOutcomes {
  private readonly marginMs: number;

  constructor(private readonly deps: WarnFirstDeps) {
    this.marginMs = deps.recheckMarginMs ?? 300_000;
  }

  /** The grace period in wall-clock terms: the capture clock of a replay need not be the worker's. */
  private recheckDelayMs(candidate: CandidateRow): number {
    const graceMs = candidate.recheck_at ? candidate.recheck_at.getTime() - candidate.event.confirmedAt : 0;
    return Math.max(0, graceMs) + this.marginMs;
  }

  /** Deliveries and the delayed re-check, enqueued with fixed ids: safe to call again after a crash. */
  async ensureJobs(candidate: CandidateRow): Promise<void> {
    const violationId = candidate.violation_id!;
    const warning = await warningOf(this.deps.pool, violationId);
    if (warning) await enqueueDeliveries(this.deps.queues, warning.deliveryIds, this.deps.deliveryRetry);
    await this.deps.queues.enqueue(
      'recheck',
      { violationId },
      { jobId: jobIds.recheck(violationId, 0), delayMs: this.recheckDelayMs(candidate) },
    );
  }

  /** The `recheck` job: acts on the engine's outcome, waits a little longer for it, or gives up on it. */
  async recheck(job: JobPayloads['recheck']): Promise<'done' | 'waiting' | 'unchecked'> {
    const candidate = await findCandidateOfViolation(this.deps.pool, job.violationId);
    const log = this.deps.logger.child({ violationId: job.violationId });
    if (!candidate || candidate.status !== 'warned') return 'done';
    let reach = await this.reach(job.violationId);
    const graceEnd = graceEndsAt(reach, this.graceMs(candidate));
    const nowMs = this.deps.now().getTime();
    const waits = job.deliveryWait ?? 0;
    if (reach.state === 'pending' || (graceEnd !== null && graceEnd.getTime() > nowMs)) {
      if (waits < MAX_DELIVERY_WAITS) {
        const delayMs = graceEnd ? graceEnd.getTime() - nowMs + this.marginMs : this.marginMs;
        await this.deps.queues.enqueue(
          'recheck',
          { ...job, deliveryWait: waits + 1 },
          { jobId: jobIds.recheck(job.violationId, job.attempt ?? 0, waits + 1), delayMs },
        );
        log.info(
          { reach: reach.state, waits },
          'warning not delivered or its grace period not over; waiting',
        );
        return 'waiting';
      }
      if (reach.state === 'pending')
        reach = { state: 'undelivered', why: 'no delivery of the warning was confirmed in time' };
    }
    if (!candidate.recheck_outcome) {
      const attempt = job.attempt ?? 0;
      const lastAt = await lastJudgedAt(this.deps.pool, candidate.camera_id);
      const judgedSince =
        lastAt !== null && candidate.recheck_at !== null && lastAt >= candidate.recheck_at.getTime();
      if (judgedSince && attempt < MAX_RECHECK_ATTEMPTS) {
        // Frames after the grace period were judged: the scene is hidden and the engine waits to see it clear.
        await this.deps.queues.enqueue(
          'recheck',
          { violationId: job.violationId, attempt: attempt + 1 },
          { jobId: jobIds.recheck(job.violationId, attempt + 1), delayMs: this.marginMs },
        );
        log.info({ attempt }, 're-check not decided yet; looking again later');
        return 'waiting';
      }
      const detail: UncheckedRecheck = { note: UNCHECKED_NOTE, decidedAt: this.deps.now().getTime() };
      await withTransaction(this.deps.pool, (tx) =>
        recordRecheckOutcome(tx, candidate.dedupe_key, 'unchecked', detail),
      );
    }
    const fresh = (await findCandidateOfViolation(this.deps.pool, job.violationId))!;
    if (fresh.status === 'warned') await this.finish(fresh, log, reach);
    return fresh.recheck_outcome === 'unchecked' ? 'unchecked' : 'done';
  }

  /**
   * Acts on the recorded outcome. `checked` is the warning's reach as the `recheck` job found it after waiting
   * for it; without it (an evidence job right after the engine decided) a warning still being delivered, or an
   * escalation before the grace period counted from the delivery has ended, is left to the `recheck` job.
   */
  async finish(
    candidate: CandidateRow,
    log: Logger,
    checked?: WarningReach,
  ): Promise<'corrected' | 'escalated' | 'withdrawn' | null> {
    const outcome = candidate.recheck_outcome!;
    const violationId = candidate.violation_id!;
    const districtId = (await findViolationDistrict(this.deps.pool, violationId))!;
    const vlog = log.child({ violationId });
    const reach = checked ?? (await this.reach(violationId));
    if (
      !checked &&
      outcome !== 'withdrawn' &&
      !(await violationWarnedAfterRecheck(this.deps.pool, violationId))
    ) {
      const graceEnd = graceEndsAt(reach, this.graceMs(candidate));
      const early = outcome !== 'corrected' && graceEnd !== null && graceEnd > this.deps.now();
      if (reach.state === 'pending' || early) {
        await this.ensureJobs(candidate);
        vlog.info({ reach: reach.state }, 're-check decided; waiting for the warning to reach the party');
        return null;
      }
    }
    if (outcome === 'corrected' && reach.state === 'undelivered') {
      return this.escalate(candidate, violationId, districtId, vlog, reach);
    }
    if (outcome === 'corrected' || outcome === 'withdrawn') {
      const event = candidate.recheck_event as WarningRecheckedEvent;
      const recheck = {
        outcome,
        decidedAt: new Date(event.at).toISOString(),
        seq: event.seq,
        ...(outcome === 'withdrawn' ? { note: 'the zone was disabled or removed before the re-check' } : {}),
      };
      const done = await this.inTransition(candidate, async (tx) => {
        await updateViolation(tx, violationId, outcome === 'corrected' ? 'corrected' : 'closed', { recheck });
        await setCandidateStatus(tx, candidate.dedupe_key, outcome);
        await appendAudit(tx, {
          ...ACTOR,
          action: outcome === 'corrected' ? 'violation.corrected' : 'violation.withdrawn',
          subjectKind: 'violation',
          subjectId: violationId,
          districtId,
          data: { ...recheck, penalty: 'none', dedupeKey: candidate.dedupe_key },
        });
      });
      if (done) vlog.info({ outcome }, 'warn-first closed without penalty');
      return done ? outcome : null;
    }
    return this.escalate(candidate, violationId, districtId, vlog, reach);
  }

  private async reach(violationId: string): Promise<WarningReach> {
    const rows = await warningDeliveryStates(this.deps.pool, violationId);
    const calls = await warningCalls(this.deps.pool, violationId);
    return warningReach(
      rows.map((r) => ({
        channel: r.channel,
        status: r.status,
        sentAt: r.sent_at,
        deliveredAt: r.delivered_at,
        lastError: r.last_error,
      })),
      calls.map((c) => ({ outcome: c.outcome, calledAt: c.called_at })),
    );
  }

  /** The grace period the zone gave, as the engine recorded it (re-check time less confirmation time). */
  private graceMs(candidate: CandidateRow): number {
    return Math.max(
      0,
      candidate.recheck_at ? candidate.recheck_at.getTime() - candidate.event.confirmedAt : 0,
    );
  }

  private async escalate(
    candidate: CandidateRow,
    violationId: string,
    districtId: string,
    log: Logger,
    reach: WarningReach,
  ) {
    let items: NewEvidenceItem[] = [];
    let recheck: Record<string, unknown>;
    if (candidate.recheck_outcome === 'corrected') {
      // The scene is gone, but the party was never told: nothing to package, the reviewer decides.
      const event = candidate.recheck_event as WarningRecheckedEvent;
      recheck = { outcome: 'corrected', decidedAt: new Date(event.at).toISOString(), seq: event.seq };
    } else if (candidate.recheck_outcome === 'unchecked') {
      const detail = candidate.recheck_event as UncheckedRecheck;
      recheck = {
        outcome: 'unchecked',
        decidedAt: new Date(detail.decidedAt).toISOString(),
        note: detail.note,
      };
    } else {
      const event = candidate.recheck_event as WarningRecheckedEvent;
      recheck = { outcome: 'escalate', decidedAt: new Date(event.at).toISOString(), seq: event.seq };
      try {
        items = await this.packageRecheckFrame(candidate, violationId, event);
      } catch (err) {
        if (!(err instanceof EvidenceUnavailableError)) throw err;
        recheck = { ...recheck, note: `the re-check frame could not be added: ${err.message}` };
      }
    }
    if (reach.state === 'undelivered') {
      recheck = {
        ...recheck,
        warningUndelivered: true,
        undeliveredNote: UNDELIVERED_NOTE,
        deliveries: reach.why,
      };
    } else if (reach.state === 'told') {
      recheck = { ...recheck, warningToldAt: reach.at.toISOString(), toldBy: reach.by };
    }
    if (await violationWarnedAfterRecheck(this.deps.pool, violationId)) {
      // The evidence stage wrote the warning only after the engine had re-checked: the reviewer judges whether
      // the party had its grace period.
      recheck = { ...recheck, warnedAfterRecheck: true };
    }
    const stage =
      (await districtReviewMode(this.deps.pool, districtId)) === 'two_stage' ? 'evidence' : 'legal';
    const done = await this.inTransition(candidate, async (tx) => {
      await insertEvidenceItems(tx, violationId, items);
      await updateViolation(tx, violationId, 'pending_review', { recheck });
      await insertReviewTask(tx, {
        violationId,
        districtId,
        stage,
        violationType: candidate.event.rule,
        cameraId: candidate.camera_id,
      });
      await setCandidateStatus(tx, candidate.dedupe_key, 'escalated');
      // A party the warning never reached: the patrol goes to tell it, or to see the scene corrected (派单).
      if (reach.state === 'undelivered')
        await dispatchFieldTask(
          tx,
          { violationId, districtId, reason: 'unreachable', requestedBy: ACTOR_REF },
          this.deps.now(),
        );
      await appendAudit(tx, {
        ...ACTOR,
        action: 'violation.escalated',
        subjectKind: 'violation',
        subjectId: violationId,
        districtId,
        data: { ...recheck, reviewStage: stage, items: items.length, dedupeKey: candidate.dedupe_key },
      });
    });
    if (done) log.info({ recheck }, 'warn-first escalated to review');
    return done ? ('escalated' as const) : null;
  }

  private async packageRecheckFrame(
    candidate: CandidateRow,
    violationId: string,
    event: WarningRecheckedEvent,
  ): Promise<NewEvidenceItem[]> {
    const now = this.deps.now();
    const ctx = await packagingContext(this.deps.pool, this.deps.configs, candidate, now);
    const [row] = await proofFrames(this.deps.pool, candidate.camera_id, [event.seq]);
    if (!row) throw new EvidenceUnavailableError(`re-check frame #${event.seq} is no longer recorded`);
    const confirm = (await findViolationManifest(this.deps.pool, violationId))!;
    const model = { name: row.modelName ?? 'unknown', sha256: row.modelSha256 ?? 'unknown' };
    const pkg = await writeEvidencePackage(this.deps, {
      violationId,
      phase: 'recheck',
      frames: [{ row, role: 'recheck' }],
      cameraName: ctx.config.cameraName,
      rule: candidate.event.rule,
      zone: ctx.zone,
      violationBox: candidate.event.box,
      firstSeenAt: new Date(candidate.event.firstSeenAt),
      manifest: {
        ...manifestHead(ctx, candidate, model),
        recheck: {
          outcome: 'escalate',
          decidedAt: new Date(event.at).toISOString(),
          seq: event.seq,
          confirmManifest: { key: confirm.manifest_key, sha256: confirm.manifest_sha256 },
        },
      },
      now,
    });
    return pkg.items;
  }

  /** Runs `fn` only if the candidate is still warned under its lock; false when another job got there first. */
  private async inTransition(
    candidate: CandidateRow,
    fn: (tx: PoolClient) => Promise<void>,
  ): Promise<boolean> {
    return withTransaction(this.deps.pool, async (tx) => {
      const locked = await lockCandidate(tx, candidate.dedupe_key);
      if (locked?.status !== 'warned') return false;
      await fn(tx);
      return true;
    });
  }
}
