import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CitationSchema } from './legal-citation.js';

/**
 * The violation catalogue: what each violation is, which provision it breaks and punishes, the statutory fine
 * range and the bureau's discretion benchmark. It is versioned configuration (config/catalogue/<version>.json):
 * a change is a new file with a new version, and every case records the version its benchmark decision used.
 */

export const PARTY_KINDS = ['individual', 'unit'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const HARM_LEVELS = ['none', 'slight', 'significant'] as const;
export type HarmLevel = (typeof HARM_LEVELS)[number];

const Fen = (description: string) =>
  Type.Integer({ minimum: 0, description: `${description} (integer fen; 100 fen = 1 yuan)` });

const FineRangeSchema = Type.Object(
  {
    minFen: Fen('Statutory minimum fine; 0 where the law only gives a maximum ("…元以下")'),
    maxFen: Fen('Statutory maximum fine'),
  },
  { additionalProperties: false },
);

const BandSchema = Type.Object(
  {
    minFen: Fen(
      'Lowest fine of this tier, used when a statutory mitigating circumstance applies (APL art. 32)',
    ),
    standardFen: Fen('The fine this tier proposes when no circumstance moves it'),
    maxFen: Fen('Highest fine of this tier, used when an aggravating circumstance applies'),
  },
  { additionalProperties: false },
);

const TierConditionSchema = Type.Object(
  {
    minPriorViolations: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'At least this many decided violations of the same type in the 12 months before',
      }),
    ),
    maxPriorViolations: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'At most this many decided violations of the same type in the 12 months before',
      }),
    ),
    correctedInTime: Type.Optional(
      Type.Boolean({ description: 'Whether the party corrected within the warn-first grace period' }),
    ),
    minorViolation: Type.Optional(
      Type.Boolean({ description: 'Whether the reviewer judged the violation minor (情节轻微)' }),
    ),
    harmAtMost: Type.Optional(
      Type.Union(
        HARM_LEVELS.map((level) => Type.Literal(level)),
        { description: 'The harm caused is at most this level: none < slight < significant' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'Every condition given must hold; an empty object always matches',
  },
);

const TierSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z][a-z0-9_]*$',
      description: 'Stable id of the tier, recorded on the case',
    }),
    label: Type.String({
      minLength: 1,
      description: 'Short Chinese name of the tier shown to staff and in documents',
    }),
    when: TierConditionSchema,
    penalty: Type.Union(
      [
        Type.Object(
          { kind: Type.Literal('none') },
          { additionalProperties: false, description: 'No penalty (不予处罚)' },
        ),
        Type.Object(
          {
            kind: Type.Literal('fine'),
            individual: Type.Optional(BandSchema),
            unit: Type.Optional(BandSchema),
          },
          {
            additionalProperties: false,
            description: 'A fine; one band for each party kind the type can be committed by',
          },
        ),
      ],
      { description: 'What the tier proposes' },
    ),
    reason: Type.String({
      minLength: 1,
      description: 'Chinese sentence giving the reason, quoted in the decision',
    }),
  },
  { additionalProperties: false },
);

const ViolationTypeSchema = Type.Object(
  {
    code: Type.String({
      pattern: '^[a-z][a-z0-9_]*$',
      description: 'Stable code used by the rules and the database',
    }),
    name: Type.String({
      minLength: 1,
      description: 'Chinese description of the act, as it reads in documents',
    }),
    shortName: Type.String({ minLength: 1, description: 'Short Chinese name for lists' }),
    violatedProvision: { ...CitationSchema, description: 'The provision the act breaks' },
    penaltyProvision: { ...CitationSchema, description: 'The provision that sets the penalty' },
    fineRangeFen: Type.Object(
      { individual: Type.Optional(FineRangeSchema), unit: Type.Optional(FineRangeSchema) },
      {
        additionalProperties: false,
        description: 'Statutory fine range by party kind; a kind left out cannot commit it',
      },
    ),
    correctionOrder: Type.String({
      minLength: 1,
      description: 'What the correction order tells the party to do (责令改正)',
    }),
    tiers: Type.Array(TierSchema, {
      minItems: 1,
      description: 'Discretion benchmark tiers, tried in order; the first whose conditions hold decides',
    }),
    collectiveDiscussion: Type.Optional(
      Type.Object(
        {
          always: Type.Optional(
            Type.Boolean({ description: 'Every case of this type is complex and goes to the discussion' }),
          ),
          fromFen: Type.Optional(
            Type.Object(
              {
                individual: Type.Optional(Fen('From this proposed fine an individual case is serious')),
                unit: Type.Optional(Fen('From this proposed fine a unit case is serious')),
              },
              { additionalProperties: false },
            ),
          ),
          reason: Type.String({
            minLength: 1,
            description: 'Chinese sentence: why such cases are complex or serious',
          }),
        },
        {
          additionalProperties: false,
          description:
            "Marks cases of this type complex or serious: the agency's heads decide them by collective discussion (APL art. 57 para. 2)",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CatalogueSchema = Type.Object(
  {
    version: Type.String({
      pattern: '^[0-9A-Za-z._-]{1,32}$',
      description: 'Version recorded on every case',
    }),
    effectiveFrom: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'First day this version applies',
    }),
    title: Type.String({
      minLength: 1,
      description: 'Chinese title of the published catalogue and benchmark',
    }),
    reviewNotice: Type.String({ description: 'What the bureau must check before publishing this version' }),
    procedure: Type.Object(
      {
        statementWindowWorkingDays: Type.Integer({
          minimum: 3,
          maximum: 30,
          description:
            'Working days after the advance notice is received in which a statement or defence is taken (Pudong art. 11 "指定时间")',
        }),
        hearingThresholdFen: Type.Object(
          {
            individual: Fen(
              'A proposed fine at or above this gives an individual the right to a hearing (APL art. 63 较大数额)',
            ),
            unit: Fen('A proposed fine at or above this gives a unit the right to a hearing'),
          },
          { additionalProperties: false },
        ),
        decisionWarnDays: Type.Integer({
          minimum: 0,
          maximum: 89,
          description: 'Flag a case this many days before its 90-day decision deadline',
        }),
        deliveryWarnWorkingDays: Type.Integer({
          minimum: 0,
          maximum: 6,
          description: 'Flag an undelivered decision this many working days before the 7-day limit',
        }),
        paymentWarnDays: Type.Integer({
          minimum: 0,
          maximum: 14,
          description: 'Remind the party this many days before the payment deadline',
        }),
      },
      { additionalProperties: false },
    ),
    violationTypes: Type.Array(ViolationTypeSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type Catalogue = Static<typeof CatalogueSchema>;
export type ViolationType = Static<typeof ViolationTypeSchema>;
export type BenchmarkTier = Static<typeof TierSchema>;
export type TierCondition = Static<typeof TierConditionSchema>;
export type FineBand = Static<typeof BandSchema>;
export type ProcedureSettings = Catalogue['procedure'];

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

/** Validates the shape and then the law: bands inside statutory ranges, and every situation decided by a tier. */
export function parseCatalogue(raw: unknown): Catalogue {
  const firstError = Value.Errors(CatalogueSchema, raw).First();
  if (firstError) throw new CatalogueError(`catalogue ${firstError.path || '/'}: ${firstError.message}`);
  const catalogue = raw as Catalogue;
  const codes = new Set<string>();
  for (const type of catalogue.violationTypes) {
    if (codes.has(type.code))
      throw new CatalogueError(`catalogue ${catalogue.version}: violation type ${type.code} is listed twice`);
    codes.add(type.code);
    checkViolationType(catalogue.version, type);
  }
  return catalogue;
}

function checkViolationType(version: string, type: ViolationType): void {
  const where = `catalogue ${version} type ${type.code}`;
  const kinds = PARTY_KINDS.filter((kind) => type.fineRangeFen[kind] !== undefined);
  if (kinds.length === 0) throw new CatalogueError(`${where}: fineRangeFen names no party kind`);
  for (const kind of kinds) {
    const range = type.fineRangeFen[kind]!;
    if (range.minFen > range.maxFen)
      throw new CatalogueError(`${where}: ${kind} fine range minimum exceeds maximum`);
  }
  const tierIds = new Set<string>();
  for (const tier of type.tiers) {
    const tierWhere = `${where} tier ${tier.id}`;
    if (tierIds.has(tier.id)) throw new CatalogueError(`${tierWhere}: tier id used twice`);
    tierIds.add(tier.id);
    const { minPriorViolations: min, maxPriorViolations: max } = tier.when;
    if (min !== undefined && max !== undefined && min > max) {
      throw new CatalogueError(`${tierWhere}: minPriorViolations ${min} exceeds maxPriorViolations ${max}`);
    }
    if (tier.penalty.kind !== 'fine') continue;
    for (const kind of kinds) {
      const band = tier.penalty[kind];
      const range = type.fineRangeFen[kind]!;
      if (!band)
        throw new CatalogueError(`${tierWhere}: no fine band for ${kind}, who can commit this violation`);
      if (!(band.minFen <= band.standardFen && band.standardFen <= band.maxFen)) {
        throw new CatalogueError(`${tierWhere} ${kind}: band must satisfy minFen <= standardFen <= maxFen`);
      }
      if (band.minFen < 1)
        throw new CatalogueError(`${tierWhere} ${kind}: a fine tier must propose a fine of at least 1 fen`);
      if (band.minFen < range.minFen || band.maxFen > range.maxFen) {
        throw new CatalogueError(
          `${tierWhere} ${kind}: band ${band.minFen}..${band.maxFen} fen leaves the statutory range ${range.minFen}..${range.maxFen} fen`,
        );
      }
    }
    for (const kind of PARTY_KINDS) {
      if (tier.penalty[kind] && !kinds.includes(kind)) {
        throw new CatalogueError(
          `${tierWhere}: has a band for ${kind}, but fineRangeFen gives ${kind} no range`,
        );
      }
    }
  }
  checkEverySituationDecided(where, type);
}

// Prior counts past the largest bound behave like the largest bound, so checking one beyond it covers them all.
function checkEverySituationDecided(where: string, type: ViolationType): void {
  const bounds = type.tiers.flatMap((tier) => [
    tier.when.minPriorViolations ?? 0,
    tier.when.maxPriorViolations ?? 0,
  ]);
  const priorLimit = Math.max(0, ...bounds) + 1;
  for (let priors = 0; priors <= priorLimit; priors += 1) {
    for (const correctedInTime of [true, false]) {
      for (const minorViolation of [true, false]) {
        for (const harm of HARM_LEVELS) {
          const situation = { priorViolations: priors, correctedInTime, minorViolation, harm };
          if (!type.tiers.some((tier) => tierMatches(tier.when, situation))) {
            throw new CatalogueError(`${where}: no tier decides the situation ${JSON.stringify(situation)}`);
          }
        }
      }
    }
  }
}

export interface Situation {
  priorViolations: number;
  correctedInTime: boolean;
  minorViolation: boolean;
  harm: HarmLevel;
}

export function tierMatches(condition: TierCondition, situation: Situation): boolean {
  if (condition.minPriorViolations !== undefined && situation.priorViolations < condition.minPriorViolations)
    return false;
  if (condition.maxPriorViolations !== undefined && situation.priorViolations > condition.maxPriorViolations)
    return false;
  if (condition.correctedInTime !== undefined && situation.correctedInTime !== condition.correctedInTime)
    return false;
  if (condition.minorViolation !== undefined && situation.minorViolation !== condition.minorViolation)
    return false;
  if (
    condition.harmAtMost !== undefined &&
    HARM_LEVELS.indexOf(situation.harm) > HARM_LEVELS.indexOf(condition.harmAtMost)
  ) {
    return false;
  }
  return true;
}

/** Whether the catalogue marks a case of this type, party kind and proposed fine complex or serious. */
export function needsCollectiveDiscussion(
  type: ViolationType,
  partyKind: PartyKind,
  fineFen: number,
): boolean {
  const mark = type.collectiveDiscussion;
  if (!mark) return false;
  if (mark.always) return true;
  const from = mark.fromFen?.[partyKind];
  return from !== undefined && fineFen > 0 && fineFen >= from;
}

export function findViolationType(catalogue: Catalogue, code: string): ViolationType {
  const type = catalogue.violationTypes.find((candidate) => candidate.code === code);
  if (!type) {
    const known = catalogue.violationTypes.map((candidate) => candidate.code).join(', ');
    throw new CatalogueError(
      `catalogue ${catalogue.version} has no violation type "${code}" (known: ${known})`,
    );
  }
  return type;
}

/** The version in force on `date`: the latest whose effectiveFrom is on or before it. */
export function catalogueInForce(catalogues: Iterable<Catalogue>, date: string): Catalogue {
  let best: Catalogue | undefined;
  for (const catalogue of catalogues) {
    if (catalogue.effectiveFrom <= date && (!best || catalogue.effectiveFrom > best.effectiveFrom))
      best = catalogue;
  }
  if (!best) throw new CatalogueError(`no catalogue version is in force on ${date}`);
  return best;
}
