import { createHash } from 'node:crypto';

/*
 * Every id the rules and evidence stages derive, in one place, so that a retried job always arrives at the same
 * names: the candidate's dedupe key, the violation's UUID and the blob keys of its evidence. Job ids are built
 * in queue/jobs.ts.
 */

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The engine's violation id (`camera:zone:vN`, numbered from the camera's rules state) with the state's epoch,
 * so a state started afresh, whose numbers begin at v1 again, never meets the keys of an earlier one.
 */
export function dedupeKeyFor(engineViolationId: string, epoch: string): string {
  return `${engineViolationId}@${epoch}`;
}

/**
 * The violation's UUID, derived from its dedupe key: the evidence blobs are written under it before the row
 * exists, and a retry must find the same keys. Laid out as an RFC 9562 version 8 (custom) UUID.
 */
export function violationUuidFor(dedupeKey: string): string {
  const hex = sha256Hex(`violation\u0000${dedupeKey}`).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export type EvidenceBlobKind = 'original' | 'annotated' | 'crop';

/** Evidence of the violation as confirmed lives under `evidence/<id>/`, what the re-check added under `recheck/`. */
export function evidenceKey(
  violationId: string,
  kind: EvidenceBlobKind,
  seq: number,
  phase: 'confirm' | 'recheck' = 'confirm',
): string {
  const dir = phase === 'confirm' ? `evidence/${violationId}` : `evidence/${violationId}/recheck`;
  return `${dir}/${kind}-${seq}.jpg`;
}

export function manifestKey(violationId: string, phase: 'confirm' | 'recheck' = 'confirm'): string {
  return phase === 'confirm'
    ? `evidence/${violationId}/manifest.json`
    : `evidence/${violationId}/recheck/manifest.json`;
}
