// @ts-check
// The converter options of the chosen conversion, as /conversiontypes/options describes them: a
// field each, and the values that differ from the defaults.
import { byId, el } from './dom.js';

/**
 * @typedef {object} ConverterOption
 * @property {string} name
 * @property {string} type  boolean, enum, integer, number, pattern or string
 * @property {unknown} default
 * @property {string} description
 * @property {string} valid  the valid values in words
 * @property {number} [min]
 * @property {number} [max]
 * @property {string[]} [values]
 */

/** A labelled field for one option, its help text naming the valid values and the default. @param {ConverterOption} option */
export function optionField(option) {
  const id = `opt-${option.name}`;
  const shown = option.default === null ? 'server default' : String(option.default);
  /** @type {HTMLElement} */
  let field;
  if (option.type === 'boolean' || option.type === 'enum') {
    const values = option.type === 'boolean' ? ['true', 'false'] : option.values ?? [];
    field = el('select', { id, name: id, 'aria-describedby': `${id}-help` }, [el('option', { value: '' }, [`default (${shown})`]), ...values.map((v) => el('option', { value: v }, [v]))]);
  } else {
    const numeric = option.type === 'integer' || option.type === 'number';
    field = el('input', {
      id, name: id, type: numeric ? 'number' : 'text', inputmode: numeric ? 'decimal' : undefined, 'aria-describedby': `${id}-help`,
      min: option.min === undefined ? undefined : String(option.min), max: option.max === undefined ? undefined : String(option.max),
      step: option.type === 'number' ? 'any' : undefined, placeholder: shown, autocomplete: 'off',
    });
  }
  return el('div', { class: 'option' }, [
    el('label', { for: id }, [option.name]),
    field,
    el('p', { id: `${id}-help`, class: 'help' }, [`${option.description} Valid: ${option.valid}. Default: ${shown}.`]),
  ]);
}

/** The options given in the form (empty fields keep the server's default). @param {ConverterOption[]} options */
export function optionValues(options) {
  /** @type {Record<string, string|number|boolean>} */
  const values = {};
  for (const option of options) {
    const input = /** @type {HTMLInputElement | HTMLSelectElement} */ (byId(`opt-${option.name}`));
    const raw = input.value.trim();
    if (raw === '') continue;
    values[option.name] = option.type === 'boolean' ? raw === 'true' : option.type === 'integer' || option.type === 'number' ? Number(raw) : raw;
  }
  return values;
}
