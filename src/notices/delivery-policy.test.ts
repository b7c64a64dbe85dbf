import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../documents/document-view.js';
import { onlineDeliveryNeedsConsent } from './delivery-policy.js';

describe('onlineDeliveryNeedsConsent', () => {
  it('lets the warning (Pudong art. 15) and the advance notice (art. 11) go online without consent', () => {
    expect(onlineDeliveryNeedsConsent('warning')).toBe(false);
    expect(onlineDeliveryNeedsConsent('advance_notice')).toBe(false);
  });

  it('serves every other document online only with consent (Pudong art. 13 para. 2; APL art. 61 para. 2)', () => {
    const others = DOCUMENT_KINDS.filter((k) => k !== 'advance_notice');
    expect(others).toContain('decision');
    for (const kind of others) expect(onlineDeliveryNeedsConsent(kind)).toBe(true);
  });
});
