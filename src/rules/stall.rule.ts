import {
  agreeingTracks,
  insideZone,
  isCarried,
  regionObservation,
  trackObservation,
  watchedTracks,
  zoneRegions,
  type Observation,
  type ZoneFrame,
} from './observation.js';

/*
 * Street stall (no-stall zone): goods set down inside the zone, with or without a vendor. A person alone is never
 * a stall, however long they stay (people are left out of the background model); goods held by a person (mostly
 * inside their box) are carried, not set down, so a shopper with bags or an umbrella passes.
 *
 * What real frames give is seldom a clean `goods` label: a blanket of goods on the ground, crates, a rack or a
 * cart have no class in the default model, and its proxies (a `diningtable`, a `chair`) flicker. So, as for
 * dumping, where the background model runs a lasting new static region in the zone is a stall's evidence by
 * itself, and a goods detection counts where such a region agrees with it; a fixed table or bench that was there
 * when the background was learnt is never a change. The dwell, the clusters and the schedule are the lifecycle's
 * business.
 */
export function stallObservations(frame: ZoneFrame): Observation[] {
  const persons = frame.present.filter((t) => t.role === 'person');
  const inZone = (box: Parameters<typeof insideZone>[0]) => insideZone(box, frame.zone, frame.config);
  const tracks = watchedTracks(frame)
    .filter((t) => t.role !== 'person')
    .filter((t) => inZone(t.box))
    .filter((t) => !isCarried(t, persons, frame.config));
  const regions = zoneRegions(frame, inZone);
  return [...agreeingTracks(frame, tracks, regions).map(trackObservation), ...regions.map(regionObservation)];
}
