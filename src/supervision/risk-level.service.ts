import { appendAudit } from '../audit/audit.repo.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import type { WorkingCalendar } from '../law/calendar.js';
import { workingCalendar } from '../law/catalogue-store.js';
import { compareDates, shanghaiDateOf } from '../law/local-date.js';
import { nextDueOn } from './inspection-cycle.js';
import { riskRuleVersions } from './risk-rules-config.adapter.js';
import {
  levelRank,
  raiseFor,
  riskRulesInForce,
  rulesForDistrict,
  type DistrictRiskRules,
  type RaiseEvent,
  type RiskLevel,
  type RiskRules,
} from './risk-rules.js';
import {
  bumpDailyCounts,
  districtsWithUnleveledShops,
  levelNewShops,
  lockShopRisk,
  markEventApplied,
  pendingRiskEvents,
  insertHistory,
  setLevel,
  type ShopRiskRow,
} from './shop-risk.repo.js';

/**
 * The one path by which a shop's level changes (an initial level, a rule, a member of staff): the level row,
 * a history row, the day's counts and an audit row, in one transaction. Also brings the levels up to date: shops
 * registered since get the initial level, and cases filed and complaints substantiated since are applied by the
 * rules, each once (shop_risk_events). That runs when the pages are read, so no job is needed for it.
 */

export interface RiskContextOptions {
  rules?: () => Promise<RiskRules[]>;
  calendar?: () => Promise<WorkingCalendar>;
  now?: () => Date;
}

export interface LevelChangeInput {
  to: RiskLevel;
  source: 'rule' | 'manual';
  rule: string | null;
  reason: string;
  subjectKind?: string | null;
  subjectId?: string | null;
  staff?: StaffPrincipal | null;
}

export class RiskLevelService {
  readonly now: () => Date;
  private readonly rules: () => Promise<RiskRules[]>;
  readonly calendar: () => Promise<WorkingCalendar>;

  constructor(
    private readonly pool: Pool,
    options: RiskContextOptions = {},
  ) {
    this.rules = options.rules ?? riskRuleVersions;
    this.calendar = options.calendar ?? workingCalendar;
    this.now = options.now ?? (() => new Date());
  }

  today(): string {
    return shanghaiDateOf(this.now());
  }

  async rulesFor(districtId: string, on: string = this.today()): Promise<DistrictRiskRules> {
    return rulesForDistrict(riskRulesInForce(await this.rules(), on), districtId);
  }

  /** Gives new shops their initial level and applies the events not yet applied, for the district(s) in scope. */
  async bringUpToDate(scope: string | null): Promise<void> {
    const calendar = await this.calendar();
    const now = this.now();
    const today = shanghaiDateOf(now);
    for (const districtId of await districtsWithUnleveledShops(this.pool, scope)) {
      const rules = await this.rulesFor(districtId, today);
      const level = rules.initialLevel;
      await withTransaction(this.pool, async (tx) => {
        const added = await levelNewShops(tx, {
          districtId,
          level,
          version: rules.version,
          since: now,
          nextDueOn: nextDueOn(level, today, rules, calendar),
        });
        if (added === 0) return;
        const delta: Record<RiskLevel, number> = { high: 0, medium: 0, low: 0 };
        delta[level] = added;
        await bumpDailyCounts(tx, districtId, today, delta);
        await appendAudit(tx, {
          actorKind: 'system',
          action: 'shop.risk_initialised',
          subjectKind: 'district',
          subjectId: districtId,
          districtId,
          data: { shops: added, level, rulesVersion: rules.version },
        });
      });
    }
    const lookbackRules = await this.rulesFor(scope ?? '', today);
    const since = new Date(now.getTime() - lookbackRules.eventLookbackDays * 86_400_000);
    for (const event of await pendingRiskEvents(this.pool, scope, since)) {
      const kind: RaiseEvent = event.subject_kind === 'case' ? 'caseFiled' : 'complaintSubstantiated';
      await withTransaction(this.pool, async (tx) => {
        if (!(await markEventApplied(tx, event))) return;
        const row = await lockShopRisk(tx, event.party_id);
        if (!row) return;
        const rules = await this.rulesFor(row.district_id, today);
        const change = raiseFor(row.level, kind, rules);
        if (!change) return;
        await this.change(tx, row, {
          to: change.to,
          source: 'rule',
          rule: change.rule,
          reason: change.rule,
          subjectKind: event.subject_kind,
          subjectId: event.subject_id,
        });
      });
    }
  }

  /**
   * Changes the level of a locked shop row: a raise brings the next inspection forward to the new level's cycle
   * from today (never later than it was); a lowering starts the new cycle today.
   */
  async change(tx: Queryable, row: ShopRiskRow, input: LevelChangeInput): Promise<void> {
    if (input.to === row.level) return;
    const now = this.now();
    const today = shanghaiDateOf(now);
    const rules = await this.rulesFor(row.district_id, today);
    const calendar = await this.calendar();
    const fresh = nextDueOn(input.to, today, rules, calendar);
    const raised = levelRank(input.to) > levelRank(row.level);
    const due = raised && compareDates(row.next_due_on, fresh) < 0 ? row.next_due_on : fresh;
    await setLevel(tx, row.party_id, { level: input.to, since: now, version: rules.version, nextDueOn: due });
    await insertHistory(tx, {
      partyId: row.party_id,
      districtId: row.district_id,
      from: row.level,
      to: input.to,
      source: input.source,
      rule: input.rule,
      version: rules.version,
      reason: input.reason,
      subjectKind: input.subjectKind ?? null,
      subjectId: input.subjectId ?? null,
      changedBy: input.staff?.id ?? null,
      at: now,
    });
    const delta = { high: 0, medium: 0, low: 0 };
    delta[row.level] -= 1;
    delta[input.to] += 1;
    await bumpDailyCounts(tx, row.district_id, today, delta);
    await appendAudit(tx, {
      actorKind: input.staff ? 'staff' : 'system',
      actorId: input.staff?.id ?? null,
      action: input.source === 'manual' ? 'shop.risk_level_set' : 'shop.risk_level_changed',
      subjectKind: 'party',
      subjectId: row.party_id,
      districtId: row.district_id,
      data: {
        from: row.level,
        to: input.to,
        rule: input.rule,
        rulesVersion: rules.version,
        reason: input.reason,
        subjectKind: input.subjectKind ?? null,
        subjectId: input.subjectId ?? null,
        nextDueOn: due,
      },
    });
  }
}
