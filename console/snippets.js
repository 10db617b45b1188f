// @ts-check
// Ready-to-copy code for the request the form describes: curl (create + start, and /convert),
// the official Node v1 client, the official Node SDK for API v2 (cloudconvert 3.x), and the PHP
// and Python v1 clients. Pure functions of the request, so they are the same on every render.

/**
 * @typedef {object} SnippetRequest
 * @property {string} origin      this server, e.g. http://127.0.0.1:8080
 * @property {string} key         the API key or a placeholder
 * @property {string} mode        convert or info
 * @property {string} inputformat
 * @property {string} outputformat
 * @property {'upload'|'download'} input
 * @property {string} filename    the uploaded file's name (upload)
 * @property {string} url         the file's URL (download)
 * @property {Record<string, string|number|boolean>} options  converteroptions that differ from the defaults
 */

/** A single-quoted shell word. @param {string} value */
export const sh = (value) => `'${value.replace(/'/g, `'\\''`)}'`;
/** A single-quoted PHP/Python string. @param {string} value */
const quoted = (value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** @param {SnippetRequest} r */
function outputName(r) {
  const base = r.input === 'upload' ? r.filename : (r.url.split(/[?#]/)[0] ?? '').split('/').pop() || 'file';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return `${stem || 'output'}.${r.outputformat}`;
}

/** @param {SnippetRequest} r */
function startFields(r) {
  /** @type {[string, string][]} */
  const fields = [['input', r.input]];
  if (r.mode !== 'convert') fields.push(['mode', r.mode]);
  if (r.mode === 'convert') fields.push(['outputformat', r.outputformat]);
  if (r.input === 'download') fields.push(['file', r.url]);
  for (const [name, value] of Object.entries(r.options)) fields.push([`converteroptions[${name}]`, String(value)]);
  return fields;
}

/** @param {string} expr */
const JSON_READ = (expr) => `node -p ${sh(`JSON.parse(require("fs").readFileSync(0, "utf8"))${expr}`)}`;

/** curl: create, start, upload, wait, download. @param {SnippetRequest} r */
export function curlProcess(r) {
  const scheme = new URL(r.origin).protocol; // "http:"; process URLs are protocol-relative
  const create = [`-d inputformat=${sh(r.inputformat)}`, r.mode === 'convert' ? `-d outputformat=${sh(r.outputformat)}` : `-d mode=${sh(r.mode)}`];
  const start = startFields(r).map(([k, v]) => `--data-urlencode ${sh(`${k}=${v}`)}`);
  const lines = [
    `KEY=${sh(r.key)}`,
    '# 1. create a process',
    `P=$(curl -s -X POST ${sh(`${r.origin}/process`)} -H "Authorization: Bearer $KEY" ${create.join(' ')} | ${JSON_READ('.url')})`,
    '# 2. start it',
  ];
  if (r.input === 'upload') {
    lines.push(`U=$(curl -s -X POST "${scheme}$P" ${start.join(' ')} | ${JSON_READ('.upload.url')})`);
    lines.push('# 3. upload the file', `curl -s -X PUT "${scheme}$U/"${sh(encodeURIComponent(r.filename))} --data-binary @${sh(r.filename)} > /dev/null`);
  } else {
    lines.push(`curl -s -X POST "${scheme}$P" ${start.join(' ')} > /dev/null`);
  }
  lines.push('# wait until it has finished', `curl -s "${scheme}$P?wait" > status.json`);
  if (r.mode === 'info') {
    lines.push('# the information about the file', `node -p 'JSON.stringify(require("./status.json").info, null, 2)'`);
  } else {
    lines.push('# download the result', `curl -s -o ${sh(outputName(r))} "${scheme}$(node -p 'require("./status.json").output.url')"`);
  }
  return lines.join('\n');
}

/** curl: the /convert shortcut, answered with the file. @param {SnippetRequest} r */
export function curlConvert(r) {
  const fields = [['inputformat', r.inputformat], ...startFields(r)];
  if (r.mode === 'convert') fields.push(['download', 'true']);
  else fields.push(['wait', 'true']);
  const form = fields.map(([k, v]) => `-F ${sh(`${k}=${v}`)}`);
  if (r.input === 'upload') form.push(`-F ${sh(`file=@${r.filename}`)}`);
  const out = r.mode === 'convert' ? `-L -o ${sh(outputName(r))}` : '';
  return [`KEY=${sh(r.key)}`, `curl -s ${out} -H "Authorization: Bearer $KEY" \\`, `  ${form.join(' \\\n  ')} \\`, `  ${sh(`${r.origin}/convert`)}`].join('\n').replace('curl -s  ', 'curl -s ');
}

/** @param {Record<string, string|number|boolean>} options @param {(v: string|number|boolean) => string} literal @param {string} sep */
const optionList = (options, literal, sep) => Object.entries(options).map(([k, v]) => `${quoted(k)}${sep}${literal(v)}`).join(', ');

/** The official Node v1 client, cloudconvert@1.1.2. @param {SnippetRequest} r */
export function nodeClient(r) {
  const host = new URL(r.origin);
  const params = [`inputformat: ${JSON.stringify(r.inputformat)}`];
  params.push(r.mode === 'convert' ? `outputformat: ${JSON.stringify(r.outputformat)}` : `mode: ${JSON.stringify(r.mode)}`);
  if (r.input === 'download') params.push(`input: 'download'`, `file: ${JSON.stringify(r.url)}`);
  else if (r.mode !== 'convert') params.push(`input: 'upload'`, `file: fs.createReadStream(${JSON.stringify(r.filename)})`);
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
  const source = r.input === 'upload' ? [`fs.createReadStream(${JSON.stringify(r.filename)})`, `  .pipe(${call})`] : [call];
  return [...head, ...source, `  .pipe(fs.createWriteStream(${JSON.stringify(outputName(r))}));`].join('\n');
}

/** The PHP v1 client (cloudconvert/cloudconvert-php 2.x). @param {SnippetRequest} r */
export function phpClient(r) {
  const host = new URL(r.origin);
  const literal = (/** @type {string|number|boolean} */ v) => (typeof v === 'string' ? quoted(v) : String(v));
  const params = [`'inputformat' => ${quoted(r.inputformat)}`];
  params.push(r.mode === 'convert' ? `'outputformat' => ${quoted(r.outputformat)}` : `'mode' => ${quoted(r.mode)}`);
  params.push(`'input' => ${quoted(r.input)}`);
  params.push(r.input === 'upload' ? `'file' => fopen(${quoted(`./${r.filename}`)}, 'r')` : `'file' => ${quoted(r.url)}`);
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
    `${end}$api->convert([`,
    ...params.map((p) => `    ${p},`),
    r.mode === 'info' ? '])->wait();\nprint_r($process->info);' : `])->wait()->download(${quoted(`./${outputName(r)}`)});`,
  ].join('\n');
}

/** The Python v1 client (cloudconvert 1.x). @param {SnippetRequest} r */
export function pythonClient(r) {
  const host = new URL(r.origin);
  const literal = (/** @type {string|number|boolean} */ v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? quoted(v) : String(v));
  const params = [`'inputformat': ${quoted(r.inputformat)}`];
  params.push(r.mode === 'convert' ? `'outputformat': ${quoted(r.outputformat)}` : `'mode': ${quoted(r.mode)}`);
  params.push(`'input': ${quoted(r.input)}`);
  params.push(r.input === 'upload' ? `'file': open(${quoted(r.filename)}, 'rb')` : `'file': ${quoted(r.url)}`);
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
    r.mode === 'info' ? "print(process['info'])" : `process.download(${quoted(outputName(r))})`,
  ].join('\n');
}

/** A JS object key: bare when it is an identifier. @param {string} key */
const jsKey = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/**
 * The official Node SDK for API v2, cloudconvert 3.x: a job import -> convert (or metadata for
 * info) -> export/url, the upload, the sync wait and the downloads. The SDK has CloudConvert's
 * hosts built in, so the snippet sends its calls here through its public `callWithBase`.
 * @param {SnippetRequest} r
 */
export function nodeSdkV2(r) {
  const info = r.mode === 'info';
  const work = info ? 'info-it' : 'convert-it';
  const fields = [`operation: ${info ? "'metadata'" : "'convert'"}`, "input: 'import-it'", `input_format: ${JSON.stringify(r.inputformat)}`];
  if (!info) fields.push(`output_format: ${JSON.stringify(r.outputformat)}`);
  for (const [name, value] of Object.entries(r.options)) fields.push(`${jsKey(name)}: ${JSON.stringify(value)}`);
  const importTask = r.input === 'upload' ? "{ operation: 'import/upload' }" : `{ operation: 'import/url', url: ${JSON.stringify(r.url)} }`;
  const tasks = [`      'import-it': ${importTask},`, `      '${work}': { ${fields.join(', ')} },`];
  if (!info) tasks.push("      'export-it': { operation: 'export/url', input: 'convert-it' },");
  const upload = r.input === 'upload'
    ? ["  const uploadTask = job.tasks.find((task) => task.name === 'import-it');", `  await cloudConvert.tasks.upload(uploadTask, fs.createReadStream(${JSON.stringify(r.filename)}), ${JSON.stringify(r.filename)});`]
    : [];
  const results = info
    ? ["  console.log(job.tasks.find((task) => task.name === 'info-it').result.metadata);"]
    : ['  for (const file of cloudConvert.jobs.getExportUrls(job)) {', '    const res = await fetch(file.url);', '    fs.writeFileSync(file.filename, Buffer.from(await res.arrayBuffer()));', '  }'];
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
    ...upload,
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
