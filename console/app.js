// @ts-check
// The API console: a form generated from /conversiontypes and /conversiontypes/options for every
// mode, the upload's and the conversion's progress, cancel, the results with previews, the key's
// processes, and the same request as code. No framework; text only via textContent.
/** @typedef {import('./options.js').ConverterOption} ConverterOption */
import { ApiError, call, upload } from './api.js';
import { byId, fillSelect, formatBytes } from './dom.js';
import { FileList } from './files.js';
import { MODES, modeOf } from './modes.js';
import { optionField, optionValues } from './options.js';
import { clearResult, showResult } from './results.js';
import { SNIPPETS } from './snippets.js';
import { loadProcesses } from './processes.js';

const KEY_STORAGE = 'openconvert.apikey';
const PLACEHOLDER_KEY = 'YOUR_API_KEY';
const POLL_MS = 400;

/** @type {{ inputformat: string, outputformat: string, group: string, mode?: string }[]} */
let types = [];
/** @type {ConverterOption[]} */
let options = [];
/** The run under way: its abort controller and, once created, its process URL. */
/** @type {{ controller: AbortController, processUrl?: string } | undefined} */
let current;
/** The last run started (kept once it has ended): a cancel's late answer speaks only for it. */
/** @type {typeof current} */
let latest;

const form = /** @type {HTMLFormElement} */ (byId('form'));
const keyInput = /** @type {HTMLInputElement} */ (byId('key'));
const showKey = /** @type {HTMLInputElement} */ (byId('show-key'));
const modeSelect = /** @type {HTMLSelectElement} */ (byId('mode'));
const groupSelect = /** @type {HTMLSelectElement} */ (byId('group'));
const inputSelect = /** @type {HTMLSelectElement} */ (byId('inputformat'));
const outputSelect = /** @type {HTMLSelectElement} */ (byId('outputformat'));
const urlInput = /** @type {HTMLInputElement} */ (byId('url'));
const urlsInput = /** @type {HTMLTextAreaElement} */ (byId('urls'));
const optionsBox = byId('options');
const startButton = /** @type {HTMLButtonElement} */ (byId('start'));
const cancelButton = /** @type {HTMLButtonElement} */ (byId('cancel'));
const progress = /** @type {HTMLProgressElement} */ (byId('progress'));
const fileList = new FileList({ input: /** @type {HTMLInputElement} */ (byId('file')), zone: byId('drop-zone'), list: byId('files'), onChange: () => renderSnippets(), onAdd: () => void followChosenFile() });

const mode = () => modeOf(modeSelect.value);
/** Website capture takes only a URL; every other mode an upload or URLs, as chosen. */
const inputMethod = () => (mode().input === 'url' ? 'download' : /** @type {'upload'|'download'} */ (/** @type {HTMLInputElement} */ (form.querySelector('input[name=input]:checked')).value));
const uniq = (/** @type {string[]} */ list) => [...new Set(list)];
const apiKey = () => keyInput.value.trim();

function givenUrls() {
  const text = mode().several ? urlsInput.value : urlInput.value;
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/** What the form describes: the snippets' input, and the start's. */
function request() {
  const shape = mode();
  const inputformat = inputSelect.value;
  const sample = inputformat === '*' ? 'txt' : inputformat;
  const placeholders = shape.several ? [`a.${sample}`, `b.${sample}`] : [`file.${sample}`];
  const names = fileList.files.map((f) => f.name);
  const urls = givenUrls();
  return {
    origin: location.origin,
    key: showKey.checked && apiKey() !== '' ? apiKey() : PLACEHOLDER_KEY,
    mode: shape.api,
    inputformat,
    outputformat: shape.output === 'choose' ? outputSelect.value : inputformat,
    input: inputMethod(),
    filenames: names.length > 0 ? names : placeholders,
    urls: urls.length > 0 ? urls : shape.input === 'url' ? ['https://example.com/'] : placeholders.map((n) => `https://example.com/${n}`),
    options: optionValues(options),
  };
}

function renderSnippets() {
  const r = request();
  for (const snippet of SNIPPETS) byId(`code-${snippet.id}`).textContent = snippet.render(r);
}

/** The server's message, and its hint on a line of its own. @param {string} text @param {string} [hint] */
function showError(text, hint) {
  byId('error-text').textContent = text;
  byId('error-hint').textContent = hint ?? '';
  byId('error-hint').hidden = hint === undefined;
  byId('error').hidden = text === '';
}

/** @param {unknown} error */
const showThrown = (error) => showError(error instanceof Error ? error.message : String(error), error instanceof ApiError ? error.hint : undefined);

/** The catalog's entries for the chosen mode: each mode has its own pairs (archive's `*`). */
function typesOfMode() {
  const shape = mode();
  if (shape.inputformat !== undefined) return types.filter((t) => t.inputformat === shape.inputformat);
  if (shape.api === 'convert' || shape.api === 'info') return types.filter((t) => t.mode === undefined && t.inputformat !== 'website');
  return types.filter((t) => t.mode === shape.api);
}

function renderFormats() {
  const shape = mode();
  const pairs = typesOfMode();
  const groups = uniq(pairs.map((t) => t.group)).sort();
  fillSelect(groupSelect, [{ value: '', label: 'all groups' }, ...groups.map((g) => ({ value: g, label: g }))], groupSelect.value);
  const inputs = uniq(pairs.filter((t) => groupSelect.value === '' || t.group === groupSelect.value).map((t) => t.inputformat)).sort();
  fillSelect(inputSelect, inputs.map((f) => ({ value: f, label: f === '*' ? 'any file (*)' : f })), inputs.includes(inputSelect.value) ? inputSelect.value : shape.defaultInput);
  const outputs = uniq(pairs.filter((t) => t.inputformat === inputSelect.value).map((t) => t.outputformat)).sort();
  fillSelect(outputSelect, outputs.map((f) => ({ value: f, label: f })), outputs.includes(outputSelect.value) ? outputSelect.value : shape.defaultOutput);
  outputSelect.disabled = shape.output !== 'choose';
  if (shape.output !== 'choose') fillSelect(outputSelect, [{ value: '', label: shape.output === 'same' ? 'same as the input' : 'none' }]);
}

/** The mode's input format a file name ends with (the longest: tar.gz before gz), if any. @param {string} name */
function formatOfName(name) {
  const lower = name.toLowerCase();
  return uniq(typesOfMode().map((t) => t.inputformat)).filter((f) => f !== '*' && lower.endsWith(`.${f}`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * One chosen file names its format: the input format follows its extension when the mode reads
 * it, so picking report.docx does not leave svg selected. After a change of mode, a kept file
 * the new mode cannot read is dropped rather than sent to a certain refusal.
 * @param {{ dropUnreadable?: boolean }} [options]
 */
async function followChosenFile(options = {}) {
  const shape = mode();
  const file = fileList.files[0];
  if (shape.several || shape.input !== 'file' || file === undefined) return;
  const format = formatOfName(file.name);
  if (format === undefined) {
    if (options.dropUnreadable === true) fileList.clear();
    return;
  }
  if (format === inputSelect.value) return;
  groupSelect.value = '';
  renderFormats();
  inputSelect.value = format;
  await formatsChanged();
}

/** Shows the inputs the mode takes: a URL first for a website, several files where it packs or merges. */
function renderInputs() {
  const shape = mode();
  const upload = inputMethod() === 'upload';
  byId('input-choice').hidden = shape.input === 'url';
  byId('upload-field').hidden = !upload;
  byId('url-field').hidden = upload || shape.several;
  byId('urls-field').hidden = upload || !shape.several;
  byId('url-label').textContent = shape.input === 'url' ? 'Web page URL' : 'File URL';
  byId('file-label').textContent = shape.several ? 'Files' : 'File';
  byId('mode-help').textContent = shape.help;
  fileList.configure({ multiple: shape.several, ordered: shape.api === 'combine' });
}

/** Counts the loads of options: only the latest one's answer is shown (an earlier one may come later). */
let optionsLoad = 0;

async function loadOptions() {
  const load = ++optionsLoad;
  const r = request();
  const query = new URLSearchParams({ mode: r.mode, inputformat: r.inputformat });
  if (mode().output === 'choose') query.set('outputformat', r.outputformat);
  try {
    const doc = await call(`/conversiontypes/options?${query}`);
    if (load !== optionsLoad) return;
    const offered = MODES.filter((m) => doc.modes.includes(m.api) && (m.inputformat === undefined || types.some((t) => t.inputformat === m.inputformat)));
    fillSelect(modeSelect, offered.map((m) => ({ value: m.id, label: m.label })), modeSelect.value);
    options = doc.options;
    optionsBox.replaceChildren(...options.map(optionField));
    byId('options-empty').hidden = options.length > 0;
    showError('');
  } catch (error) {
    if (load !== optionsLoad) return;
    options = [];
    optionsBox.replaceChildren();
    showThrown(error);
  }
  renderSnippets();
}

async function formatsChanged() {
  renderFormats();
  renderInputs();
  await loadOptions();
}

/** @param {any} status */
function showStatus(status) {
  const percent = Number(status.percent) || 0;
  progress.value = percent;
  byId('percent').textContent = `${Math.round(percent)} %`;
  byId('step').textContent = String(status.step ?? '');
  byId('message').textContent = String(status.message ?? '');
  if (status.step === 'error') showError(String(status.message ?? 'The conversion failed.'));
}

/** @param {number} loaded @param {number} total @param {number} count */
function showUpload(loaded, total, count) {
  const percent = total > 0 ? (100 * loaded) / total : 0;
  const what = count === 1 ? 'the file' : `${count} files`;
  showStatus({ percent, step: 'upload', message: `Uploading ${what}: ${formatBytes(loaded)} of ${formatBytes(total)}` });
}

/** @param {number} ms @param {AbortSignal} signal */
const pause = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
});

/** @param {string} url @param {AbortSignal} signal */
async function follow(url, signal) {
  for (;;) {
    const status = await call(url, { signal });
    signal.throwIfAborted();
    showStatus(status);
    if (status.step === 'finished' || status.step === 'error') return status;
    await pause(POLL_MS, signal);
    signal.throwIfAborted();
  }
}

/** Sends the files as parts of one multipart POST to the process URL, after the other fields. */
function uploadForm(/** @type {Record<string, string>} */ fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const file of fileList.files) body.append('file', file, file.name);
  return body;
}

/** @param {NonNullable<typeof current>} run */
async function start(run) {
  const r = request();
  const shape = mode();
  const { signal } = run.controller;
  if (apiKey() === '') throw new ApiError('Enter your API key first.', 401);
  if (r.input === 'upload' && fileList.files.length === 0) throw new ApiError(shape.several ? 'Choose the files to upload.' : 'Choose a file to upload.', 400);
  if (r.input === 'download' && givenUrls().length === 0) throw new ApiError(shape.input === 'url' ? 'Give the URL of the web page.' : 'Give the URL of the file.', 400);
  // Not aborted by a cancel: the server may have created the process already, and only its
  // answer says where it is. A cancel meanwhile deletes it here.
  const created = await call('/process', { method: 'POST', key: apiKey(), json: { inputformat: r.inputformat, outputformat: r.outputformat, mode: r.mode } });
  run.processUrl = created.url;
  if (signal.aborted) {
    await call(created.url, { method: 'DELETE' }).catch(() => undefined);
    signal.throwIfAborted();
  }
  showStatus({ percent: 0, step: 'input', message: 'Process created' });
  // `save` keeps the files 24 h, so that a preview does not use up the single download.
  const fields = { input: r.input, mode: r.mode, outputformat: r.outputformat, save: 'true' };
  if (r.input === 'upload') {
    /** @type {Record<string, string>} */
    const parts = { ...fields };
    for (const [name, value] of Object.entries(r.options)) parts[`converteroptions[${name}]`] = String(value);
    const count = fileList.files.length;
    await upload(created.url, uploadForm(parts), (loaded, total) => showUpload(loaded, total, count), signal);
  } else {
    const urls = givenUrls();
    await call(created.url, { method: 'POST', json: { ...fields, save: true, converteroptions: r.options, ...(shape.several ? { files: urls } : { file: urls[0] }) }, signal });
  }
  showResult(await follow(created.url, signal));
}

/** Stops the run: the upload, the polling, and the process with its files (DELETE). */
async function cancel() {
  const run = current;
  if (run === undefined) return;
  run.controller.abort();
  // Before the process exists, start() deletes it once the server says where it is.
  let message = 'Cancelled before the conversion started.';
  if (run.processUrl !== undefined) {
    message = await call(run.processUrl, { method: 'DELETE' }).then(
      () => 'Cancelled: the process and its files were deleted.',
      (error) => `Cancelled here, but the server did not delete the process: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // A run started while the DELETE was under way has the status line now: leave it alone.
  if (latest === run) showStatus({ percent: progress.value, step: 'cancelled', message });
  await refreshProcesses();
}

async function submit() {
  const run = { controller: new AbortController() };
  current = run;
  latest = run;
  // Start is disabled and Cancel hidden around a run: the focus on either would fall to the top
  // of the page, so it moves to the button that is there (a field keeps its focus).
  const hadFocus = document.activeElement === startButton;
  startButton.disabled = true;
  cancelButton.hidden = false;
  if (hadFocus) cancelButton.focus();
  showError('');
  clearResult();
  showStatus({ percent: 0, step: 'input', message: 'Starting' });
  try {
    await start(run);
  } catch (error) {
    if (!run.controller.signal.aborted) {
      showThrown(error);
      byId('step').textContent = 'error';
      byId('message').textContent = 'Stopped: the error is shown below.';
    }
  } finally {
    current = undefined;
    const lost = document.activeElement === cancelButton || document.activeElement === startButton || document.activeElement === document.body;
    startButton.disabled = false;
    cancelButton.hidden = true;
    if (lost) startButton.focus();
  }
  await refreshProcesses();
}

const refreshProcesses = () => loadProcesses(apiKey(), showThrown);

function wire() {
  keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
  keyInput.addEventListener('change', () => {
    sessionStorage.setItem(KEY_STORAGE, apiKey());
    renderSnippets();
    void refreshProcesses();
  });
  keyInput.addEventListener('input', renderSnippets);
  showKey.addEventListener('change', renderSnippets);
  modeSelect.addEventListener('change', () => {
    // Each mode starts from its usual formats (combine: pdf; archive: * to zip); info keeps the
    // format chosen, as it describes the file at hand.
    const shape = mode();
    if (shape.defaultInput !== undefined) {
      groupSelect.value = '';
      inputSelect.value = shape.defaultInput;
    }
    if (shape.defaultOutput !== undefined) outputSelect.value = shape.defaultOutput;
    void formatsChanged().then(() => followChosenFile({ dropUnreadable: true }));
  });
  groupSelect.addEventListener('change', () => void formatsChanged());
  inputSelect.addEventListener('change', () => {
    // Picking the website format is picking website capture: its URL comes first.
    if (inputSelect.value === 'website') modeSelect.value = 'website';
    void formatsChanged();
  });
  outputSelect.addEventListener('change', () => void loadOptions());
  form.addEventListener('input', renderSnippets);
  form.addEventListener('change', () => {
    renderInputs();
    renderSnippets();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  cancelButton.addEventListener('click', () => void cancel());
  byId('refresh').addEventListener('click', () => void refreshProcesses());
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
    showThrown(error);
    return;
  }
  fillSelect(modeSelect, MODES.map((m) => ({ value: m.id, label: m.label })), 'convert');
  renderFormats();
  renderInputs();
  await loadOptions();
  await refreshProcesses();
  document.body.dataset['ready'] = 'true';
}

void main();
