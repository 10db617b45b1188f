import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllowedHost, isPrivateAddress } from '../../src/core/net/address-guard.js';
import { AppError } from '../../src/core/errors.js';

const PRIVATE = [
  '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1',
  '169.254.169.254', '100.64.0.1', '100.127.255.255', '0.0.0.0', '224.0.0.1', '255.255.255.255',
  '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1',
  '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b::127.0.0.1',
  '::127.0.0.1', '[::1]', '[::ffff:127.0.0.1]',
];
/** IPv6 spellings that carry a private IPv4 address, or lie in a range that may reach one. */
const EMBEDDED_PRIVATE = [
  // IPv4-translated ::ffff:0:0:0/96, dotted and hex
  '::ffff:0:127.0.0.1', '::ffff:0:7f00:1', '::ffff:0:10.0.0.1', '::ffff:0:a9fe:a9fe',
  // IPv4-compatible ::/96 with a private IPv4, dotted and hex
  '::10.0.0.1', '::192.168.1.1', '::a00:1', '::c0a8:101',
  // the same mapped addresses written out, upper-case or with leading zeros
  '0:0:0:0:0:ffff:7f00:1', '0000:0000:0000:0000:0000:ffff:7f00:0001', '::FFFF:7F00:1', '0::ffff:127.0.0.1', '::ffff:0:0',
  // local-use NAT64 64:ff9b:1::/48, whatever it embeds
  '64:ff9b:1::1', '64:ff9b:1::808:808', '64:ff9b:1:ffff::8.8.8.8',
  // 6to4 2002::/16 with a private IPv4 in bits 16-47
  '2002:7f00:1::', '2002:a00:1::1', '2002:c0a8:101::1', '2002:a9fe:a9fe:1::1',
];
const PUBLIC = ['::ffff:0:8.8.8.8', '::ffff:0:808:808', '2002:808:808::1', '64:ff9b::8.8.8.8', '8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808'];

describe('isPrivateAddress', () => {
  for (const ip of PRIVATE) {
    it(`${ip} is private`, () => {
      assert.equal(isPrivateAddress(ip), true);
    });
  }
  for (const ip of EMBEDDED_PRIVATE) {
    it(`${ip} carries a private IPv4 address (or may reach one)`, () => {
      assert.equal(isPrivateAddress(ip), true);
    });
  }
  for (const ip of PUBLIC) {
    it(`${ip} is public`, () => {
      assert.equal(isPrivateAddress(ip), false);
    });
  }
  it('refuses anything that is not an IP address', () => {
    assert.equal(isPrivateAddress('example.com'), true);
    assert.equal(isPrivateAddress('localhost'), true);
    assert.equal(isPrivateAddress(''), true);
    assert.equal(isPrivateAddress('999.1.1.1'), true);
  });
});

describe('assertAllowedHost', () => {
  const deny = { allowPrivate: false };
  const allow = { allowPrivate: true };
  const forbidden = (host: string) =>
    assert.throws(
      () => assertAllowedHost(host, deny),
      (error: unknown) => error instanceof AppError && error.code === 'URL_FORBIDDEN',
      host,
    );

  it('throws URL_FORBIDDEN for private IPv4 literals', () => {
    for (const host of ['127.0.0.1', '10.1.2.3', '192.168.0.10', '169.254.169.254']) forbidden(host);
  });

  it('throws URL_FORBIDDEN for bracketed private IPv6 literals', () => {
    for (const host of ['[::1]', '[fe80::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[fd00::1]', '[::ffff:0:7f00:1]', '[2002:7f00:1::]', '[64:ff9b:1::a00:1]']) forbidden(host);
  });

  it('passes public IP literals', () => {
    for (const host of ['8.8.8.8', '[2606:4700::1111]']) assert.doesNotThrow(() => assertAllowedHost(host, deny), host);
  });

  it('passes hostnames (their addresses are checked at lookup)', () => {
    for (const host of ['example.com', 'localhost', 'internal.corp']) assert.doesNotThrow(() => assertAllowedHost(host, deny), host);
  });

  it('passes private literals when allowPrivate is set', () => {
    for (const host of ['127.0.0.1', '[::1]', '10.0.0.1']) assert.doesNotThrow(() => assertAllowedHost(host, allow), host);
  });
});
