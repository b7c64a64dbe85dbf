import type { KeyObject } from 'node:crypto';
import { findCameraPlace } from '../cameras/camera.repo.js';
import type { Config } from '../config/config.js';
import type { Queryable } from '../db/pool.js';
import type { CjkFont } from '../documents/cjk-font.adapter.js';
import { issueDocument, type IssuedDocument } from '../documents/document-issue.js';
import type { DocumentKind, DocumentView, EvidenceItem } from '../documents/document-view.js';
import { findParty, type PartyRow } from '../parties/party.repo.js';
import type { BlobStore } from '../storage/blob-store.js';
import { findViolation, listEvidence, type EvidenceItemRow } from '../violations/violation.repo.js';
import { agenciesConfig, agencyFor } from './agency-config.adapter.js';
import { findViolationType } from '../law/catalogue.js';
import { findCaseHearing } from './hearing.repo.js';
import { catalogues } from '../law/catalogue-store.js';
import type { CaseRow } from './case.repo.js';
import { machineContextFor, planFromSnapshot } from './case.service.js';
import { formatCaseNumberAscii, parseCaseNumber } from './case-number.js';
import { planDeadlines } from '../law/deadlines.js';
import { HEARING_REQUEST_WORKING_DAYS } from '../law/procedure-law.js';
import { makeThumbnail } from './evidence-thumbnail.adapter.js';
import { DEMAND_WAIT_DAYS } from '../law/enforcement.js';
import { computeLateFee } from '../law/late-fee.js';
import { addDays, type LocalDate } from '../law/local-date.js';

/**
 * Assembles a case document's view from the rows (case, party, violation, camera, evidence), the catalogue
 * version the case was filed under, the district's agency and the public base URL; then renders and seals it
 * and stores both renderings in the blob store. The renderers stay pure: everything is looked up here.
 */

export interface DocumentTools {
  font: CjkFont;
  sealKey: KeyObject;
  sealFingerprint: string;
}

export interface StoredDocument {
  issued: IssuedDocument;
  pdfKey: string;
  htmlKey: string;
}

const shanghai = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, ...options });
const partsOf = (formatter: Intl.DateTimeFormat, instant: Date) =>
  Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value])) as Record<
    string,
    string
  >;
const full = shanghai({
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** 2026年3月2日10时15分 */
export function chineseMinute(instant: Date): string {
  const p = partsOf(full, instant);
  return `${p.year}年${p.month}月${p.day}日${Number(p.hour)}时${p.minute}分`;
}

/** 2026年3月2日 10:15:32 */
export function chineseTimestamp(instant: Date): string {
  const p = partsOf(full, instant);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}`;
}

const EVIDENCE_LABELS: Record<string, string> = {
  original: '现场照片',
  annotated: '标注照片',
  crop: '局部放大照片',
};

/** Masks a person's ID number; a unit's credit code is public and printed in full. */
export function documentIdentifier(party: Pick<PartyRow, 'kind' | 'id_number'>): string {
  if (!party.id_number) return '';
  if (party.kind === 'unit') return party.id_number;
  return party.id_number.replace(
    /^(.{4})(.*)(.{4})$/,
    (_m, head: string, middle: string, tail: string) => `${head}${'*'.repeat(middle.length)}${tail}`,
  );
}

export function portalCaseUrl(config: Pick<Config, 'publicBaseUrl'>, caseNumber: string): string {
  return `${config.publicBaseUrl.replace(/\/$/, '')}/portal/cases/${formatCaseNumberAscii(parseCaseNumber(caseNumber))}`;
}

export async function buildCaseDocumentView(
  db: Queryable,
  blobs: BlobStore,
  config: Pick<Config, 'publicBaseUrl'>,
  row: CaseRow,
  kind: Exclude<DocumentKind, 'correction_order'>,
  issuedOn: LocalDate,
  sealFingerprint: string,
): Promise<DocumentView> {
  const [violation, party, all] = await Promise.all([
    findViolation(db, row.violation_id),
    row.party_id ? findParty(db, row.party_id) : null,
    catalogues(),
  ]);
  if (!violation) throw new Error(`case ${row.case_number} has no violation ${row.violation_id}`);
  if (!party) throw new Error(`case ${row.case_number} has no party`);
  const catalogue = all.get(row.catalogue_version);
  if (!catalogue)
    throw new Error(
      `catalogue version ${row.catalogue_version} of case ${row.case_number} is not in config/catalogue`,
    );
  const type = findViolationType(catalogue, row.violation_type);
  const place = (await findCameraPlace(db, violation.camera_id))!;
  const { agency, appeal } = agencyFor(await agenciesConfig(), row.district_id, place.district_name);
  const evidence = await documentEvidence(blobs, await listEvidence(db, violation.id), place.camera_name);
  const location = place.address || place.camera_name;
  const minutes = Math.max(
    1,
    Math.round(
      ((violation.ended_at ?? violation.confirmed_at).getTime() - violation.first_seen_at.getTime()) / 60_000,
    ),
  );
  const snapshot = row.snapshot;
  const context = await machineContextFor(snapshot);
  const deadlines: DocumentView['deadlines'] = {};
  if (kind === 'advance_notice') {
    // The statement period runs from receipt. Before it is known the notice states the rule, "自收到本告知书之日起
    // X个工作日内", with the earliest day it can end (as if received on the day of issue); once it is known, the
    // binding days counted from it. The portal and the case page show the binding days after receipt.
    const receivedOn = snapshot.steps.advance_notice_received ?? null;
    const planned = planDeadlines(
      {
        filedOn: snapshot.filedOn,
        advanceNoticeReceivedOn: receivedOn ?? issuedOn,
        hearingRight: snapshot.hearingRight,
      },
      context.calendar,
      context.procedure,
    );
    deadlines.statementDueOn = planned.statement!.dueOn;
    deadlines.statementWorkingDays = context.procedure.statementWindowWorkingDays;
    deadlines.advanceNoticeReceivedOn = receivedOn;
    if (planned.hearing_request) {
      deadlines.hearingRequestDueOn = planned.hearing_request.dueOn;
      deadlines.hearingRequestWorkingDays = HEARING_REQUEST_WORKING_DAYS;
    }
  } else {
    deadlines.paymentDueOn = planFromSnapshot(snapshot, context).payment?.dueOn;
  }
  let demand: DocumentView['demand'];
  if (kind === 'payment_demand') {
    const { decide: decidedOn, decision_received: receivedOn } = snapshot.steps;
    const paymentDueOn = snapshot.deadlines.payment;
    if (!decidedOn || !receivedOn || !paymentDueOn)
      throw new Error(`case ${row.case_number} has no decision received yet: nothing to demand`);
    const fee = computeLateFee({
      fineFen: snapshot.fineFen,
      paymentDueOn,
      asOf: issuedOn,
      pauses: snapshot.pauses,
    });
    demand = {
      decidedOn,
      receivedOn,
      paymentDueOn,
      fineFen: snapshot.fineFen,
      lateFeeFen: fee.lateFeeFen,
      payByOn: addDays(issuedOn, DEMAND_WAIT_DAYS),
    };
  }
  let hearing: DocumentView['hearing'];
  if (kind === 'hearing_notice') {
    const h = await findCaseHearing(db, row.id);
    if (!h || h.status !== 'scheduled' || !h.scheduled_at || !h.place)
      throw new Error(`case ${row.case_number} has no scheduled hearing to announce`);
    hearing = {
      at: chineseMinute(h.scheduled_at),
      place: h.place,
      host: h.host_name ?? '',
      clerk: h.clerk_name ?? '',
    };
  }
  return {
    kind,
    hearing,
    caseNumber: row.case_number,
    agency,
    party: {
      kind: snapshot.partyKind,
      name: party.name,
      identifier: documentIdentifier(party),
      address: party.address || undefined,
    },
    violation: { name: type.name, occurredAt: chineseMinute(violation.first_seen_at), location },
    facts: `${chineseMinute(violation.first_seen_at)}起，当事人在${location}${type.name}，持续约${minutes}分钟，经城市管理非现场执法设备（${place.camera_name}）记录，并经本机关审核确认。`,
    evidence,
    violatedProvision: type.violatedProvision,
    penaltyProvision: type.penaltyProvision,
    fineFen: kind === 'advance_notice' ? snapshot.proposedFineFen : snapshot.fineFen,
    reasons: snapshot.reasons,
    deadlines,
    appeal: kind === 'decision' || kind === 'no_penalty_decision' ? appeal : undefined,
    demand,
    portalUrl: portalCaseUrl(config, row.case_number),
    sealVerificationUrl: `${config.publicBaseUrl.replace(/\/$/, '')}/portal/seal`,
    sealKeyFingerprint: sealFingerprint,
    issuedOn,
    catalogueVersion: row.catalogue_version,
  };
}

async function documentEvidence(
  blobs: BlobStore,
  items: EvidenceItemRow[],
  cameraName: string,
): Promise<EvidenceItem[]> {
  const counters: Record<string, number> = {};
  // Labels are numbered per kind in the listed order, before any reading starts.
  const images = items
    .filter((item) => item.kind !== 'manifest' && item.content_type.startsWith('image/'))
    .map((item) => {
      counters[item.kind] = (counters[item.kind] ?? 0) + 1;
      return { item, label: `${EVIDENCE_LABELS[item.kind] ?? '证据'}${counters[item.kind]}` };
    });
  return Promise.all(
    images.map(async ({ item, label }) => ({
      label,
      capturedAt: item.captured_at ? chineseTimestamp(item.captured_at) : '—',
      source: cameraName,
      sha256: item.sha256,
      thumbnail: await makeThumbnail(await blobs.get(item.storage_key)),
    })),
  );
}

/** Renders, seals and stores a case document; storing is content-addressed, so a retry writes nothing new. */
export async function issueAndStore(
  blobs: BlobStore,
  caseId: string,
  view: DocumentView,
  tools: DocumentTools,
): Promise<StoredDocument> {
  const issued = await issueDocument(view, { font: tools.font, sealKey: tools.sealKey });
  const base = `documents/${caseId}/${view.kind}`;
  const pdfKey = `${base}-${issued.pdfSeal.documentSha256}.pdf`;
  const htmlKey = `${base}-${issued.htmlSeal.documentSha256}.html`;
  await blobs.put(pdfKey, issued.pdf, { ifNotExists: true, contentType: 'application/pdf' });
  await blobs.put(htmlKey, Buffer.from(issued.html, 'utf8'), {
    ifNotExists: true,
    contentType: 'text/html; charset=utf-8',
  });
  return { issued, pdfKey, htmlKey };
}
