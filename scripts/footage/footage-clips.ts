import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { iou, type Box } from '../../src/geometry/box.js';
import { RULE_NAMES, type RuleEvent, type RuleName } from '../../src/rules/rule-events.js';
import { ZoneSchema } from '../../src/zones/zone.schema.js';

/*
 * The labelled real clips of `npm run eval:footage` (fixtures/footage/clips.json): which sample video, how a
 * scene is composed onto it (an ffmpeg filter with real objects cut from the sample videos), the camera's zones
 * and rules settings, and what happens in it, written from watching the clip, never from running the rules.
 */

const BoxSchema = Type.Object(
  { x1: Type.Number(), y1: Type.Number(), x2: Type.Number(), y2: Type.Number() },
  { additionalProperties: false, description: 'A normalised box.' },
);

const LabelSchema = Type.Object(
  {
    rule: Type.Union(
      RULE_NAMES.map((r) => Type.Literal(r)),
      { description: 'The violation a correct judgement reports.' },
    ),
    zoneId: Type.String(),
    box: Type.Intersect([BoxSchema], { description: 'Where the object or stall is, roughly.' }),
    appearedAt: Type.Number({ description: 'Seconds into the clip when the object first shows.' }),
    leftAt: Type.Number({
      description:
        'Seconds into the clip when it was left: the person who brought it walked off (or appearedAt).',
    }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const ClipSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9-]+$' }),
    description: Type.String(),
    source: Type.String({ description: 'Asset name of the sample video (assets.manifest.json).' }),
    compose: Type.Optional(
      Type.Object(
        {
          inputs: Type.Array(Type.String(), {
            description: 'Further inputs, relative to the repository root: the cut-out objects.',
          }),
          filter: Type.String({
            description: 'ffmpeg filter_complex from [0:v] (the video) and [1:v].. (the inputs) to [out].',
          }),
          crf: Type.Integer({ minimum: 0, maximum: 51, description: 'x264 quality: higher is more lossy.' }),
        },
        { additionalProperties: false },
      ),
    ),
    sampleSeconds: Type.Number({ minimum: 0.2, description: 'Seconds between sampled frames.' }),
    config: Type.Record(Type.String(), Type.Unknown(), { description: 'Overrides of the rules config.' }),
    zones: Type.Array(ZoneSchema),
    expected: Type.Array(LabelSchema, {
      description: 'Every violation there is; empty for a negative clip.',
    }),
  },
  { additionalProperties: false },
);

export const ClipsFileSchema = Type.Object(
  { description: Type.String(), clips: Type.Array(ClipSchema, { minItems: 1 }) },
  { additionalProperties: false },
);

export type FootageClip = Static<typeof ClipSchema>;
export type FootageLabel = Static<typeof LabelSchema>;

export function parseClips(value: unknown): FootageClip[] {
  const faults = [...Value.Errors(ClipsFileSchema, value)].map((e) => `${e.path || '(root)'}: ${e.message}`);
  if (faults.length > 0) throw new Error(`fixtures/footage/clips.json is malformed:\n${faults.join('\n')}`);
  return (value as Static<typeof ClipsFileSchema>).clips;
}

/** How late after the object was left a violation may come and still count: its dwell plus this. */
export const LATE_MARGIN_SECONDS = 10;

export interface ClipOutcome {
  matched: {
    label: FootageLabel;
    confirmedAt: number;
    fromAppearance: number;
    fromLeft: number;
    /** The detector's labels in the violation (besides the background model's `scene-change`). */
    detectorLabels: string[];
  }[];
  missed: FootageLabel[];
  spurious: { rule: RuleName; zoneId: string; confirmedAt: number; box: Box; labels: string[] }[];
}

/**
 * Matches the violations the rules started (times in seconds into the clip) with the labels: the same rule and
 * zone, overlapping the labelled place, confirmed after the appearance and at most the dwell plus 10 s after the
 * object was left. Each label takes one violation; the rest are spurious.
 */
export function scoreClip(
  labels: readonly FootageLabel[],
  started: readonly (Extract<RuleEvent, { type: 'violation_started' }> & { clipSeconds: number })[],
  dwellOf: (zoneId: string) => number,
): ClipOutcome {
  const outcome: ClipOutcome = { matched: [], missed: [], spurious: [] };
  const free = [...started];
  for (const label of labels) {
    const deadline = Math.max(label.appearedAt, label.leftAt) + dwellOf(label.zoneId) + LATE_MARGIN_SECONDS;
    const k = free.findIndex(
      (e) =>
        e.rule === label.rule &&
        e.zoneId === label.zoneId &&
        iou(e.box, label.box) > 0 &&
        e.clipSeconds >= label.appearedAt &&
        e.clipSeconds <= deadline,
    );
    if (k < 0) {
      outcome.missed.push(label);
      continue;
    }
    const e = free.splice(k, 1)[0]!;
    outcome.matched.push({
      label,
      confirmedAt: e.clipSeconds,
      fromAppearance: e.clipSeconds - label.appearedAt,
      fromLeft: e.clipSeconds - label.leftAt,
      detectorLabels: e.labels.filter((l) => l !== 'scene-change'),
    });
  }
  for (const e of free)
    outcome.spurious.push({
      rule: e.rule,
      zoneId: e.zoneId,
      confirmedAt: e.clipSeconds,
      box: e.box,
      labels: e.labels,
    });
  return outcome;
}
