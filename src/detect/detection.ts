/**
 * The detection record that every stage after the detector speaks. Boxes are in normalised coordinates of the
 * original frame (0..1 of its width and height) so that zones, tracks and evidence never depend on the model's
 * input size or on the camera's resolution.
 */
export type DetectionRole = 'person' | 'vehicle' | 'goods' | 'carried' | 'dumping' | 'other';

export const DETECTION_ROLES: readonly DetectionRole[] = [
  'person',
  'vehicle',
  'goods',
  'carried',
  'dumping',
  'other',
];

export interface NormalizedBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Detection {
  /** The model's own label, e.g. "umbrella". */
  label: string;
  /** What the rules make of the label, from the model manifest's role mapping. */
  role: DetectionRole;
  score: number;
  box: NormalizedBox;
}
