import { assertRole, districtScope, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { addDays, type LocalDate } from '../law/local-date.js';
import { ValidationError } from '../shared/errors.js';
import { dueState, type DueState } from './inspection-cycle.js';
import {
  camerasCovering,
  countDue,
  dueShops,
  listShops,
  shopInspections,
  type InspectionRow,
} from './inspection.repo.js';
import type { InspectionService } from './inspection.service.js';
import { watchesOf } from './inspection.service.js';
import { lowShareSeries, sampleStep, type SharePoint } from './low-share-chart.js';
import { nonSiteCheck, type NonSiteCheck } from './non-site-check.js';
import type { RiskLevelService } from './risk-level.service.js';
import { RISK_LEVELS, type RiskLevel } from './risk-rules.js';
import {
  dailyCounts,
  levelCounts,
  levelHistory,
  lockShopRisk,
  type HistoryRow,
  type ShopRiskRow,
} from './shop-risk.repo.js';

/** The district's page of shops by risk level, one shop's page, and a level set by hand (audited). */

export const SHOP_PAGE_ROLES: readonly StaffRole[] = ['admin', 'district_staff', 'agency_head', 'leader'];
export const SHOP_DETAIL_ROLES: readonly StaffRole[] = [...SHOP_PAGE_ROLES, 'patrol'];
export const LEVEL_SETTERS: readonly StaffRole[] = ['admin', 'district_staff'];
const PAGE_SIZE = 50;
/** the chart covers this many days up to today */
const CHART_DAYS = 180;
const OVERDUE_SHOWN = 20;

export interface ShopFilterInput {
  level?: RiskLevel;
  q?: string;
  overdue?: boolean;
  page?: number;
}

export interface ShopListItem {
  shopId: string;
  name: string;
  address: string;
  level: RiskLevel;
  dueOn: LocalDate;
  state: DueState;
  lastInspectedAt: Date | null;
  lastOutcome: 'compliant' | 'problem' | null;
}

export interface ShopsPage {
  today: LocalDate;
  counts: Record<RiskLevel, number>;
  total: number;
  lowSharePercent: number | null;
  series: SharePoint[];
  filter: ShopFilterInput;
  list: { items: ShopListItem[]; total: number; page: number; pages: number };
  overdue: { items: ShopListItem[]; total: number };
}

export interface ShopDetail {
  today: LocalDate;
  shop: ShopListItem & {
    idNumber: string | null;
    levelSince: Date;
    rulesVersion: string;
    lastNotes: string | null;
  };
  camera: NonSiteCheck | null;
  history: HistoryRow[];
  inspections: InspectionRow[];
  mayInspect: boolean;
  maySetLevel: boolean;
}

function listItem(row: ShopRiskRow, today: LocalDate): ShopListItem {
  return {
    shopId: row.party_id,
    name: row.name,
    address: row.address,
    level: row.level,
    dueOn: row.next_due_on,
    state: dueState(row.next_due_on, today),
    lastInspectedAt: row.last_inspected_at,
    lastOutcome: row.last_outcome,
  };
}

export class ShopPagesService {
  constructor(
    private readonly pool: Pool,
    private readonly levels: RiskLevelService,
    private readonly inspections: InspectionService,
  ) {}

  async shopsPage(staff: StaffPrincipal, filter: ShopFilterInput): Promise<ShopsPage> {
    assertRole(staff, SHOP_PAGE_ROLES);
    const scope = districtScope(staff);
    await this.levels.bringUpToDate(scope);
    const today = this.levels.today();
    const q = filter.q?.trim() || undefined;
    if (q && q.length > 100) throw new ValidationError('q: at most 100 characters');
    const page = Math.max(1, filter.page ?? 1);
    const counts = await levelCounts(this.pool, scope);
    const total = counts.high + counts.medium + counts.low;
    const list = await listShops(
      this.pool,
      scope,
      { level: filter.level, q, overdueBefore: filter.overdue ? today : undefined },
      { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    );
    const from = addDays(today, -CHART_DAYS);
    const daily = await dailyCounts(this.pool, scope, from, today);
    const series = lowShareSeries(
      daily.map((d) => ({
        districtId: d.district_id,
        on: d.on_date,
        high: d.high,
        medium: d.medium,
        low: d.low,
      })),
      from,
      today,
      sampleStep(from, today),
    );
    const overdueRows = await dueShops(this.pool, scope, addDays(today, -1), OVERDUE_SHOWN);
    return {
      today,
      counts,
      total,
      lowSharePercent: total === 0 ? null : Math.round((counts.low / total) * 1000) / 10,
      series,
      filter: { ...filter, q, page },
      list: {
        items: list.rows.map((r) => listItem(r, today)),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
      },
      overdue: {
        items: overdueRows.map((r) => listItem(r, today)),
        total: await countDue(this.pool, scope, today),
      },
    };
  }

  async detail(staff: StaffPrincipal, shopId: string): Promise<ShopDetail> {
    assertRole(staff, SHOP_DETAIL_ROLES);
    const row = await this.inspections.visibleShop(staff, shopId);
    const today = this.levels.today();
    const covers = await camerasCovering(this.pool, [row.party_id]);
    const start =
      row.last_inspected_at && row.last_inspected_at > row.level_since
        ? row.last_inspected_at
        : row.level_since;
    return {
      today,
      shop: {
        ...listItem(row, today),
        idNumber: row.id_number,
        levelSince: row.level_since,
        rulesVersion: row.rules_version,
        lastNotes: row.last_notes,
      },
      camera: nonSiteCheck(watchesOf(covers, row.party_id, this.levels.now()), start),
      history: await levelHistory(this.pool, row.party_id),
      inspections: await shopInspections(this.pool, row.party_id),
      mayInspect: (['patrol', 'district_staff', 'admin'] as StaffRole[]).includes(staff.role),
      maySetLevel: LEVEL_SETTERS.includes(staff.role),
    };
  }

  /** A level set by a member of staff, with the reason; recorded in the history and the audit log. */
  async setLevel(staff: StaffPrincipal, shopId: string, level: string, reason: string): Promise<void> {
    assertRole(staff, LEVEL_SETTERS);
    const to = RISK_LEVELS.find((l) => l === level);
    if (!to) throw new ValidationError('level: high, medium or low');
    const why = reason.trim();
    if (!why || why.length > 500) throw new ValidationError('reason: 1 to 500 characters');
    const shop = await this.inspections.visibleShop(staff, shopId);
    await withTransaction(this.pool, async (tx) => {
      const row = (await lockShopRisk(tx, shop.party_id))!;
      if (row.level === to) throw new ValidationError('level: the shop is already at this level');
      await this.levels.change(tx, row, {
        to,
        source: 'manual',
        rule: null,
        reason: why,
        staff,
      });
    });
  }
}
