// @ts-check
// The modes the form offers and how each is sent. `website` is not an API mode: it is
// mode=convert with inputformat=website, offered on its own so that its URL comes first.

/**
 * @typedef {object} Mode
 * @property {string} id          the form's value
 * @property {string} label       what the mode list shows
 * @property {string} api         the API's mode
 * @property {boolean} several    takes several files (sent as several file parts, or `files`)
 * @property {'choose'|'same'|'none'} output  the output format: chosen, the input's, or none (info)
 * @property {'file'|'url'} input a file (upload or URL) or only a URL (a web page)
 * @property {string} [inputformat]   the only input format of the mode
 * @property {string} [defaultInput]  the input format selected with the mode (none: the current one stays)
 * @property {string} [defaultOutput] the output format first selected
 * @property {string} help        one sentence under the mode list
 */

/** @type {readonly Mode[]} */
export const MODES = [
  { id: 'convert', label: 'convert', api: 'convert', several: false, output: 'choose', input: 'file', defaultInput: 'svg', defaultOutput: 'png', help: 'One file into another format.' },
  { id: 'combine', label: 'combine', api: 'combine', several: true, output: 'choose', input: 'file', defaultInput: 'pdf', defaultOutput: 'pdf', help: 'Several files (PDFs, images, documents; they may be mixed) into one PDF, in the order of the list.' },
  { id: 'archive', label: 'archive', api: 'archive', several: true, output: 'choose', input: 'file', defaultInput: '*', defaultOutput: 'zip', help: 'Several files of any kind packed into one archive.' },
  { id: 'extract', label: 'extract', api: 'extract', several: false, output: 'same', input: 'file', defaultInput: 'zip', help: 'The files inside one archive.' },
  { id: 'compress', label: 'compress', api: 'compress', several: false, output: 'same', input: 'file', defaultInput: 'pdf', help: 'A smaller file in the same format (pdf, jpg or png).' },
  { id: 'info', label: 'info', api: 'info', several: false, output: 'none', input: 'file', help: 'What is in a file (size, pages, streams...), shown as a table.' },
  { id: 'website', label: 'website', api: 'convert', several: false, output: 'choose', input: 'url', inputformat: 'website', defaultInput: 'website', defaultOutput: 'png', help: 'A capture of a web page, as an image or a PDF.' },
];

/** @param {string} id @returns {Mode} */
export const modeOf = (id) => MODES.find((m) => m.id === id) ?? MODES[0];
