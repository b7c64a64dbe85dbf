import type {
  AfterDecisionRow,
  CaseStateRow,
  ComplaintRow,
  DurationRow,
  HearingRow,
  PaymentChannelRow,
  PaymentRateRow,
  StatementRow,
} from './stats-cases.repo.js';
import type { StatsDimension } from './stats-query.js';
import type {
  CandidateCountRow,
  DailyRow,
  FrameCountRow,
  ReviewCountRow,
  ViolationCountRow,
} from './stats-volume.repo.js';

/** The figures of each statistics section as the query layer returns them (plain data, no labels yet). */
export interface PipelineFigures {
  by: StatsDimension;
  /** frames have a camera but no rule or type */
  framesApply: boolean;
  /** candidates have a rule but no type yet */
  candidatesApply: boolean;
  rows: { key: string; name: string | null }[];
  violations: Map<string, ViolationCountRow>;
  reviews: Map<string, ReviewCountRow>;
  frames: Map<string, FrameCountRow>;
  candidates: Map<string, CandidateCountRow>;
  daily: DailyRow[];
}

export interface CasesFigures {
  states: CaseStateRow[];
  durations: DurationRow[];
  statements: StatementRow[];
  hearings: HearingRow[];
  afterDecision: AfterDecisionRow[];
}

export interface PaymentFigures {
  channels: PaymentChannelRow[];
  rate: PaymentRateRow;
}

export interface ComplaintFigures {
  rows: (ComplaintRow & { name: string })[];
}

export interface OverviewFigures {
  pipeline: PipelineFigures;
  byType: ViolationCountRow[];
  cases: CaseStateRow[];
  payments: PaymentFigures;
  complaints: ComplaintFigures;
}
