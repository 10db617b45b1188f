// Prints the catalog's breadth per group: formats read, formats written and pairs listed by
// /conversiontypes (convert pairs, then the other modes' entries). For issue notes and the README.
import { FORMATS, GROUPS, type Group } from '../src/core/catalog/formats.js';
import { listConversionTypes } from '../src/core/catalog/index.js';
import { listModeEntries } from '../src/core/catalog/mode-entries.js';

const pairs = listConversionTypes();
const modes = listModeEntries();
const groupOf = (format: string): Group | undefined => (format === '*' ? undefined : FORMATS[format as keyof typeof FORMATS].group);
const rows = GROUPS.map((group) => {
  const inputs = new Set([...pairs, ...modes].filter((p) => groupOf(p.inputformat) === group).map((p) => p.inputformat));
  const outputs = new Set([...pairs, ...modes].filter((p) => groupOf(p.outputformat) === group).map((p) => p.outputformat));
  const formats = new Set([...inputs, ...outputs]);
  return { group, formats: formats.size, inputs: inputs.size, outputs: outputs.size, pairs: pairs.filter((p) => groupOf(p.inputformat) === group).length };
});
const all = new Set([...pairs, ...modes].flatMap((p) => [p.inputformat, p.outputformat]).filter((f) => f !== '*'));
const ins = new Set([...pairs, ...modes].map((p) => p.inputformat).filter((f) => f !== '*'));
const outs = new Set([...pairs, ...modes].map((p) => p.outputformat));
console.log('| group | formats | read | written | convert pairs (by input group) |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) if (r.formats > 0) console.log(`| ${r.group} | ${r.formats} | ${r.inputs} | ${r.outputs} | ${r.pairs} |`);
console.log(`| **all** | **${all.size}** | **${ins.size}** | **${outs.size}** | **${pairs.length}** (+ ${modes.length} entries of other modes) |`);
