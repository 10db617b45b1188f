// The catalog's breadth per group, as docs/formats.md shows it (`npm run docs:formats` writes it
// between its markers; a unit test fails when the committed table differs): the formats each
// group reads and writes, how many pairs /conversiontypes lists, and each format's outputs.
import { FORMATS, GROUPS, type Format, type Group } from './formats.js';
import { listConversionTypes } from './index.js';
import { listModeEntries } from './mode-entries.js';

export const BREADTH_START = '<!-- formats:start -->';
export const BREADTH_END = '<!-- formats:end -->';

const groupOf = (format: Format | '*'): Group | undefined => (format === '*' ? undefined : FORMATS[format].group);

export function renderBreadthTable(): string {
  const pairs = listConversionTypes();
  const entries = [...pairs, ...listModeEntries()];
  const reads = new Set(entries.map((e) => e.inputformat).filter((f): f is Format => f !== '*'));
  const writes = new Set(entries.filter((e) => !('mode' in e) || e.mode !== 'extract').map((e) => e.outputformat));
  const rows = GROUPS.flatMap((group) => {
    const formats = (Object.keys(FORMATS) as Format[]).filter((f) => FORMATS[f].group === group && (reads.has(f) || writes.has(f)));
    if (formats.length === 0) return [];
    const mark = (f: Format): string => (reads.has(f) && writes.has(f) ? f : reads.has(f) ? `${f} (in)` : `${f} (out)`);
    return [`| ${group} | ${formats.length} | ${pairs.filter((p) => groupOf(p.inputformat) === group).length} | ${formats.map(mark).join(', ')} |`];
  });
  const known = new Set([...reads, ...writes]);
  return [
    '| group | formats | convert pairs | formats (in: read only, out: written only) |',
    '|---|---:|---:|---|',
    ...rows,
    `| **all** | **${known.size}** | **${pairs.length}** | and ${entries.length - pairs.length} entries of the other modes (compress, combine, archive, extract) |`,
  ].join('\n');
}

/** Per input format (group by group), every format /conversiontypes converts it to, in the catalog's order. */
export function renderPairsTable(): string {
  const pairs = listConversionTypes();
  const order = Object.keys(FORMATS) as Format[];
  const rows = GROUPS.flatMap((group) =>
    order
      .filter((input) => FORMATS[input].group === group)
      .flatMap((input) => {
        const outputs = new Set<string>(pairs.filter((p) => p.inputformat === input).map((p) => p.outputformat));
        return outputs.size === 0 ? [] : [`| ${input} | ${group} | ${order.filter((f) => outputs.has(f)).join(', ')} |`];
      }),
  );
  return ['| from | group | to |', '|---|---|---|', ...rows].join('\n');
}

/** What docs/formats.md holds between its markers: the breadth per group, then every pair. */
export const renderFormatsPage = (): string => `${renderBreadthTable()}\n\n### What each format converts to\n\n${renderPairsTable()}`;

/** The table committed in docs/formats.md, or undefined without the markers. */
export function breadthInReadme(readme: string): string | undefined {
  const start = readme.indexOf(BREADTH_START);
  const end = readme.indexOf(BREADTH_END);
  return start < 0 || end < start ? undefined : readme.slice(start + BREADTH_START.length, end).trim();
}

export function withBreadth(readme: string, table: string): string {
  const start = readme.indexOf(BREADTH_START);
  const end = readme.indexOf(BREADTH_END);
  if (start < 0 || end < start) throw new Error(`docs/formats.md has no ${BREADTH_START} ... ${BREADTH_END} markers`);
  return `${readme.slice(0, start + BREADTH_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
