import type { ViolationType } from '../law/catalogue.js';
import type { DocumentKind, DocumentView, EvidenceItem } from './document-view.js';

/**
 * A filled-in view of each document for a street-stall case, for tests, previews and the portal's demo page.
 * The legal provisions come from the catalogue entry passed in, so the sample always quotes the real texts.
 */
export function sampleDocumentView(
  kind: DocumentKind,
  type: ViolationType,
  evidence: readonly EvidenceItem[],
  overrides: Partial<DocumentView> = {},
): DocumentView {
  return {
    kind,
    caseNumber: '沪浦城管非现〔2026〕第000123号',
    agency: {
      name: '上海市浦东新区城市管理行政执法局',
      address: '上海市浦东新区示例路100号',
      serviceWindow: '浦东新区城管执法局非现场执法处理窗口',
    },
    party: {
      kind: 'individual',
      name: '张某某',
      identifier: '3101**********1234',
      address: '上海市浦东新区某某路1弄1号',
    },
    violation: {
      name: type.name,
      occurredAt: '2026年3月2日10时15分',
      location: '浦东新区世纪大道与东方路交叉口东北角人行道',
    },
    facts:
      '2026年3月2日10时15分起，当事人在浦东新区世纪大道与东方路交叉口东北角人行道上摆放桌子、遮阳伞和货物经营，持续四十分钟。经短信劝阻教育并责令改正后，当事人未在规定时间内改正。',
    evidence,
    violatedProvision: type.violatedProvision,
    penaltyProvision: type.penaltyProvision,
    fineFen: 100_00,
    reasons: [
      '当事人十二个月内无同类违法记录',
      '初次违法，适用裁量基准第一档（较轻）',
      '无从轻、从重情节，按本档标准额处罚',
    ],
    deadlines: {
      statementDueOn: '2026-03-10',
      paymentDueOn: '2026-03-30',
      correctionDueOn: '2026-03-02',
    },
    correctionOrder: type.correctionOrder,
    demand: {
      decidedOn: '2026-03-12',
      receivedOn: '2026-03-13',
      paymentDueOn: '2026-03-28',
      fineFen: 100_00,
      lateFeeFen: 30_00,
      payByOn: '2026-04-12',
    },
    appeal: {
      reconsiderationBody: '上海市浦东新区人民政府',
      reconsiderationDays: 60,
      court: '上海铁路运输法院',
      litigationMonths: 6,
    },
    portalUrl: 'https://portal.example.gov.cn/cases/SH-PD-2026-000123',
    sealVerificationUrl: 'https://portal.example.gov.cn/seal',
    sealKeyFingerprint: '0'.repeat(64),
    issuedOn: '2026-03-03',
    catalogueVersion: '2026.1',
    ...overrides,
  };
}
