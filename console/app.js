// @ts-check
// The API console: a form generated from /conversiontypes and /conversiontypes/options, a live
// status, the key's processes, and the same request as code. No framework; text only via
// textContent.
import { absolute, ApiError, call } from './api.js';
import { byId, el, fillSelect, flatten } from './dom.js';
import { SNIPPETS } from './snippets.js';

const KEY_STORAGE = 'openconvert.apikey';
const PLACEHOLDER_KEY = 'YOUR_API_KEY';
const POLL_MS = 400;

/** @type {{ inputformat: string, outputformat: string, group: string }[]} */
let types = [];
/** @type {{ name: string, type: string, default: unknown, description: string, valid: string, min?: number, max?: number, values?: string[] }[]} */
let options = [];

const form = /** @type {HTMLFormElement} */ (byId('form'));
const keyInput = /** @type {HTMLInputElement} */ (byId('key'));
const showKey = /** @type {HTMLInputElement} */ (byId('show-key'));
const modeSelect = /** @type {HTMLSelectElement} */ (byId('mode'));
/** Modes this page can drive: one file in, the output format chosen (or, for info, none). */
const SINGLE_FILE_MODES = ['convert', 'info'];
const groupSelect = /** @type {HTMLSelectElement} */ (byId('group'));
const inputSelect = /** @type {HTMLSelectElement} */ (byId('inputformat'));
const outputSelect = /** @type {HTMLSelectElement} */ (byId('outputformat'));
const fileInput = /** @type {HTMLInputElement} */ (byId('file'));
const urlInput = /** @type {HTMLInputElement} */ (byId('url'));
const optionsBox = byId('options');
const startButton = /** @type {HTMLButtonElement} */ (byId('start'));
const progress = /** @type {HTMLProgressElement} */ (byId('progress'));

const inputMethod = () => /** @type {'upload'|'download'} */ (/** @type {HTMLInputElement} */ (form.querySelector('input[name=input]:checked')).value);
const uniq = (/** @type {string[]} */ list) => [...new Set(list)];

function optionValues() {
  /** @type {Record<string, string|number|boolean>} */
  const values = {};
  for (const option of options) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement} */ (byId(`opt-${option.name}`));
    const raw = field.value.trim();
    if (raw === '') continue;
    values[option.name] = option.type === 'boolean' ? raw === 'true' : option.type === 'integer' || option.type === 'number' ? Number(raw) : raw;
  }
  return values;
}

function request() {
  const file = fileInput.files?.[0];
  return {
    origin: location.origin,
    key: showKey.checked && keyInput.value.trim() !== '' ? keyInput.value.trim() : PLACEHOLDER_KEY,
    mode: modeSelect.value,
    inputformat: inputSelect.value,
    outputformat: modeSelect.value === 'info' ? inputSelect.value : outputSelect.value,
    input: inputMethod(),
    filename: file?.name ?? `file.${inputSelect.value}`,
    url: urlInput.value.trim() || `https://example.com/file.${inputSelect.value}`,
    options: optionValues(),
  };
}

function renderSnippets() {
  const r = request();
  for (const snippet of SNIPPETS) byId(`code-${snippet.id}`).textContent = snippet.render(r);
}

/** @param {string} text @param {'error'|'info'} [kind] */
function setNotice(text, kind = 'info') {
  const error = byId('error');
  error.textContent = kind === 'error' ? text : '';
  error.hidden = kind !== 'error' || text === '';
}

function renderFormats() {
  const groups = uniq(types.map((t) => t.group)).sort();
  fillSelect(groupSelect, [{ value: '', label: 'all groups' }, ...groups.map((g) => ({ value: g, label: g }))], groupSelect.value);
  const inputs = uniq(types.filter((t) => groupSelect.value === '' || t.group === groupSelect.value).map((t) => t.inputformat)).sort();
  fillSelect(inputSelect, inputs.map((f) => ({ value: f, label: f })), inputSelect.value);
  const outputs = uniq(types.filter((t) => t.inputformat === inputSelect.value).map((t) => t.outputformat)).sort();
  fillSelect(outputSelect, outputs.map((f) => ({ value: f, label: f })), outputSelect.value);
  outputSelect.disabled = modeSelect.value === 'info';
}

/** @param {(typeof options)[number]} option */
function optionField(option) {
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

async function loadOptions() {
  const query = new URLSearchParams({ mode: modeSelect.value, inputformat: inputSelect.value, outputformat: outputSelect.value });
  try {
    const doc = await call(`/conversiontypes/options?${query}`);
    // The console sends one file: the modes that take several (combine, archive) are for the API.
    fillSelect(modeSelect, doc.modes.filter((/** @type {string} */ m) => SINGLE_FILE_MODES.includes(m)).map((/** @type {string} */ m) => ({ value: m, label: m })), modeSelect.value);
    options = doc.options;
    optionsBox.replaceChildren(...options.map(optionField));
    byId('options-empty').hidden = options.length > 0;
    setNotice('');
  } catch (error) {
    options = [];
    optionsBox.replaceChildren();
    setNotice(error instanceof Error ? error.message : String(error), 'error');
  }
  renderSnippets();
}

async function formatsChanged() {
  renderFormats();
  await loadOptions();
}

/** @param {any} status */
function showStatus(status) {
  progress.value = Number(status.percent) || 0;
  byId('percent').textContent = `${Math.round(Number(status.percent) || 0)} %`;
  byId('step').textContent = String(status.step ?? '');
  byId('message').textContent = String(status.message ?? '');
  if (status.step === 'error') setNotice(String(status.message ?? 'The conversion failed.'), 'error');
}

/** @param {any} status */
function showResult(status) {
  const links = byId('result');
  const output = status.output ?? {};
  if (typeof output.url === 'string' && status.step === 'finished') {
    const files = Array.isArray(output.files) ? output.files : [output.filename];
    const base = absolute(output.url);
    links.replaceChildren(...files.map((/** @type {string} */ name) => el('li', {}, [el('a', { href: Array.isArray(output.files) ? `${base}/${encodeURIComponent(name)}` : base, download: name, class: 'download' }, [`Download ${name}`])])));
  }
  const table = byId('info');
  if (status.info !== undefined) {
    const rows = flatten(status.info).map(([k, v]) => el('tr', {}, [el('th', { scope: 'row' }, [k]), el('td', {}, [v])]));
    table.replaceChildren(el('caption', {}, ['File information']), el('tbody', {}, rows));
    table.hidden = false;
  }
}

/** @param {string} url */
async function follow(url) {
  for (;;) {
    const status = await call(url);
    showStatus(status);
    if (status.step === 'finished' || status.step === 'error') return status;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function start() {
  const r = request();
  const key = keyInput.value.trim();
  const file = fileInput.files?.[0];
  if (key === '') throw new ApiError('Enter your API key first.', 401);
  if (r.input === 'upload' && file === undefined) throw new ApiError('Choose a file to upload.', 400);
  if (r.input === 'download' && urlInput.value.trim() === '') throw new ApiError('Give the URL of the file.', 400);
  const created = await call('/process', { method: 'POST', key, json: { inputformat: r.inputformat, outputformat: r.outputformat, mode: r.mode } });
  byId('step').textContent = 'input';
  byId('message').textContent = 'Process created';
  const body = { input: r.input, mode: r.mode, outputformat: r.outputformat, converteroptions: r.options, ...(r.input === 'download' ? { file: r.url } : {}) };
  const started = await call(created.url, { method: 'POST', json: body });
  if (r.input === 'upload' && file !== undefined) {
    showStatus({ ...started, message: 'Uploading the file' });
    await call(`${started.upload.url}/${encodeURIComponent(file.name)}`, { method: 'PUT', body: file });
  }
  const final = await follow(created.url);
  showResult(final);
  await loadProcesses();
}

async function loadProcesses() {
  const key = keyInput.value.trim();
  const list = byId('processes');
  if (key === '') {
    list.replaceChildren(el('li', {}, ['Enter your API key to see your processes.']));
    return;
  }
  try {
    const processes = await call('/processes', { key });
    // Newest first, as /processes lists them.
    const items = processes.slice(0, 20).map((/** @type {any} */ p) => {
      const remove = el('button', { type: 'button', class: 'delete', 'aria-label': `Delete process ${p.id}` }, ['Delete']);
      remove.addEventListener('click', async () => {
        try {
          await call(p.url, { method: 'DELETE' });
        } catch (error) {
          setNotice(error instanceof Error ? error.message : String(error), 'error');
        }
        await loadProcesses();
      });
      return el('li', {}, [el('a', { href: absolute(p.url) }, [p.id]), ` ${p.step} · ${p.starttime} `, remove]);
    });
    list.replaceChildren(...(items.length > 0 ? items : [el('li', {}, ['No processes yet.'])]));
  } catch (error) {
    list.replaceChildren(el('li', {}, [error instanceof Error ? error.message : String(error)]));
  }
}

function wire() {
  keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
  keyInput.addEventListener('change', () => {
    sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
    renderSnippets();
    void loadProcesses();
  });
  keyInput.addEventListener('input', renderSnippets);
  showKey.addEventListener('change', renderSnippets);
  modeSelect.addEventListener('change', () => void formatsChanged());
  groupSelect.addEventListener('change', () => void formatsChanged());
  inputSelect.addEventListener('change', () => void formatsChanged());
  outputSelect.addEventListener('change', () => void loadOptions());
  form.addEventListener('input', renderSnippets);
  form.addEventListener('change', () => {
    const upload = inputMethod() === 'upload';
    byId('upload-field').hidden = !upload;
    byId('url-field').hidden = upload;
    renderSnippets();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    startButton.disabled = true;
    setNotice('');
    byId('result').replaceChildren();
    byId('info').hidden = true;
    showStatus({ percent: 0, step: 'input', message: 'Starting' });
    try {
      await start();
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error), 'error');
      byId('step').textContent = 'error';
    } finally {
      startButton.disabled = false;
    }
  });
  byId('refresh').addEventListener('click', () => void loadProcesses());
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', async () => {
      const code = byId(`code-${/** @type {HTMLElement} */ (button).dataset['snippet']}`);
      // The clipboard API needs a secure context (https or localhost); elsewhere select the code.
      const copied = await navigator.clipboard?.writeText(code.textContent ?? '').then(() => true, () => false);
      if (!copied) getSelection()?.selectAllChildren(code);
      button.textContent = copied ? 'Copied' : 'Selected: press Ctrl+C';
      setTimeout(() => (button.textContent = 'Copy'), 1500);
    });
  }
}

async function main() {
  wire();
  try {
    types = await call('/conversiontypes');
  } catch (error) {
    setNotice(error instanceof Error ? error.message : String(error), 'error');
    return;
  }
  inputSelect.value = 'svg';
  renderFormats();
  if (types.some((t) => t.inputformat === 'svg')) inputSelect.value = 'svg';
  renderFormats();
  if (types.some((t) => t.inputformat === inputSelect.value && t.outputformat === 'png')) outputSelect.value = 'png';
  await loadOptions();
  await loadProcesses();
  document.body.dataset['ready'] = 'true';
}

void main();
