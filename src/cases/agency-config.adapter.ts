import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { AppealRoutes, DocumentAgency } from '../documents/document-view.js';
import { REPO_ROOT } from '../shared/paths.js';

/**
 * The agency that issues a district's documents, and where its decisions can be appealed. Read once from
 * config/agencies/agencies.json; a district without an entry gets the fallback with `{district}` replaced by
 * the district's name, so a new district works before the bureau fills in its details.
 */

export const AGENCIES_FILE = path.join(REPO_ROOT, 'config', 'agencies', 'agencies.json');

const AppealSchema = Type.Object(
  {
    reconsiderationBody: Type.String({ minLength: 1, description: 'The body a reconsideration goes to' }),
    reconsiderationDays: Type.Integer({
      minimum: 1,
      description: 'Days from receipt to apply for reconsideration',
    }),
    court: Type.String({ minLength: 1, description: 'The court a lawsuit goes to' }),
    litigationMonths: Type.Integer({ minimum: 1, description: 'Months from receipt to sue' }),
  },
  { additionalProperties: false },
);

const AgencySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'The issuing agency as printed on documents' }),
    address: Type.Optional(Type.String({ description: 'Postal address printed on documents' })),
    phone: Type.Optional(Type.String({ description: 'Enquiry phone printed on documents' })),
    serviceWindow: Type.Optional(
      Type.String({ description: 'Where statements are taken in person (Pudong art. 12)' }),
    ),
    appeal: AppealSchema,
  },
  { additionalProperties: false },
);

const AgenciesSchema = Type.Object(
  {
    reviewNotice: Type.String({ description: 'What the bureau must confirm before going live' }),
    fallback: AgencySchema,
    districts: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]{1,31}$' }), AgencySchema),
  },
  { additionalProperties: false },
);

export type AgencyEntry = Static<typeof AgencySchema>;
export type AgenciesConfig = Static<typeof AgenciesSchema>;

export interface Agency {
  agency: DocumentAgency;
  appeal: AppealRoutes;
}

export function parseAgencies(raw: unknown, source = 'agencies config'): AgenciesConfig {
  const error = Value.Errors(AgenciesSchema, raw).First();
  if (error) throw new Error(`${source}: ${error.path || '/'} ${error.message}`);
  return raw as AgenciesConfig;
}

export function agencyFor(config: AgenciesConfig, districtId: string, districtName: string): Agency {
  const entry = config.districts[districtId];
  const fill = (text: string | undefined) => text?.replaceAll('{district}', districtName);
  const chosen = entry ?? config.fallback;
  return {
    agency: {
      name: fill(chosen.name)!,
      address: fill(chosen.address),
      phone: fill(chosen.phone),
      serviceWindow: fill(chosen.serviceWindow),
    },
    appeal: {
      ...chosen.appeal,
      reconsiderationBody: fill(chosen.appeal.reconsiderationBody)!,
      court: fill(chosen.appeal.court)!,
    },
  };
}

let loading: Promise<AgenciesConfig> | null = null;

/** Read once per process. */
export function agenciesConfig(file: string = AGENCIES_FILE): Promise<AgenciesConfig> {
  loading ??= readFile(file, 'utf8').then(
    (text) => parseAgencies(JSON.parse(text) as unknown, file),
    (error: Error) => {
      loading = null;
      throw new Error(`cannot read the agencies file ${file}: ${error.message}`);
    },
  );
  return loading;
}

/** A district's reconsideration and litigation periods (its agency's, or the fallback's). */
export async function appealPeriodsOf(
  districtId: string,
): Promise<{ reconsiderationDays: number; litigationMonths: number }> {
  // The periods do not depend on the district's name, which only fills in the bodies' names.
  const { reconsiderationDays, litigationMonths } = agencyFor(
    await agenciesConfig(),
    districtId,
    districtId,
  ).appeal;
  return { reconsiderationDays, litigationMonths };
}
