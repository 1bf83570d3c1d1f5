/**
 * Code blocks of the docs, read from the Markdown itself so that what a developer copies is
 * what the tests run: fenced blocks by language, and blocks that name the example file they
 * are taken from (```js examples/express/server.js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './wrangler-process';

export interface CodeBlock {
  /** The info string's first word, e.g. `python`. */
  lang: string;
  /** The rest of the info string: the file the block is taken from, if any. */
  source: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced code block of a Markdown file under the repository. */
export function codeBlocks(markdownFile: string): CodeBlock[] {
  const lines = readFileSync(join(ROOT, markdownFile), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && lines[i] !== '```') body.push(lines[i] ?? '');
    blocks.push({ lang: open[1] ?? '', source: (open[2] ?? '').trim(), code: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}

/** The one block of `lang` in `markdownFile`. */
export function onlyBlock(markdownFile: string, lang: string): string {
  const found = codeBlocks(markdownFile).filter((b) => b.lang === lang);
  if (found.length !== 1) throw new Error(`${markdownFile} has ${found.length} \`\`\`${lang} blocks, expected 1`);
  return found[0]?.code ?? '';
}
