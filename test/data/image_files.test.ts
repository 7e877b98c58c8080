/**
 * lib/data/image_files.ts: image files of every kind the chapter promises
 * (PNG RGB, RGBA, grey 8- and 16-bit; JPEG colour, grey, progressive), made
 * here with pngjs and jpeg-js (the grey and progressive JPEGs come from
 * libjpeg-turbo, test/fixtures/images/), bad files with errors that name them,
 * and the area-averaging resize against hand computations and TF.js.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import * as fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, DataFormatError, IMAGE_LIMITS, centerCrop, compositeOver, decodeImage, listImageFiles, readImageFile, resizeArea } from '../../lib';
import type { RgbImage } from '../../lib';
import { makeTmpDir } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'images');

/** An 8-bit RGBA PNG (colour type 6) or RGB PNG (colour type 2) of `rgba` (`[h, w, 4]`). */
function pngBytes(width: number, height: number, rgba: ArrayLike<number>, colorType: 2 | 6 = 6): Buffer {
  const png = new PNG({ width, height, colorType, inputHasAlpha: true });
  png.data = Buffer.from(Array.from(rgba));
  return PNG.sync.write(png, { colorType, inputHasAlpha: true });
}

/** A grey PNG (colour type 0) of `[h, w]` samples at 8 or 16 bits. */
function greyPngBytes(width: number, height: number, samples: ArrayLike<number>, bitDepth: 8 | 16): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth, inputHasAlpha: false });
  // pngjs takes 16-bit input in the platform's byte order (a Uint16Array's bytes) and writes it big-endian.
  png.data = bitDepth === 16 ? Buffer.from(Uint16Array.from(samples).buffer) : Buffer.from(Array.from(samples));
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth, inputHasAlpha: false });
}

/** A baseline colour JPEG of `rgba` (`[h, w, 4]`, alpha ignored). */
function jpegBytes(width: number, height: number, rgba: ArrayLike<number>, quality = 95): Buffer {
  return jpeg.encode({ data: Buffer.from(Array.from(rgba)), width, height }, quality).data;
}

/** A valid PNG header (signature + IHDR with its CRC) for a width × height RGBA image, and an IEND: no pixel data. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

/** An RGBA gradient `[h, w, 4]`: r = 4x, g = 4y, b = 255 − 2(x + y), opaque. */
function gradient(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out.set([(4 * x) & 255, (4 * y) & 255, 255 - ((2 * (x + y)) & 255), 255], (y * width + x) * 4);
  }
  return out;
}

const meanAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

/** The RGB channels of RGBA bytes. */
const rgbOf = (rgba: ArrayLike<number>) => Uint8Array.from(Array.from(rgba).filter((_, i) => i % 4 !== 3));

describe('decodeImage: every kind of PNG and JPEG', () => {
  it('decodes an RGBA PNG exactly and reports its transparency', () => {
    const rgba = [255, 0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 128, 10, 20, 30, 255];
    const img = decodeImage(pngBytes(2, 2, rgba), 'a.png');
    expect([img.format, img.width, img.height, img.hasAlpha, img.grey]).toEqual(['png', 2, 2, true, false]);
    expect(Array.from(img.rgba)).toEqual(rgba);
  });

  it('decodes an RGB PNG (no alpha channel) as opaque', () => {
    const rgba = gradient(5, 3);
    const img = decodeImage(pngBytes(5, 3, rgba, 2), 'rgb.png');
    expect(img.hasAlpha).toBe(false);
    expect(Array.from(img.rgba)).toEqual(Array.from(rgba));
  });

  it('expands an 8-bit grey PNG to three equal channels', () => {
    const samples = [0, 50, 100, 150, 200, 255];
    const img = decodeImage(greyPngBytes(3, 2, samples, 8), 'grey.png');
    expect(img.grey).toBe(true);
    expect(Array.from(img.rgba)).toEqual(samples.flatMap((v) => [v, v, v, 255]));
  });

  it('scales a 16-bit grey PNG to 8 bits as the PNG spec recommends: round(v · 255 / 65535)', () => {
    const samples = [0, 257, 1000, 32768, 40000, 65535];
    const img = decodeImage(greyPngBytes(6, 1, samples, 16), 'grey16.png');
    const expected = samples.map((v) => Math.round((v * 255) / 65535));
    for (let i = 0; i < samples.length; i++) {
      expect(Math.abs(img.rgba[4 * i] - expected[i]), `sample ${samples[i]}`).toBeLessThanOrEqual(1);
      expect(img.rgba[4 * i + 1]).toBe(img.rgba[4 * i]);
    }
    expect(img.rgba[0]).toBe(0);
    expect(img.rgba[4 * 5]).toBe(255);
  });

  it('decodes a colour JPEG close to the pixels it was made from (lossy: mean error under 2 of 255)', () => {
    const rgba = gradient(40, 24);
    const img = decodeImage(jpegBytes(40, 24, rgba, 95), 'photo.jpg');
    expect([img.format, img.width, img.height, img.hasAlpha]).toEqual(['jpeg', 40, 24, false]);
    expect(meanAbsDiff(rgbOf(img.rgba), rgbOf(rgba))).toBeLessThan(2);
  });

  it('decodes a one-component (grey) progressive JPEG from libjpeg-turbo to equal channels near its formula', () => {
    const img = decodeImage(fs.readFileSync(path.join(FIXTURES, 'grey-progressive.jpg')), 'grey-progressive.jpg');
    expect([img.format, img.width, img.height, img.grey]).toEqual(['jpeg', 48, 32, true]);
    const expected: number[] = [];
    for (let y = 0; y < 32; y++) for (let x = 0; x < 48; x++) expected.push((4 * x + 2 * y) % 256);
    const got = Array.from({ length: 48 * 32 }, (_, i) => img.rgba[4 * i]);
    expect(meanAbsDiff(got, expected)).toBeLessThan(2);
  });

  it('decodes a colour progressive JPEG from libjpeg-turbo near its formula', () => {
    const img = decodeImage(fs.readFileSync(path.join(FIXTURES, 'colour-progressive.jpg')), 'colour-progressive.jpg');
    const expected: number[] = [];
    for (let y = 0; y < 32; y++) for (let x = 0; x < 48; x++) expected.push(5 * x, 7 * y, 128);
    expect(meanAbsDiff(rgbOf(img.rgba), expected)).toBeLessThan(3);
  });

  it('finds the format in the bytes, not the name: a PNG called .jpg is decoded as PNG', () => {
    expect(decodeImage(pngBytes(1, 1, [1, 2, 3, 255]), 'really-a-png.jpg').format).toBe('png');
  });
});

describe('decodeImage: bad files get a clear error that names the file', () => {
  const png = pngBytes(16, 16, gradient(16, 16));
  const jpg = jpegBytes(16, 16, gradient(16, 16));
  it.each([
    ['notes.png', Buffer.from('This is a text file, not a picture.\n'), /"notes\.png" is not a PNG or JPEG image \(36 bytes starting "This is "\); expected a PNG or JPEG file/],
    ['empty.png', Buffer.alloc(0), /"empty\.png" is empty \(0 bytes\)/],
    ['cut.png', png.subarray(0, png.length - 40), /"cut\.png" is a PNG file that cannot be decoded: it is truncated \(it does not end with the PNG IEND chunk\)/],
    ['cut.jpg', jpg.subarray(0, Math.floor(jpg.length / 2)), /"cut\.jpg" is a JPEG file that cannot be decoded: it is truncated \(it does not end with the JPEG end-of-image marker FF D9\)/],
    ['stub.png', png.subarray(0, 12), /"stub\.png" starts like a PNG file but its header is incomplete \(12 bytes\): it is truncated or damaged/],
    ['stub.jpg', jpg.subarray(0, 4), /"stub\.jpg" starts like a JPEG file but its header is incomplete/],
    ['wide.png', pngHeaderOnly(20_000, 10), /"wide\.png" is 20000×10 pixels: its longer side is over the limit of 16,384 pixels, so it was not decoded; scale it down first/],
    ['huge.png', pngHeaderOnly(12_000, 12_000), /"huge\.png" is 12000×12000 pixels: 144,000,000 pixels \(144\.0 megapixels\) is over the limit of 100,000,000, so it was not decoded/],
    ['anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'), /"anim\.gif" is a GIF image; only PNG and JPEG are supported/],
  ])('%s', (name, bytes, message) => {
    let err: unknown;
    try {
      decodeImage(bytes, name);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(`"${name}"`);
  });

  it('refuses a huge image from its header alone, in well under a second and without allocating it', () => {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(() => decodeImage(pngHeaderOnly(16_384, 16_384), 'bomb.png')).toThrow(/268,435,456 pixels \(268\.4 megapixels\) is over the limit/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20); // decoding would need 1 GiB
  });

  it('takes smaller limits through its options', () => {
    expect(() => decodeImage(png, 'p.png', { maxSide: 8 })).toThrow(/16×16 pixels: its longer side is over the limit of 8 pixels/);
    expect(() => decodeImage(png, 'p.png', { maxPixels: 100 })).toThrow(/256 pixels \(0\.0 megapixels\) is over the limit of 100,/);
    expect(IMAGE_LIMITS).toEqual({ maxPixels: 100_000_000, maxSide: 16_384 });
  });

  it('rejects a non-byte argument with an ArgumentError', () => {
    expect(() => decodeImage('cat.png' as unknown as Uint8Array)).toThrow(ArgumentError);
  });
});

describe('compositeOver', () => {
  it('follows (c · a + b · (255 − a)) / 255 per channel, by hand', () => {
    const img = { width: 3, height: 1, rgba: new Uint8Array([10, 20, 30, 255, 200, 100, 0, 0, 0, 0, 255, 102]) };
    expect(Array.from(compositeOver(img, [100, 150, 200]).rgb)).toEqual([10, 20, 30, 100, 150, 200, 60, 90, 222]);
    // (0·102 + 100·153)/255 = 60; (0·102 + 150·153)/255 = 90; (255·102 + 200·153)/255 = 222
  });
  it('rejects a background that is not three bytes', () => {
    const img = { width: 1, height: 1, rgba: new Uint8Array(4) };
    expect(() => compositeOver(img, [256, 0, 0])).toThrow(/background must be \[red, green, blue\] integers in 0–255/);
  });
});

describe('resizeArea', () => {
  /** An image `[h, w, 3]` whose value at (x, y, c) is f(x, y, c). */
  const imageOf = (width: number, height: number, f: (x: number, y: number, c: number) => number): RgbImage => {
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = f(x, y, c);
    return { width, height, rgb };
  };

  it('shrinking 64×64 to 32×32 gives each 2×2 block’s exact mean (a hand computation)', () => {
    const img = imageOf(64, 64, (x, y, c) => (x * 7 + y * 13 + c * 50 + ((x * y) % 5) * 3) % 256);
    const out = resizeArea(img, 32, 32);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          const at = (dx: number, dy: number) => img.rgb[((2 * y + dy) * 64 + 2 * x + dx) * 3 + c];
          expect(out.rgb[(y * 32 + x) * 3 + c]).toBe(Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4));
        }
      }
    }
  });

  it('shrinking by 2 matches tf.image.resizeBilinear with half-pixel centres (which samples each block’s centre, the same mean)', () => {
    const img = imageOf(48, 40, (x, y, c) => (x * 11 + y * 5 + c * 80 + ((x ^ y) & 7) * 9) % 256);
    const ours = resizeArea(img, 20, 24).rgb;
    const theirs = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(img.rgb, [40, 48, 3], 'float32'), [20, 24], false, true).dataSync());
    const diff = Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i])));
    expect(diff).toBeLessThanOrEqual(0.5 + 1e-4); // ours is rounded to bytes
  });

  it('enlarging is bilinear: matches tf.image.resizeBilinear with half-pixel centres', () => {
    const img = imageOf(5, 4, (x, y, c) => (x * 40 + y * 60 + c * 30) % 256);
    const ours = resizeArea(img, 9, 12).rgb;
    const theirs = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(img.rgb, [4, 5, 3], 'float32'), [9, 12], false, true).dataSync());
    const diff = Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i])));
    expect(diff).toBeLessThanOrEqual(0.5 + 1e-4);
  });

  it('a non-integer factor weighs partly covered pixels by the part covered: 3 → 2 gives (a + b/2)/1.5 and (b/2 + c)/1.5', () => {
    const img = { width: 3, height: 1, rgb: new Uint8Array([30, 30, 30, 90, 90, 90, 150, 150, 150]) };
    expect(Array.from(resizeArea(img, 1, 2).rgb)).toEqual([50, 50, 50, 130, 130, 130]); // (30 + 45)/1.5, (45 + 150)/1.5
  });

  it('antialiases: one-pixel black and white stripes shrink to mid-grey, where nearest-neighbour sampling gives all black', () => {
    const stripes = imageOf(64, 64, (x) => (x % 2 === 0 ? 0 : 255));
    expect(new Set(resizeArea(stripes, 32, 32).rgb)).toEqual(new Set([128])); // 127.5 rounded
    const nearest = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.tensor3d(stripes.rgb, [64, 64, 3]), [32, 32]).dataSync());
    expect(new Set(nearest)).toEqual(new Set([0]));
  });

  it('keeps a constant image constant and the mean of an image within rounding, for any sizes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 255 }), (w, h, ow, oh, v) => {
        const out = resizeArea(imageOf(w, h, () => v), oh, ow);
        return out.rgb.length === ow * oh * 3 && out.rgb.every((p) => p === v);
      }),
      { numRuns: 60 },
    );
    const img = imageOf(60, 45, (x, y, c) => (x * 17 + y * 29 + c * 7) % 256);
    const mean = (a: Uint8Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(resizeArea(img, 15, 20).rgb) - mean(img.rgb))).toBeLessThan(0.5); // 3× in both directions: exact blocks
  });

  it('rejects a bad image or size naming the argument', () => {
    expect(() => resizeArea({ width: 2, height: 2, rgb: new Uint8Array(5) }, 1, 1)).toThrow(/resizeArea: image must be/);
    expect(() => resizeArea({ width: 1, height: 1, rgb: new Uint8Array(3) }, 0, 1)).toThrow(/resizeArea: height/);
  });
});

describe('readImageFile and listImageFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTmpDir();
    fs.writeFileSync(path.join(dir, 'wide.png'), pngBytes(96, 32, gradient(96, 32)));
    // Transparent left half, opaque red right half.
    const half = new Uint8Array(64 * 64 * 4);
    for (let y = 0; y < 64; y++) for (let x = 32; x < 64; x++) half.set([255, 0, 0, 255], (y * 64 + x) * 4);
    fs.writeFileSync(path.join(dir, 'half.png'), pngBytes(64, 64, half));
    fs.writeFileSync(path.join(dir, 'grey.JPG'), jpegBytes(50, 40, new Uint8Array(50 * 40 * 4).fill(90)));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'text');
    fs.writeFileSync(path.join(dir, '.hidden.png'), '');
    fs.mkdirSync(path.join(dir, 'sub.png'));
  });

  it('lists the PNG and JPEG files of a folder, sorted, case-insensitively, without hidden files or folders', () => {
    expect(listImageFiles(dir).map((f) => path.basename(f))).toEqual(['grey.JPG', 'half.png', 'wide.png']);
    expect(() => listImageFiles(path.join(dir, 'none'))).toThrow(/listImageFiles: ".*none" does not exist/);
  });

  it('crops a wide image to its centred square before shrinking, or stretches it when asked', () => {
    const crop = readImageFile(path.join(dir, 'wide.png'));
    expect([crop.width, crop.height, crop.input.width, crop.input.height]).toEqual([96, 32, 32, 32]);
    // The centred 32×32 square starts at x = 32: its first red value is 4·32 = 128.
    expect(crop.input.rgb[0]).toBe(128);
    const stretch = readImageFile(path.join(dir, 'wide.png'), { fit: 'stretch' });
    expect(stretch.input.rgb[0]).toBe(Math.round((0 + 4 + 8) / 3)); // 96 → 32: three pixels per output pixel
    expect([crop.preview.width, crop.preview.height]).toEqual([96, 32]); // already under 128 a side
  });

  it('lays transparency on white (or the background given) and shrinks the preview to 128 a side', () => {
    const img = readImageFile(path.join(dir, 'half.png'), { size: 2 });
    expect(img.hasAlpha).toBe(true);
    expect(Array.from(img.input.rgb)).toEqual([255, 255, 255, 255, 0, 0, 255, 255, 255, 255, 0, 0]);
    expect(Array.from(readImageFile(path.join(dir, 'half.png'), { size: 1, background: [0, 0, 0] }).input.rgb)).toEqual([128, 0, 0]);
    const grey = readImageFile(path.join(dir, 'grey.JPG'), { previewSide: 25 });
    expect([grey.format, grey.grey, grey.preview.width, grey.preview.height]).toEqual(['jpeg', true, 25, 20]);
  });

  it('names the path as given in every error', () => {
    expect(() => readImageFile(path.join(dir, 'notes.txt'))).toThrow(new RegExp(`readImageFile: "${path.join(dir, 'notes.txt')}" is not a PNG or JPEG image`));
    expect(() => readImageFile(path.join(dir, 'sub.png'))).toThrow(/readImageFile: ".*sub\.png" is a folder/);
    expect(() => readImageFile(path.join(dir, 'missing.png'))).toThrow(/readImageFile: ".*missing\.png" does not exist/);
    expect(() => readImageFile(path.join(dir, '.hidden.png'))).toThrow(/readImageFile: ".*\.hidden\.png" is empty \(0 bytes\)/);
  });

  it('centerCrop takes the middle square of a tall image', () => {
    const tall = { width: 1, height: 3, rgb: new Uint8Array([1, 1, 1, 2, 2, 2, 3, 3, 3]) };
    expect(Array.from(centerCrop(tall).rgb)).toEqual([2, 2, 2]);
  });
});
