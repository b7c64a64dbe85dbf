/**
 * Whether a camera may produce evidence now (Pudong art. 7; APL art. 41): legal and technical review done, a
 * passing maintenance or test record, and its location published. Every missing condition is named, so staff see
 * exactly what to fix.
 */
export interface DeviceRegisterState {
  legalReviewDate: string | null;
  technicalReviewDate: string | null;
  published: boolean;
  lastPassingCheckAt: Date | null;
  lastFailingCheckAt: Date | null;
}

export function evidenceEligibility(state: DeviceRegisterState): { eligible: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (!state.legalReviewDate) reasons.push('legal review of the device is not recorded');
  if (!state.technicalReviewDate) reasons.push('technical review of the device is not recorded');
  if (!state.lastPassingCheckAt) {
    reasons.push('no passing maintenance or test record');
  } else if (state.lastFailingCheckAt && state.lastFailingCheckAt > state.lastPassingCheckAt) {
    reasons.push('the latest maintenance or test record failed');
  }
  if (!state.published) reasons.push('device location is not published');
  return { eligible: reasons.length === 0, reasons };
}
