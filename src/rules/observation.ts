import { boxGap, containedFraction, iou, unionBox, type Box } from '../geometry/box.js';
import { boxOverlapFraction } from '../geometry/polygon.js';
import type { CameraRulesConfig } from '../zones/rules-config.schema.js';
import { zoneSettings, zoneWatches, type ZoneSettings } from '../zones/zone-settings.js';
import type { Zone } from '../zones/zone.schema.js';
import type { SceneRegion } from './scene-change.js';
import type { Track } from './tracker.js';

/** One thing a rule sees in its zone on one frame: a tracked object or a lasting scene change. */
export interface Observation {
  trackIds: string[];
  box: Box;
  labels: string[];
  fromSceneChange: boolean;
  /** Someone stays by it (a person staying close to a pile): not left, so not dumped while that lasts. */
  attended: boolean;
  /** Some person (tracked now or missed a moment ago) is close, staying or not. */
  personNear: boolean;
  /**
   * When the thing appeared, where known better than "the first frame it was observed": a background change is
   * dated from when its cells started differing, before it was first reported. Null: the first observation.
   */
  appearedAt: number | null;
  appearedSeq: number | null;
  /** Whether it has settled in place (a stationary track, or a change that persisted), so it may be confirmed. */
  settled: boolean;
}

/** What every rule gets for one zone on one frame. */
export interface ZoneFrame {
  zone: Zone;
  settings: ZoneSettings;
  config: CameraRulesConfig;
  seq: number;
  capturedAt: number;
  /** Tracks matched to a detection on this very frame. */
  present: readonly Track[];
  sceneRegions: readonly SceneRegion[];
  /** Whether the background model is running on this frame (a grid came, and the background is learnt). */
  sceneActive: boolean;
  /** People tracked now or missed only briefly (still tracked): someone the detector missed once still attends. */
  persons: readonly Track[];
  /** Enabled ignore zones in force at this frame. */
  ignoreZones: readonly Zone[];
}

export function isIgnored(
  box: Box,
  role: Track['role'],
  frame: Pick<ZoneFrame, 'ignoreZones' | 'config'>,
): boolean {
  return frame.ignoreZones.some(
    (z) =>
      zoneSettings(z, frame.config).roles.includes(role) &&
      boxOverlapFraction(box, z.points) >= frame.config.minZoneOverlap,
  );
}

/** Watched tracks on this frame that pass the zone's role, label and score filter and no ignore mask hides. */
export function watchedTracks(frame: ZoneFrame): Track[] {
  return frame.present.filter((t) => zoneWatches(frame.settings, t) && !isIgnored(t.box, t.role, frame));
}

/** Objects mostly inside a present person's (or vehicle's) box are being carried or loaded, not set down. */
export function isCarried(track: Track, carriers: readonly Track[], config: CameraRulesConfig): boolean {
  return carriers.some(
    (c) => c.id !== track.id && containedFraction(track.box, c.box) >= config.carriedOverlap,
  );
}

export function insideZone(box: Box, zone: Zone, config: CameraRulesConfig): boolean {
  return boxOverlapFraction(box, zone.points) >= config.minZoneOverlap;
}

export function trackObservation(track: Track): Observation {
  return {
    trackIds: [track.id],
    box: track.box,
    labels: [track.label],
    fromSceneChange: false,
    attended: false,
    personNear: false,
    appearedAt: null,
    appearedSeq: null,
    settled: track.stationary,
  };
}

function earliestAppearance(
  members: readonly Observation[],
): Pick<Observation, 'appearedAt' | 'appearedSeq'> {
  let best: Observation | null = null;
  for (const m of members) if (m.appearedAt !== null && (!best || m.appearedAt < best.appearedAt!)) best = m;
  return { appearedAt: best?.appearedAt ?? null, appearedSeq: best?.appearedSeq ?? null };
}

/** Regions of lasting change that lie in the zone and that no ignore mask hides (regions have no class). */
export function zoneRegions(frame: ZoneFrame, inZone: (box: Box) => boolean): SceneRegion[] {
  return frame.sceneRegions.filter((r) => inZone(r.box) && !isIgnored(r.box, 'other', frame));
}

/**
 * Agreement of evidence: where the background model runs, a detection counts only where a lasting change agrees
 * with it. A fixed structure the model labels as a proxy (a utility box as `toilet`, a kiosk's table) is part of
 * the learnt background and never a change, so it makes nothing on its own; a new object is both. Without a
 * background model detections are all there is.
 */
export function agreeingTracks(frame: ZoneFrame, tracks: readonly Track[], regions: readonly SceneRegion[]) {
  if (!frame.sceneActive) return [...tracks];
  return tracks.filter((t) => regions.some((r) => iou(r.box, t.box) > 0));
}

/** An observation of a lasting background change, dated from when it appeared. */
export function regionObservation(region: SceneRegion): Observation {
  return {
    trackIds: [],
    box: region.box,
    labels: ['scene-change'],
    fromSceneChange: true,
    attended: false,
    personNear: false,
    appearedAt: region.since,
    appearedSeq: region.sinceSeq,
    settled: true,
  };
}

/**
 * Merges observations lying within `gap` (frame heights) of each other into one scene: the umbrella, table and
 * crates of one stall make one violation, not three.
 */
export function clusterObservations(
  observations: readonly Observation[],
  gap: number,
  aspect: number,
): Observation[] {
  const parent = observations.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < observations.length; i++) {
    for (let j = i + 1; j < observations.length; j++) {
      if (boxGap(observations[i]!.box, observations[j]!.box, aspect) <= gap) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, Observation[]>();
  observations.forEach((o, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), o]);
  });
  return [...groups.values()].map((members) => ({
    trackIds: [...new Set(members.flatMap((m) => m.trackIds))],
    box: unionBox(members.map((m) => m.box)),
    labels: [...new Set(members.flatMap((m) => m.labels))].sort(),
    fromSceneChange: members.some((m) => m.fromSceneChange),
    attended: members.some((m) => m.attended),
    personNear: members.some((m) => m.personNear),
    ...earliestAppearance(members),
    settled: members.some((m) => m.settled),
  }));
}
