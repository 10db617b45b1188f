// @ts-check
// Ready-to-copy code for the request the form describes, for every mode: curl (create + start,
// and /convert), the official Node v1 client, the official Node SDK for API v2 (cloudconvert
// 3.x), and the PHP and Python v1 clients. A client that cannot do a mode says so in its snippet.
// Pure functions of the request, so they are the same on every render.

/**
 * @typedef {object} SnippetRequest
 * @property {string} origin      this server, e.g. http://127.0.0.1:8080
 * @property {string} key         the API key or a placeholder
 * @property {string} mode        the API's mode: convert, info, combine, archive, extract, compress
 * @property {string} inputformat `*` for archive; `website` for a capture
 * @property {string} outputformat the input's format for info, extract and compress
 * @property {'upload'|'download'} input
 * @property {string[]} filenames the uploaded files' names (upload), in order
 * @property {string[]} urls      the files' URLs (download), in order
 * @property {Record<string, string|number|boolean>} options  converteroptions that differ from the defaults
 */

/** A single-quoted shell word. @param {string} value */
export const sh = (value) => `'${value.replace(/'/g, `'\\''`)}'`;
/** A single-quoted PHP/Python string. @param {string} value */
const quoted = (value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Modes whose inputs are several files. @param {SnippetRequest} r */
const several = (r) => r.mode === 'combine' || r.mode === 'archive';
/** Modes whose output format is chosen (and so sent). @param {SnippetRequest} r */
const choosesOutput = (r) => r.mode === 'convert' || several(r);

/** The name a file is known by: the upload's name, or the last part of its URL. @param {SnippetRequest} r */
function inputName(r) {
  if (r.input === 'upload') return r.filenames[0] ?? 'file';
  const url = r.urls[0] ?? '';
  if (r.inputformat === 'website') return (/^https?:\/\/([^/?#:]+)/.exec(url)?.[1] ?? 'page') + '.website';
  return (url.split(/[?#]/)[0] ?? '').split('/').pop() || 'file';
}

/** The file a single-result client saves: never the input's own name (extract, compress). @param {SnippetRequest} r */
function outputName(r) {
  const base = inputName(r);
  const stem = (base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base) || 'output';
  if (r.mode === 'extract') return `${stem}-files.zip`;
  if (r.mode === 'compress') return `${stem}-compressed.${r.outputformat}`;
  return `${stem}.${r.outputformat}`;
}

/** A result that may be several files, which v1 downloads as one ZIP. @param {SnippetRequest} r */
const zipNote = (r) => (r.mode === 'extract' ? 'the files of the archive come as one ZIP' : r.mode === 'convert' ? 'a result of several files (the pages of a PDF...) comes as one ZIP' : '');

/** The start's text fields. @param {SnippetRequest} r @returns {[string, string][]} */
function startFields(r) {
  /** @type {[string, string][]} */
  const fields = [['input', r.input]];
  if (r.mode !== 'convert') fields.push(['mode', r.mode]);
  if (choosesOutput(r)) fields.push(['outputformat', r.outputformat]);
  if (r.input === 'download') {
    if (several(r)) for (const url of r.urls) fields.push(['files[]', url]);
    else fields.push(['file', r.urls[0] ?? '']);
  }
  for (const [name, value] of Object.entries(r.options)) fields.push([`converteroptions[${name}]`, String(value)]);
  return fields;
}

/** curl's -F file=@name, quoted where curl's own syntax would split the name. @param {string} name */
const filePart = (name) => `-F ${sh(/[;,"\\]/.test(name) ? `file=@"${name.replace(/["\\]/g, '\\$&')}"` : `file=@${name}`)}`;
/** Text fields as --form-string, which never reads a file for a value starting with @ or <. @param {[string, string][]} fields */
const formStrings = (fields) => fields.map(([k, v]) => `--form-string ${sh(`${k}=${v}`)}`);

/** The `url` of the JSON on stdin, made absolute. @param {(expr: string) => string} resolved */
const JSON_READ_URL = (resolved) => `node -p ${sh(resolved('JSON.parse(require("fs").readFileSync(0, "utf8")).url'))}`;

/** curl: create, start with the files (one multipart POST), wait, download. @param {SnippetRequest} r */
export function curlProcess(r) {
  // Process and download URLs are protocol-relative (`//host/...`), or absolute with ABSOLUTE_URLS:
  // resolved against this server, either way gives a URL curl takes.
  const resolved = (/** @type {string} */ expr) => `new URL(${expr}, ${JSON.stringify(r.origin)}).href`;
  const create = [`-d inputformat=${sh(r.inputformat)}`];
  if (choosesOutput(r)) create.push(`-d outputformat=${sh(r.outputformat)}`);
  if (r.mode !== 'convert') create.push(`-d mode=${sh(r.mode)}`);
  const lines = [
    `KEY=${sh(r.key)}`,
    '# 1. create a process',
    `P=$(curl -s -X POST ${sh(`${r.origin}/process`)} -H "Authorization: Bearer $KEY" ${create.join(' ')} | ${JSON_READ_URL(resolved)})`,
  ];
  if (r.input === 'upload') {
    lines.push(r.filenames.length > 1 ? '# 2. start it: the files are parts of one multipart POST, in order' : '# 2. start it with the file');
    lines.push(`curl -s -X POST "$P" ${[...formStrings(startFields(r)), ...r.filenames.map(filePart)].join(' ')} > /dev/null`);
  } else {
    lines.push('# 2. start it', `curl -s -X POST "$P" ${startFields(r).map(([k, v]) => `--data-urlencode ${sh(`${k}=${v}`)}`).join(' ')} > /dev/null`);
  }
  lines.push('# 3. wait until it has finished, and stop if it failed', `curl -s "$P?wait" > status.json`);
  lines.push(`node -e 'const s = require("./status.json"); if (s.step !== "finished") { console.error(s.message); process.exit(1); }'`);
  if (r.mode === 'info') {
    lines.push('# the information about the file', `node -p 'JSON.stringify(require("./status.json").info, null, 2)'`);
  } else {
    // ./out: the server may name the result like an input (combine, compress).
    lines.push('# 4. download the result into ./out, named as the server names it (several files: one ZIP)');
    lines.push(`curl -s --create-dirs -o "out/$(node -p 'require("./status.json").output.filename')" "$(node -p ${sh(resolved('require("./status.json").output.url'))})"`);
  }
  return lines.join('\n');
}

/** curl: the /convert shortcut, answered with the file. @param {SnippetRequest} r @returns {string} */
export function curlConvert(r) {
  /** @type {[string, string][]} */
  const fields = [['inputformat', r.inputformat], ...startFields(r), r.mode === 'info' ? ['wait', 'true'] : ['download', 'true']];
  const form = formStrings(fields);
  if (r.input === 'upload') form.push(...r.filenames.map(filePart));
  const lines = [`KEY=${sh(r.key)}`];
  // -O -J: the name from the answer's Content-Disposition, so a ZIP of several files is a .zip.
  if (r.mode !== 'info') lines.push('# the result goes into ./out, named as the server names it (several files: one ZIP)');
  lines.push(`curl -s ${r.mode === 'info' ? '' : '-L -O -J --output-dir out --create-dirs '}-H "Authorization: Bearer $KEY" \\`, `  ${form.join(' \\\n  ')} \\`, `  ${sh(`${r.origin}/convert`)}`);
  return lines.join('\n');
}

/** What a v1 client that sends one file per process says for several. @param {string} client @param {string} c the comment mark */
const oneFileOnly = (client, c) => [
  `${c} ${client} sends one file per process, and mode=combine / mode=archive take several:`,
  `${c} use the curl snippet (several file parts, or "files" with URLs) or the Node SDK v2 (cloudconvert 3.x).`,
].join('\n');

/** @param {Record<string, string|number|boolean>} options @param {(v: string|number|boolean) => string} literal @param {string} sep */
const optionList = (options, literal, sep) => Object.entries(options).map(([k, v]) => `${quoted(k)}${sep}${literal(v)}`).join(', ');

/** The v1 clients' parameters: inputformat, the output format or mode, and the options. @param {SnippetRequest} r @param {(s: string) => string} q */
function v1Params(r, q) {
  const params = [['inputformat', q(r.inputformat)]];
  if (choosesOutput(r)) params.push(['outputformat', q(r.outputformat)]);
  if (r.mode !== 'convert') params.push(['mode', q(r.mode)]);
  return params;
}

/** The official Node v1 client, cloudconvert@1.1.2. @param {SnippetRequest} r */
export function nodeClient(r) {
  if (several(r)) return oneFileOnly('The Node v1 client (cloudconvert@1.1.2)', '//');
  const host = new URL(r.origin);
  const name = r.filenames[0] ?? 'file';
  const params = v1Params(r, JSON.stringify).map(([k, v]) => `${k}: ${v}`);
  if (r.input === 'download') params.push(`input: 'download'`, `file: ${JSON.stringify(r.urls[0] ?? '')}`);
  else if (r.mode !== 'convert') params.push(`input: 'upload'`, `file: fs.createReadStream(${JSON.stringify(name)})`);
  if (Object.keys(r.options).length > 0) params.push(`converteroptions: ${JSON.stringify(r.options)}`);
  const call = `cloudconvert.convert({ ${params.join(', ')} })`;
  const head = [
    "const fs = require('fs');",
    `const cloudconvert = new (require('cloudconvert'))(${JSON.stringify(r.key)});`,
    `cloudconvert.endpoint = ${JSON.stringify(host.host)};`,
    `cloudconvert.protocol = ${JSON.stringify(host.protocol.replace(':', ''))};`,
    '',
  ];
  if (r.mode === 'info') return [...head, `${call}`, "  .on('finished', (data) => console.log(data.info))", "  .on('error', (err) => console.error(err.message));"].join('\n');
  const note = zipNote(r) === '' ? [] : [`// ${zipNote(r)}`];
  const source = r.input === 'upload' && r.mode === 'convert' ? [`fs.createReadStream(${JSON.stringify(name)})`, `  .pipe(${call})`] : [call];
  return [...head, ...note, ...source, `  .pipe(fs.createWriteStream(${JSON.stringify(outputName(r))}));`].join('\n');
}

/** The PHP v1 client (cloudconvert/cloudconvert-php 2.x). @param {SnippetRequest} r */
export function phpClient(r) {
  if (several(r)) return `<?php\n${oneFileOnly('The PHP v1 client (cloudconvert-php 2.x)', '//')}`;
  const host = new URL(r.origin);
  const literal = (/** @type {string|number|boolean} */ v) => (typeof v === 'string' ? quoted(v) : String(v));
  const params = v1Params(r, quoted).map(([k, v]) => `'${k}' => ${v}`);
  params.push(`'input' => ${quoted(r.input)}`);
  params.push(r.input === 'upload' ? `'file' => fopen(${quoted(`./${r.filenames[0] ?? 'file'}`)}, 'r')` : `'file' => ${quoted(r.urls[0] ?? '')}`);
  if (Object.keys(r.options).length > 0) params.push(`'converteroptions' => [${optionList(r.options, literal, ' => ')}]`);
  const end = r.mode === 'info' ? '$process = ' : '';
  return [
    '<?php',
    "require 'vendor/autoload.php';",
    'use \\CloudConvert\\Api;',
    '',
    `$api = new Api(${quoted(r.key)});`,
    '// The v1 client keeps its host private: point it at this server.',
    `\\Closure::bind(function () { $this->endpoint = ${quoted(host.host)}; $this->protocol = ${quoted(host.protocol.replace(':', ''))}; }, $api, Api::class)();`,
    '',
    ...(zipNote(r) === '' || r.mode === 'info' ? [] : [`// ${zipNote(r)}`]),
    `${end}$api->convert([`,
    ...params.map((p) => `    ${p},`),
    r.mode === 'info' ? '])->wait();\nprint_r($process->info);' : `])->wait()->download(${quoted(`./${outputName(r)}`)});`,
  ].join('\n');
}

/** The Python v1 client (cloudconvert 1.x). @param {SnippetRequest} r */
export function pythonClient(r) {
  if (several(r)) return oneFileOnly('The Python v1 client (cloudconvert 1.x)', '#');
  const host = new URL(r.origin);
  const literal = (/** @type {string|number|boolean} */ v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? quoted(v) : String(v));
  const params = v1Params(r, quoted).map(([k, v]) => `'${k}': ${v}`);
  params.push(`'input': ${quoted(r.input)}`);
  params.push(r.input === 'upload' ? `'file': open(${quoted(r.filenames[0] ?? 'file')}, 'rb')` : `'file': ${quoted(r.urls[0] ?? '')}`);
  if (Object.keys(r.options).length > 0) params.push(`'converteroptions': {${optionList(r.options, literal, ': ')}}`);
  return [
    'import cloudconvert',
    '',
    `cloudconvert.Api.endpoint = ${quoted(host.host)}`,
    `cloudconvert.Api.protocol = ${quoted(host.protocol.replace(':', ''))}`,
    `api = cloudconvert.Api(${quoted(r.key)})`,
    '',
    'process = api.convert({',
    ...params.map((p) => `    ${p},`),
    '})',
    'process.wait()',
    ...(zipNote(r) === '' || r.mode === 'info' ? [] : [`# ${zipNote(r)}`]),
    r.mode === 'info' ? "print(process['info'])" : `process.download(${quoted(outputName(r))})`,
  ].join('\n');
}

/** A JS object key: bare when it is an identifier. @param {string} key */
const jsKey = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/** The v2 operation doing each v1 mode (website: a capture rather than a conversion). @param {SnippetRequest} r */
function v2Operation(r) {
  if (r.inputformat === 'website') return 'capture-website';
  return { convert: 'convert', info: 'metadata', combine: 'merge', archive: 'archive', extract: 'archive/extract', compress: 'optimize' }[r.mode] ?? 'convert';
}

/**
 * The official Node SDK for API v2, cloudconvert 3.x: a job of import tasks (one per file) -> the
 * mode's operation (convert, metadata, merge, archive, archive/extract, optimize, capture-website)
 * -> export/url, the uploads, the sync wait and the downloads. The SDK has CloudConvert's hosts
 * built in, so the snippet sends its calls here through its public `callWithBase`.
 * @param {SnippetRequest} r
 */
export function nodeSdkV2(r) {
  const operation = v2Operation(r);
  const info = operation === 'metadata';
  const capture = operation === 'capture-website';
  const count = several(r) ? (r.input === 'upload' ? r.filenames.length : r.urls.length) : 1;
  const imports = capture ? [] : Array.from({ length: count }, (_, i) => (count === 1 ? 'import-it' : `import-${i + 1}`));
  const work = `${{ metadata: 'info', merge: 'merge', archive: 'archive', 'archive/extract': 'extract', optimize: 'compress', 'capture-website': 'capture' }[operation] ?? 'convert'}-it`;
  const fields = [`operation: '${operation}'`];
  if (capture) fields.push(`url: ${JSON.stringify(r.urls[0] ?? '')}`);
  else fields.push(`input: ${imports.length === 1 ? `'${imports[0]}'` : `[${imports.map((n) => `'${n}'`).join(', ')}]`}`);
  if (operation === 'convert' || operation === 'optimize' || info) fields.push(`input_format: ${JSON.stringify(r.inputformat)}`);
  if (choosesOutput(r)) fields.push(`output_format: ${JSON.stringify(r.outputformat)}`);
  for (const [name, value] of Object.entries(r.options)) fields.push(`${jsKey(name)}: ${JSON.stringify(value)}`);
  const tasks = imports.map((name, i) => `      '${name}': ${r.input === 'upload' ? "{ operation: 'import/upload' }" : `{ operation: 'import/url', url: ${JSON.stringify(r.urls[i] ?? '')} }`},`);
  tasks.push(`      '${work}': { ${fields.join(', ')} },`);
  if (!info) tasks.push(`      'export-it': { operation: 'export/url', input: '${work}' },`);
  /** @type {string[]} */
  let uploads = [];
  if (r.input === 'upload' && imports.length === 1) {
    const name = JSON.stringify(r.filenames[0] ?? '');
    uploads = ["  const uploadTask = job.tasks.find((task) => task.name === 'import-it');", `  await cloudConvert.tasks.upload(uploadTask, fs.createReadStream(${name}), ${name});`];
  } else if (r.input === 'upload') {
    uploads = [
      `  const files = { ${imports.map((name, i) => `'${name}': ${JSON.stringify(r.filenames[i] ?? '')}`).join(', ')} };`,
      '  for (const [name, file] of Object.entries(files)) {',
      '    const uploadTask = job.tasks.find((task) => task.name === name);',
      '    await cloudConvert.tasks.upload(uploadTask, fs.createReadStream(file), file);',
      '  }',
    ];
  }
  const results = info
    ? [`  console.log(job.tasks.find((task) => task.name === '${work}').result.metadata);`]
    : [
      "  // Into ./out: a result may have an input's name (compress, extract).",
      "  fs.mkdirSync('out', { recursive: true });",
      '  for (const file of cloudConvert.jobs.getExportUrls(job)) {',
      '    const res = await fetch(file.url);',
      "    fs.writeFileSync(`out/${file.filename}`, Buffer.from(await res.arrayBuffer()));",
      '  }',
    ];
  return [
    "const fs = require('fs');",
    "const CloudConvert = require('cloudconvert'); // npm install cloudconvert@3",
    '',
    `const SERVER = ${JSON.stringify(r.origin)};`,
    `const cloudConvert = new CloudConvert(${JSON.stringify(r.key)});`,
    '// The SDK knows only CloudConvert\'s hosts: send its API calls to SERVER/v2 and its waits',
    '// (the sync host) to SERVER/sync/v2. Upload and download URLs come from this server.',
    'const callWithBase = cloudConvert.callWithBase.bind(cloudConvert);',
    'cloudConvert.callWithBase = (base, ...rest) =>',
    "  callWithBase(new URL(base).hostname.split('.').includes('sync') ? `${SERVER}/sync/v2/` : `${SERVER}/v2/`, ...rest);",
    '',
    'async function main() {',
    '  let job = await cloudConvert.jobs.create({',
    '    tasks: {',
    ...tasks,
    '    },',
    '  });',
    ...uploads,
    '  job = await cloudConvert.jobs.wait(job.id);',
    "  const failed = job.tasks.find((task) => task.status === 'error');",
    '  if (failed) throw new Error(`${failed.name}: ${failed.message}`);',
    ...results,
    '}',
    '',
    'main().catch((err) => {',
    '  console.error(err.message);',
    '  process.exitCode = 1;',
    '});',
  ].join('\n');
}

export const SNIPPETS = [
  { id: 'curl', label: 'curl', render: curlProcess },
  { id: 'curl-convert', label: 'curl /convert', render: curlConvert },
  { id: 'node', label: 'Node', render: nodeClient },
  { id: 'node-v2', label: 'Node SDK v2', render: nodeSdkV2 },
  { id: 'php', label: 'PHP', render: phpClient },
  { id: 'python', label: 'Python', render: pythonClient },
];
