import type { KeyObject } from 'node:crypto';
import type { AuditOutboxWriter } from '../audit/audit-outbox.js';
import { appendAudit } from '../audit/audit.repo.js';
import { PORTAL_THUMBNAIL_WIDTH, StoredThumbnails } from '../cases/evidence-thumbnail.adapter.js';
import { statementPeriodEnd } from '../law/deadlines.js';
import { compareDates } from '../law/local-date.js';
import type { CaseService } from '../cases/case.service.js';
import { recordStatement, STATEMENT_STATES, type UploadedFile } from '../cases/statement-intake.service.js';
import { insertHearingRequest } from '../cases/hearing.repo.js';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { SealCheckCache } from '../documents/seal-check-cache.js';
import { verifySeal } from '../documents/seal.js';
import { acknowledgeNotice, listCaseNotices, type NoticeRow } from '../notices/notice.repo.js';
import { paymentsOfCase, type PaymentRow } from '../payments/payment.repo.js';
import type { PaymentService } from '../payments/payment.service.js';
import type { ReceiptDocumentService } from '../payments/receipt-document.service.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { GroupedCalls } from '../shared/grouped-calls.js';
import { KeptNoticeViews } from './kept-notice-views.js';
import { portalCaseDataOf, type PortalEvidenceRow } from './portal.repo.js';
import type { PortalAccess } from './portal-session.service.js';
import type { PortalView } from './portal-view.js';

/**
 * How long the notice page's view of a notice is kept in the process (see KeptNoticeViews): the longest a step
 * taken by staff can take to show on the page. A second is short beside any deadline the page shows, and long
 * enough that a crowd on one notice costs Postgres one query a second.
 */
export const PORTAL_CASE_DATA_MS = 1_000;
/**
 * The evidence thumbnails served lately are also kept in memory, up to this many bytes (a 640 px copy is 30-60 KB,
 * so several hundred): the parties opening their pages read each from the blob store once, not once a request.
 */
const PORTAL_THUMBNAILS_IN_MEMORY = 32 * 1024 * 1024;

export type { UploadedFile };

/**
 * What a party can see and do on the portal, always within the one case (or warning) their link opened. Every
 * step is a case event or an audit row with actor kind `party`; the case service enforces the procedure.
 */
export class PortalService {
  constructor(
    private readonly deps: {
      pool: Pool;
      blobs: BlobStore;
      cases: CaseService;
      /** renders a paid payment's receipt document if that has not happened yet */
      receipts?: ReceiptDocumentService;
      payments: PaymentService;
      sealPublicKey: () => Promise<KeyObject>;
      /** Where a party's views are recorded (the audit outbox, see audit-outbox.ts). */
      views: AuditOutboxWriter;
    },
  ) {
    this.thumbnails = new StoredThumbnails(deps.blobs, PORTAL_THUMBNAILS_IN_MEMORY);
  }

  private readonly thumbnails: StoredThumbnails;
  /** the notice page's view by notice id, built at most once a PORTAL_CASE_DATA_MS (see view()) */
  private readonly kept = new KeptNoticeViews<PortalView>(PORTAL_CASE_DATA_MS);
  /** the case data of notices not kept: the notices asked for while one query is in flight go in the next */
  private readonly caseData = new GroupedCalls((ids: string[]) => portalCaseDataOf(this.deps.pool, ids), {
    inFlight: 2,
    maxBatch: 50,
  });
  /** whether each stored document matched its seal, checked again once a minute (see seal-check-cache.ts) */
  private readonly sealChecks = new SealCheckCache();

  private actor(access: PortalAccess) {
    return { kind: 'party' as const, id: access.session.party_id ?? 'unknown' };
  }

  /**
   * The notice page's view, and the party's view of it recorded (committed before the page is sent). The view
   * is built from one query (portalCaseDataOf) and kept for PORTAL_CASE_DATA_MS per notice and day: a crowd
   * reloading one notice asks Postgres once a second. The party's own steps through this process drop what is
   * kept of their case at once; a step taken by staff (or through another API process) shows within that bound.
   */
  async view(access: PortalAccess, ip: string): Promise<PortalView> {
    const view = await this.keptView(access);
    // Recorded outside the chain's lock (see audit.repo.ts): a crowd of views must not queue behind staff steps.
    await this.deps.views.record({
      actorKind: 'party',
      actorId: access.session.party_id,
      action: 'portal.view',
      subjectKind: view.caseRow ? 'case' : 'notice',
      subjectId: view.caseRow?.id ?? access.notice.id,
      districtId: view.caseRow?.district_id ?? null,
      data: { noticeId: access.notice.id, ip },
    });
    return view;
  }

  private keptView(access: PortalAccess): Promise<PortalView> {
    const today = this.deps.cases.today();
    return this.kept.get(access.notice, today, () => this.buildView(access, today));
  }

  /** What the notice page shows of the session's notice on `today`: every part but who is looking. */
  private async buildView(access: PortalAccess, today: string): Promise<PortalView> {
    const [data, publicKey] = await Promise.all([
      this.caseData.call(access.notice.id),
      this.deps.sealPublicKey(),
    ]);
    if (!data) throw new NotFoundError('notice');
    const { caseRow, hearing, events, evidence, statements, payments } = data;
    const notices = access.notice.case_id ? data.notices : [data.notice];
    const checked = await Promise.all(
      notices.map(async (n) => {
        const key = n.document_key;
        const seal = n.seal?.pdf;
        if (!key || !seal) return { ...n, sealValid: null };
        const sealValid = await this.sealChecks.check(key, seal.signature, async () => {
          const bytes = await this.deps.blobs.get(key).catch(() => null);
          return bytes !== null && verifySeal(bytes, seal, publicKey).valid;
        });
        return { ...n, sealValid };
      }),
    );
    const receipt = await this.receiptOf(payments, publicKey);
    const state = caseRow?.snapshot.state;
    const due = caseRow ? this.deps.payments.amountDue(caseRow, today) : null;
    const onOrBefore = (due: string | undefined) => due !== undefined && compareDates(today, due) <= 0;
    const withinStatement = caseRow ? onOrBefore(statementPeriodEnd(caseRow.snapshot.deadlines)) : false;
    return {
      notice: data.notice,
      caseRow,
      events,
      notices: checked,
      evidence,
      statements,
      hearing,
      payments,
      receipt,
      due,
      today,
      can: {
        statement: state !== undefined && STATEMENT_STATES.includes(state) && withinStatement,
        hearing:
          (state === 'statement_window' || state === 'statement_review') &&
          caseRow!.snapshot.hearingRight &&
          hearing === null &&
          onOrBefore(caseRow!.snapshot.deadlines.hearing_request),
        waive: state === 'statement_window',
        pay: due !== null,
        payAvailable: this.deps.payments.available,
      },
    };
  }

  /** Drops what is kept of the case (or lone notice) the session opened, after the party's own step. */
  private forget(access: PortalAccess): void {
    this.kept.forget(access.notice);
  }

  /**
   * The small copy of an evidence image shown on the notice page: made once with sharp and kept in the blob
   * store under the original's SHA-256, then served from there. Concurrent first requests share one build.
   */
  async evidenceThumbnail(item: PortalEvidenceRow): Promise<Buffer> {
    return this.thumbnails.get(item, PORTAL_THUMBNAIL_WIDTH, 'portal');
  }

  /**
   * Evidence items the session may see: only those of its own notice's violation, as its notice page lists them
   * (from the kept view: the thumbnails of a page come right after it; evidence never changes once filed).
   */
  async evidenceItem(access: PortalAccess, evidenceId: string): Promise<PortalEvidenceRow> {
    const item = (await this.keptView(access)).evidence.find((e) => e.id === evidenceId);
    if (!item) throw new NotFoundError('evidence item');
    return item;
  }

  /** A document of the session's case (or its own notice). */
  async document(access: PortalAccess, noticeId: string): Promise<NoticeRow> {
    const notices = access.notice.case_id
      ? await listCaseNotices(this.deps.pool, access.notice.case_id)
      : [access.notice];
    const notice = notices.find((n) => n.id === noticeId);
    if (!notice || !notice.document_key) throw new NotFoundError('document');
    return notice;
  }

  /** A document's sealed PDF or its HTML twin; each opening is recorded as a view. */
  async documentFile(
    access: PortalAccess,
    noticeId: string,
    format: 'pdf' | 'html',
    ip: string,
  ): Promise<{ kind: string; bytes: Buffer }> {
    const notice = await this.document(access, noticeId);
    await this.recordView(access, 'portal.document', { noticeId, format, ip });
    const bytes = await this.deps.blobs.get(format === 'pdf' ? notice.document_key! : notice.html_key!);
    return { kind: notice.kind, bytes };
  }

  /** The original bytes of an evidence item, as stored; each download is recorded as a view. */
  async evidenceOriginal(access: PortalAccess, item: PortalEvidenceRow, ip: string): Promise<Buffer> {
    const original = await this.deps.blobs.get(item.storage_key);
    await this.recordView(access, 'portal.evidence_download', { evidenceId: item.id, ip });
    return original;
  }

  private async recordView(
    access: PortalAccess,
    action: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.views.record({
      actorKind: 'party',
      actorId: access.session.party_id,
      action,
      subjectKind: 'notice',
      subjectId: access.notice.id,
      data: { caseId: access.notice.case_id, ...data },
    });
  }

  /** Acknowledging receipt is the legal time of delivery; the case moves on from it. */
  async acknowledge(access: PortalAccess, noticeId: string): Promise<void> {
    await this.step(access, () => this.acknowledgeStep(access, noticeId));
  }

  /** A step of the party's: what the page keeps of the case is dropped once it is taken (or refused). */
  private async step<T>(access: PortalAccess, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } finally {
      this.forget(access);
    }
  }

  private async acknowledgeStep(access: PortalAccess, noticeId: string): Promise<void> {
    const notice = await this.document(access, noticeId).catch(() =>
      noticeId === access.notice.id ? access.notice : null,
    );
    if (!notice) throw new NotFoundError('notice');
    const now = new Date();
    const record = async (tx: PoolClient, districtId: string | null) => {
      if (!(await acknowledgeNotice(tx, notice.id, now)))
        throw new ConflictError('this notice was already acknowledged');
      await appendAudit(tx, {
        actorKind: 'party',
        actorId: access.session.party_id,
        action: 'portal.acknowledge',
        subjectKind: 'notice',
        subjectId: notice.id,
        districtId,
        data: { kind: notice.kind, caseId: notice.case_id },
      });
    };
    if (!notice.case_id) {
      await withTransaction(this.deps.pool, (tx) => record(tx, null));
      return;
    }
    const cases = this.deps.cases;
    await cases.withCase(notice.case_id, async (tx, row) => {
      const on = cases.today();
      const data = { noticeId: notice.id };
      if (notice.kind === 'advance_notice' && row.status === 'advance_notice_sent') {
        await cases.applyEvent(tx, row, { type: 'advance_notice_received', on }, this.actor(access), data);
      } else if (
        notice.kind === 'decision' &&
        (row.status === 'decided' || row.status === 'decision_delivered')
      ) {
        // Opening the decision on the portal is itself online delivery to a consenting party.
        if (row.status === 'decided')
          await cases.applyEvent(
            tx,
            row,
            { type: 'deliver_decision', on, channel: 'online' },
            this.actor(access),
            { ...data, via: 'portal' },
          );
        await cases.applyEvent(tx, row, { type: 'decision_received', on }, this.actor(access), data);
      }
      await record(tx, row.district_id);
    });
  }

  async submitStatement(access: PortalAccess, body: string, files: UploadedFile[]): Promise<string> {
    const { statementId } = await this.step(access, () =>
      recordStatement(this.deps, this.caseOf(access), {
        body,
        files,
        on: this.deps.cases.today(),
        channel: 'portal',
        takenBy: null,
        actor: this.actor(access),
        addedAction: 'portal.statement_added',
      }),
    );
    return statementId;
  }

  async requestHearing(access: PortalAccess): Promise<void> {
    const cases = this.deps.cases;
    await this.step(access, () =>
      cases.withCase(this.caseOf(access), async (tx, row) => {
        await cases.applyEvent(tx, row, { type: 'hearing_requested', on: cases.today() }, this.actor(access));
        if (!(await insertHearingRequest(tx, row.id)))
          throw new ConflictError('a hearing was already asked for');
      }),
    );
  }

  async waive(access: PortalAccess): Promise<void> {
    const cases = this.deps.cases;
    await this.step(access, () =>
      cases.withCase(this.caseOf(access), (tx, row) =>
        cases
          .applyEvent(
            tx,
            row,
            // The party's own declaration on the portal is its written waiver; the notice it was made from and the
            // day identify that record.
            {
              type: 'rights_waived',
              on: cases.today(),
              waiverReference: `网上声明 ${access.notice.id} ${cases.today()}`,
            },
            this.actor(access),
          )
          .then(() => undefined),
      ),
    );
  }

  async pay(access: PortalAccess, returnUrl: string): Promise<string> {
    return this.step(access, () =>
      this.deps.payments.start(this.caseOf(access), access.session.party_id ?? 'unknown', returnUrl),
    );
  }

  /** The party is back from the provider: settle the latest open order if the provider says it is paid. */
  async reconcileLatest(access: PortalAccess): Promise<string> {
    // Dropped either way: the provider's callback may have settled the payment in the meantime.
    return this.step(access, async () => {
      const open = (await paymentsOfCase(this.deps.pool, this.caseOf(access)))
        .filter((p) => p.status === 'pending')
        .at(-1);
      return open ? this.deps.payments.reconcile(open.gateway_order_id) : 'nothing to reconcile';
    });
  }

  async paymentReceipt(access: PortalAccess): Promise<PaymentRow> {
    const paid = (await paymentsOfCase(this.deps.pool, this.caseOf(access))).find(
      (p) => p.status === 'paid' && p.receipt,
    );
    if (!paid) throw new NotFoundError('receipt');
    return paid;
  }

  /** The readable receipt (PDF or HTML) of the case's paid payment. */
  async receiptDocument(access: PortalAccess, format: 'pdf' | 'html', ip: string): Promise<Buffer> {
    const paid = await this.paymentReceipt(access);
    const bytes = await this.deps.receipts?.file(paid, format);
    if (!bytes) throw new NotFoundError('receipt document');
    await this.recordView(access, 'portal.receipt', { paymentId: paid.id, format, ip });
    return bytes;
  }

  private async receiptOf(payments: PaymentRow[], publicKey: KeyObject): Promise<PortalView['receipt']> {
    const payment = payments.find((p) => p.status === 'paid' && p.receipt);
    if (!payment || !this.deps.receipts) return null;
    const document = await this.deps.receipts.ensure(payment).catch(() => null);
    if (!document) return null;
    const seal = document.pdfSeal;
    const sealValid = await this.sealChecks.check(document.pdfKey, seal.signature, async () => {
      const bytes = await this.deps.blobs.get(document.pdfKey).catch(() => null);
      return bytes !== null && verifySeal(bytes, seal, publicKey).valid;
    });
    return { payment, document, sealValid };
  }

  private caseOf(access: PortalAccess): string {
    if (!access.notice.case_id) throw new ForbiddenError('this notice belongs to no case');
    return access.notice.case_id;
  }
}
