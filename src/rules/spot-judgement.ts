import type { Detection } from '../detect/detection.js';
import { boxFootPoint, containedFraction } from '../geometry/box.js';
import { pointInPolygon } from '../geometry/polygon.js';
import type { CameraRulesConfig } from '../zones/rules-config.schema.js';
import { isScheduleActive } from '../zones/schedule.js';
import { zoneSettings, zoneWatches } from '../zones/zone-settings.js';
import type { Zone, ZoneKind } from '../zones/zone.schema.js';
import { depthBeyondLine } from './encroachment.rule.js';
import { insideZone, isIgnored } from './observation.js';

/*
 * A spot check (现场图像核查): one frame taken on request for a complaint, judged against the camera's zones as
 * they are now. It is a snapshot, not the rules' lifecycle: no tracking, no dwell, no background model, so it
 * names what each zone's rule would look at on this one frame and never makes a violation. The geometry and the
 * role filter are the rules' own (zone settings, ignore masks, zone overlap, the shop front line).
 */

export interface SpotObject {
  label: string;
  role: Detection['role'];
  score: number;
  box: Detection['box'];
}

export interface SpotZoneResult {
  zoneId: string;
  zoneName: string;
  kind: Exclude<ZoneKind, 'ignore'>;
  /** The zone is enabled and within its schedule at the time of the frame. */
  active: boolean;
  /** Objects in the zone that its rule watches (roles, labels, minimum score), not carried, not masked. */
  objects: SpotObject[];
  /** Whether the zone's rule would see something on this frame (objects found, zone active). */
  flagged: boolean;
}

export interface SpotJudgement {
  zones: SpotZoneResult[];
  /** Every detection on the frame, counted by label (people included), for the page's summary. */
  counts: Record<string, number>;
}

/**
 * Judges one frame's detections against a camera's zones. `config` carries each zone kind's default watched
 * roles (the role map: goods for no-stall and shop front zones, dumping and carried objects for dumping spots),
 * which a zone's own roles and labels override; `at` is the frame's time, for zone schedules.
 */
export function spotJudgement(
  zones: readonly Zone[],
  detections: readonly Detection[],
  config: CameraRulesConfig,
  at: number,
): SpotJudgement {
  const ignoreZones = zones.filter(
    (z) => z.kind === 'ignore' && z.enabled && isScheduleActive(z.schedule, at),
  );
  const persons = detections.filter((d) => d.role === 'person');
  const carried = (d: Detection) =>
    persons.some((p) => containedFraction(d.box, p.box) >= config.carriedOverlap);
  const counts: Record<string, number> = {};
  for (const d of detections) counts[d.label] = (counts[d.label] ?? 0) + 1;

  const results: SpotZoneResult[] = [];
  for (const zone of zones) {
    if (zone.kind === 'ignore') continue;
    const kind = zone.kind;
    const settings = zoneSettings(zone, config);
    const within = (d: Detection): boolean => {
      if (kind !== 'shop_front') return insideZone(d.box, zone, config);
      const line = zone.frontLine;
      return (
        line !== undefined &&
        pointInPolygon(boxFootPoint(d.box), zone.points) &&
        depthBeyondLine(d.box, line, config.frameAspect) > line.allowedDepth
      );
    };
    const objects = detections
      .filter((d) => d.role !== 'person')
      .filter((d) => zoneWatches(settings, d))
      .filter((d) => !isIgnored(d.box, d.role, { ignoreZones, config }))
      .filter((d) => within(d))
      .filter((d) => !carried(d))
      .map((d) => ({ label: d.label, role: d.role, score: d.score, box: d.box }));
    const active = zone.enabled && isScheduleActive(zone.schedule, at);
    results.push({
      zoneId: zone.id,
      zoneName: zone.name,
      kind,
      active,
      objects,
      flagged: active && objects.length > 0,
    });
  }
  return { zones: results, counts };
}
