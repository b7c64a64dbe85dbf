import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { isInsideFrame, pointsEqual, type Point } from '../geometry/point.js';
import { polygonArea } from '../geometry/polygon.js';
import { findEdgeCrossings } from '../geometry/segment.js';
import { CameraRulesConfigSchema, type CameraRulesConfig } from './rules-config.schema.js';
import { parseTimeOfDay } from './schedule.js';
import { ZoneSchema, type Zone } from './zone.schema.js';

export const MAX_ZONE_VERTICES = 64;
/** A zone smaller than this share of the frame (1% by 1%) is a slip of the mouse, not an area to watch. */
export const MIN_ZONE_AREA = 1e-4;

const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ZoneFault {
  /** The zone's id when it has one, else its position in the list ("#3"). */
  zone: string;
  /** Where in the zone record the fault is, e.g. "points" or "frontLine.points". */
  field: string;
  /** A whole sentence naming the zone and the fault. */
  message: string;
}

function label(zone: unknown, index: number | undefined): { key: string; title: string } {
  const record = (typeof zone === 'object' && zone !== null ? zone : {}) as Record<string, unknown>;
  const name = typeof record.name === 'string' && record.name !== '' ? record.name : undefined;
  const id = typeof record.id === 'string' && record.id !== '' ? record.id : undefined;
  const position = index === undefined ? 'zone' : `zone #${index + 1}`;
  return {
    key: id ?? (index === undefined ? '?' : `#${index + 1}`),
    title: name ? `zone '${name}'` : id ? `zone '${id}'` : position,
  };
}

export function schemaFaults(schema: TSchema, value: unknown): { field: string; message: string }[] {
  return [...Value.Errors(schema, value)].map((e) => {
    const field = e.path.replace(/^\//, '').replace(/\//g, '.') || '(record)';
    return { field, message: `${field}: ${e.message}` };
  });
}

function pointFaults(
  points: readonly Point[],
  what: string,
  minPoints: number,
  closed: boolean,
): { field: string; text: string }[] {
  const field = what === 'the front line' ? 'frontLine.points' : 'points';
  const faults: { field: string; text: string }[] = [];
  if (points.length < minPoints) {
    faults.push({
      field,
      text: `${what} has ${points.length} point${points.length === 1 ? '' : 's'}, fewer than the ${minPoints} needed`,
    });
    return faults;
  }
  if (points.length > MAX_ZONE_VERTICES) {
    faults.push({
      field,
      text: `${what} has ${points.length} points, more than the ${MAX_ZONE_VERTICES} allowed`,
    });
    return faults;
  }
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y))
      faults.push({ field, text: `${what}: point ${i + 1} is not a finite number` });
    else if (!isInsideFrame(p))
      faults.push({ field, text: `${what}: point ${i + 1} (${p.x}, ${p.y}) is outside the frame (0..1)` });
  });
  if (faults.length > 0) return faults;
  const count = closed ? points.length : points.length - 1;
  for (let i = 0; i < count; i++) {
    const j = (i + 1) % points.length;
    if (pointsEqual(points[i]!, points[j]!))
      faults.push({ field, text: `${what}: points ${i + 1} and ${j + 1} are the same` });
  }
  if (faults.length > 0) return faults;
  const noun = closed ? 'edges' : 'segments';
  for (const c of findEdgeCrossings(points, closed)) {
    const adjacent = c.second === c.first + 1 || (closed && c.first === 0 && c.second === count - 1);
    faults.push({
      field,
      text: `${what}: ${noun} ${c.first + 1} and ${c.second + 1} ${adjacent ? 'overlap' : 'cross'}`,
    });
  }
  return faults;
}

/**
 * Every fault of one zone, beyond and including its schema. Edge k joins point k to point k+1 (the last edge
 * joins the last point to the first), counted from 1 as an operator would count them on the drawing.
 */
export function validateZone(zone: unknown, index?: number): ZoneFault[] {
  const { key, title } = label(zone, index);
  const fault = (field: string, text: string): ZoneFault => ({
    zone: key,
    field,
    message: `${title}: ${text}`,
  });
  const shapeFaults = schemaFaults(ZoneSchema, zone);
  if (shapeFaults.length > 0) return shapeFaults.map((f) => fault(f.field, f.message));
  const z = zone as Zone;
  // Zone ids key the rules state, a plain JSON object.
  if (RESERVED_IDS.has(z.id)) return [fault('id', `id '${z.id}' is reserved, choose another`)];

  const faults = pointFaults(z.points, 'the polygon', 3, true).map((f) => fault(f.field, f.text));
  if (faults.length === 0) {
    const area = polygonArea(z.points);
    if (area < MIN_ZONE_AREA) {
      faults.push(
        fault(
          'points',
          `area is ${area.toPrecision(2)} of the frame, too small to watch (at least ${MIN_ZONE_AREA})`,
        ),
      );
    }
  }

  if (z.kind === 'shop_front') {
    if (!z.frontLine)
      faults.push(
        fault(
          'frontLine',
          'a shop_front zone needs a frontLine (door line, sidewalk side, allowed depth, party)',
        ),
      );
    else
      faults.push(
        ...pointFaults(z.frontLine.points, 'the front line', 2, false).map((f) => fault(f.field, f.text)),
      );
  } else if (z.frontLine) {
    faults.push(fault('frontLine', `only shop_front zones have a frontLine, this one is ${z.kind}`));
  }
  if (z.warnFirst && z.kind !== 'shop_front') {
    faults.push(
      fault(
        'warnFirst',
        `warn-first needs a known party, which only shop_front zones have; this one is ${z.kind}`,
      ),
    );
  }

  if (z.minScore !== undefined && z.minScore >= 1)
    faults.push(fault('minScore', `minScore ${z.minScore} would drop every detection; use a value below 1`));
  (z.schedule ?? []).forEach((w, i) => {
    if (parseTimeOfDay(w.start) === parseTimeOfDay(w.end)) {
      faults.push(
        fault(
          `schedule.${i}`,
          `schedule window ${i + 1} opens and closes at ${w.start}; use 00:00 to 24:00 for a whole day`,
        ),
      );
    }
  });
  return faults;
}

/** Faults of a camera's whole zone list: each zone's, plus ids used twice. */
export function validateZones(zones: readonly unknown[]): ZoneFault[] {
  const faults = zones.flatMap((zone, i) => validateZone(zone, i));
  const seen = new Map<string, number>();
  zones.forEach((zone, i) => {
    const id = (zone as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else
      faults.push({
        zone: id,
        field: 'id',
        message: `zone #${i + 1}: id '${id}' is already used by zone #${first + 1}`,
      });
  });
  return faults;
}

export class ZoneValidationError extends Error {
  constructor(readonly faults: readonly ZoneFault[]) {
    super(`invalid zones:\n${faults.map((f) => `- ${f.message}`).join('\n')}`);
    this.name = 'ZoneValidationError';
  }
}

/** Returns the zones typed when they are all valid, else throws with every fault listed. */
export function assertValidZones(zones: readonly unknown[]): Zone[] {
  const faults = validateZones(zones);
  if (faults.length > 0) throw new ZoneValidationError(faults);
  return zones as Zone[];
}

/** Faults of a camera rules config, each as a sentence naming the field. */
export function validateRulesConfig(config: unknown): string[] {
  const faults = schemaFaults(CameraRulesConfigSchema, config).map((f) => `rules config: ${f.message}`);
  if (faults.length > 0) return faults;
  const c = config as CameraRulesConfig;
  if (c.tracker.maxMissSecondsStationary < c.missToleranceSeconds) {
    faults.push(
      `rules config: tracker.maxMissSecondsStationary (${c.tracker.maxMissSecondsStationary}) is shorter than missToleranceSeconds (${c.missToleranceSeconds}), so hidden objects would lose their tracks before their scene is allowed to clear`,
    );
  }
  return faults;
}
