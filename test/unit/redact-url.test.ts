// Log redaction of query strings: the server decodes parameter names before reading them, so the
// redaction must too, or `api%6Bey=<key>` reaches the log in clear.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl } from '../../src/runtime/logger.js';

const SECRET = 'sEcReT-value-123';

describe('redactUrl', () => {
  const cases = [
    '/user?apikey={S}',
    '/user?APIKEY={S}',
    '/user?ApiKey={S}',
    '/user?api%6Bey={S}',
    '/user?api%6bey={S}',
    '/user?%61%70%69%6B%65%79={S}',
    '/user?apikey+={S}',
    '/user?+apikey={S}',
    '/user?apiKey={S}',
    '/process/x?output[ftp][password]={S}',
    '/process/x?output%5Bs3%5D%5Bsecretaccesskey%5D={S}',
    '/process/x?output%5bS3%5d%5bSecretAccessKey%5d={S}',
    '/process/x?input[s3][sessiontoken]={S}',
    '/process/x?file[0][password]={S}',
    '/process/x?files[0][input][s3][secretaccesskey]={S}',
    '/process/x?output[dropbox][access_token]={S}',
    '/process/x?input[googlecloud][credentials][private_key]={S}',
    '/metrics?key={S}',
    '/user?a=1&apikey={S}&b=2',
    '/user?x=%FF&api%6Bey={S}',
    // an invalid escape elsewhere in the name does not stop the others from being read
    '/process/x?output%5Bftp%5D%5Bpassword%5D%E0={S}',
    '/user?apikey={S}#frag',
  ];
  for (const url of cases.map((c) => c.replaceAll('{S}', SECRET))) {
    it(`redacts ${url}`, () => {
      const redacted = redactUrl(url);
      assert.ok(!redacted.includes(SECRET), redacted);
      assert.match(redacted, /\[redacted\]/);
    });
  }

  it('keeps everything else as written', () => {
    assert.equal(redactUrl('/convert?inputformat=png&outputformat=jpg&apikey=abc#x'), '/convert?inputformat=png&outputformat=jpg&apikey=[redacted]#x');
    assert.equal(redactUrl('/process/abc'), '/process/abc');
    assert.equal(redactUrl('/user?keys=1&monkey=2&passwordless=3'), '/user?keys=1&monkey=2&passwordless=3');
  });

  it('never throws on malformed percent-encoding', () => {
    for (const url of ['/u?%=1', '/u?%E0%A4%A=1', '/u?%ZZapikey=1', '/u?a%=b&%%%=c', '/u?[[[]]]=1&apikey']) assert.doesNotThrow(() => redactUrl(url), url);
    assert.equal(redactUrl('/u?%ZZ=1'), '/u?%ZZ=1');
  });
});

describe('log redaction of the v2 cloud storage credentials', () => {
  it('hides storage_access_key, sas_token and private_key in URLs and log fields', async () => {
    const { createLogger: make } = await import('../../src/runtime/logger.js');
    assert.equal(redactUrl('/x?storage_access_key=K1&sas_token=sv%3D1&private_key=P&container=c'), '/x?storage_access_key=[redacted]&sas_token=[redacted]&private_key=[redacted]&container=c');
    const lines: string[] = [];
    const log = make('info', 'test', { write: (line: string) => void lines.push(line) } as never);
    log.info({ payload: { storage_access_key: 'K1-secret', sas_token: 'SAS-secret', private_key: 'PEM-secret', container: 'c' } }, 'task');
    assert.equal(lines.join(''), lines.join('').replace(/K1-secret|SAS-secret|PEM-secret/g, ''));
    assert.match(lines.join(''), /"container":"c"/);
  });
});
