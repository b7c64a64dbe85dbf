import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { formatShanghai } from '../web/time-format.js';
import type { StaffI18n } from '../web/i18n/index.js';
import { CSV_BOM, csvLine } from './csv.js';
import { statsSection } from './stats-pages.service.js';
import type { StatsDimension, StatsQuery } from './stats-query.js';
import { exportCell } from './stats-cells.js';
import { tabOfTable, type StatsTableId } from './stats-tables.js';
import type { StatsService } from './stats.service.js';

/** A table to export: its headings and its rows in batches, produced as they are written. */
export interface ExportTable {
  name: string;
  headings: string[];
  batches: AsyncIterable<(string | number | null)[][]>;
}

export type ExportTableId = StatsTableId | 'violations';

/**
 * The rows of one table of the pages (from the same query layer, as the page shows them, numbers as numbers), or
 * the violations of the query one by one ('violations'), read in keyset batches so that a long export never holds
 * the whole result.
 */
export async function exportTable(
  stats: StatsService,
  id: ExportTableId,
  q: StatsQuery,
  by: StatsDimension,
  i18n: StaffI18n,
): Promise<ExportTable> {
  const { t } = i18n;
  if (id === 'violations') {
    return {
      name: 'violations',
      headings: [
        t('stats.col.violationId'),
        t('stats.col.capturedAt'),
        t('stats.by.district'),
        t('stats.by.street'),
        t('stats.by.camera'),
        t('stats.by.rule'),
        t('stats.by.type'),
        t('stats.col.status'),
        t('stats.col.caseNumber'),
        t('stats.col.state'),
      ],
      batches: (async function* () {
        for await (const rows of stats.violationDetail(q))
          yield rows.map((v) => [
            v.id,
            formatShanghai(v.first_seen_at),
            v.district_id,
            v.street,
            v.camera_name,
            i18n.label('rule', v.rule),
            i18n.label('violationType', v.violation_type),
            i18n.label('violationStatus', v.status),
            v.case_number,
            v.case_status === null ? null : i18n.label('caseState', v.case_status),
          ]);
      })(),
    };
  }
  const section = await statsSection(stats, tabOfTable(id), q, by, i18n);
  const table = section.tables.find((x) => x.id === id)!;
  return {
    name: id,
    headings: table.columns.map((c) => c.heading),
    batches: (async function* () {
      yield table.rows.map((row) => row.map((cell, i) => exportCell(table.columns[i]!.kind, cell)));
    })(),
  };
}

/** The table as CSV for Excel (BOM, CRLF, formula cells neutralised), produced batch by batch. */
export function csvStream(table: ExportTable): Readable {
  return Readable.from(
    (async function* () {
      yield CSV_BOM + csvLine(table.headings);
      for await (const rows of table.batches) yield rows.map(csvLine).join('');
    })(),
  );
}

/** The table as an XLSX workbook written as a stream (exceljs' streaming writer: committed rows are flushed). */
export function xlsxStream(table: ExportTable, onError: (error: unknown) => void): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  void (async () => {
    sheet.addRow(table.headings).commit();
    for await (const rows of table.batches) for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
