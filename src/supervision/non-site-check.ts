/**
 * A camera's non-site check (非现场检查) of a shop (pure): a camera whose live shop-front zone names the shop, online
 * now, with no outage recorded and no violation seen in that zone or against the shop since the period began,
 * has watched the frontage for the period and counts as a check of it.
 */

export interface CameraWatch {
  cameraId: string;
  cameraName: string;
  status: string;
  lastOutageAt: Date | null;
  lastViolationAt: Date | null;
}

export interface NonSiteCheck {
  watch: CameraWatch;
  /** the camera counts as a check of the period */
  checked: boolean;
  /** why not, when it does not */
  reason: 'offline' | 'outage' | 'violation' | null;
}

export function judgeWatch(watch: CameraWatch, periodStart: Date): NonSiteCheck {
  const since = periodStart.getTime();
  if (watch.status !== 'online') return { watch, checked: false, reason: 'offline' };
  if (watch.lastOutageAt && watch.lastOutageAt.getTime() >= since)
    return { watch, checked: false, reason: 'outage' };
  if (watch.lastViolationAt && watch.lastViolationAt.getTime() >= since)
    return { watch, checked: false, reason: 'violation' };
  return { watch, checked: true, reason: null };
}

/** The best of the cameras watching a shop: one that checked the period, else the first; null with none. */
export function nonSiteCheck(watches: CameraWatch[], periodStart: Date): NonSiteCheck | null {
  const judged = watches.map((w) => judgeWatch(w, periodStart));
  return judged.find((j) => j.checked) ?? judged[0] ?? null;
}
