import type { CaseSnapshot } from './case-state.js';
import { applyDefence } from '../law/defence.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';

/**
 * What the decision will say before the agency head takes it: the fine in figures and in capitals (大写), the
 * reasons it prints, who receives it and how. The page shows this and asks to confirm, so that a fine typed in the
 * wrong unit is seen before a sealed document is issued.
 */

export interface PreviewParty {
  name: string;
  onlineDeliveryConsent: boolean;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
}

export interface DecisionPreview {
  document: '行政处罚决定书';
  penalty: 'fine' | 'none';
  fineFen: number;
  amount: string;
  amountInCapitals: string;
  reasons: string[];
  recipient: string;
  channel: string;
}

export function previewDecision(snapshot: CaseSnapshot, party: PreviewParty): DecisionPreview {
  const legal = snapshot.legalReview;
  let fineFen = snapshot.fineFen;
  const reasons = [...snapshot.reasons];
  if (legal?.review) {
    const outcome = applyDefence(
      snapshot.proposedFineFen,
      legal.review,
      snapshot.statutoryRangeFen,
      legal.reductionApproved ?? false,
    );
    fineFen = outcome.fineFen;
    reasons.push(...outcome.reasons);
  }
  const online = party.onlineDeliveryConsent && Boolean(party.phone || party.email);
  return {
    document: '行政处罚决定书',
    penalty: fineFen === 0 ? 'none' : 'fine',
    fineFen,
    amount: fineFen === 0 ? '不予处罚' : formatYuan(fineFen),
    amountInCapitals: chineseCapitalAmount(fineFen),
    reasons,
    recipient: party.name,
    channel: online
      ? `网上送达（当事人已书面同意，${[party.phone ? '短信' : '', party.email ? '电子邮件' : ''].filter(Boolean).join('、')}发送查阅链接）`
      : `邮寄送达${party.address ? `（${party.address}）` : ''}`,
  };
}
