// The configuration table of docs/configuration.md, rendered from the declaration so it cannot
// drift from the code. `npm run docs:config` writes it between the markers; a unit test compares
// the two.
import type { SettingDoc, SettingMap } from './setting.js';
import { SECTIONS } from './settings.js';

export const TABLE_START = '<!-- config-table:start: generated from src/config by `npm run docs:config`; edit the declarations, not this table -->';
export const TABLE_END = '<!-- config-table:end -->';

interface DocumentedSection {
  readonly title: string;
  readonly engine: string | undefined;
  readonly settings: SettingMap;
}

/** A pipe would end the cell. */
const cell = (text: string): string => text.replaceAll('|', '\\|');
const row = (doc: SettingDoc): string => `| ${[doc.variable, doc.type, doc.default, doc.meaning].map(cell).join(' | ')} |`;

function renderSection(section: DocumentedSection): string {
  const heading = section.engine === undefined ? section.title : `${section.title} (engine \`${section.engine}\`)`;
  const rows = Object.values(section.settings).flatMap((setting) => setting.docs.map(row));
  return [`### ${heading}`, '', '| Variable | Values | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The markdown between the markers: one table per section, one row per variable. */
export function renderConfigTable(sections: Readonly<Record<string, DocumentedSection>> = SECTIONS): string {
  return Object.values(sections).map(renderSection).join('\n\n');
}

/** The part of `readme` between the markers (without them); undefined when they are missing. */
export function tableInReadme(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** `readme` with `table` between the markers. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/configuration.md has no ${TABLE_START} ... ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
