/**
 * Image files a learner supplies (PNG or JPEG, any size, colour or grey, with
 * or without alpha) turned into the `[height, width, 3]` uint8 RGB pixels a
 * CIFAR-10 model takes: decoding by libraries (pngjs, jpeg-js; the size and
 * format read first from the header by image-size), alpha composited onto a
 * background, and an antialiased resize (area averaging). PNG: W3C PNG
 * Specification (3rd ed.) §11.2.2 IHDR, §12.3 (16-bit samples scaled to 8);
 * JPEG: ITU-T T.81 / JFIF 1.02 (Y-only files are grey); compositing: Porter &
 * Duff (1984), "Compositing Digital Images", the OVER operator with straight
 * (not premultiplied) alpha.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageSize } from 'image-size';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ArgumentError, DataFormatError, checkInteger, describe } from '../core/errors';

/** Size limits of an image file, checked before decoding. */
export interface ImageLimits {
  /** Largest width × height, in pixels. */
  maxPixels: number;
  /** Largest width or height, in pixels. */
  maxSide: number;
}

/**
 * Largest image accepted, checked from the file's header before any pixel is
 * decoded (a "decompression bomb" is a small file whose header promises a huge
 * image: 20,000 × 20,000 RGBA pixels need 1.6 GB).
 * `maxPixels` 100 megapixels is jpeg-js's own default limit (`maxResolutionInMP`)
 * and about twice a 50-megapixel camera's photo (400 MB decoded as RGBA);
 * `maxSide` 16,384 pixels is the largest texture side common GPUs and browsers
 * accept, so no image a learner can view is refused.
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 */
export const IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({ maxPixels: 100_000_000, maxSide: 16_384 });

/** The file extensions {@link listImageFiles} picks (lower case; matched case-insensitively). */
export const IMAGE_EXTENSIONS: readonly string[] = Object.freeze(['.png', '.jpg', '.jpeg']);

/** A decoded image: 8-bit RGBA, row-major. */
export interface RgbaImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `[height, width, 4]` uint8 red, green, blue, alpha (255: opaque). */
  rgba: Uint8Array;
}

/**
 * An RGB image: what a model takes, one image of an NHWC batch.
 * @see [Notebook 06b §3 Shrinking without aliasing](../../notebooks/06b-own-images.ipynb#3.-Shrinking-without-aliasing)
 * @see [Notebook 06b §Graded exercises](../../notebooks/06b-own-images.ipynb#Graded-exercises)
 */
export interface RgbImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `[height, width, 3]` uint8 red, green, blue. */
  rgb: Uint8Array;
}

/** What {@link decodeImage} returns. */
export interface DecodedImage extends RgbaImage {
  /** The format found in the bytes (not guessed from the file name). */
  format: 'png' | 'jpeg';
  /** Whether some pixel is not fully opaque (alpha < 255). */
  hasAlpha: boolean;
  /** Whether every pixel has red = green = blue (a grey image, stored grey or as RGB). */
  grey: boolean;
}

/** Options of {@link decodeImage} and {@link readImageFile}. */
export interface DecodeOptions {
  /** Largest width × height accepted. @default IMAGE_LIMITS.maxPixels (100,000,000) */
  maxPixels?: number;
  /** Largest width or height accepted. @default IMAGE_LIMITS.maxSide (16,384) */
  maxSide?: number;
}

/** The name a message uses for the file: its base name, or `'the image'`. */
function fileLabel(name: string | undefined): string {
  return name ? JSON.stringify(path.basename(name)) : 'the image';
}

/** First bytes of `bytes` for an error message: printable ASCII as text, else hex. */
function firstBytes(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8);
  const printable = head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09);
  return printable ? JSON.stringify(Buffer.from(head).toString('latin1')) : Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Whether the bytes end as a complete file of `format` does: PNG's IEND chunk, JPEG's EOI marker (FF D9). */
function endsComplete(bytes: Uint8Array, format: 'png' | 'jpeg'): boolean {
  if (format === 'jpeg') return bytes.length >= 2 && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
  const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]; // length 0, "IEND", its CRC
  return bytes.length >= iend.length && iend.every((b, i) => bytes[bytes.length - iend.length + i] === b);
}

/**
 * Decodes PNG or JPEG bytes to 8-bit RGBA. The format comes from the bytes,
 * not the name; the width and height come from the header (image-size) and are
 * checked against the limits before decoding. PNG: every colour type and bit
 * depth (16-bit samples scaled to 8 bits, palette and grey expanded to RGB),
 * interlaced or not (pngjs). JPEG: baseline and progressive, colour or grey
 * (jpeg-js, strict: a truncated file is an error, not a half-grey picture).
 * The JPEG EXIF orientation tag is not applied.
 * @param bytes - the file's contents.
 * @param name - the file name, for error messages. @default 'the image'
 * @returns the image as `[height, width, 4]` uint8 RGBA with its format, and
 *   whether it has transparency or is grey.
 * @throws {ArgumentError} when `bytes` is not a Uint8Array (a Buffer is one).
 * @throws {DataFormatError} naming the file when it is empty, is not a PNG or
 *   JPEG (another image format is named), is larger than the limits, or is
 *   truncated or damaged.
 * @example
 * ```ts
 * const { PNG } = require('pngjs');
 * const png = new PNG({ width: 2, height: 1 }); // RGBA: a red pixel, then a half-transparent blue one
 * png.data = Buffer.from([255, 0, 0, 255, 0, 0, 255, 128]);
 * const img = decodeImage(PNG.sync.write(png), 'two.png');
 * [img.format, img.width, img.height, img.hasAlpha]; // ['png', 2, 1, true]
 * Array.from(img.rgba); // [255, 0, 0, 255, 0, 0, 255, 128]
 * decodeImage(Buffer.from('hello'), 'notes.png'); // throws DataFormatError: "notes.png" is not a PNG or JPEG image
 * ```
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 */
export function decodeImage(bytes: Uint8Array, name?: string, options: DecodeOptions = {}): DecodedImage {
  const fn = 'decodeImage';
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${fn}: bytes must be a Uint8Array or Buffer, got ${describe(bytes)}`);
  const maxPixels = checkInteger(fn, 'options.maxPixels', options.maxPixels ?? IMAGE_LIMITS.maxPixels, 1);
  const maxSide = checkInteger(fn, 'options.maxSide', options.maxSide ?? IMAGE_LIMITS.maxSide, 1);
  const label = fileLabel(name);
  const fail = (what: string) => new DataFormatError(`${fn}: ${label} ${what}`);
  if (bytes.length === 0) throw fail('is empty (0 bytes); expected a PNG or JPEG image');

  let header: { width?: number; height?: number; type?: string };
  try {
    header = imageSize(bytes);
  } catch {
    const signature = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 ? 'PNG' : bytes[0] === 0xff && bytes[1] === 0xd8 ? 'JPEG' : undefined;
    if (signature) throw fail(`starts like a ${signature} file but its header is incomplete (${bytes.length} bytes): it is truncated or damaged`);
    throw fail(`is not a PNG or JPEG image (${bytes.length} bytes starting ${firstBytes(bytes)}); expected a PNG or JPEG file`);
  }
  const type = header.type === 'jpg' ? 'jpeg' : header.type;
  if (type !== 'png' && type !== 'jpeg') {
    throw fail(`is a ${String(type).toUpperCase()} image; only PNG and JPEG are supported: convert it to PNG first`);
  }
  const { width = 0, height = 0 } = header;
  if (!(width > 0 && height > 0)) throw fail(`is a ${type.toUpperCase()} whose header says ${width}×${height} pixels; expected a width and height of at least 1`);
  if (width > maxSide || height > maxSide || width * height > maxPixels) {
    const why =
      width > maxSide || height > maxSide
        ? `its longer side is over the limit of ${maxSide.toLocaleString('en-US')} pixels`
        : `${(width * height).toLocaleString('en-US')} pixels (${((width * height) / 1e6).toFixed(1)} megapixels) is over the limit of ${maxPixels.toLocaleString('en-US')}`;
    throw fail(`is ${width}×${height} pixels: ${why}, so it was not decoded; scale it down first`);
  }

  let rgba: Uint8Array;
  let decodedWidth: number;
  let decodedHeight: number;
  try {
    if (type === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)); // RGBA, 8 bits
      [rgba, decodedWidth, decodedHeight] = [new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height];
    } else {
      const budgetMB = Math.ceil((maxPixels * 4) / 2 ** 20) + 64; // RGBA output plus the decoder's component planes
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: budgetMB });
      [rgba, decodedWidth, decodedHeight] = [img.data, img.width, img.height];
    }
  } catch (e) {
    const truncated = endsComplete(bytes, type) ? 'damaged' : `truncated (it does not end with the ${type === 'png' ? 'PNG IEND chunk' : 'JPEG end-of-image marker FF D9'})`;
    throw fail(`is a ${type.toUpperCase()} file that cannot be decoded: it is ${truncated}; the decoder said: ${(e as Error).message}`);
  }
  if (decodedWidth !== width || decodedHeight !== height || rgba.length !== width * height * 4) {
    throw fail(`decoded to ${decodedWidth}×${decodedHeight} pixels (${rgba.length} bytes) but its header says ${width}×${height}; the file is damaged`);
  }
  let hasAlpha = false;
  let grey = true;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] !== 255) hasAlpha = true;
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) grey = false;
  }
  return { format: type, width, height, rgba, hasAlpha, grey };
}

/**
 * Composites an RGBA image over an opaque background colour (Porter–Duff OVER
 * with straight alpha): each channel becomes `(c · a + b · (255 − a)) / 255`,
 * rounded, where `a` is the pixel's alpha and `b` the background's channel.
 * Opaque pixels keep their colour; fully transparent ones take the background's.
 * @param background - `[red, green, blue]`, each an integer 0–255. @default [255, 255, 255] (white, as a web page shows a transparent PNG)
 * @returns `[height, width, 3]` uint8 RGB.
 * @throws {ArgumentError} when the image's buffer is not `width · height · 4`
 *   bytes or the background is not three integers 0–255.
 * @example
 * ```ts
 * const img = { width: 2, height: 1, rgba: new Uint8Array([200, 100, 0, 255, 0, 0, 0, 51]) };
 * Array.from(compositeOver(img).rgb); // [200, 100, 0, 204, 204, 204] (black at 20% over white: 255 · 0.8 = 204)
 * Array.from(compositeOver(img, [0, 0, 0]).rgb); // [200, 100, 0, 0, 0, 0]
 * ```
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 * @see [Notebook 06b §Graded exercises](../../notebooks/06b-own-images.ipynb#Graded-exercises)
 */
export function compositeOver(image: RgbaImage, background: readonly [number, number, number] = [255, 255, 255]): RgbImage {
  const fn = 'compositeOver';
  const { width, height, rgba } = image ?? ({} as RgbaImage);
  if (!(rgba instanceof Uint8Array) || !Number.isInteger(width) || !Number.isInteger(height) || rgba.length !== width * height * 4) {
    throw new ArgumentError(`${fn}: image must be { width, height, rgba } with rgba a Uint8Array of width · height · 4 values, got ${describe(image)}`);
  }
  if (!Array.isArray(background) || background.length !== 3 || !background.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new ArgumentError(`${fn}: background must be [red, green, blue] integers in 0–255, got ${describe(background)}`);
  }
  const n = width * height;
  const rgb = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const a = rgba[4 * p + 3];
    for (let c = 0; c < 3; c++) rgb[3 * p + c] = Math.round((rgba[4 * p + c] * a + background[c] * (255 - a)) / 255);
  }
  return { width, height, rgb };
}

/**
 * Weights of a 1-D resample from `inSize` to `outSize` samples: for each
 * output sample, the input samples it reads and their weights (summing to 1).
 * Shrinking: area averaging, each output sample covering `inSize / outSize`
 * input samples, partly covered ones weighted by the part covered.
 * Enlarging: linear interpolation between the two nearest input samples
 * (pixel centres at `i + 0.5`, as `tf.image.resizeBilinear` with `halfPixelCenters`).
 */
function resampleWeights(inSize: number, outSize: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let i = 0; i < outSize; i++) {
    if (scale >= 1) {
      const lo = i * scale;
      const hi = (i + 1) * scale;
      const first = Math.floor(lo);
      const last = Math.min(Math.ceil(hi), inSize); // exclusive
      const w = new Float64Array(last - first);
      for (let k = first; k < last; k++) w[k - first] = (Math.min(hi, k + 1) - Math.max(lo, k)) / scale;
      start[i] = first;
      weights.push(w);
    } else {
      const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
      const first = Math.min(Math.floor(x), Math.max(inSize - 2, 0));
      const t = x - first;
      start[i] = first;
      weights.push(inSize === 1 ? Float64Array.of(1) : Float64Array.of(1 - t, t));
    }
  }
  return { start, weights };
}

/**
 * Resizes an RGB image with antialiasing: when shrinking, each output pixel is
 * the average of the input area it covers (area averaging, OpenCV's
 * `INTER_AREA`; partly covered pixels count by the part covered), so fine
 * detail is averaged instead of skipped over (skipping it, as nearest-neighbour
 * or plain bilinear sampling do, makes aliasing: stripes become blotches or
 * the wrong colour). When enlarging, bilinear interpolation (as
 * `tf.image.resizeBilinear(…, false, true)`). Width and height are resampled
 * separately (the area of a rectangle is the product of its sides); averages
 * are taken on the stored sRGB values, as most libraries do, and rounded.
 * @param height - output height in pixels (≥ 1).
 * @param width - output width in pixels (≥ 1).
 * @returns `[height, width, 3]` uint8 RGB.
 * @throws {ArgumentError} when the image's buffer is not `width · height · 3`
 *   bytes or a size is not a positive integer.
 * @example
 * ```ts
 * // 4×2 → 2×1: each output pixel averages a 2×2 block.
 * const img = { width: 4, height: 2, rgb: new Uint8Array([0,0,0, 100,100,100, 10,20,30, 10,20,30,  0,0,0, 100,100,100, 10,20,30, 50,60,70]) };
 * Array.from(resizeArea(img, 1, 2).rgb); // [50, 50, 50, 20, 30, 40]
 * ```
 * @see [Notebook 06b §3 Shrinking without aliasing](../../notebooks/06b-own-images.ipynb#3.-Shrinking-without-aliasing)
 * @see [Notebook 06b §Graded exercises](../../notebooks/06b-own-images.ipynb#Graded-exercises)
 */
export function resizeArea(image: RgbImage, height: number, width: number): RgbImage {
  const fn = 'resizeArea';
  const { width: inW, height: inH, rgb } = image ?? ({} as RgbImage);
  if (!(rgb instanceof Uint8Array) || !Number.isInteger(inW) || !Number.isInteger(inH) || inW < 1 || inH < 1 || rgb.length !== inW * inH * 3) {
    throw new ArgumentError(`${fn}: image must be { width, height, rgb } with width, height ≥ 1 and rgb a Uint8Array of width · height · 3 values, got ${describe(image)}`);
  }
  checkInteger(fn, 'height', height, 1);
  checkInteger(fn, 'width', width, 1);
  const xs = resampleWeights(inW, width);
  const ys = resampleWeights(inH, height);
  // Rows first: [inH, inW, 3] -> [inH, width, 3] float64, then columns: -> [height, width, 3].
  const mid = new Float64Array(inH * width * 3);
  for (let y = 0; y < inH; y++) {
    for (let x = 0; x < width; x++) {
      const w = xs.weights[x];
      const s = xs.start[x];
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * rgb[(y * inW + s + k) * 3 + c];
        mid[(y * width + x) * 3 + c] = sum;
      }
    }
  }
  const out = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    const w = ys.weights[y];
    const s = ys.start[y];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * mid[((s + k) * width + x) * 3 + c];
        out[(y * width + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }
  return { width, height, rgb: out };
}

/**
 * The largest centred square of an RGB image (the middle of a wide or tall
 * photo), the usual crop before resizing to a square model input (so a wide
 * photo is not squashed).
 * @returns `[side, side, 3]` uint8 RGB with `side = min(width, height)`.
 * @example
 * ```ts
 * const img = { width: 3, height: 1, rgb: new Uint8Array([1,1,1, 2,2,2, 3,3,3]) };
 * Array.from(centerCrop(img).rgb); // [2, 2, 2]
 * ```
 */
export function centerCrop(image: RgbImage): RgbImage {
  const { width, height, rgb } = image;
  const side = Math.min(width, height);
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) out.set(rgb.subarray(((y0 + y) * width + x0) * 3, ((y0 + y) * width + x0 + side) * 3), y * side * 3);
  return { width: side, height: side, rgb: out };
}

/** Options of {@link readImageFile}. */
export interface ReadImageOptions extends DecodeOptions {
  /** Side of the square model input in pixels. @default 32 (CIFAR-10) */
  size?: number;
  /** 'crop': the centred square, then resize (keeps proportions); 'stretch': the whole image squashed to a square. @default 'crop' */
  fit?: 'crop' | 'stretch';
  /** Colour transparent pixels are composited onto, `[red, green, blue]`. @default [255, 255, 255] (white) */
  background?: readonly [number, number, number];
  /** Longest side of the `preview` image. @default 128 */
  previewSide?: number;
}

/** What {@link readImageFile} returns. */
export interface ImageFile {
  /** The path as given. */
  file: string;
  /** The format found in the bytes. */
  format: 'png' | 'jpeg';
  /** The original width in pixels. */
  width: number;
  /** The original height in pixels. */
  height: number;
  /** Whether the original has transparent pixels (composited onto the background). */
  hasAlpha: boolean;
  /** Whether the original is grey (its three channels equal). */
  grey: boolean;
  /** The model input: `[size, size, 3]` uint8 RGB, NHWC without the batch. */
  input: RgbImage;
  /** The whole image, composited and shrunk to at most `previewSide` a side (for showing it). */
  preview: RgbImage;
}

/**
 * Reads a PNG or JPEG file and prepares it for a CIFAR-10-style model:
 * decode ({@link decodeImage}), composite transparency onto the background
 * ({@link compositeOver}), take the centred square ({@link centerCrop}, unless
 * `fit: 'stretch'`) and shrink it with area averaging ({@link resizeArea}) to
 * `size × size`. Also returns a small preview of the whole image.
 * @returns the model input `[size, size, 3]` uint8 RGB, a preview, and facts
 *   about the original (format, size, alpha, grey).
 * @throws {DataFormatError} naming the file when it is missing, a folder,
 *   empty, not a PNG or JPEG, over the size limits, truncated or damaged.
 * @throws {ArgumentError} when an option is out of range.
 * @example
 * ```ts
 * const { PNG } = require('pngjs');
 * // Every byte 128: grey, and alpha 128 (half transparent).
 * const png = new PNG({ width: 64, height: 48 });
 * png.data.fill(128);
 * fs.writeFileSync('grey.png', PNG.sync.write(png));
 * const img = readImageFile('grey.png');
 * [img.width, img.height, img.input.width, img.input.rgb.length]; // [64, 48, 32, 3072]
 * img.input.rgb[0]; // 191 (128 at alpha 128/255 over white: 128 · 128/255 + 255 · 127/255)
 * readImageFile('missing.png'); // throws DataFormatError: "missing.png" does not exist
 * ```
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 */
export function readImageFile(file: string, options: ReadImageOptions = {}): ImageFile {
  const fn = 'readImageFile';
  if (typeof file !== 'string' || file === '') throw new ArgumentError(`${fn}: file must be a non-empty path, got ${describe(file)}`);
  const size = checkInteger(fn, 'options.size', options.size ?? 32, 1);
  const previewSide = checkInteger(fn, 'options.previewSide', options.previewSide ?? 128, 1);
  const fit = options.fit ?? 'crop';
  if (fit !== 'crop' && fit !== 'stretch') throw new ArgumentError(`${fn}: options.fit must be 'crop' or 'stretch', got ${describe(fit)}`);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new DataFormatError(`${fn}: ${JSON.stringify(file)} does not exist; expected a PNG or JPEG file`);
  if (!stat.isFile()) throw new DataFormatError(`${fn}: ${JSON.stringify(file)} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}; expected a PNG or JPEG file (for a folder use listImageFiles)`);
  let decoded: DecodedImage;
  try {
    decoded = decodeImage(fs.readFileSync(file), file, options);
  } catch (e) {
    // Name the path as given (decodeImage knows only the base name).
    if (e instanceof DataFormatError) throw new DataFormatError(e.message.replace(/^decodeImage: "[^"]*"/, `${fn}: ${JSON.stringify(file)}`));
    throw e;
  }
  const rgb = compositeOver(decoded, options.background);
  const square = fit === 'crop' ? centerCrop(rgb) : rgb;
  const input = resizeArea(square, size, size);
  const shrink = Math.min(1, previewSide / Math.max(rgb.width, rgb.height));
  const preview = shrink < 1 ? resizeArea(rgb, Math.max(1, Math.round(rgb.height * shrink)), Math.max(1, Math.round(rgb.width * shrink))) : rgb;
  return { file, format: decoded.format, width: decoded.width, height: decoded.height, hasAlpha: decoded.hasAlpha, grey: decoded.grey, input, preview };
}

/**
 * The PNG and JPEG files in a folder (by extension, case-insensitive:
 * {@link IMAGE_EXTENSIONS}), sorted by name, not descending into sub-folders;
 * hidden files (starting with '.') are left out.
 * @returns their paths (the folder joined with each name).
 * @throws {DataFormatError} when `dir` does not exist or is not a folder.
 * @example
 * ```ts
 * fs.mkdirSync('pics'); for (const f of ['b.JPG', 'a.png', 'notes.txt']) fs.writeFileSync(path.join('pics', f), '');
 * listImageFiles('pics'); // ['pics/a.png', 'pics/b.JPG']
 * ```
 * @see [Notebook 06b §5 A folder of images, and files that are not images](../../notebooks/06b-own-images.ipynb#5.-A-folder-of-images,-and-files-that-are-not-images)
 * @see [Notebook 06b §6 Your own images](../../notebooks/06b-own-images.ipynb#6.-Your-own-images)
 */
export function listImageFiles(dir: string): string[] {
  const fn = 'listImageFiles';
  if (typeof dir !== 'string' || dir === '') throw new ArgumentError(`${fn}: dir must be a non-empty folder path, got ${describe(dir)}`);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new DataFormatError(`${fn}: ${JSON.stringify(dir)} does not exist; expected a folder of PNG or JPEG files`);
  if (!stat.isDirectory()) throw new DataFormatError(`${fn}: ${JSON.stringify(dir)} is not a folder`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.') && !d.isDirectory() && IMAGE_EXTENSIONS.includes(path.extname(d.name).toLowerCase()))
    .map((d) => d.name)
    .sort()
    .map((name) => path.join(dir, name));
}
