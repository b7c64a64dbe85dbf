import { PassThrough, type Readable } from 'node:stream';
import tar from 'tar-stream';
import { appendAuditNow } from '../audit/audit.repo.js';
import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool, Queryable } from '../db/pool.js';
import type { Detection } from '../detect/detection.js';
import type { BlobStore } from '../storage/blob-store.js';
import { reviewedEvidenceFrames, type ExportFilter } from './dataset-export.repo.js';

export function yoloLines(detections: readonly Detection[], classes: Map<string, number>): string {
  return detections
    .map((d) => {
      if (!classes.has(d.label)) classes.set(d.label, classes.size);
      const w = d.box.x2 - d.box.x1;
      const h = d.box.y2 - d.box.y1;
      return `${classes.get(d.label)} ${(d.box.x1 + w / 2).toFixed(6)} ${(d.box.y1 + h / 2).toFixed(6)} ${w.toFixed(6)} ${h.toFixed(6)}`;
    })
    .join('\n');
}

/**
 * Reviewed evidence as a labelled data set for retraining a city's own detector: the original frames with their
 * detections as YOLO label lines ("class cx cy w h", normalised). A rejected violation's boxes are kept as the
 * detector saw them; its reviewer's reason goes into the index, so a trainer can treat false detections as hard
 * negatives. Written as a POSIX tar stream so large exports never sit in memory.
 */
export function exportDataset(db: Queryable, blobs: BlobStore, filter: ExportFilter): Readable {
  const pack = tar.pack();
  const add = (name: string, data: Buffer) =>
    new Promise<void>((resolve, reject) =>
      pack.entry({ name }, data, (err) => (err ? reject(err) : resolve())),
    );
  void (async () => {
    const rows = await reviewedEvidenceFrames(db, filter);
    const classes = new Map<string, number>();
    const index: string[] = ['image,violation,decision,reason,sha256'];
    for (const row of rows) {
      const base = `${row.decision === 'approve' ? 'approved' : 'rejected'}/${row.sha256}`;
      await add(`images/${base}.jpg`, await blobs.get(row.storage_key));
      await add(`labels/${base}.txt`, Buffer.from(yoloLines(row.items, classes)));
      index.push(
        [`images/${base}.jpg`, row.violation_id, row.decision, row.reason_code ?? '', row.sha256].join(','),
      );
    }
    await add('classes.txt', Buffer.from([...classes.keys()].join('\n')));
    await add('index.csv', Buffer.from(index.join('\n')));
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err as Error));
  // tar-stream's pack is a streamx stream; piping it through a node stream gives fastify what it expects
  return pack.pipe(new PassThrough());
}

/** The export a member of staff asks for: on the record first, then streamed (their districts only). */
export async function exportReviewedDataset(
  pool: Pool,
  blobs: BlobStore,
  staff: StaffPrincipal,
  query: { decisions: ('approve' | 'reject')[]; since?: string; limit: number },
): Promise<Readable> {
  await appendAuditNow(pool, {
    actorKind: 'staff',
    actorId: staff.id,
    action: 'review.dataset_export',
    districtId: staff.districtId,
    data: { decisions: query.decisions, since: query.since ?? null },
  });
  return exportDataset(pool, blobs, {
    districtId: districtScope(staff),
    since: query.since ? new Date(query.since) : undefined,
    decisions: query.decisions,
    limit: query.limit,
  });
}
