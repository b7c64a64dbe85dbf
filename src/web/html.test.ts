import { describe, expect, it } from 'vitest';
import { html, jsonForScript } from './html.js';

describe('html', () => {
  it('escapes interpolated values', () => {
    const name = '<img src=x onerror=alert(1)>"\'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;&quot;&#39;">&lt;img src=x onerror=alert(1)&gt;&quot;&#39;</p>',
    );
  });

  it('keeps nested fragments and lists', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('embeds JSON that cannot close a script element', () => {
    expect(jsonForScript({ s: '</script><script>' }).value).not.toContain('</script>');
  });
});
