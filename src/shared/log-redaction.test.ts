import { describe, expect, it } from 'vitest';
import { redactRequestUrl, redactText } from './log-redaction.js';

const token = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';

describe('log redaction', () => {
  it('cuts link tokens out of paths and values out of query strings', () => {
    expect(redactRequestUrl(`/n/${token}`)).toBe('/n/[redacted]');
    expect(redactRequestUrl(`/n/${token}/evidence/0b6c9d0e-8f7a-4b1c-9d2e-3f4a5b6c7d8e?original=1`)).toBe(
      '/n/[redacted]/evidence/0b6c9d0e-8f7a-4b1c-9d2e-3f4a5b6c7d8e?original=[redacted]',
    );
    expect(redactRequestUrl('/api/cases?offset=10&status=filed')).toBe(
      '/api/cases?offset=[redacted]&status=[redacted]',
    );
    expect(redactRequestUrl(`/x?${token}`)).toBe('/x?[redacted]');
    expect(redactRequestUrl(`/other/${token}/y`)).toBe('/other/[redacted]/y');
    expect(redactRequestUrl('/staff/cases')).toBe('/staff/cases');
    // the party's credit page and its repair application live under the same link
    expect(redactRequestUrl(`/n/${token}/credit?done=repair`)).toBe('/n/[redacted]/credit?done=[redacted]');
    expect(redactRequestUrl(`/n/${token}/credit/repair`)).toBe('/n/[redacted]/credit/repair');
  });

  it('cuts links out of free text', () => {
    expect(redactText(`sent https://portal.example/n/${token} to 138…`)).toBe(
      'sent https://portal.example/n/[redacted] to 138…',
    );
  });
});
