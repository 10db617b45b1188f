import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeValidValues, optionDefaults, validateOptions, type OptionSpecs } from '../../src/core/catalog/options.js';
import { IMAGE_OPTIONS } from '../../src/core/catalog/engines/image.js';
import { AppError } from '../../src/core/errors.js';

const validate = (raw: Record<string, unknown> | undefined) => validateOptions(IMAGE_OPTIONS, raw, 'png to jpg');

/** Asserts an INVALID_OPTION whose message names every fragment given. */
function rejects(raw: Record<string, unknown>, ...fragments: string[]): void {
  assert.throws(
    () => validate(raw),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'INVALID_OPTION');
      for (const fragment of fragments) assert.ok(error.message.includes(fragment), `message "${error.message}" lacks "${fragment}"`);
      return true;
    },
  );
}

describe('validateOptions with IMAGE_OPTIONS', () => {
  it('gives every option its default when nothing is sent', () => {
    const { values, ignored } = validate(undefined);
    assert.deepEqual({ ...values }, {
      quality: null,
      resize: null,
      resizemode: 'maximum',
      resizeenlarge: false,
      rotate: null,
      grayscale: false,
      strip_metatags: false,
      auto_orient: true,
      density: null,
    });
    assert.deepEqual(ignored, []);
  });

  it('coerces string numbers to numbers', () => {
    const { values } = validate({ quality: '75', rotate: '-90', density: ' 300 ' });
    assert.equal(values.quality, 75);
    assert.equal(values.rotate, -90);
    assert.equal(values.density, 300);
  });

  it('accepts real numbers and the range ends', () => {
    assert.equal(validate({ quality: 1 }).values.quality, 1);
    assert.equal(validate({ quality: 100 }).values.quality, 100);
    assert.equal(validate({ rotate: -360 }).values.rotate, -360);
  });

  it('rejects out-of-range values, naming the option and its valid values', () => {
    rejects({ quality: '101' }, 'quality', 'a whole number from 1 to 100');
    rejects({ quality: 0 }, 'quality', 'a whole number from 1 to 100');
    rejects({ rotate: '361' }, 'rotate', 'a whole number from -360 to 360');
    rejects({ density: '2401' }, 'density', 'from 1 to 2400');
  });

  it('rejects non-integers for integer options', () => {
    rejects({ quality: '75.5' }, 'quality');
    rejects({ quality: 'high' }, 'quality');
    rejects({ quality: { value: 75 } }, 'quality');
  });

  it('names the conversion in the message', () => {
    rejects({ quality: '500' }, 'png to jpg');
  });

  it('ignores unknown options and returns their names', () => {
    const { values, ignored } = validate({ image_dpi: '600', quality: '80', pdf_a: true });
    assert.deepEqual([...ignored].sort(), ['image_dpi', 'pdf_a']);
    assert.equal(values.quality, 80);
    assert.equal(Object.hasOwn(values, 'image_dpi'), false);
  });

  it('ignores inherited names such as toString and __proto__ as unknown options', () => {
    const raw = JSON.parse('{"toString": "x", "__proto__": {"a": 1}}') as Record<string, unknown>;
    const { ignored } = validate(raw);
    assert.deepEqual([...ignored].sort(), ['__proto__', 'toString']);
  });

  it('null and "" keep the default', () => {
    const { values } = validate({ auto_orient: null, resizemode: '', quality: null, grayscale: '' });
    assert.equal(values.auto_orient, true);
    assert.equal(values.resizemode, 'maximum');
    assert.equal(values.quality, null);
    assert.equal(values.grayscale, false);
  });

  it('reads booleans in the usual spellings', () => {
    assert.equal(validate({ grayscale: 'True' }).values.grayscale, true);
    assert.equal(validate({ grayscale: '1' }).values.grayscale, true);
    assert.equal(validate({ grayscale: true }).values.grayscale, true);
    assert.equal(validate({ auto_orient: 'no' }).values.auto_orient, false);
    assert.equal(validate({ auto_orient: false }).values.auto_orient, false);
    assert.equal(validate({ auto_orient: 0 }).values.auto_orient, false);
  });

  it('rejects a bad boolean, naming true or false', () => {
    rejects({ grayscale: 'sometimes' }, 'grayscale', 'true or false');
  });

  it('matches enums case-insensitively and returns the canonical value', () => {
    assert.equal(validate({ resizemode: 'EXACT' }).values.resizemode, 'exact');
    assert.equal(validate({ resizemode: 'Minimum' }).values.resizemode, 'minimum');
  });

  it('rejects an unknown enum value, listing the valid values', () => {
    rejects({ resizemode: 'crop' }, 'resizemode', 'maximum, minimum, exact');
  });

  for (const size of ['800x600', '800x', 'x600']) {
    it(`accepts resize ${size}`, () => {
      assert.equal(validate({ resize: size }).values.resize, size);
    });
  }

  for (const size of ['800', 'axb', 'x', '800x600x', '-800x600']) {
    it(`rejects resize ${JSON.stringify(size)}, describing the form`, () => {
      rejects({ resize: size }, 'resize', 'WIDTHxHEIGHT');
    });
  }
});

describe('validateOptions with a number spec', () => {
  const specs = { ratio: { type: 'number', min: 0, max: 2, default: 1, description: 'test' } } as const satisfies OptionSpecs;
  it('accepts decimals in range', () => {
    assert.equal(validateOptions(specs, { ratio: '1.5' }, 'test').values.ratio, 1.5);
    assert.equal(validateOptions(specs, { ratio: '.25' }, 'test').values.ratio, 0.25);
  });
  it('rejects out of range and non-numbers with INVALID_OPTION', () => {
    for (const ratio of ['2.5', 'NaN', 'Infinity', '1e1']) {
      assert.throws(
        () => validateOptions(specs, { ratio }, 'test'),
        (error: unknown) => error instanceof AppError && error.code === 'INVALID_OPTION',
        `ratio ${ratio}`,
      );
    }
  });
});

describe('describeValidValues', () => {
  it('describes each kind of spec', () => {
    assert.equal(describeValidValues(IMAGE_OPTIONS.quality), 'a whole number from 1 to 100');
    assert.equal(describeValidValues(IMAGE_OPTIONS.grayscale), 'true or false');
    assert.equal(describeValidValues(IMAGE_OPTIONS.resizemode), 'one of maximum, minimum, exact');
    assert.equal(describeValidValues(IMAGE_OPTIONS.resize), IMAGE_OPTIONS.resize.form);
    assert.equal(describeValidValues({ type: 'number', min: 0, max: 2, default: null, description: '' }), 'a number from 0 to 2');
  });
});

describe('optionDefaults', () => {
  it('lists every image option with its default', () => {
    const defaults = optionDefaults(IMAGE_OPTIONS);
    assert.deepEqual(Object.keys(defaults).sort(), Object.keys(IMAGE_OPTIONS).sort());
    assert.equal(defaults['resizemode'], 'maximum');
    assert.equal(defaults['auto_orient'], true);
    assert.equal(defaults['quality'], null);
  });
});
