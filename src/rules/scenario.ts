import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DETECTION_ROLES, type Detection } from '../detect/detection.js';
import { blendBoxes, clampBoxToFrame, type Box } from '../geometry/box.js';
import { rulesConfigWith, type CameraRulesConfig } from '../zones/rules-config.schema.js';
import { validateRulesConfig, validateZones } from '../zones/zone-validation.js';
import { ZoneSchema } from '../zones/zone.schema.js';
import { createCameraRulesState, processFrame, type CameraFrame, type CameraRulesState } from './engine.js';
import { RULE_NAMES, type RuleEvent } from './rule-events.js';
import { seededRandom, syntheticGrid, type GridPatch } from './synthetic-grid.js';

/*
 * Labelled scenario sequences: what a camera sees over a stretch of time, written compactly (objects with their
 * presence, paths, occlusions and detector misses), expanded here into the frames the rules get, and the events
 * a correct judgement must produce. Times in a scenario are seconds from its start.
 */

const BoxSchema = Type.Object(
  { x1: Type.Number(), y1: Type.Number(), x2: Type.Number(), y2: Type.Number() },
  { additionalProperties: false, description: 'A normalised box.' },
);
const Interval = Type.Tuple([Type.Number(), Type.Number()], {
  description: 'From and to, seconds from the start.',
});

const ScenarioObjectSchema = Type.Object(
  {
    label: Type.String({ description: 'Detector label.' }),
    role: Type.Union(
      DETECTION_ROLES.map((r) => Type.Literal(r)),
      { description: 'Detection role.' },
    ),
    score: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Detector score, default 0.8.' }),
    ),
    path: Type.Array(Type.Object({ t: Type.Number(), box: BoxSchema }, { additionalProperties: false }), {
      minItems: 1,
      description:
        'Keyframes of the box; in between it moves linearly, outside them it is at the nearest keyframe.',
    }),
    present: Type.Optional(
      Type.Array(Interval, {
        description: 'When the object is physically there; default: the whole scenario.',
      }),
    ),
    hidden: Type.Optional(
      Type.Array(Interval, { description: 'When it is there but the detector misses it (occluded).' }),
    ),
    missRate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Share of frames on which the detector randomly misses it.',
      }),
    ),
    jitter: Type.Optional(
      Type.Number({ minimum: 0, description: 'Random box noise per frame, in normalised units.' }),
    ),
    detected: Type.Optional(
      Type.Boolean({
        description: 'False for things the detector has no class for (only the grid shows them).',
      }),
    ),
    gray: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 255,
        description: 'Gray level it paints on the scene grid while present.',
      }),
    ),
  },
  { additionalProperties: false, description: 'One object in a scenario.' },
);

const ExpectedViolationSchema = Type.Object(
  {
    rule: Type.Union(RULE_NAMES.map((r) => Type.Literal(r))),
    zoneId: Type.String(),
    confirmedBetween: Interval,
    endedBetween: Type.Optional(Interval),
    recheck: Type.Optional(
      Type.Union([Type.Literal('corrected'), Type.Literal('escalate'), Type.Literal('withdrawn')]),
    ),
  },
  { additionalProperties: false, description: 'A violation a correct judgement reports.' },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    tags: Type.Array(Type.String()),
    start: Type.String({ description: 'ISO instant of the first frame, with its offset.' }),
    durationSeconds: Type.Number({ minimum: 1 }),
    intervalSeconds: Type.Number({ minimum: 0.1 }),
    seed: Type.Optional(Type.Integer()),
    config: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Overrides of the default rules config.' }),
    ),
    zones: Type.Array(ZoneSchema),
    scene: Type.Optional(
      Type.Object({ textureSeed: Type.Integer(), noise: Type.Number() }, { additionalProperties: false }),
    ),
    objects: Type.Array(ScenarioObjectSchema),
    expected: Type.Array(ExpectedViolationSchema, {
      description: 'Every violation that should be reported, and no other.',
    }),
  },
  { additionalProperties: false, description: 'A labelled scenario.' },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type ScenarioObject = Static<typeof ScenarioObjectSchema>;
export type ExpectedViolation = Static<typeof ExpectedViolationSchema>;

export function parseScenario(value: unknown, source: string): Scenario {
  const faults = [...Value.Errors(ScenarioSchema, value)].map((e) => `${e.path || '(root)'}: ${e.message}`);
  if (faults.length > 0)
    throw new Error(`scenario ${source} is malformed:\n${faults.slice(0, 10).join('\n')}`);
  const scenario = value as Scenario;
  const zoneFaults = validateZones(scenario.zones).map((f) => f.message);
  const configFaults = validateRulesConfig(scenarioConfig(scenario));
  if (zoneFaults.length + configFaults.length > 0)
    throw new Error(`scenario ${source}: ${[...zoneFaults, ...configFaults].join('; ')}`);
  return scenario;
}

export function scenarioConfig(scenario: Scenario): CameraRulesConfig {
  return rulesConfigWith(scenario.config ?? {});
}

const within = (t: number, intervals: ReadonlyArray<readonly [number, number]> | undefined) =>
  (intervals ?? []).some(([a, b]) => t >= a && t <= b);

function boxAt(o: ScenarioObject, t: number): Box {
  const path = o.path;
  if (t <= path[0]!.t) return path[0]!.box;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    if (t <= b.t) return blendBoxes(a.box, b.box, b.t === a.t ? 1 : (t - a.t) / (b.t - a.t));
  }
  return path.at(-1)!.box;
}

/** The frames a camera would deliver in this scenario: detections, and a scene grid when the scenario has one. */
export function expandScenario(scenario: Scenario): CameraFrame[] {
  const start = Date.parse(scenario.start);
  if (!Number.isFinite(start))
    throw new Error(`scenario ${scenario.name}: start '${scenario.start}' is not an ISO instant`);
  const random = seededRandom(scenario.seed ?? 1);
  const grid = scenario.scene ? { ...scenarioConfig(scenario).sceneChange } : null;
  const frames: CameraFrame[] = [];
  for (let seq = 1, t = 0; t <= scenario.durationSeconds; seq++, t = (seq - 1) * scenario.intervalSeconds) {
    const detections: Detection[] = [];
    const patches: GridPatch[] = [];
    for (const o of scenario.objects) {
      const there = o.present ? within(t, o.present) : true;
      // Draw the random numbers for every object on every frame, so editing one object leaves the others' noise alone.
      const miss = random();
      const jitter = [random(), random(), random(), random()].map((r) => (r * 2 - 1) * (o.jitter ?? 0));
      if (!there) continue;
      const box = boxAt(o, t);
      if (o.gray !== undefined) patches.push({ box, level: o.gray });
      if (o.detected === false || within(t, o.hidden) || miss < (o.missRate ?? 0)) continue;
      const noisy = clampBoxToFrame({
        x1: box.x1 + jitter[0]!,
        y1: box.y1 + jitter[1]!,
        x2: box.x2 + jitter[2]!,
        y2: box.y2 + jitter[3]!,
      });
      detections.push({ label: o.label, role: o.role, score: o.score ?? 0.8, box: noisy });
    }
    const frame: CameraFrame = { seq, capturedAt: start + t * 1000, detections };
    if (grid && scenario.scene) {
      frame.grid = syntheticGrid({
        width: grid.gridWidth,
        height: grid.gridHeight,
        textureSeed: scenario.scene.textureSeed,
        noiseSeed: (scenario.seed ?? 1) * 100_003 + seq,
        noise: scenario.scene.noise,
        lighting: 0,
        patches,
      });
    }
    frames.push(frame);
  }
  return frames;
}

/** The rules context a scenario runs in. */
export function scenarioContext(scenario: Scenario, configVersion = 'scenario') {
  return { cameraId: scenario.name, config: scenarioConfig(scenario), configVersion, zones: scenario.zones };
}

/**
 * Runs every frame of a scenario through the engine from a fresh state; `each` sees the state after each frame.
 * Returns the events and the final state.
 */
export function replayScenario(
  scenario: Scenario,
  configVersion = 'scenario',
  each?: (state: CameraRulesState, frame: CameraFrame, index: number, last: boolean) => void,
): { events: RuleEvent[]; state: CameraRulesState } {
  const ctx = scenarioContext(scenario, configVersion);
  let state = createCameraRulesState();
  const events: RuleEvent[] = [];
  const frames = expandScenario(scenario);
  for (const [k, frame] of frames.entries()) {
    const result = processFrame(state, frame, ctx);
    state = result.state;
    events.push(...result.events);
    each?.(state, frame, k, k === frames.length - 1);
  }
  return { events, state };
}

export function runScenario(scenario: Scenario, configVersion = 'scenario'): RuleEvent[] {
  return replayScenario(scenario, configVersion).events;
}
