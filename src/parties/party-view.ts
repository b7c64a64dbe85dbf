import type { PartyRow } from './party.repo.js';

/** Contact details are masked in lists: staff see enough to tell parties apart, not to harvest numbers. */
export function maskedParty(p: PartyRow) {
  return {
    id: p.id,
    districtId: p.district_id,
    kind: p.kind,
    name: p.name,
    idNumber: p.id_number?.replace(/^(.{4}).*(.{4})$/, '$1••••$2') ?? null,
    phone: p.phone
      ? p.phone.replace(/^(.*)(\d{4})$/, (_m, a: string, b: string) => `${'•'.repeat(a.length)}${b}`)
      : null,
    onlineDeliveryConsent: p.online_delivery_consent,
  };
}
