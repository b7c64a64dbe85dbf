import { Type, type Static } from '@sinclair/typebox';
import { DETECTION_ROLES } from '../detect/detection.js';

/*
 * The camera-level rules config: defaults for each zone kind and the tuning of the tracker, the background model
 * and the violation lifecycle. It is stored with a version; every event the rules emit records the version it was
 * judged under. Distances are in frame heights (one unit is the frame's height, along either axis) so that a
 * setting means the same number of pixels horizontally and vertically.
 */

const Roles = Type.Array(
  Type.Union(
    DETECTION_ROLES.map((r) => Type.Literal(r)),
    { description: 'A detection role.' },
  ),
  { minItems: 1, uniqueItems: true, description: 'Detection roles the zone kind watches by default.' },
);

const KindDefaultsSchema = Type.Object(
  {
    roles: Roles,
    dwellSeconds: Type.Integer({
      minimum: 0,
      maximum: 86_400,
      description: 'Default dwell time before a scene becomes a violation.',
    }),
    minScore: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Default lowest detector score that counts.',
    }),
    warnFirst: Type.Boolean({
      description:
        'Whether zones of this kind warn a known party first by default (Pudong art. 15: the bureau shall warn and order correction). On unless turned off with warnFirstOffReason.',
    }),
    warnFirstOffReason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description:
          'Why warn-first is off for this kind (e.g. the catalogue punishes the act directly); required when saving warnFirst false.',
      }),
    ),
    graceSeconds: Type.Integer({
      minimum: 0,
      maximum: 7 * 86_400,
      description: 'Default grace period after a warning before the re-check.',
    }),
    cooldownSeconds: Type.Integer({
      minimum: 0,
      maximum: 7 * 86_400,
      description: 'Default time after a violation ends before the same scene may be flagged again.',
    }),
  },
  {
    additionalProperties: false,
    description: 'Settings a zone of this kind uses where it sets none of its own.',
  },
);

export const TrackerConfigSchema = Type.Object(
  {
    minScore: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Detections scoring below this are not tracked at all.',
    }),
    minIou: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Overlap (IoU) at or above which a detection may continue a track.',
    }),
    maxCentreShift: Type.Number({
      minimum: 0,
      description:
        'Centre movement, in box sizes, up to which a detection may continue a track even without overlap (objects nudged, sparse frames).',
    }),
    maxAreaRatio: Type.Number({
      minimum: 1,
      description: 'A detection more than this many times larger or smaller than a track cannot continue it.',
    }),
    stationaryShift: Type.Number({
      minimum: 0,
      description: 'Centre movement, in box sizes, within which an object still counts as staying in place.',
    }),
    stationarySeconds: Type.Number({
      minimum: 0,
      description: 'How long an object must stay in place to be marked stationary.',
    }),
    maxMissSecondsMoving: Type.Number({
      minimum: 0,
      description: 'How long a moving track, or any person track, survives without a matching detection.',
    }),
    maxMissSecondsStationary: Type.Number({
      minimum: 0,
      description:
        'How long a stationary object or vehicle track survives without a matching detection (occlusion by passers-by, detector misses).',
    }),
    smoothing: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Weight of a new detection in the smoothed track box (1 takes the detection as is).',
    }),
  },
  { additionalProperties: false, description: 'How detections on sparse frames are linked into tracks.' },
);

export const SceneChangeConfigSchema = Type.Object(
  {
    gridWidth: Type.Integer({
      minimum: 4,
      maximum: 512,
      description: 'Columns of the grayscale grid the adapter produces.',
    }),
    gridHeight: Type.Integer({
      minimum: 4,
      maximum: 512,
      description: 'Rows of the grayscale grid the adapter produces.',
    }),
    diffThreshold: Type.Number({
      minimum: 1,
      maximum: 255,
      description:
        'Gray-level difference from the background (after removing a global lighting shift) that marks a cell changed.',
    }),
    backgroundSeconds: Type.Number({
      minimum: 1,
      description: 'Time constant with which unchanged cells follow the scene (light, weather).',
    }),
    absorbSeconds: Type.Number({
      minimum: 1,
      description: 'Much slower time constant with which a lasting change is absorbed into the background.',
    }),
    minPersistSeconds: Type.Number({
      minimum: 0,
      description:
        'How long a changed cell must show the same content (a static new object, not someone passing) before it is reported; the region is still dated from when the change appeared.',
    }),
    learnFrames: Type.Integer({
      minimum: 1,
      maximum: 50,
      description:
        'Frames the initial background is learnt from (per cell, the median of what people and vehicles did not hide), so what passes by meanwhile leaves no ghost.',
    }),
    minCells: Type.Integer({ minimum: 1, description: 'Smallest region, in cells, that is reported.' }),
    excludeMargin: Type.Number({
      minimum: 0,
      maximum: 0.5,
      description: 'Margin added around person and vehicle boxes whose cells are left out of the model.',
    }),
    excludeMissedSeconds: Type.Number({
      minimum: 0,
      description:
        'How long a stationary person or vehicle the detector has missed still hides its cells (bridges detector flicker on a parked van).',
    }),
  },
  {
    additionalProperties: false,
    description:
      'The per-camera background model that finds lasting scene changes (piles without a detector class).',
  },
);

export const CameraRulesConfigSchema = Type.Object(
  {
    frameAspect: Type.Number({
      minimum: 0.1,
      maximum: 10,
      description:
        "The camera frame's width divided by its height, used to measure distances in frame heights.",
    }),
    defaults: Type.Object(
      {
        no_stall: KindDefaultsSchema,
        shop_front: KindDefaultsSchema,
        dumping_spot: KindDefaultsSchema,
        ignore: Type.Object(
          { roles: Roles },
          { additionalProperties: false, description: 'Roles an ignore zone hides by default.' },
        ),
      },
      { additionalProperties: false, description: 'Per zone kind defaults.' },
    ),
    minZoneOverlap: Type.Number({
      minimum: 0,
      maximum: 1,
      description: "Share of an object's box that must lie inside a zone for the object to be in it.",
    }),
    clusterGap: Type.Number({
      minimum: 0,
      description:
        'Objects closer than this (frame heights) form one scene: one stall, one pile, one violation.',
    }),
    missToleranceSeconds: Type.Number({
      minimum: 0,
      description:
        'How long a scene may go unseen (hidden, missed) before a pending scene is dropped or an ongoing violation ends as cleared.',
    }),
    carriedOverlap: Type.Number({
      minimum: 0,
      maximum: 1,
      description:
        "Goods lying at least this share inside a present person's box are taken as carried, not set down.",
    }),
    attendDistance: Type.Number({
      minimum: 0,
      description:
        'A person staying in place (a stationary track) within this distance (frame heights) of a pile attends it, so it is not dumped.',
    }),
    leftAloneSeconds: Type.Number({
      minimum: 0,
      description:
        'How long an object someone stayed by must then be left alone before it is dumped (capped at the zone dwell, which counts from its appearance).',
    }),
    tracker: TrackerConfigSchema,
    sceneChange: SceneChangeConfigSchema,
  },
  {
    additionalProperties: false,
    description: 'Camera-level settings of the rules; zones override the per-kind defaults.',
  },
);

export type KindDefaults = Static<typeof KindDefaultsSchema>;
export type TrackerConfig = Static<typeof TrackerConfigSchema>;
export type SceneChangeConfig = Static<typeof SceneChangeConfigSchema>;
export type CameraRulesConfig = Static<typeof CameraRulesConfigSchema>;

export const DEFAULT_TRACKER_CONFIG: TrackerConfig = {
  minScore: 0.2,
  minIou: 0.2,
  maxCentreShift: 0.75,
  maxAreaRatio: 4,
  stationaryShift: 0.35,
  stationarySeconds: 20,
  maxMissSecondsMoving: 15,
  maxMissSecondsStationary: 300,
  smoothing: 0.5,
};

export const DEFAULT_SCENE_CHANGE_CONFIG: SceneChangeConfig = {
  gridWidth: 64,
  gridHeight: 36,
  diffThreshold: 28,
  backgroundSeconds: 120,
  absorbSeconds: 3 * 3600,
  minPersistSeconds: 10,
  learnFrames: 5,
  minCells: 3,
  excludeMargin: 0.02,
  excludeMissedSeconds: 60,
};

export const DEFAULT_RULES_CONFIG: CameraRulesConfig = {
  frameAspect: 16 / 9,
  defaults: {
    no_stall: {
      roles: ['goods'],
      dwellSeconds: 600,
      minScore: 0.3,
      warnFirst: true,
      graceSeconds: 600,
      cooldownSeconds: 1800,
    },
    shop_front: {
      roles: ['goods'],
      dwellSeconds: 600,
      minScore: 0.3,
      warnFirst: true,
      graceSeconds: 900,
      cooldownSeconds: 1800,
    },
    dumping_spot: {
      // A bag or suitcase left alone is the commonest dumped object; the model calls it `carried`.
      roles: ['dumping', 'carried'],
      dwellSeconds: 600,
      minScore: 0.3,
      warnFirst: true,
      graceSeconds: 600,
      cooldownSeconds: 3600,
    },
    ignore: { roles: [...DETECTION_ROLES] },
  },
  minZoneOverlap: 0.5,
  clusterGap: 0.05,
  missToleranceSeconds: 120,
  carriedOverlap: 0.6,
  attendDistance: 0.08,
  leftAloneSeconds: 60,
  tracker: DEFAULT_TRACKER_CONFIG,
  sceneChange: DEFAULT_SCENE_CHANGE_CONFIG,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (key === '__proto__') continue;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? mergeInto(current, value) : value;
  }
  return out;
}

/**
 * The default config with a camera's overrides laid over it, nested objects merged field by field (arrays are
 * replaced whole), so a camera can store only what it changes. Validate the result with validateRulesConfig.
 */
export function rulesConfigWith(
  overrides: Record<string, unknown>,
  base: CameraRulesConfig = DEFAULT_RULES_CONFIG,
): CameraRulesConfig {
  return mergeInto(base as unknown as Record<string, unknown>, overrides) as unknown as CameraRulesConfig;
}
