import { Type, type Static } from '@sinclair/typebox';
import { DETECTION_ROLES } from '../detect/detection.js';

/*
 * A zone is drawn on a camera's latest frame and stored in normalised coordinates. The schema states the shape
 * of the record; the checks a schema cannot express well (vertex counts with a helpful message, points outside
 * the frame, crossing edges, tiny areas, fields that only fit one kind) live in zone-validation.ts so that each
 * fault gets a message naming the zone and what is wrong with it.
 */

export const ZONE_KINDS = ['no_stall', 'shop_front', 'dumping_spot', 'ignore'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export const NormalizedPointSchema = Type.Object(
  {
    x: Type.Number({
      description: 'Horizontal position as a share of the frame width, 0 (left edge) to 1 (right edge).',
    }),
    y: Type.Number({
      description: 'Vertical position as a share of the frame height, 0 (top edge) to 1 (bottom edge).',
    }),
  },
  { additionalProperties: false, description: 'A point on the camera frame in normalised coordinates.' },
);

const TIME_OF_DAY = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

export const ScheduleWindowSchema = Type.Object(
  {
    days: Type.Array(
      Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 is Monday, 7 is Sunday.' }),
      {
        minItems: 1,
        maxItems: 7,
        uniqueItems: true,
        description:
          'Weekdays on which the window opens (Asia/Shanghai local time); an overnight window runs on into the next day.',
      },
    ),
    start: Type.String({
      pattern: TIME_OF_DAY,
      description: 'Local time the window opens, HH:MM, inclusive.',
    }),
    end: Type.String({
      pattern: TIME_OF_DAY,
      description:
        'Local time the window closes, HH:MM, exclusive; 24:00 is midnight at the end of the day; earlier than start means the window runs past midnight.',
    }),
  },
  {
    additionalProperties: false,
    description: 'A weekly time window in Asia/Shanghai local time during which a zone is enforced.',
  },
);

export const FrontLineSchema = Type.Object(
  {
    points: Type.Array(NormalizedPointSchema, {
      maxItems: 1000,
      description:
        "The shop's door or facade line, as an open polyline in normalised coordinates (at least 2 points, at most 64).",
    }),
    sidewalkSide: Type.Union([Type.Literal('left'), Type.Literal('right')], {
      description:
        "Which side of the line is public sidewalk, as seen on the image walking from the line's first point to its last.",
    }),
    allowedDepth: Type.Number({
      minimum: 0,
      description:
        "How far beyond the line goods may stand without counting, in frame heights (0.02 is 2% of the frame's height).",
    }),
    partyId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The party (shop) this line belongs to; warnings and cases are addressed to it.',
    }),
  },
  {
    additionalProperties: false,
    description: 'A shop front line: what lies beyond it on the sidewalk side is encroachment.',
  },
);

export const ZoneSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_.-]+$',
      description: 'Stable identifier of the zone within its camera.',
    }),
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Human name of the zone, shown to operators and used in error messages.',
    }),
    kind: Type.Union(
      ZONE_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          'no_stall: street stalls are flagged here; shop_front: goods beyond a shop front line are flagged; dumping_spot: new unattended piles are flagged; ignore: detections and scene changes here are ignored.',
      },
    ),
    points: Type.Array(NormalizedPointSchema, {
      maxItems: 1000,
      description:
        'Polygon of the zone in normalised coordinates, vertices in order, closed implicitly (3 to 64 points, inside the frame, edges not crossing).',
    }),
    frontLine: Type.Optional(FrontLineSchema),
    roles: Type.Optional(
      Type.Array(
        Type.Union(
          DETECTION_ROLES.map((r) => Type.Literal(r)),
          { description: 'A detection role.' },
        ),
        {
          minItems: 1,
          uniqueItems: true,
          description:
            'Detection roles this zone watches (for ignore zones: roles it hides); defaults per kind from the camera rules config.',
        },
      ),
    ),
    labels: Type.Optional(
      Type.Array(
        Type.String({ minLength: 1, maxLength: 100, description: "A detector label, e.g. 'umbrella'." }),
        {
          uniqueItems: true,
          maxItems: 200,
          description:
            'When given and not empty, only detections with one of these labels count, in addition to their role matching.',
        },
      ),
    ),
    dwellSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400,
        description: 'How long a scene must stay before it is a violation; defaults per kind.',
      }),
    ),
    minScore: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Lowest detector score that counts in this zone; defaults per kind.',
      }),
    ),
    schedule: Type.Optional(
      Type.Array(ScheduleWindowSchema, {
        maxItems: 50,
        description:
          'Weekly windows when the zone is enforced, Asia/Shanghai local time; absent or empty means always.',
      }),
    ),
    enabled: Type.Boolean({
      description: 'A disabled zone is kept but flags nothing; ongoing violations in it end.',
    }),
    warnFirst: Type.Optional(
      Type.Boolean({
        description:
          'Warn the known party first and re-check after the grace period (shop_front only); defaults per kind.',
      }),
    ),
    warnFirstOffReason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'Why warn-first is turned off in this zone; required when saving warnFirst false.',
      }),
    ),
    graceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        description: 'Time the warned party has to correct before the scene is re-checked.',
      }),
    ),
    cooldownSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        description: 'After a violation ends, how long the same scene in this zone is not flagged again.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'A zone drawn on a camera frame, with the settings of the rule it carries.',
  },
);

export type NormalizedPoint = Static<typeof NormalizedPointSchema>;
export type ScheduleWindow = Static<typeof ScheduleWindowSchema>;
export type FrontLine = Static<typeof FrontLineSchema>;
export type Zone = Static<typeof ZoneSchema>;

export const ZoneListSchema = Type.Array(ZoneSchema, {
  maxItems: 200,
  description: 'All zones of one camera.',
});
