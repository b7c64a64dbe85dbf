import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import { findCamera } from '../cameras/camera.repo.js';
import { findZoneLabel } from '../cameras/zone.repo.js';
import { suggestPenalty, type PenaltySuggestion } from '../cases/penalty-suggestion.service.js';
import type { Pool } from '../db/pool.js';
import { findViolationType, type ViolationType } from '../law/catalogue.js';
import { findParty, type PartyRow } from '../parties/party.repo.js';
import { NotFoundError } from '../shared/errors.js';
import { priorViolationsOfParty, type ViolationRow } from '../violations/violation.repo.js';
import { queueCounts } from './review.repo.js';
import type { ReviewService, VerifiedEvidence } from './review.service.js';
import type { ReviewTaskRow } from './review.repo.js';
import { loadWarnFirstRecord } from './warn-first-record.repo.js';
import type { TimelineEntry, WarnFirstRecord } from './warn-first-record.js';

/** What the review pages show: the queue's counts, and one task with everything a reviewer decides on. */

export interface ReviewQueuePage {
  counts: { stage: string; open: number; claimed: number }[];
  /** the reviewer came back because no task was waiting */
  empty: boolean;
}

export interface ReviewTaskPage {
  task: ReviewTaskRow;
  violation: ViolationRow;
  type: ViolationType;
  camera: { name: string; address: string };
  zone: { name: string; kind: string } | null;
  /** the party linked to the zone, if any */
  party: PartyRow | null;
  /** the party's decided violations of the 12 months before */
  prior: { violation_type: string; confirmed_at: Date; status: string }[];
  suggestions: PenaltySuggestion['suggestions'];
  warnFirst: WarnFirstRecord | null;
  /** first seen, confirmed and the warn-first steps, oldest first */
  timeline: TimelineEntry[];
  images: VerifiedEvidence[];
  manifest: VerifiedEvidence | null;
}

export async function reviewQueuePage(
  pool: Pool,
  staff: StaffPrincipal,
  empty: boolean,
): Promise<ReviewQueuePage> {
  return { counts: await queueCounts(pool, districtScope(staff)), empty };
}

/** Opens the task (which checks the reviewer may work it and logs the view) and gathers what the page shows. */
export async function reviewTaskPage(
  pool: Pool,
  review: ReviewService,
  staff: StaffPrincipal,
  taskId: string,
): Promise<ReviewTaskPage> {
  const { task, violation, evidence } = await review.open(staff, taskId);
  const camera = await findCamera(pool, violation.camera_id);
  if (!camera) throw new NotFoundError('camera');
  const zone = violation.zone_id ? await findZoneLabel(pool, violation.zone_id) : null;
  const party = violation.party_id ? await findParty(pool, violation.party_id) : null;
  const prior = party
    ? await priorViolationsOfParty(pool, party.id, violation.confirmed_at, violation.id)
    : [];
  const { catalogue, suggestions } = await suggestPenalty(pool, violation, party?.id ?? null, []);
  const warnFirst = await loadWarnFirstRecord(pool, violation.id, violation.details);
  const timeline = [
    { at: violation.first_seen_at, what: 'first seen', step: { kind: 'first_seen' as const } },
    {
      at: violation.confirmed_at,
      what: 'confirmed after the dwell time',
      step: { kind: 'confirmed' as const },
    },
    ...(warnFirst?.timeline ?? []),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    task,
    violation,
    type: findViolationType(catalogue, violation.violation_type),
    camera: { name: camera.name, address: camera.address },
    zone,
    party,
    prior,
    suggestions,
    warnFirst,
    timeline,
    images: evidence.filter((e) => e.kind !== 'manifest'),
    manifest: evidence.find((e) => e.kind === 'manifest') ?? null,
  };
}
