// inputformat=website: the "file" is a URL; the matrix serves this page on 127.0.0.1 and passes
// its address (input=url). Outputs are images and PDFs, checked by their parts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FormatPart } from '../types.js';
import { SAMPLE_HTML } from './documents.js';

export const WEB_PART: FormatPart = {
  name: 'web',
  tools: ['chromium'],
  samples: {
    website: async (dir) => {
      const file = path.join(dir, 'page.html');
      await writeFile(file, SAMPLE_HTML);
      return file;
    },
  },
  checks: {},
};
