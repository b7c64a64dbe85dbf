import { appendAudit } from '../audit/audit.repo.js';
import { cameraStatus } from '../cameras/camera-status.js';
import type { AlertSettings } from '../config/alerts.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { JOB_LOCK_MS, JOB_NAMES, type JobName } from '../queue/jobs.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { cameraScheduleActive } from '../zones/schedule.js';
import {
  cameraOffline,
  decide,
  detectorFailing,
  falsePositiveRate,
  queueStalled,
  reviewBacklog,
  type Verdict,
} from './alert-rules.js';
import {
  camerasForAlerts,
  captureCounts,
  detectorFigures,
  reviewBacklogs,
  reviewOutcomes,
} from './alert-measures.repo.js';
import { subjects, volumeSeries } from './alert-measures.js';
import type { AlertNotifyService, NotifyOutcome } from './alert-notify.service.js';
import {
  insertAlert,
  insertAlertEvent,
  resolveAlert,
  touchAlert,
  unresolvedByKind,
  type AlertKind,
} from './alert.repo.js';
import { captureVolume } from './capture-volume.js';

/**
 * The periodic `alert-sweep`: measures what every rule needs, decides per subject (alert-rules.ts), opens,
 * keeps and resolves alerts, then sends the notices due. Opening is an insert that the partial unique index
 * turns into nothing while an alert of the same kind and subject is unresolved, so a condition that persists,
 * or two sweeps at once, never raise it twice. Each opening and resolution is an `alert_events` row and an
 * audit row in one transaction. A rule whose measurement fails (Redis or Postgres away) is skipped for this
 * sweep and decides nothing; the others go on.
 */

export interface Measured {
  subject: string;
  districtId: string | null;
  cameraId: string | null;
  verdict: Verdict;
}

export interface SweepSummary {
  opened: number;
  resolved: number;
  kept: number;
  /** rules that could not be measured this time */
  skipped: AlertKind[];
  notices: NotifyOutcome;
}

export interface AlertEvaluationDeps {
  pool: Pool;
  queues: Queues;
  settings: AlertSettings;
  notify: AlertNotifyService;
  logger: Logger;
  now?: () => Date;
}

const KINDS: readonly AlertKind[] = [
  'camera_offline',
  'capture_volume',
  'false_positive_rate',
  'review_backlog',
  'queue_stalled',
  'detector_failing',
];

export class AlertEvaluationService {
  constructor(private readonly deps: AlertEvaluationDeps) {}

  async sweep(): Promise<SweepSummary> {
    const now = this.deps.now?.() ?? new Date();
    const summary: SweepSummary = {
      opened: 0,
      resolved: 0,
      kept: 0,
      skipped: [],
      notices: { sent: 0, failed: 0 },
    };
    for (const kind of KINDS) {
      let measured: Measured[];
      try {
        measured = await this.measure(kind, now);
      } catch (error) {
        this.deps.logger.warn({ kind, err: (error as Error).message }, 'alert rule not measured');
        summary.skipped.push(kind);
        continue;
      }
      await this.apply(kind, measured, now, summary);
    }
    summary.notices = await this.deps.notify.notifyDue(now);
    return summary;
  }

  /** What one rule sees now, one verdict per subject. */
  async measure(kind: AlertKind, now: Date): Promise<Measured[]> {
    const { pool, settings: s } = this.deps;
    switch (kind) {
      case 'camera_offline':
        return (await camerasForAlerts(pool)).map((c) => ({
          subject: subjects.camera(c.id),
          districtId: c.districtId,
          cameraId: c.id,
          verdict: cameraOffline(
            {
              status: cameraStatus({ ...c, now }),
              lastFrameAt: c.lastFrameAt,
              createdAt: c.createdAt,
              scheduled: cameraScheduleActive(c.schedule, now.getTime()),
              now,
            },
            s,
          ),
        }));
      case 'capture_volume':
        return volumeSeries(await captureCounts(pool, now, s.volumeWeeks)).map((v) => ({
          subject: v.subject,
          districtId: v.districtId,
          cameraId: v.cameraId,
          verdict: captureVolume(v, s),
        }));
      case 'false_positive_rate':
        return (await reviewOutcomes(pool, new Date(now.getTime() - s.fpWindowH * 3_600_000))).map((r) => ({
          subject: subjects.camera(r.cameraId),
          districtId: r.districtId,
          cameraId: r.cameraId,
          verdict: falsePositiveRate(r, s),
        }));
      case 'review_backlog':
        return (await reviewBacklogs(pool, new Date(now.getTime() - s.backlogH * 3_600_000))).map((b) => ({
          subject: subjects.backlog(b.districtId),
          districtId: b.districtId,
          cameraId: null,
          verdict: reviewBacklog({ ...b, now }, s),
        }));
      case 'queue_stalled':
        return Promise.all(
          JOB_NAMES.map(async (name) => ({
            subject: subjects.queue(name),
            districtId: null,
            cameraId: null,
            verdict: queueStalled(await this.queueFigures(name, now), s),
          })),
        );
      case 'detector_failing': {
        const since = new Date(now.getTime() - s.detectorWindowS * 1000);
        const db = await detectorFigures(pool, since, new Date(now.getTime() - s.detectorWaitS * 1000));
        const jobs = await this.detectJobs(since);
        const verdict = detectorFailing(
          {
            failed: Math.max(jobs.failed, db.failedFrames),
            completed: jobs.completed,
            detections: db.detections,
            framesWaiting: db.framesWaiting,
          },
          s,
        );
        return [{ subject: subjects.detector(), districtId: null, cameraId: null, verdict }];
      }
    }
  }

  /** The queue's ready jobs, the oldest of them, and its latest completion (BullMQ's getters). */
  private async queueFigures(name: JobName, now: Date) {
    const q = this.deps.queues.queue(name);
    const [waiting, prioritized, oldestWait, oldestPrioritized, last] = await Promise.all([
      q.getWaitingCount(),
      q.getPrioritizedCount(),
      q.getJobs(['wait'], 0, 0, true),
      q.getJobs(['prioritized'], 0, 0, true),
      q.getCompleted(0, 0),
    ]);
    const stamps = [...oldestWait, ...oldestPrioritized].map((j) => j.timestamp).filter((t) => t > 0);
    const finished = last[0]?.finishedOn;
    return {
      waiting: waiting + prioritized,
      oldestWaitingAt: stamps.length > 0 ? new Date(Math.min(...stamps)) : null,
      lastCompletedAt: finished ? new Date(finished) : null,
      now,
    };
  }

  /** Detect jobs failed and completed since `since`, as far as Redis keeps them (the last 1000 of each). */
  private async detectJobs(since: Date): Promise<{ failed: number; completed: number }> {
    const q = this.deps.queues.queue('detect');
    const [failed, completed] = await Promise.all([q.getFailed(0, 999), q.getCompleted(0, 999)]);
    const inWindow = (jobs: { finishedOn?: number }[]) =>
      jobs.filter((j) => (j.finishedOn ?? 0) >= since.getTime()).length;
    return { failed: inWindow(failed), completed: inWindow(completed) };
  }

  /** Opens, keeps and resolves the alerts of one kind against what was measured. */
  private async apply(kind: AlertKind, measured: Measured[], now: Date, summary: SweepSummary) {
    const { pool } = this.deps;
    const unresolved = await unresolvedByKind(pool, kind);
    for (const m of measured) {
      const id = unresolved.get(m.subject);
      unresolved.delete(m.subject);
      const action = decide(id !== undefined, m.verdict);
      const { severity, detail } = m.verdict;
      if (action === 'raise') {
        const opened = await withTransaction(pool, async (tx) => {
          const newId = await insertAlert(
            tx,
            { kind, subject: m.subject, districtId: m.districtId, cameraId: m.cameraId, severity, detail },
            now,
          );
          if (!newId) return false;
          await insertAlertEvent(tx, { alertId: newId, event: 'opened', detail }, now);
          await appendAudit(tx, {
            actorKind: 'system',
            action: 'alert.opened',
            subjectKind: 'alert',
            subjectId: newId,
            districtId: m.districtId,
            data: { kind, subject: m.subject, severity, ...detail },
          });
          return true;
        });
        if (opened) summary.opened += 1;
      } else if (action === 'keep') {
        await touchAlert(pool, kind, m.subject, severity, detail, now);
        summary.kept += 1;
      } else if (action === 'resolve') {
        if (await this.resolve(id!, m.districtId, { ...detail, reason: 'cleared' }, now))
          summary.resolved += 1;
      }
    }
    // Subjects no longer measured (a camera disabled or removed) have nothing left to alert on.
    for (const id of unresolved.values()) {
      if (await this.resolve(id, null, { reason: 'gone' }, now)) summary.resolved += 1;
    }
  }

  private async resolve(
    id: string,
    districtId: string | null,
    detail: Record<string, unknown>,
    now: Date,
  ): Promise<boolean> {
    return withTransaction(this.deps.pool, async (tx) => {
      if (!(await resolveAlert(tx, id, null, now))) return false;
      await insertAlertEvent(tx, { alertId: id, event: 'resolved', detail }, now);
      await appendAudit(tx, {
        actorKind: 'system',
        action: 'alert.resolved',
        subjectKind: 'alert',
        subjectId: id,
        districtId,
        data: detail,
      });
      return true;
    });
  }
}

export function alertSweepHandler(service: AlertEvaluationService): HandlerSpec<'alert-sweep'> {
  return {
    concurrency: 1,
    lockDurationMs: JOB_LOCK_MS['alert-sweep'],
    handle: async () => void (await service.sweep()),
  };
}
