import {
  insideZone,
  isCarried,
  trackObservation,
  watchedTracks,
  type Observation,
  type ZoneFrame,
} from './observation.js';

/*
 * Street stall (no-stall zone): goods-role objects set down inside the zone, with or without a vendor. A person
 * alone is never a stall, however long they stay; goods held by a person (mostly inside their box) are carried,
 * not set down, so a shopper with bags or an umbrella passes. The dwell, the clusters and the schedule are the
 * lifecycle's business.
 */
export function stallObservations(frame: ZoneFrame): Observation[] {
  const persons = frame.present.filter((t) => t.role === 'person');
  return watchedTracks(frame)
    .filter((t) => t.role !== 'person')
    .filter((t) => insideZone(t.box, frame.zone, frame.config))
    .filter((t) => !isCarried(t, persons, frame.config))
    .map(trackObservation);
}
