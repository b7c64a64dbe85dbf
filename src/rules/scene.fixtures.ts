import { DEFAULT_SCENE_CHANGE_CONFIG } from '../zones/rules-config.schema.js';
import type { FrontLine, NormalizedPoint, Zone } from '../zones/zone.schema.js';
import type { SceneGrid } from './scene-change.js';
import { syntheticGrid, type SyntheticGridSpec } from './synthetic-grid.js';

/*
 * Zones and scenes for tests, in normalised coordinates, with no I/O: unit tests beside the code and the
 * integration tests in test/ build their zones and background grids here. The default camera looks down a
 * sidewalk: a no-stall zone on the left (x 0.1 to 0.6, y 0.4 to 0.95) and a shop front on the right (x 0.6 to 0.95)
 * whose door line runs along y = 0.5 with the sidewalk below it. Every builder takes overrides for what a test
 * needs different.
 */

/** The rectangle from (x1, y1) to (x2, y2) as a zone outline, clockwise from its top-left corner. */
export function rectangle(x1: number, y1: number, x2: number, y2: number): NormalizedPoint[] {
  return [
    { x: x1, y: y1 },
    { x: x2, y: y1 },
    { x: x2, y: y2 },
    { x: x1, y: y2 },
  ];
}

/** A shop's door line along y from x1 to x2, the sidewalk on its right (below it), goods allowed 0.02 beyond. */
export function frontLine(
  y: number,
  x1: number,
  x2: number,
  partyId: string,
  over: Partial<FrontLine> = {},
): FrontLine {
  return {
    points: [
      { x: x1, y },
      { x: x2, y },
    ],
    sidewalkSide: 'right',
    allowedDepth: 0.02,
    partyId,
    ...over,
  };
}

/** A no-stall zone over the left of the frame. */
export function noStallZone(over: Partial<Zone> = {}): Zone {
  return {
    id: 'gate',
    name: 'Market gate',
    kind: 'no_stall',
    points: rectangle(0.1, 0.4, 0.6, 0.95),
    enabled: true,
    ...over,
  };
}

/** A shop front on the right of the frame, its door line along y = 0.5, belonging to `partyId`. */
export function shopFrontZone(partyId: string, over: Partial<Zone> = {}): Zone {
  return {
    id: 'shop',
    name: 'Shop front',
    kind: 'shop_front',
    points: rectangle(0.6, 0.4, 0.95, 0.95),
    frontLine: frontLine(0.5, 0.6, 0.95, partyId),
    enabled: true,
    ...over,
  };
}

/** A dumping spot over the same place as the no-stall zone. */
export function dumpingZone(over: Partial<Zone> = {}): Zone {
  return {
    id: 'spot',
    name: 'Corner',
    kind: 'dumping_spot',
    points: rectangle(0.1, 0.4, 0.6, 0.95),
    enabled: true,
    ...over,
  };
}

/** A zone as the zones API takes it: the server assigns the id. */
export function zoneDraft(zone: Zone): Omit<Zone, 'id'> {
  const { id: _id, ...draft } = zone;
  return draft;
}

/**
 * One frame's grayscale grid of the street, at the size the scene change model expects by default: the street's
 * texture comes from `textureSeed`, the frame's sensor noise from `noiseSeed`, objects are painted as `patches`.
 */
export function streetGrid(
  spec: Pick<SyntheticGridSpec, 'noiseSeed'> & Partial<SyntheticGridSpec>,
): SceneGrid {
  return syntheticGrid({
    width: DEFAULT_SCENE_CHANGE_CONFIG.gridWidth,
    height: DEFAULT_SCENE_CHANGE_CONFIG.gridHeight,
    textureSeed: 3,
    noise: 5,
    lighting: 0,
    patches: [],
    ...spec,
  });
}
