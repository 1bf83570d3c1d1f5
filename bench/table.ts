/** The bench's one table: rows of figures grouped by section, printed aligned and as Markdown. */

export interface Row {
  section: string;
  figure: string;
  value: string;
  /** What the figure is compared with (empty when it has no baseline). */
  baseline: string;
  /** value ÷ baseline, as text ("" when there is no baseline). */
  ratio: string;
  target: string;
}

type Column = 'figure' | 'value' | 'baseline' | 'ratio' | 'target';
const COLS: readonly Column[] = ['figure', 'value', 'baseline', 'ratio', 'target'];
const HEAD: Record<Column, string> = { figure: 'Figure', value: 'Value', baseline: 'Baseline', ratio: 'Ratio', target: 'Target' };

/** "1.23×", or "" for NaN. */
export function times(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '';
}

export function ms(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(x >= 100 ? 0 : 1)}` : '?';
}

/** Plain text: a header, then each section's title line followed by its rows. */
export function formatTable(rows: readonly Row[]): string {
  const width = Object.fromEntries(COLS.map((c) => [c, Math.max(HEAD[c].length, ...rows.map((r) => r[c].length))])) as Record<Column, number>;
  const line = (r: Record<Column, string>) => COLS.map((c) => r[c].padEnd(width[c])).join(' │ ').trimEnd();
  const rule = COLS.map((c) => '─'.repeat(width[c])).join('─┼─');
  const out = [line(HEAD), rule];
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      if (section) out.push('');
      section = r.section;
      out.push(`▸ ${section}`);
    }
    out.push(line(r));
  }
  return out.join('\n');
}

/** GitHub Markdown: one table, each section as a bold row. */
export function markdownTable(rows: readonly Row[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/^\s+/, '↳ ');
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [line(COLS.map((c) => HEAD[c])), line(COLS.map(() => '---'))];
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      out.push(line([`**${cell(section)}**`, '', '', '', '']));
    }
    out.push(line(COLS.map((c) => cell(r[c]))));
  }
  return out.join('\n');
}
