import type { Detection } from '../detect/detection.js';
import { iou, type Box } from '../geometry/box.js';
import type { CameraRulesConfig } from '../zones/rules-config.schema.js';
import { isScheduleActive } from '../zones/schedule.js';
import { zoneSettings } from '../zones/zone-settings.js';
import type { Zone } from '../zones/zone.schema.js';
import { dumpingObservations } from './dumping.rule.js';
import { encroachmentObservations } from './encroachment.rule.js';
import { clusterObservations, type Observation, type ZoneFrame } from './observation.js';
import { RULE_OF_ZONE_KIND, type RuleEvent } from './rule-events.js';
import {
  applySceneFrame,
  type SceneGrid,
  type SceneHints,
  type SceneModelState,
  type SceneRegion,
} from './scene-change.js';
import { advanceZone, createZoneRulesState, type ZoneRulesState } from './scene-lifecycle.js';
import { stallObservations } from './stall.rule.js';
import { applyFrame, createTrackerState, tracksSeenIn, type Track, type TrackerState } from './tracker.js';

/*
 * The rules for one camera, frame by frame. Everything here is a pure function of the stored state and the new
 * frame, so the worker can keep one JSON document per camera, apply frames in sequence order, and retry safely:
 * a frame that is not newer than the last applied one changes nothing and emits nothing.
 */

export interface RulesState {
  version: 1;
  lastSeq: number | null;
  lastAt: number | null;
  /** Source of candidate and violation numbers, so ids are unique per camera and replay identically. */
  nextNumber: number;
  zones: Record<string, ZoneRulesState>;
}

export interface RulesContext {
  /** Prefix of violation ids; the camera's id. */
  cameraId: string;
  config: CameraRulesConfig;
  /** Version of the config and zones this frame is judged under; recorded in every event. */
  configVersion: string;
  /** The camera's zones, already validated. */
  zones: readonly Zone[];
}

export interface RulesFrame {
  seq: number;
  /** Capture time, epoch milliseconds. */
  capturedAt: number;
}

/**
 * A person the detector missed this long ago still attends what they stood by (one or two missed frames at a
 * few frames a second); longer, and someone who walked off would keep "attending" for as long as their track
 * lives, or hand it on to the next person who stands on that spot.
 */
const ATTENDING_MISS_MS = 5_000;

export function createRulesState(): RulesState {
  return { version: 1, lastSeq: null, lastAt: null, nextNumber: 1, zones: {} };
}

function observationsFor(
  frame: ZoneFrame,
  zoneState: ZoneRulesState,
): { observations: Observation[]; zoneState: ZoneRulesState } {
  switch (frame.zone.kind) {
    case 'no_stall':
      return { observations: stallObservations(frame), zoneState };
    case 'shop_front':
      return { observations: encroachmentObservations(frame), zoneState };
    case 'dumping_spot': {
      const result = dumpingObservations(frame, zoneState.baseline, zoneState.watchingSince);
      return { observations: result.observations, zoneState: { ...zoneState, baseline: result.baseline } };
    }
    case 'ignore':
      return { observations: [], zoneState };
  }
}

/** Ends what a zone that is gone (or now carries another rule) had open. */
function closeZone(
  zoneId: string,
  zs: ZoneRulesState,
  frame: RulesFrame,
  configVersion: string,
): RuleEvent[] {
  const base = {
    rule: zs.rule,
    zoneId,
    zoneName: zs.zoneName,
    configVersion,
    at: frame.capturedAt,
    seq: frame.seq,
  };
  const events: RuleEvent[] = [];
  for (const c of zs.candidates) {
    if (c.violation) {
      events.push({
        ...base,
        type: 'violation_ended',
        violationId: c.violation.id,
        reason: 'zone_removed',
        lastSeenAt: c.lastSeenAt,
        lastSeenSeq: c.lastSeenSeq,
      });
    }
  }
  for (const w of zs.warnings) {
    events.push({
      ...base,
      type: 'warning_rechecked',
      violationId: w.violationId,
      partyId: w.partyId,
      outcome: 'withdrawn',
    });
  }
  return events;
}

/**
 * Judges one frame: the tracker state after this frame, and the scene-change regions found on it, against the
 * camera's zones. Returns the new rules state and the events, in zone order.
 */
export function evaluateRules(
  state: RulesState,
  frame: RulesFrame,
  seen: { tracker: TrackerState; sceneRegions: readonly SceneRegion[]; sceneActive?: boolean },
  ctx: RulesContext,
): { state: RulesState; events: RuleEvent[] } {
  if (state.version !== 1)
    throw new Error(`rules state version ${String(state.version)} is not supported (expected 1)`);
  if (
    (state.lastSeq !== null && frame.seq <= state.lastSeq) ||
    (state.lastAt !== null && frame.capturedAt < state.lastAt)
  ) {
    return { state, events: [] };
  }
  const at = frame.capturedAt;
  const present = tracksSeenIn(seen.tracker, frame.seq);
  const persons = seen.tracker.tracks.filter(
    (t) => t.role === 'person' && frame.capturedAt - t.lastSeenAt <= ATTENDING_MISS_MS,
  );
  const ignoreZones = ctx.zones.filter(
    (z) => z.kind === 'ignore' && z.enabled && isScheduleActive(z.schedule, at),
  );
  let nextNumber = state.nextNumber;
  const take = () => nextNumber++;
  const events: RuleEvent[] = [];
  const zones: Record<string, ZoneRulesState> = {};

  for (const zone of ctx.zones) {
    if (zone.kind === 'ignore') continue;
    const rule = RULE_OF_ZONE_KIND[zone.kind];
    if (zone.id === '__proto__')
      throw new Error(`zone id '__proto__' is reserved; validate zones before judging frames`);
    let zoneState: ZoneRulesState | undefined = Object.hasOwn(state.zones, zone.id)
      ? state.zones[zone.id]
      : undefined;
    if (zoneState && zoneState.rule !== rule) {
      events.push(...closeZone(zone.id, zoneState, frame, ctx.configVersion));
      zoneState = undefined;
    }
    zoneState ??= createZoneRulesState(rule, zone.name, at);
    const settings = zoneSettings(zone, ctx.config);
    const zoneFrame: ZoneFrame = {
      zone,
      settings,
      config: ctx.config,
      seq: frame.seq,
      capturedAt: at,
      present,
      sceneRegions: seen.sceneRegions,
      sceneActive: seen.sceneActive ?? false,
      persons,
      ignoreZones,
    };
    const observed = observationsFor(zoneFrame, zoneState);
    const step = advanceZone({
      zone,
      rule,
      settings,
      config: ctx.config,
      configVersion: ctx.configVersion,
      cameraId: ctx.cameraId,
      seq: frame.seq,
      at,
      active: zone.enabled && isScheduleActive(zone.schedule, at),
      clusters: clusterObservations(observed.observations, ctx.config.clusterGap, ctx.config.frameAspect),
      state: observed.zoneState,
      nextNumber: take,
    });
    events.push(...step.events);
    zones[zone.id] = step.state;
  }
  for (const [zoneId, zoneState] of Object.entries(state.zones)) {
    if (!(zoneId in zones)) events.push(...closeZone(zoneId, zoneState, frame, ctx.configVersion));
  }
  return { state: { version: 1, lastSeq: frame.seq, lastAt: at, nextNumber, zones }, events };
}

/** A person seen staying in place, remembered after their track is lost (see `staying` below). */
export interface StayingPerson {
  trackId: string;
  box: Box;
  lastSeenAt: number;
}

/** Everything the rules keep for one camera: one JSON document. */
export interface CameraRulesState {
  version: 1;
  tracker: TrackerState;
  scene: SceneModelState | null;
  rules: RulesState;
  /**
   * People who stood still, kept for a minute after the detector last saw them unless their track was seen to
   * walk off: someone standing for minutes and then missed for a few frames is still taken to be there by the
   * background model, not taken for an object left on that spot.
   */
  staying?: StayingPerson[];
  /**
   * Where the detector saw objects (not people or vehicles) while the background was learnt: fixed things of the
   * scene (a bin, a utility box, bottles on a shelf). Absent in states stored before it was kept.
   */
  learntObjects?: Box[];
}

/** A track this close to where a learnt object stood is that object, back in its place. */
const SAME_OBJECT_IOU = 0.5;

const STAYING_MEMORY_MS = 60_000;

function stayingPeople(before: readonly StayingPerson[], tracker: TrackerState, at: number): StayingPerson[] {
  const byId = new Map(tracker.tracks.map((t) => [t.id, t]));
  const kept = before.filter((p) => {
    const track = byId.get(p.trackId);
    // Seen again and no longer staying: they walked off, the spot is free.
    if (track && track.lastSeenAt === at && !track.stationary) return false;
    return at - p.lastSeenAt <= STAYING_MEMORY_MS;
  });
  const now = tracker.tracks.filter((t) => t.role === 'person' && t.stationary && t.lastSeenAt === at);
  return [
    ...kept.filter((p) => !now.some((t) => t.id === p.trackId)),
    ...now.map((t) => ({ trackId: t.id, box: t.box, lastSeenAt: at })),
  ];
}

export interface CameraFrame extends RulesFrame {
  detections: readonly Detection[];
  /** The frame as a small grayscale grid for the background model; without it no scene change is looked for. */
  grid?: SceneGrid | null;
}

export interface ProcessedFrame {
  state: CameraRulesState;
  events: RuleEvent[];
  /** False when the frame was late or repeated: the state is the one given, and there are no events. */
  applied: boolean;
  /** Tracks matched on this frame, for drawing and debugging. */
  tracks: Track[];
  sceneRegions: SceneRegion[];
}

export function createCameraRulesState(): CameraRulesState {
  return { version: 1, tracker: createTrackerState(), scene: null, rules: createRulesState() };
}

/**
 * What the tracks tell the background model. People and vehicles hide what is under them: those on this frame,
 * people missed for a frame or two (still tracked), and parked vehicles the detector briefly missed, but not for
 * long, or a van that has left would keep hiding the spot it stood on. Objects that stood still while the
 * background was learnt and are now gone leave their place to be healed; those still seen in their place are
 * known, and a change within one is that object nudged.
 */
function sceneHints(
  tracker: TrackerState,
  scene: SceneModelState | null,
  learntObjects: readonly Box[],
  frame: CameraFrame,
  excludeMissedSeconds: number,
): SceneHints {
  const bridge = excludeMissedSeconds * 1000;
  const exclude = tracker.tracks
    .filter((t) => t.role === 'person' || t.role === 'vehicle')
    .filter(
      (t) =>
        t.lastSeenSeq === frame.seq ||
        (t.role === 'person' && t.misses <= 2) ||
        (t.stationary && frame.capturedAt - t.lastSeenAt <= bridge),
    )
    .map((t) => t.box);
  const learntAt = scene?.learntAt ?? null;
  const departed =
    learntAt === null
      ? []
      : tracker.tracks
          .filter((t) => t.stationary && t.firstSeenAt <= learntAt && t.lastSeenSeq !== frame.seq)
          .map((t) => t.lastBox);
  // Objects of the learnt scene seen in their place now, even if taken away and put back meanwhile.
  const known =
    learntAt === null
      ? []
      : objectsSeen(tracker, frame.seq).filter((box) =>
          learntObjects.some((l) => iou(l, box) >= SAME_OBJECT_IOU),
        );
  return { exclude, departed, known };
}

/** Boxes of the objects (not people or vehicles) seen on the frame `seq` or the `frames` - 1 before it. */
function objectsSeen(tracker: TrackerState, seq: number, frames = 1): Box[] {
  return tracker.tracks
    .filter((t) => t.role !== 'person' && t.role !== 'vehicle' && t.lastSeenSeq > seq - frames)
    .map((t) => t.box);
}

/** Tracker, background model and rules for one frame of one camera. */
export function processFrame(state: CameraRulesState, frame: CameraFrame, ctx: RulesContext): ProcessedFrame {
  const { config } = ctx;
  const tracker = applyFrame(state.tracker, frame, {
    config: config.tracker,
    frameAspect: config.frameAspect,
  });
  if (tracker === state.tracker) return { state, events: [], applied: false, tracks: [], sceneRegions: [] };

  let scene = state.scene;
  let sceneRegions: SceneRegion[] = [];
  let sceneActive = false;
  const staying = stayingPeople(state.staying ?? [], tracker, frame.capturedAt);
  let learntObjects = state.learntObjects ?? [];
  if (frame.grid) {
    const hints = sceneHints(
      tracker,
      state.scene,
      learntObjects,
      frame,
      config.sceneChange.excludeMissedSeconds,
    );
    const result = applySceneFrame(
      state.scene,
      { seq: frame.seq, capturedAt: frame.capturedAt, grid: frame.grid },
      { ...hints, exclude: [...hints.exclude, ...staying.map((p) => p.box)] },
      config.sceneChange,
    );
    scene = result.state;
    sceneRegions = result.regions;
    sceneActive = !result.learning;
    if (result.learning) learntObjects = [];
    // What the detector saw while the background was learnt, so one frame's miss does not leave an object out.
    else if (result.state.learntAt === frame.capturedAt)
      learntObjects = objectsSeen(tracker, frame.seq, config.sceneChange.learnFrames);
  }
  const rules = evaluateRules(state.rules, frame, { tracker, sceneRegions, sceneActive }, ctx);
  return {
    state: { version: 1, tracker, scene, rules: rules.state, staying, learntObjects },
    events: rules.events,
    applied: true,
    tracks: tracksSeenIn(tracker, frame.seq),
    sceneRegions,
  };
}
