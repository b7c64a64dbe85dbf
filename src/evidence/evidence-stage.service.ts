import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction } from '../db/pool.js';
import { releaseProofFrames } from '../ingest/frame.repo.js';
import { dispatchFieldTask } from '../field-tasks/field-task-dispatch.service.js';
import { createWarningNotice } from '../notices/warning.service.js';
import { findParty } from '../parties/party.repo.js';
import type { JobPayloads } from '../queue/jobs.js';
import { insertReviewTask } from '../review/review.repo.js';
import { JudgingConfigCache } from '../rules/judging-config.repo.js';
import type { Logger } from '../shared/logger.js';
import {
  findCandidate,
  lockCandidate,
  proofFrameSeqs,
  setCandidateStatus,
  uuidOrNull,
  type CandidateRow,
} from './candidate.repo.js';
import { manifestHead, packagingContext } from './evidence-context.js';
import { RULE_SHORT_NAMES } from './evidence-manifest.js';
import { EvidenceUnavailableError, writeEvidencePackage } from './evidence-package.service.js';
import { insertViolation } from '../violations/violation.repo.js';
import { districtReviewMode, insertEvidenceItems, proofFrames } from './evidence.repo.js';
import { WarnFirstOutcomes, type WarnFirstDeps } from './warn-first.service.js';

/*
 * The evidence stage works one violation candidate through its states, each step one transaction:
 *
 *   pending --(package)--> packaged (violation pending_review, review task)       [straight to review]
 *   pending --(package)--> warned   (violation warned, warning notice, re-check)  [warn first]
 *   pending --(camera not evidence-eligible, or proof frames gone)--> skipped
 *   warned  --(re-check outcome recorded)--> corrected | escalated | withdrawn     (warn-first.service.ts)
 *
 * Blobs are written before the transaction (never overwritten, see evidence-package.service.ts); the transaction
 * re-reads the candidate under a lock and does nothing if another job moved it on meanwhile, so a retried or
 * duplicate job adds nothing twice.
 */

/** The warn-first dependencies, with the config cache and clock optional (they default here). */
export type EvidenceStageDeps = Omit<WarnFirstDeps, 'configs' | 'now'> & {
  configs?: JudgingConfigCache;
  now?: () => Date;
};

export type EvidenceStep = 'packaged' | 'warned' | 'skipped' | 'corrected' | 'escalated' | 'withdrawn';

const ACTOR = { actorKind: 'system' as const, actorId: 'evidence-stage' };

export class EvidenceStage {
  readonly warnFirst: WarnFirstOutcomes;
  private readonly configs: JudgingConfigCache;
  private readonly now: () => Date;

  constructor(private readonly deps: EvidenceStageDeps) {
    this.configs = deps.configs ?? new JudgingConfigCache();
    this.now = deps.now ?? (() => new Date());
    this.warnFirst = new WarnFirstOutcomes({ ...deps, configs: this.configs, now: this.now });
  }

  /** Moves the candidate on as far as it can go now; returns the steps taken (none when there was nothing to do). */
  async handle(job: JobPayloads['evidence']): Promise<EvidenceStep[]> {
    const log = this.deps.logger.child({ cameraId: job.cameraId, dedupeKey: job.dedupeKey });
    const steps: EvidenceStep[] = [];
    for (;;) {
      const candidate = await findCandidate(this.deps.pool, job.dedupeKey);
      if (!candidate) throw new Error(`violation candidate ${job.dedupeKey} does not exist`);
      let step: EvidenceStep | null = null;
      if (candidate.status === 'pending') step = await this.package(candidate, log);
      else if (candidate.status === 'warned' && candidate.recheck_outcome) {
        step = await this.warnFirst.finish(candidate, log);
      } else if (candidate.status === 'warned') {
        await this.warnFirst.ensureJobs(candidate);
      }
      if (!step) return steps;
      steps.push(step);
    }
  }

  private async skip(candidate: CandidateRow, districtId: string, reasons: string[], log: Logger) {
    const done = await withTransaction(this.deps.pool, async (tx) => {
      const locked = await lockCandidate(tx, candidate.dedupe_key);
      if (locked?.status !== 'pending') return false;
      await setCandidateStatus(tx, candidate.dedupe_key, 'skipped', { skipReason: reasons.join('; ') });
      const e = candidate.event;
      const { seqs } = await proofFrameSeqs(tx, candidate.camera_id, e);
      await releaseProofFrames(tx, candidate.camera_id, candidate.dedupe_key, seqs);
      await appendAudit(tx, {
        ...ACTOR,
        action: 'violation.skipped',
        subjectKind: 'violation_candidate',
        subjectId: candidate.dedupe_key,
        districtId,
        data: { cameraId: candidate.camera_id, rule: e.rule, engineViolationId: e.violationId, reasons },
      });
      return true;
    });
    if (done) log.warn({ reasons }, 'violation not recorded: no evidence may be made');
    return done ? ('skipped' as const) : null;
  }

  private async package(candidate: CandidateRow, log: Logger): Promise<EvidenceStep | null> {
    const now = this.now();
    const ctx = await packagingContext(this.deps.pool, this.configs, candidate, now);
    const vlog = log.child({ violationId: ctx.violationId });
    if (!ctx.register.eligible)
      return this.skip(candidate, ctx.camera.district_id, ctx.register.reasons, vlog);

    const e = candidate.event;
    const wanted = await proofFrameSeqs(this.deps.pool, candidate.camera_id, e);
    const rows = await proofFrames(this.deps.pool, candidate.camera_id, wanted.seqs);
    const confirmRow = rows.find((r) => r.seq === e.confirmedSeq);
    const firstRow = rows.find((r) => r.seq === e.firstSeenSeq);
    if (!confirmRow || !firstRow) {
      return this.skip(candidate, ctx.camera.district_id, ['a proof frame row is missing'], vlog);
    }
    // The spot before the object appeared, and the person who stayed by it leaving: shown where they exist.
    const beforeRow = rows.find((r) => r.seq === wanted.beforeSeq);
    const leftRow = rows.find(
      (r) => r.seq === e.attendedUntilSeq && r.seq !== e.firstSeenSeq && r.seq !== e.confirmedSeq,
    );
    const model = { name: confirmRow.modelName ?? 'unknown', sha256: confirmRow.modelSha256 ?? 'unknown' };
    let pkg: Awaited<ReturnType<typeof writeEvidencePackage>>;
    try {
      pkg = await writeEvidencePackage(this.deps, {
        violationId: ctx.violationId,
        phase: 'confirm',
        frames: [
          ...(beforeRow ? [{ row: beforeRow, role: 'before' as const }] : []),
          ...(firstRow.seq === confirmRow.seq ? [] : [{ row: firstRow, role: 'first_seen' as const }]),
          ...(leftRow ? [{ row: leftRow, role: 'left' as const }] : []),
          { row: confirmRow, role: 'confirmed' as const },
        ],
        cameraName: ctx.config.cameraName,
        rule: e.rule,
        zone: ctx.zone,
        violationBox: e.box,
        firstSeenAt: new Date(e.firstSeenAt),
        manifest: { ...manifestHead(ctx, candidate, model), recheck: null },
        now,
      });
    } catch (err) {
      if (err instanceof EvidenceUnavailableError) {
        return this.skip(candidate, ctx.camera.district_id, [err.message], vlog);
      }
      throw err;
    }

    const reviewStage =
      (await districtReviewMode(this.deps.pool, ctx.camera.district_id)) === 'two_stage'
        ? 'evidence'
        : 'legal';
    const partyId = uuidOrNull(e.partyId);
    const partyKnown = partyId !== null && (await findParty(this.deps.pool, partyId)) !== null;
    // Warn-first needs a party to warn; a front line naming a party no longer registered goes to review instead.
    const warn = e.warnFirst && partyKnown;
    const step = await withTransaction(this.deps.pool, async (tx) => {
      const locked = await lockCandidate(tx, candidate.dedupe_key);
      if (locked?.status !== 'pending') return null;
      await insertViolation(tx, {
        id: ctx.violationId,
        districtId: ctx.camera.district_id,
        cameraId: candidate.camera_id,
        zoneId: uuidOrNull(e.zoneId),
        cameraVersion: candidate.camera_version,
        rule: RULE_SHORT_NAMES[e.rule],
        violationType: e.rule,
        status: warn ? 'warned' : 'pending_review',
        partyId: partyKnown ? partyId : null,
        firstSeenAt: new Date(e.firstSeenAt),
        confirmedAt: new Date(e.confirmedAt),
        endedAt: locked.ended_at,
        dedupeKey: candidate.dedupe_key,
        modelName: model.name,
        modelSha256: model.sha256,
        manifestKey: pkg.manifest.key,
        manifestSha256: pkg.manifest.sha256,
        details: {
          engineViolationId: e.violationId,
          zoneName: e.zoneName,
          labels: e.labels,
          box: e.box,
          trackIds: e.trackIds,
          sceneChange: e.sceneChange,
          dwellSeconds: e.dwellSeconds,
          configVersion: e.configVersion,
          warnFirst: warn,
          // The re-check was decided before the warning could be written (the evidence stage was behind).
          ...(warn && locked.recheck_outcome ? { warnedAfterRecheck: true } : {}),
          ...(locked.end_reason ? { endReason: locked.end_reason } : {}),
          ...(e.warnFirst && !warn
            ? { note: `warn-first skipped: party ${e.partyId ?? '-'} is not in the register` }
            : {}),
        },
      });
      await insertEvidenceItems(tx, ctx.violationId, pkg.items);
      let audit: Record<string, unknown>;
      if (warn) {
        const notice = await createWarningNotice(tx, { violationId: ctx.violationId, partyId: partyId! });
        // Pudong art. 15 names the voice call beside the SMS: where configured, staff ring a party with a phone.
        const callTaskId =
          this.deps.warningVoiceCall === 'task' && notice.created && notice.channels.includes('sms')
            ? await dispatchFieldTask(
                tx,
                {
                  violationId: ctx.violationId,
                  districtId: ctx.camera.district_id,
                  reason: 'voice_call',
                  partyId: partyId!,
                  requestedBy: { kind: 'system', id: 'evidence-stage' },
                },
                this.now(),
              )
            : null;
        audit = {
          noticeId: notice.noticeId,
          channels: notice.channels,
          recheckAt: locked.recheck_at,
          ...(callTaskId ? { callTaskId } : {}),
        };
      } else {
        await insertReviewTask(tx, {
          violationId: ctx.violationId,
          districtId: ctx.camera.district_id,
          stage: reviewStage,
          violationType: e.rule,
          cameraId: candidate.camera_id,
        });
        audit = { reviewStage };
      }
      await setCandidateStatus(tx, candidate.dedupe_key, warn ? 'warned' : 'packaged', {
        violationId: ctx.violationId,
      });
      await appendAudit(tx, {
        ...ACTOR,
        action: warn ? 'violation.warned' : 'violation.recorded',
        subjectKind: 'violation',
        subjectId: ctx.violationId,
        districtId: ctx.camera.district_id,
        data: {
          dedupeKey: candidate.dedupe_key,
          cameraId: candidate.camera_id,
          rule: e.rule,
          manifestSha256: pkg.manifest.sha256,
          items: pkg.items.length,
          ...audit,
        },
      });
      return warn ? ('warned' as const) : ('packaged' as const);
    });
    if (step)
      vlog.info({ step, manifestSha256: pkg.manifest.sha256, items: pkg.items.length }, 'violation recorded');
    return step;
  }
}
