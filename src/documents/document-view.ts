import type { PartyKind } from '../law/catalogue.js';
import type { Citation } from '../law/legal-citation.js';
import type { LocalDate } from '../law/local-date.js';

/**
 * Everything a case document shows, as plain values the case service assembles from its rows. The renderers
 * never look anything up: the same view always gives the same HTML and the same PDF bytes, so a sealed PDF can
 * be rendered again and its hash checked.
 */

export const DOCUMENT_KINDS = [
  'advance_notice',
  'decision',
  'correction_order',
  'payment_demand',
  'no_penalty_decision',
  'hearing_notice',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_TITLES: Readonly<Record<DocumentKind, string>> = {
  advance_notice: '行政处罚事先告知书',
  decision: '行政处罚决定书',
  correction_order: '责令改正通知书',
  payment_demand: '催告书',
  /** A case the legal review found warrants no penalty (APL art. 33) ends with this decision. */
  no_penalty_decision: '不予行政处罚决定书',
  hearing_notice: '听证通知书',
};

export interface EvidenceThumbnail {
  /** JPEG or PNG bytes; the PDF embeds them, the HTML inlines them. */
  bytes: Uint8Array;
  mediaType: 'image/jpeg' | 'image/png';
}

export interface EvidenceItem {
  /** e.g. 现场照片1, 视频截图2 */
  label: string;
  /** When the camera captured it, as shown to the party (e.g. 2026年3月2日 10:15:32). */
  capturedAt: string;
  /** Camera or place. */
  source: string;
  /** SHA-256 of the unaltered original, hex: the party can check the copy they download against it. */
  sha256: string;
  thumbnail?: EvidenceThumbnail;
  /** Where the portal shows the item; used by the HTML when there are no bytes. */
  thumbnailUrl?: string;
}

export interface DocumentParty {
  kind: PartyKind;
  /** Name of the person or the unit. */
  name: string;
  /** ID card number shown masked (e.g. 3101**********1234) or a unit's unified social credit code. */
  identifier?: string;
  address?: string;
}

export interface DocumentAgency {
  /** The enforcement agency issuing the document, e.g. 上海市浦东新区城市管理行政执法局. */
  name: string;
  address?: string;
  phone?: string;
  /** Where statements are taken in person (Pudong art. 12 "指定处理窗口"). */
  serviceWindow?: string;
}

export interface AppealRoutes {
  /** The body a reconsideration goes to. */
  reconsiderationBody: string;
  /** Days from receipt to apply for reconsideration (60 under the Administrative Reconsideration Law). */
  reconsiderationDays: number;
  /** The court a lawsuit goes to. */
  court: string;
  /** Months from receipt to sue (6 under the Administrative Litigation Law). */
  litigationMonths: number;
}

export interface DocumentView {
  kind: DocumentKind;
  /** Document form of the case number, e.g. 沪浦城管非现〔2026〕第000123号. */
  caseNumber: string;
  agency: DocumentAgency;
  party: DocumentParty;
  violation: {
    /** The act, as in the catalogue (e.g. 占用道路等公共场所设摊经营、兜售物品). */
    name: string;
    occurredAt: string;
    location: string;
  };
  /** The facts as found by the reviewer, in full sentences. */
  facts: string;
  evidence: readonly EvidenceItem[];
  violatedProvision: Citation;
  penaltyProvision: Citation;
  /** The proposed (advance notice) or decided (decision) fine; 0 or absent for none. Ignored in a correction order. */
  fineFen?: number;
  /** Reasons for the amount: the benchmark tier and any defence review. */
  reasons: readonly string[];
  /** The deadlines this document states. Which ones are required depends on the kind. */
  deadlines: {
    statementDueOn?: LocalDate;
    /** Present only when the party has a hearing right. */
    hearingRequestDueOn?: LocalDate;
    /**
     * The lengths of the advance notice's periods in working days: with them the notice states the rule
     * ("自收到本告知书之日起X个工作日内") and the dates above as the earliest last days, or, when
     * `advanceNoticeReceivedOn` is known, the dates as the binding ones with the day of receipt.
     */
    statementWorkingDays?: number;
    hearingRequestWorkingDays?: number;
    advanceNoticeReceivedOn?: LocalDate | null;
    /** The last day to pay: 15 days from receipt of the decision. Printed as the rule when receipt is not yet known. */
    paymentDueOn?: LocalDate;
    correctionDueOn?: LocalDate;
  };
  /** The decision a demand to pay enforces, and what is owed on the day it is issued (payment demand). */
  demand?: {
    decidedOn: LocalDate;
    receivedOn: LocalDate;
    paymentDueOn: LocalDate;
    fineFen: number;
    /** Late fee accrued up to the day of issue (APL art. 72 (1)), never more than the fine. */
    lateFeeFen: number;
    /** The earliest last day to pay: the demand's period counted as if it were received on the day of issue. */
    payByOn: LocalDate;
  };
  /** The hearing the notice announces (hearing notice, APL art. 64). */
  hearing?: { at: string; place: string; host: string; clerk: string };
  /** What the party must do to correct (correction order). */
  correctionOrder?: string;
  appeal?: AppealRoutes;
  /** The page of this case on the citizen portal; the QR code points here. */
  portalUrl: string;
  /** Where the portal publishes the agency's seal key and checks a document's seal. */
  sealVerificationUrl: string;
  /** Fingerprint of the key the document will be sealed with, printed so a reader can match it. */
  sealKeyFingerprint: string;
  issuedOn: LocalDate;
  /** Catalogue version the penalty followed. */
  catalogueVersion: string;
}
