import type { StaffI18n } from '../web/i18n/index.js';
import type { FindingKind } from './case-review-rules.js';
import type { Grade } from './scoring.js';
import type { SupervisionStatus } from './supervision-status.js';

/** The words of case-file review's codes and findings, shared by its views and the case page's card. */

const str = (v: unknown): string => (v === null || v === undefined ? '—' : String(v));

export function kindText({ t }: StaffI18n, kind: FindingKind): string {
  const texts = {
    not_pursued: t('caseReview.kind.notPursued'),
    overdue: t('caseReview.kind.overdue'),
    withdrawal: t('caseReview.kind.withdrawal'),
    rejection: t('caseReview.kind.rejection'),
  };
  return texts[kind];
}

export function gradeText({ t }: StaffI18n, grade: Grade): string {
  const texts = {
    excellent: t('caseReview.grade.excellent'),
    pass: t('caseReview.grade.pass'),
    fail: t('caseReview.grade.fail'),
  };
  return texts[grade];
}

export function noticeStatusText({ t }: StaffI18n, status: SupervisionStatus): string {
  const texts = {
    open: t('caseReview.notice.status.open'),
    answered: t('caseReview.notice.status.answered'),
    overdue: t('caseReview.notice.status.overdue'),
  };
  return texts[status];
}

export function withdrawalStatusText({ t }: StaffI18n, status: string): string {
  if (status === 'approved') return t('caseReview.withdrawal.status.approved');
  if (status === 'refused') return t('caseReview.withdrawal.status.refused');
  return t('caseReview.withdrawal.status.proposed');
}

function stageText({ label }: StaffI18n, stage: unknown): string {
  return label('reviewStage', str(stage));
}

/** What a finding says, in the reader's language, from its stored detail. */
export function findingText(i18n: StaffI18n, kind: FindingKind, d: Record<string, unknown>): string {
  const { t, label } = i18n;
  switch (kind) {
    case 'not_pursued':
      return t('caseReview.detail.notPursued', {
        type: label('violationType', str(d.violationType)),
        stage: stageText(i18n, d.stage),
        days: str(d.waitedDays),
        hours: str(d.taskHours),
      });
    case 'overdue':
      return d.deadline === 'open'
        ? t('caseReview.detail.open', { days: str(d.openDays), filed: str(d.filedOn) })
        : t('caseReview.detail.deadline', {
            deadline: label('deadline', str(d.deadline)),
            due: str(d.dueOn),
            days: str(d.daysLate),
          });
    case 'withdrawal':
      return t('caseReview.detail.withdrawal', {
        status: withdrawalStatusText(i18n, str(d.status)),
        reason: str(d.reason),
        by: str(d.proposedBy),
        approver: str(d.decidedBy),
      });
    case 'rejection':
      return t('caseReview.detail.rejection', {
        stage: stageText(i18n, d.stage),
        reason: [d.reasonCode, d.reasonText].filter(Boolean).map(str).join(' · ') || '—',
        by: str(d.decidedBy),
      });
  }
}
