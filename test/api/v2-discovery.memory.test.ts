// API v2 discovery routes through app.inject over in-memory dependencies: GET /v2/operations and
// /v2/convert/formats (no key; the list envelope; filters as the SDKs send them, encoded or not,
// empty meaning absent) and GET /v2/users/me (a body that starts with exactly `{"data":`, as the
// Java SDK cuts it; integer id and credits; 401 without a key).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountId } from '../../src/core/accounts.js';
import { listConversionTypes } from '../../src/core/catalog/index.js';
import { userIdOf } from '../../src/core/v2/wire.js';
import { auth } from '../helpers/http.js';
import { writeKeysFile, type TempJsonFile } from '../helpers/keys-file.js';
import { startMemoryApp, type MemoryApp } from '../helpers/memory/app.js';
import { TEST_KEY } from '../helpers/test-keys.js';

interface Item {
  operation: string;
  input_format: string;
  output_format: string;
  engine: string;
  options?: Array<{ name: string; type: string; default: unknown; possible_values?: string[] }>;
}
interface List {
  data: Item[];
  links: { first: string; last: null; prev: null; next: null };
  meta: { current_page: number; path: string; from: number | null; to: number | null };
}

const HOST = 'convert.example.test:8080';
const NAMED_KEY = 'named-key-cccccccc';

describe('API v2 discovery (in memory, app.inject)', () => {
  let server: MemoryApp;
  let keys: TempJsonFile;
  const get = (url: string, headers: Record<string, string> = {}) => server.request({ method: 'GET', url, headers: { host: HOST, ...headers } });
  const list = async (url: string): Promise<List> => {
    const reply = await get(url);
    assert.equal(reply.statusCode, 200, reply.body.slice(0, 300));
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    return reply.json<List>();
  };

  before(async () => {
    keys = await writeKeysFile([{ key: NAMED_KEY, name: 'Ada', email: 'ada@example.test', minutes: 42 }]);
    server = await startMemoryApp({ KEYS_FILE: keys.path });
  });
  after(async () => {
    await server.stop();
    await keys.remove();
  });

  describe('GET /v2/operations', () => {
    it('lists every operation without a key, in the list envelope with this server\'s URL', async () => {
      const body = await list('/v2/operations');
      const operations = new Set(body.data.map((i) => i.operation));
      for (const operation of ['import/url', 'import/upload', 'convert', 'optimize', 'merge', 'archive', 'thumbnail', 'capture-website', 'metadata', 'export/url', 'export/s3']) assert.ok(operations.has(operation), operation);
      assert.equal(body.meta.path, `http://${HOST}/v2/operations`);
      assert.equal(body.links.first, `http://${HOST}/v2/operations?page=1`);
      assert.equal(body.links.next, null);
      assert.equal(body.meta.to, body.data.length);
      assert.ok(body.data.every((i) => i.options === undefined), 'options only when included');
    });

    it('treats the empty values the .NET SDK sends as absent', async () => {
      const all = await list('/v2/operations');
      const empty = await list('/v2/operations?filter[operation]=&filter[input_format]=&filter[output_format]=&filter[engine]=&include=&alternatives=&per_page=&page=');
      assert.equal(empty.data.length, all.data.length);
    });

    it('filters by operation, formats and engine, with raw and encoded keys alike', async () => {
      const raw = await list('/v2/operations?filter[operation]=convert&filter[input_format]=png&filter[output_format]=jpg&include=options');
      const encoded = await list('/v2/operations?filter%5Boperation%5D=convert&filter%5Binput_format%5D=png&filter%5Boutput_format%5D=jpg&include=options');
      assert.deepEqual(encoded.data, raw.data);
      assert.equal(raw.data.length, 1);
      const [item] = raw.data;
      assert.deepEqual([item?.operation, item?.input_format, item?.output_format, item?.engine], ['convert', 'png', 'jpg', 'sharp']);
      const fit = item?.options?.find((o) => o.name === 'fit');
      assert.deepEqual(fit?.possible_values, ['max', 'crop', 'scale']);
      assert.ok(item?.options?.some((o) => o.name === 'width' && o.type === 'integer'));
      const ghostscript = await list('/v2/operations?filter[engine]=ghostscript');
      assert.deepEqual(ghostscript.data.map((i) => `${i.operation} ${i.input_format}`), ['optimize pdf']);
      assert.deepEqual((await list('/v2/operations?filter[input_format]=nosuchformat')).data, []);
    });

    it('shows engine_versions when included, and scalar option defaults only', async () => {
      const body = await list('/v2/operations?filter[operation]=optimize&include=options,engine_versions');
      assert.ok(body.data.length > 0);
      for (const item of body.data) {
        assert.ok(Array.isArray((item as { engine_versions?: unknown[] }).engine_versions));
        for (const option of item.options ?? []) assert.ok(option.default === null || typeof option.default !== 'object', option.name);
      }
    });
  });

  describe('GET /v2/convert/formats', () => {
    it('lists the convert operation only: every catalog conversion type', async () => {
      const body = await list('/v2/convert/formats?filter[operation]=&include=');
      assert.equal(body.data.length, listConversionTypes().length);
      assert.ok(body.data.every((i) => i.operation === 'convert'));
      assert.equal(body.meta.path, `http://${HOST}/v2/convert/formats`);
    });

    it('takes the same filters', async () => {
      const pdf = await list('/v2/convert/formats?filter[input_format]=pdf&include=options');
      assert.ok(pdf.data.length > 1 && pdf.data.every((i) => i.input_format === 'pdf' && i.options !== undefined));
      assert.deepEqual((await list('/v2/convert/formats?filter[operation]=merge')).data, []);
    });
  });

  describe('GET /v2/users/me', () => {
    it('answers the key\'s user in a body that starts with exactly {"data":', async () => {
      const reply = await get('/v2/users/me', auth(NAMED_KEY));
      assert.equal(reply.statusCode, 200, reply.body);
      assert.ok(reply.body.startsWith('{"data":'), reply.body.slice(0, 40));
      const user = reply.json<{ data: Record<string, unknown> }>().data;
      const id = userIdOf(accountId(NAMED_KEY));
      assert.equal(user['id'], id);
      assert.ok(Number.isInteger(user['id']));
      assert.equal(user['username'], 'Ada');
      assert.equal(user['email'], 'ada@example.test');
      assert.equal(user['credits'], 42);
      assert.match(String(user['created_at']), /\+00:00$/);
      assert.deepEqual(user['links'], { self: `http://${HOST}/v2/users/${id}` });
    });

    it('gives a key without a name the default name and its credits as an integer', async () => {
      const reply = await get('/v2/users/me?include=', auth(TEST_KEY));
      assert.equal(reply.statusCode, 200, reply.body);
      const user = reply.json<{ data: Record<string, unknown> }>().data;
      assert.equal(user['id'], userIdOf(accountId(TEST_KEY)));
      assert.equal(user['username'], 'openconvert');
      assert.equal(user['email'], null);
      assert.equal(user['credits'], server.config.account.minutes);
    });

    it('answers 401 without a key', async () => {
      const reply = await get('/v2/users/me');
      assert.equal(reply.statusCode, 401, reply.body);
    });
  });
});
