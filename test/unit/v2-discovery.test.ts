// The lists of GET /v2/operations and /v2/convert/formats, generated from the catalog: every
// conversion type is there, the filters and includes work as clients send them, the options keep
// the types strict clients read (scalar defaults, enums with their values), and the names shown
// are the ones the operations accept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountId, type Account } from '../../src/core/accounts.js';
import { listConversionTypes } from '../../src/core/catalog/index.js';
import { includesOf, listConvertFormats, listOperations, OPTION_TYPES, type OperationItem } from '../../src/core/v2/discovery.js';
import { TRANSFER_FIELDS, TRANSFER_OPERATIONS } from '../../src/core/v2/discovery-fields.js';
import { OPERATIONS } from '../../src/core/v2/model.js';
import { InvalidDataError, OPERATION_HANDLERS } from '../../src/core/v2/operations/index.js';
import { userObject } from '../../src/core/v2/user-object.js';
import { userIdOf } from '../../src/core/v2/wire.js';

const CONTEXT = { allowPrivateUrls: false, commandEnabled: false, maxBytes: 1024 * 1024 };
const pair = (item: OperationItem): string => `${item.operation} ${item.input_format}>${item.output_format} ${item.engine}`;
const optionNames = (item: OperationItem | undefined): string[] => (item?.options ?? []).map((o) => o.name);

describe('GET /v2/operations list (catalog -> v2)', () => {
  const all = listOperations({}, ['options', 'engine_versions']);

  it('lists every catalog conversion type as a convert item with its engine, and nothing else as convert', () => {
    const converts = listConvertFormats();
    const types = listConversionTypes();
    assert.equal(converts.length, types.length);
    const shown = new Set(converts.map(pair));
    for (const t of types) assert.ok(shown.has(`convert ${t.inputformat}>${t.outputformat} ${t.engine}`), `${t.inputformat}>${t.outputformat} missing`);
  });

  it('lists every operation this server runs', () => {
    const operations = new Set(all.map((i) => i.operation));
    assert.deepEqual([...operations].sort(), [...OPERATIONS].sort());
    assert.equal(all.filter((i) => i.operation === 'import/url').length, 1);
    assert.ok(all.some((i) => i.operation === 'optimize' && i.input_format === 'pdf' && i.engine === 'ghostscript'));
    assert.ok(all.some((i) => i.operation === 'merge' && i.input_format === 'docx' && i.output_format === 'pdf'));
    assert.ok(all.some((i) => i.operation === 'archive' && i.input_format === '*' && i.output_format === 'zip'));
    assert.ok(all.every((i) => i.operation !== 'thumbnail' || ['png', 'jpg', 'webp'].includes(i.output_format)));
    assert.deepEqual(all.filter((i) => i.operation === 'capture-website').map((i) => i.output_format).sort(), ['jpg', 'pdf', 'png']);
  });

  it('keeps every field of the wire shape typed for strict clients', () => {
    for (const item of all) {
      assert.equal(item.deprecated, false);
      assert.equal(item.experimental, false);
      // meta is a map of strings (Java reads Map<String, String>); only command says whether it is on.
      assert.deepEqual(item.meta, item.operation === 'command' ? { enabled: 'false' } : {});
      for (const field of [item.operation, item.input_format, item.output_format, item.engine]) assert.equal(typeof field, 'string', pair(item));
      assert.deepEqual(item.engine_versions?.map((v) => v.default), [true]);
      for (const option of item.options ?? []) {
        const where = `${pair(item)} ${option.name}`;
        assert.ok((OPTION_TYPES as readonly string[]).includes(option.type), where);
        assert.ok(option.default === null || ['string', 'number', 'boolean'].includes(typeof option.default), `${where}: default ${JSON.stringify(option.default)}`);
        if (option.type === 'enum') {
          assert.ok((option.possible_values?.length ?? 0) > 0, where);
          assert.ok(option.default === null || option.possible_values?.includes(String(option.default)), where);
        } else {
          assert.equal(option.possible_values, undefined, where);
        }
        if (option.type === 'integer' && option.default !== null) assert.ok(Number.isInteger(option.default), where);
      }
    }
  });

  it('shows image sizes under the v2 names (width, height, fit) and other options under the catalog names', () => {
    const [image] = listConvertFormats({ input_format: 'png', output_format: 'jpg' }, ['options']);
    const names = optionNames(image);
    for (const name of ['width', 'height', 'fit', 'quality']) assert.ok(names.includes(name), name);
    for (const name of ['resize', 'resizemode']) assert.ok(!names.includes(name), name);
    const fit = image?.options?.find((o) => o.name === 'fit');
    assert.deepEqual(fit?.possible_values, ['max', 'crop', 'scale']);
    assert.equal(fit?.default, 'max');
    const [pdf] = listConvertFormats({ input_format: 'pdf', output_format: 'png' }, ['options']);
    assert.ok(optionNames(pdf).includes('page_range'));
    assert.ok(!optionNames(pdf).includes('pages'));
  });

  it('shows names and defaults the convert operation accepts, for every conversion type', () => {
    for (const item of listConvertFormats({}, ['options'])) {
      const defaults = Object.fromEntries((item.options ?? []).filter((o) => o.default !== null).map((o) => [o.name, o.default]));
      const payload = { input_format: item.input_format, output_format: item.output_format, ...defaults };
      assert.doesNotThrow(() => OPERATION_HANDLERS.convert.check(payload, CONTEXT), pair(item));
    }
    const sized = { input_format: 'png', output_format: 'jpg', width: 100, height: 50, fit: 'crop' };
    assert.doesNotThrow(() => OPERATION_HANDLERS.convert.check(sized, CONTEXT));
  });

  it('lists every field the import and export checks require', () => {
    for (const operation of TRANSFER_OPERATIONS) {
      const listed = TRANSFER_FIELDS[operation].map((o) => o.name);
      const [item] = listOperations({ operation }, ['options']);
      assert.deepEqual(optionNames(item), listed);
      assert.deepEqual([item?.input_format, item?.output_format], ['*', '*']);
      try {
        OPERATION_HANDLERS[operation].check({}, CONTEXT);
      } catch (error) {
        assert.ok(error instanceof InvalidDataError, operation);
        for (const field of Object.keys(error.errors)) assert.ok(listed.includes(field), `${operation}: ${field} is required but not listed`);
      }
    }
    assert.ok(optionNames(listOperations({ operation: 'import/s3' }, ['options'])[0]).includes('bucket'));
    for (const operation of ['import/sftp', 'export/sftp'] as const) {
      const names = optionNames(listOperations({ operation }, ['options'])[0]);
      for (const field of ['host', 'port', 'username', 'password', 'private_key', 'host_key', 'file', 'path']) assert.ok(names.includes(field), `${operation} lists ${field}`);
    }
  });
});

describe('filters and includes', () => {
  it('filters by operation, formats (aliases, any case), engine and engine_version', () => {
    const jpeg = listOperations({ input_format: 'JPEG', output_format: 'png' });
    assert.deepEqual(jpeg.map((i) => i.operation).sort(), ['convert', 'thumbnail']);
    assert.ok(jpeg.every((i) => i.input_format === 'jpg' && i.output_format === 'png'));
    const merges = listOperations({ operation: 'merge' });
    assert.ok(merges.length > 1 && merges.every((i) => i.operation === 'merge' && i.output_format === 'pdf'));
    const ffmpeg = listOperations({ engine: 'ffmpeg' });
    assert.ok(ffmpeg.length > 0 && ffmpeg.every((i) => i.engine === 'ffmpeg'));
    assert.equal(listOperations({ engine_version: 'installed' }).length, listOperations().length);
    assert.deepEqual(listOperations({ engine_version: '1.22' }), []);
    assert.deepEqual(listOperations({ input_format: 'nosuchformat' }), []);
    assert.deepEqual(listConvertFormats({ operation: 'merge' }), []);
  });

  it('treats empty filter values as absent', () => {
    const empty = listOperations({ operation: '', input_format: '', output_format: ' ', engine: '', engine_version: '' });
    assert.equal(empty.length, listOperations().length);
  });

  it('shows options and engine_versions only when included', () => {
    const [plain] = listOperations({ operation: 'convert', input_format: 'png', output_format: 'jpg' });
    assert.equal(plain?.options, undefined);
    assert.equal(plain?.engine_versions, undefined);
    assert.deepEqual(includesOf('options,engine_versions'), ['options', 'engine_versions']);
    assert.deepEqual(includesOf(['', 'engine_versions', 'nonsense']), ['engine_versions']);
    assert.deepEqual(includesOf(''), []);
    assert.deepEqual(includesOf(undefined), []);
  });
});

describe('the user of GET /v2/users/me', () => {
  const account = (name: string | null, email: string | null): Account => ({ id: accountId('a-test-key-1234'), name, email, limits: { maxtimeSeconds: 60, maxsizeMb: 10, concurrent: 1, minutes: 10, rateLimitRequests: 0, rateLimitWindowSeconds: 60 } });

  it('has an integer id, integer credits, an ISO time with offset and a self link', () => {
    const user = userObject(account('Ada', 'ada@example.test'), 12.7, 'http://host:1');
    const id = userIdOf(accountId('a-test-key-1234'));
    assert.equal(user['id'], id);
    assert.ok(Number.isInteger(user['id']));
    assert.equal(user['credits'], 12);
    assert.equal(user['username'], 'Ada');
    assert.equal(user['email'], 'ada@example.test');
    assert.match(String(user['created_at']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    assert.deepEqual(user['links'], { self: `http://host:1/v2/users/${id}` });
    assert.equal(user['paying'], false);
  });

  it('names a key without a name "openconvert" and keeps credits a 32-bit integer', () => {
    const user = userObject(account(null, null), 2 ** 40, 'http://host:1');
    assert.equal(user['username'], 'openconvert');
    assert.equal(user['email'], null);
    assert.equal(user['credits'], 2 ** 31 - 1);
  });
});
