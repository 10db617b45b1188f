// The LICENSE file is the license package.json declares (npm and the registries show the latter,
// people read the former), held by the project's contributors.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

/** The first line of each license text this check recognises, by SPDX id. */
const FIRST_LINES: Readonly<Record<string, RegExp>> = {
  MIT: /^MIT License$/,
  'Apache-2.0': /^\s*Apache License$/,
};

/** The SPDX id whose text `license` is, or undefined when none matches. */
function licenseOf(text: string): string | undefined {
  const firstLine = text.split('\n')[0] ?? '';
  return Object.keys(FIRST_LINES).find((id) => FIRST_LINES[id]?.test(firstLine));
}

describe('LICENSE', () => {
  it("is the text of package.json's license, with the contributors as copyright holders", async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { license?: string };
    const text = await readFile('LICENSE', 'utf8');
    assert.equal(pkg.license, 'MIT');
    assert.equal(licenseOf(text), pkg.license);
    assert.match(text, /^Copyright \(c\) \d{4} openconvert contributors$/m);
    // The MIT grant and disclaimer, word for word where it matters.
    assert.match(text, /Permission is hereby granted, free of charge, to any person obtaining a copy/);
    assert.match(text, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  });

  it('the check tells licenses apart', () => {
    assert.equal(licenseOf('MIT License\n\nCopyright'), 'MIT');
    assert.equal(licenseOf('                                 Apache License\n'), 'Apache-2.0');
    assert.equal(licenseOf('GNU GENERAL PUBLIC LICENSE\n'), undefined);
  });
});
