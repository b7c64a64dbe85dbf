import { boxGap, iou, type Box } from '../geometry/box.js';
import type { CameraRulesConfig } from '../zones/rules-config.schema.js';
import type { ZoneSettings } from '../zones/zone-settings.js';
import type { Zone } from '../zones/zone.schema.js';
import type { BaselineObject } from './dumping.rule.js';
import type { Observation } from './observation.js';
import type { RuleEvent, RuleName, ViolationEndReason } from './rule-events.js';
import { recheckOutcome, type PendingWarning } from './warn-first.js';

/*
 * The life of a scene in one zone, the same for every rule: a cluster of observations becomes a candidate; a
 * candidate seen continuously (gaps up to the miss tolerance) for the dwell time, and settled in place, becomes
 * one violation; the violation ends when the scene has been unseen for the miss tolerance; after it ends, the
 * same place is not flagged again until the cool-down is over. A scene that merges with an ongoing violation
 * joins it rather than starting another, so one stall gives one violation however its parts come and go.
 */

export interface SceneCandidate {
  id: string;
  box: Box;
  /** Tracks that have been part of the scene (most recent last, bounded). */
  trackIds: string[];
  labels: string[];
  fromSceneChange: boolean;
  firstSeenAt: number;
  firstSeenSeq: number;
  /** Start of the stay the dwell counts from: when the scene appeared (see Observation.appearedAt). */
  dwellSince: number | null;
  dwellSinceSeq: number | null;
  /**
   * Since when nobody has stayed by it (first frame of the current unattended stretch); null while someone does.
   * Absent in states stored before it was kept: taken as left alone from the next frame.
   */
  leftAloneSince?: number | null;
  leftAloneSinceSeq?: number | null;
  /** The last frame on which someone stayed by it, if anyone did: the frame of the person leaving. */
  attendedUntilSeq?: number | null;
  attendedUntilAt?: number | null;
  lastSeenAt: number;
  lastSeenSeq: number;
  violation: { id: string; confirmedAt: number; confirmedSeq: number } | null;
}

export interface Cooldown {
  violationId: string;
  box: Box;
  until: number;
}

export interface ZoneRulesState {
  /** The rule and zone name it was last judged with, to word events if the zone is later removed. */
  rule: RuleName;
  zoneName: string;
  /** When the rules started watching this zone: objects older than that were already there. */
  watchingSince: number;
  /** Since when the zone has been enabled and in its schedule without a break; null while it is not. */
  activeSince?: number | null;
  candidates: SceneCandidate[];
  cooldowns: Cooldown[];
  warnings: PendingWarning[];
  baseline: BaselineObject[];
}

export function createZoneRulesState(rule: RuleName, zoneName: string, now: number): ZoneRulesState {
  return {
    rule,
    zoneName,
    watchingSince: now,
    activeSince: now,
    candidates: [],
    cooldowns: [],
    warnings: [],
    baseline: [],
  };
}

export interface ZoneStep {
  zone: Zone;
  rule: RuleName;
  settings: ZoneSettings;
  config: CameraRulesConfig;
  configVersion: string;
  seq: number;
  at: number;
  /** Enabled and inside the schedule on this frame. */
  active: boolean;
  clusters: readonly Observation[];
  state: ZoneRulesState;
  /** Hands out numbers unique within the camera's rules state, for candidate and violation ids. */
  nextNumber: () => number;
  cameraId: string;
}

const MAX_TRACK_IDS = 64;
/** How long attendance carries over to a person seen close again (a detector miss broke their track). */
const ATTENDANCE_CARRIES_MS = 60_000;

function near(a: Box, b: Box, config: CameraRulesConfig): boolean {
  return iou(a, b) > 0 || boxGap(a, b, config.frameAspect) <= config.clusterGap;
}

function affinity(cluster: Observation, candidate: SceneCandidate, config: CameraRulesConfig): number {
  const shared = cluster.trackIds.filter((id) => candidate.trackIds.includes(id)).length;
  const base =
    shared > 0
      ? 10 + shared
      : iou(cluster.box, candidate.box) > 0
        ? 1 + iou(cluster.box, candidate.box)
        : near(cluster.box, candidate.box, config)
          ? 0.5
          : 0;
  // An ongoing violation claims what touches it: no second violation for the same scene.
  return base > 0 && candidate.violation ? base + 100 : base;
}

export function advanceZone(step: ZoneStep): { state: ZoneRulesState; events: RuleEvent[] } {
  const { zone, config, at, seq } = step;
  const events: RuleEvent[] = [];
  const base = {
    rule: step.rule,
    zoneId: zone.id,
    zoneName: zone.name,
    configVersion: step.configVersion,
    at,
    seq,
  };
  const cooldowns = step.state.cooldowns.filter((c) => c.until > at);
  // States stored before zones remembered this were watched from their creation.
  const activeSince = !step.active
    ? null
    : step.state.activeSince === undefined
      ? step.state.watchingSince
      : (step.state.activeSince ?? at);
  let candidates = step.state.candidates.map((c) => ({ ...c }));
  const warnings = [...step.state.warnings];
  const ended = (c: SceneCandidate, reason: ViolationEndReason) => {
    if (!c.violation) return;
    events.push({
      ...base,
      type: 'violation_ended',
      violationId: c.violation.id,
      reason,
      lastSeenAt: c.lastSeenAt,
      lastSeenSeq: c.lastSeenSeq,
    });
    cooldowns.push({
      violationId: c.violation.id,
      box: c.box,
      until: at + step.settings.cooldownSeconds * 1000,
    });
  };

  if (!step.active) {
    for (const c of candidates) ended(c, zone.enabled ? 'schedule_ended' : 'zone_disabled');
    candidates = [];
  } else {
    const claimed = new Map<SceneCandidate, Observation[]>();
    for (const cluster of step.clusters) {
      let best: SceneCandidate | null = null;
      let bestScore = 0;
      for (const c of candidates) {
        const score = affinity(cluster, c, config);
        if (score > bestScore) [best, bestScore] = [c, score];
      }
      if (best) claimed.set(best, [...(claimed.get(best) ?? []), cluster]);
      else {
        const fresh = newCandidate(step, cluster);
        candidates.push(fresh);
        claimed.set(fresh, [cluster]);
      }
    }
    for (const [candidate, clusters] of claimed) update(candidate, clusters, step, activeSince ?? at);

    const dropped = new Set<SceneCandidate>();
    for (const c of candidates) {
      if (c.lastSeenSeq !== seq) {
        if (at - c.lastSeenAt > config.missToleranceSeconds * 1000) {
          ended(c, 'cleared');
          dropped.add(c);
        }
        continue;
      }
      if (c.violation || c.dwellSince === null || c.dwellSinceSeq === null) continue;
      if (!dwellDone(c, step) || !claimed.get(c)!.some((o) => o.settled)) continue;
      const ongoing = candidates.find(
        (o) => o !== c && o.violation && !dropped.has(o) && near(o.box, c.box, config),
      );
      if (ongoing) {
        ongoing.trackIds = mergeIds(ongoing.trackIds, c.trackIds);
        dropped.add(c);
        continue;
      }
      if (cooldowns.some((cd) => near(cd.box, c.box, config))) continue;
      const confirmed = confirm(c, step, base);
      events.push(...confirmed.events);
      if (confirmed.warning) warnings.push(confirmed.warning);
    }
    candidates = candidates.filter((c) => !dropped.has(c));
  }

  const stillPending = recheckWarnings(step, warnings, candidates, events, base);
  return {
    state: { ...step.state, zoneName: zone.name, activeSince, candidates, cooldowns, warnings: stillPending },
    events,
  };
}

function newCandidate(step: ZoneStep, cluster: Observation): SceneCandidate {
  return {
    id: `${step.zone.id}#${step.nextNumber()}`,
    box: cluster.box,
    trackIds: [],
    labels: [],
    fromSceneChange: false,
    firstSeenAt: step.at,
    firstSeenSeq: step.seq,
    dwellSince: null,
    dwellSinceSeq: null,
    leftAloneSince: null,
    leftAloneSinceSeq: null,
    attendedUntilSeq: null,
    attendedUntilAt: null,
    lastSeenAt: step.at,
    lastSeenSeq: step.seq,
    violation: null,
  };
}

function mergeIds(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].slice(-MAX_TRACK_IDS);
}

function update(
  c: SceneCandidate,
  clusters: readonly Observation[],
  step: ZoneStep,
  activeSince: number,
): void {
  // An ongoing violation keeps the whole extent it has shown: the parts of one stall that the background model
  // sees on different frames (people step in front of each in turn) stay one scene.
  c.box = [...clusters.map((o) => o.box), ...(c.violation ? [c.box] : [])].reduce((u, b) => ({
    x1: Math.min(u.x1, b.x1),
    y1: Math.min(u.y1, b.y1),
    x2: Math.max(u.x2, b.x2),
    y2: Math.max(u.y2, b.y2),
  }));
  c.trackIds = mergeIds(
    c.trackIds,
    clusters.flatMap((o) => o.trackIds),
  );
  c.labels = [...new Set([...c.labels, ...clusters.flatMap((o) => o.labels)])].sort();
  c.fromSceneChange ||= clusters.some((o) => o.fromSceneChange);
  c.lastSeenAt = step.at;
  c.lastSeenSeq = step.seq;
  // The dwell counts from the appearance, but never from before the zone was enforced.
  let since = step.at;
  let sinceSeq = step.seq;
  for (const o of clusters) {
    if (o.appearedAt !== null && o.appearedSeq !== null && o.appearedAt < since) {
      since = o.appearedAt;
      sinceSeq = o.appearedSeq;
    }
  }
  if (since < activeSince) [since, sinceSeq] = [step.at, step.seq];
  // A scene seen only as background change is as old as the change seen now: when a pile is taken away and a
  // sliver of changed cells stays behind, that sliver is new and does not inherit the pile's age.
  const changeOnly = clusters.every((o) => o.appearedAt !== null);
  if (c.dwellSince === null || since < c.dwellSince || (changeOnly && since > c.dwellSince)) {
    c.dwellSince = since;
    c.dwellSinceSeq = sinceSeq;
  }
  // Someone who stayed by it and is seen there again after a detector miss (a new track, not yet stationary)
  // still attends it; passers-by a minute apart do not carry the attendance on.
  const stillAttending =
    clusters.some((o) => o.personNear) &&
    c.attendedUntilAt !== null &&
    c.attendedUntilAt !== undefined &&
    step.at - c.attendedUntilAt <= ATTENDANCE_CARRIES_MS;
  if (clusters.some((o) => o.attended) || stillAttending) {
    c.leftAloneSince = null;
    c.leftAloneSinceSeq = null;
    c.attendedUntilSeq = step.seq;
    c.attendedUntilAt = step.at;
  } else if (c.leftAloneSince === null || c.leftAloneSince === undefined) {
    // Nobody ever stayed by it: alone since it appeared. Otherwise since the frame after they went.
    const neverAttended = c.attendedUntilSeq === null || c.attendedUntilSeq === undefined;
    c.leftAloneSince = neverAttended ? c.dwellSince : step.at;
    c.leftAloneSinceSeq = neverAttended ? c.dwellSinceSeq : step.seq;
  }
}

/** Long enough since it appeared, and left alone long enough (at most the dwell itself) to be abandoned. */
function dwellDone(c: SceneCandidate, step: ZoneStep): boolean {
  if (c.dwellSince === null || c.leftAloneSince === null || c.leftAloneSince === undefined) return false;
  const dwellMs = step.settings.dwellSeconds * 1000;
  const aloneMs = Math.min(step.config.leftAloneSeconds * 1000, dwellMs);
  return step.at - c.dwellSince >= dwellMs && step.at - c.leftAloneSince >= aloneMs;
}

type EventBase = {
  rule: RuleName;
  zoneId: string;
  zoneName: string;
  configVersion: string;
  at: number;
  seq: number;
};

function confirm(
  c: SceneCandidate,
  step: ZoneStep,
  base: EventBase,
): { events: RuleEvent[]; warning: PendingWarning | null } {
  const violationId = `${step.cameraId}:${step.zone.id}:v${step.nextNumber()}`;
  c.violation = { id: violationId, confirmedAt: step.at, confirmedSeq: step.seq };
  const partyId = step.zone.frontLine?.partyId ?? null;
  const warnFirst = step.settings.warnFirst && partyId !== null;
  const events: RuleEvent[] = [
    {
      ...base,
      type: 'violation_started',
      violationId,
      trackIds: [...c.trackIds],
      labels: [...c.labels],
      box: c.box,
      sceneChange: c.fromSceneChange,
      firstSeenAt: c.dwellSince!,
      firstSeenSeq: c.dwellSinceSeq!,
      confirmedAt: step.at,
      confirmedSeq: step.seq,
      ...(c.attendedUntilSeq != null && c.leftAloneSinceSeq != null
        ? { attendedUntilSeq: c.attendedUntilSeq, leftAloneSeq: c.leftAloneSinceSeq }
        : {}),
      dwellSeconds: step.settings.dwellSeconds,
      partyId,
      warnFirst,
    },
  ];
  if (!warnFirst) return { events, warning: null };
  const recheckAt = step.at + step.settings.graceSeconds * 1000;
  events.push({
    ...base,
    type: 'warning_due',
    violationId,
    partyId: partyId!,
    graceSeconds: step.settings.graceSeconds,
    recheckAt,
  });
  return {
    events,
    warning: { violationId, candidateId: c.id, partyId: partyId!, box: c.box, warnedAt: step.at, recheckAt },
  };
}

function recheckWarnings(
  step: ZoneStep,
  warnings: readonly PendingWarning[],
  candidates: readonly SceneCandidate[],
  events: RuleEvent[],
  base: EventBase,
): PendingWarning[] {
  const pending: PendingWarning[] = [];
  for (const w of warnings) {
    if (!step.zone.enabled) {
      events.push({
        ...base,
        type: 'warning_rechecked',
        violationId: w.violationId,
        partyId: w.partyId,
        outcome: 'withdrawn',
      });
      continue;
    }
    const outcome = recheckOutcome({
      now: step.at,
      recheckAt: w.recheckAt,
      zoneActive: step.active,
      observedNow: step.active && step.clusters.some((o) => near(o.box, w.box, step.config)),
      violationOngoing: candidates.some((c) => c.id === w.candidateId && c.violation?.id === w.violationId),
    });
    if (outcome === 'wait') pending.push(w);
    else
      events.push({
        ...base,
        type: 'warning_rechecked',
        violationId: w.violationId,
        partyId: w.partyId,
        outcome,
      });
  }
  return pending;
}
