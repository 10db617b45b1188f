// The vector engine's input checks: an SVG must be self-contained (nothing Inkscape would load
// from a file or a URL), and binary inputs must start with their magic bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMagic, checkSvg, decodeXmlText } from '../../workers/converters/inkscape/input-safety.js';

const svg = (body: string, head = ''): Uint8Array => Buffer.from(`${head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">${body}</svg>`);
const refused = (bytes: Uint8Array, reason: RegExp): void => {
  const verdict = checkSvg(bytes);
  assert.equal(verdict.ok, false, `should be refused: ${Buffer.from(bytes).toString('utf8').slice(0, 200)}`);
  if (!verdict.ok) assert.match(verdict.reason, reason);
};
const accepted = (bytes: Uint8Array): void => assert.deepEqual(checkSvg(bytes), { ok: true });
const PNG_DATA = 'data:image/png;base64,iVBORw0KGgo=';

describe('checkSvg accepts self-contained drawings', () => {
  it('with fragments, data: images, gradients and links', () => {
    accepted(svg('<rect fill="url(#g)" width="5" height="5"/><use xlink:href="#r"/><use href=" #r "/>'));
    accepted(svg(`<image href="${PNG_DATA}"/><image xlink:href='${PNG_DATA}'/>`));
    accepted(svg('<style>rect { fill: url( "#g" ); } @font-face { src: url(data:font/woff2;base64,AAAA); }</style>'));
    accepted(svg('<a href="https://example.com/?src=x&amp;y=1"><text>link</text></a><a xlink:href="mailto:a@b.c">m</a>'));
    accepted(svg('<text>a = b, x = "quoted" and url(</text>', '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'));
  });
  it('with an embedded SVG that is self-contained itself', () => {
    const inner = Buffer.from(svg('<rect width="1" height="1"/>')).toString('base64');
    accepted(svg(`<image href="data:image/svg+xml;base64,${inner}"/>`));
  });
});

describe('checkSvg refuses references to files and URLs', () => {
  it('in image, use and feImage hrefs, absolute, relative or file:', () => {
    refused(svg('<image xlink:href="file:///etc/passwd"/>'), /file:\/\/\/etc\/passwd/);
    refused(svg('<image href="/etc/hostname"/>'), /\/etc\/hostname/);
    refused(svg('<image href="../../secret.png"/>'), /secret\.png/);
    refused(svg('<use xlink:href="other.svg#a"/>'), /other\.svg/);
    refused(svg('<filter><feImage href="http://127.0.0.1:1/x.png"/></filter>'), /127\.0\.0\.1/);
    refused(svg('<image href="HTTPS://example.com/a.png"/>'), /example\.com/);
  });
  it('in Inkscape\'s sodipodi:absref fallback and any prefix bound to xlink', () => {
    refused(svg('<image xlink:href="#x" sodipodi:absref="/etc/hostname"/>'), /hostname/);
    refused(svg('<image foo:href = \'/etc/hostname\'/>'), /hostname/);
    refused(svg('<image SRC="/etc/hostname"/>'), /hostname/);
  });
  it('hidden behind character references, whitespace or control characters', () => {
    refused(svg('<image href="&#x66;ile:///etc/passwd"/>'), /file:/);
    refused(svg('<image href="&#102;ile:///etc/passwd"/>'), /file:/);
    refused(svg('<image href="\n\tfile:///etc/passwd"/>'), /file:/);
  });
  it('on <a> only for link schemes: a file: link is refused too', () => {
    refused(svg('<a href="file:///etc/passwd">x</a>'), /file:/);
  });
  it('in CSS url(), quoted, unquoted, escaped, or an @import', () => {
    refused(svg('<rect style="fill:url(/etc/x.svg#g)"/>'), /\/etc\/x\.svg/);
    refused(svg('<rect fill="url(\'file:///etc/x.svg#g\')"/>'), /file:/);
    refused(svg('<style>@font-face { src: url("http://127.0.0.1/f.ttf"); }</style>'), /127\.0\.0\.1/);
    refused(svg('<style><![CDATA[ rect { filter: u\\72 l(/etc/f.svg#f) } ]]></style>'), /\/etc\/f\.svg/);
    refused(svg('<rect style="fill:u&#114;l(/etc/x.svg#g)"/>'), /\/etc\/x\.svg/);
    refused(svg('<style>@import "a.css";</style>'), /@import/);
    refused(svg('<style>@IMPORT url(#x);</style>'), /@import/);
  });
  it('in style sheet processing instructions and entity declarations', () => {
    refused(svg('', '<?xml-stylesheet href="/etc/a.css" type="text/css"?>'), /xml-stylesheet/);
    refused(svg('<text>&x;</text>', '<!DOCTYPE svg [ <!ENTITY x SYSTEM "file:///etc/hostname"> ]>'), /ENTITY/);
  });
  it('inside an embedded SVG, base64 or percent-encoded', () => {
    const inner = Buffer.from(svg('<image href="file:///etc/passwd"/>')).toString('base64');
    refused(svg(`<image href="data:image/svg+xml;base64,${inner}"/>`), /file:/);
    const encoded = encodeURIComponent(Buffer.from(svg('<image href="/etc/hostname"/>')).toString('utf8'));
    refused(svg(`<image href="data:image/svg+xml,${encoded}"/>`), /hostname/);
    refused(svg('<image href="data:image/svg+xml,%E0%A4%A"/>'), /cannot be decoded/);
  });
  it('in text the parser would decode differently: UTF-16, other encodings, gzip', () => {
    const utf16 = (bytes: Uint8Array): Buffer => Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf16le');
    refused(utf16(svg('<image href="/etc/hostname"/>')), /UTF-16/);
    refused(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(svg(''))]), /not UTF-8/);
    refused(svg('', '<?xml version="1.0" encoding="UTF-7"?>'), /UTF-7/);
    refused(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]), /not UTF-8/);
  });
  it('in comments too (a false alarm refuses a file; a miss would leak one)', () => {
    refused(svg('<!-- <image href="/etc/hostname"/> -->'), /hostname/);
  });
  it('is not fooled by an unterminated quote before the real attribute', () => {
    refused(svg('<text>x = "</text><image href="/etc/hostname"/>'), /hostname/);
  });
  it('however much whitespace surrounds "=" and however long the name', () => {
    refused(svg(`<image href${' '.repeat(100)}=${' '.repeat(100)}"file:///etc/passwd"/>`), /file:\/\/\/etc\/passwd/);
    refused(svg(`<image href\n${'\t \r\n'.repeat(10_000)}='/etc/hostname'/>`), /hostname/);
    refused(svg(`<image ${'p'.repeat(300)}:href="/etc/hostname" xmlns:${'p'.repeat(300)}="http://www.w3.org/1999/xlink"/>`), /hostname/);
    refused(svg(`<style>rect { fill: url(${' '.repeat(100)}"file:///etc/passwd"); }</style>`), /passwd/);
  });
  it('stays linear on a megabyte of "=" and whitespace', () => {
    const hostile = [`${'= '.repeat(250_000)}`, `${' '.repeat(500_000)}${'='.repeat(500_000)}`, `${'a'.repeat(500_000)}${' ='.repeat(250_000)}`, `${'url'.repeat(200_000)}${' ('.repeat(200_000)}`];
    for (const text of hostile) {
      const started = Date.now();
      accepted(Buffer.from(`<svg>${text}</svg>`));
      // Generous for a loaded machine: a linear scan takes milliseconds, a quadratic one hours.
      // Quadratic backtracking takes minutes here; 10 s leaves room for a busy 2-core machine.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    }
  });
  it('stays fast on hostile input (no quadratic backtracking)', () => {
    const started = Date.now();
    checkSvg(Buffer.from(`<svg>${"a='".repeat(200_000)}${'url('.repeat(200_000)}${'href="#" '.repeat(100_000)}</svg>`));
    // Quadratic backtracking takes minutes here; 10 s leaves room for a busy 2-core machine.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});

describe('decodeXmlText', () => {
  it('decodes character and predefined references once', () => {
    assert.equal(decodeXmlText('&#102;&#x69;le &lt;&amp;amp;&gt; &unknown;'), 'file <&amp;> &unknown;');
  });
});

describe('checkMagic', () => {
  const emf = Buffer.alloc(64);
  emf.writeUInt32LE(1, 0);
  emf.write(' EMF', 40, 'latin1');
  it('accepts files that start like their format', () => {
    assert.equal(checkMagic('pdf', Buffer.from('%PDF-1.7\n')).ok, true);
    assert.equal(checkMagic('emf', emf).ok, true);
    assert.equal(checkMagic('wmf', Buffer.from([0xd7, 0xcd, 0xc6, 0x9a, 0, 0])).ok, true);
    assert.equal(checkMagic('wmf', Buffer.from([1, 0, 9, 0, 0, 3])).ok, true);
    assert.equal(checkMagic('eps', Buffer.from('%!PS-Adobe-3.0 EPSF-3.0')).ok, true);
    assert.equal(checkMagic('eps', Buffer.from([0xc5, 0xd0, 0xd3, 0xc6])).ok, true);
    assert.equal(checkMagic('ps', Buffer.from('%!PS')).ok, true);
  });
  it('refuses an SVG (or anything else) named like a binary format: Inkscape would open it as SVG', () => {
    const disguised = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/hostname"/></svg>');
    for (const format of ['pdf', 'emf', 'wmf', 'eps', 'ps'] as const) {
      const verdict = checkMagic(format, disguised);
      assert.equal(verdict.ok, false, format);
      if (!verdict.ok) assert.match(verdict.reason, new RegExp(`like a ${format} file`));
    }
    assert.equal(checkMagic('pdf', Buffer.from(' %PDF-1.7')).ok, false);
    assert.equal(checkMagic('emf', Buffer.alloc(10, 0)).ok, false);
  });
});
