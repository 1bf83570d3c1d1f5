/**
 * The docs show the tested code: every block that names an example file (```js
 * examples/express/server.js) is that file's code, line for line and in order (lines may be
 * left out; the import of the helper is shown as the copy a developer keeps beside their
 * code). And the token table lists every claim of the token rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN_RULES } from '../../shared/referral-token.js';
import { codeBlocks, onlyBlock } from './snippets';
import { ROOT } from './wrangler-process';

const DOCS = ['docs/host-backend.md', 'docs/readme-embed-draft.md', 'docs/troubleshooting.md', 'docs/go-live.md', 'docs/custom-domain.md'];

/** The file's lines, trimmed, with the helper imported from beside it as the docs show. */
function sourceLines(file: string): string[] {
  return readFileSync(join(ROOT, file), 'utf8')
    .replace(/'(?:\.\.\/)+shared\/referral-token\.js'/g, "'./referral-token.js'")
    .split('\n')
    .map((l) => l.trim());
}

describe('code in the docs', () => {
  const quoted = DOCS.flatMap((doc) => codeBlocks(doc).filter((b) => b.source.startsWith('examples/')).map((b) => ({ doc, ...b })));

  it('quotes the examples somewhere', () => {
    expect(quoted.map((b) => b.source)).toEqual(expect.arrayContaining(['examples/express/server.js', 'examples/hono-worker/src/index.ts']));
  });

  it.each(quoted.map((b) => [`${b.doc}:${b.line} (${b.source})`, b] as const))('%s is the example\'s own code', (_, block) => {
    const source = sourceLines(block.source);
    let at = 0;
    for (const line of block.code.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
      const found = source.indexOf(line, at);
      expect(found, `not in ${block.source} (in this order): ${line}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });

  it('shows in the README draft the same Python and PHP snippets that docs/host-backend.md has (and the tests run)', () => {
    for (const lang of ['python', 'php']) expect(onlyBlock('docs/readme-embed-draft.md', lang)).toBe(onlyBlock('docs/host-backend.md', lang));
  });

  it('lists every claim of the token rules in docs/host-backend.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/host-backend.md'), 'utf8');
    for (const claim of [...TOKEN_RULES.requiredClaims, ...TOKEN_RULES.optionalClaims]) expect(doc).toContain(`| \`${claim}\` |`);
  });
});
