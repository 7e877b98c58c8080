/**
 * Sample images for chapter 06b, drawn by code (so the course owns them
 * outright: no photos, no licences): an airplane, a ship, a lorry and a car
 * made of simple shapes, each pixel the mean of 4×4 sub-samples (antialiased
 * edges). One file of each kind the chapter reads: an RGB PNG, a colour JPEG
 * (jpeg-js), an RGBA PNG with a transparent background, and a 16-bit grey PNG
 * (ITU-R BT.601 luma), written with pngjs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ArgumentError, describe } from '../core/errors';

/** A shape: whether the point (x, y), in pixels, is inside. */
type Shape = (x: number, y: number) => boolean;
/** Red, green, blue (0–255) and alpha (0–1). */
type Rgba = [number, number, number, number];
/** Width, height and `[height, width, 4]` float RGBA. */
type Drawing = [number, number, Float64Array];

// ---- shapes: each is a test (x, y) -> boolean in pixel coordinates
const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1;
/** Even-odd rule point-in-polygon. */
const polygon = (points: Array<[number, number]>): Shape => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/**
 * Renders layers over a background into RGBA floats (0–255, alpha 0–1).
 * background(x, y) -> [r, g, b, a]; layers: [shape, [r, g, b]] painted in order.
 */
function render(width: number, height: number, background: (x: number, y: number) => Rgba, layers: Array<[Shape, [number, number, number]]>): Float64Array {
  const out = new Float64Array(width * height * 4);
  const S = 4; // sub-samples per side
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const px = x + (sx + 0.5) / S;
          const py = y + (sy + 0.5) / S;
          let c: Rgba = background(px, py);
          for (const [shape, colour] of layers) if (shape(px, py)) c = [colour[0], colour[1], colour[2], 1];
          // Accumulate premultiplied colour, so transparent sub-samples add no colour.
          for (let k = 0; k < 3; k++) acc[k] += c[k] * c[3];
          acc[3] += c[3];
        }
      }
      const a = acc[3] / (S * S);
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = acc[3] > 0 ? acc[k] / acc[3] : 0;
      out[(y * width + x) * 4 + 3] = a;
    }
  }
  return out;
}

const to8 = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));

function pngRgb(width: number, height: number, img: Float64Array, alpha: boolean): Buffer {
  const png = new PNG({ width, height, colorType: alpha ? 6 : 2, inputHasAlpha: true });
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) png.data[4 * i + k] = to8(img[4 * i + k]);
    png.data[4 * i + 3] = to8(img[4 * i + 3] * 255);
  }
  return PNG.sync.write(png, { colorType: alpha ? 6 : 2, inputHasAlpha: true });
}

function pngGrey16(width: number, height: number, img: Float64Array): Buffer {
  const samples = new Uint16Array(width * height); // native byte order; pngjs writes big-endian
  for (let i = 0; i < width * height; i++) {
    const grey = 0.299 * img[4 * i] + 0.587 * img[4 * i + 1] + 0.114 * img[4 * i + 2]; // ITU-R BT.601 luma
    samples[i] = Math.round((Math.max(0, Math.min(255, grey)) / 255) * 65535);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false });
  png.data = Buffer.from(samples.buffer);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false });
}

function jpegRgb(width: number, height: number, img: Float64Array, quality = 85): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) data[4 * i + k] = to8(img[4 * i + k]);
    data[4 * i + 3] = 255;
  }
  return jpeg.encode({ data, width, height }, quality).data;
}

const sky = (height: number) => (x: number, y: number): Rgba => [110 + (60 * y) / height, 160 + (50 * y) / height, 235, 1];

// An airplane from the side on a blue sky: fuselage, wing, tail fin, cockpit windows. 160×120 RGB PNG.
function airplane(): Drawing {
  const [w, h] = [160, 120];
  const body: [number, number, number] = [210, 214, 220];
  const dark: [number, number, number] = [90, 96, 110];
  return [w, h, render(w, h, sky(h), [
    [polygon([[62, 62], [100, 62], [70, 96], [56, 96]]), dark], // far wing, below the body
    [ellipse(80, 60, 62, 11), body],
    [polygon([[22, 58], [14, 26], [28, 26], [46, 56]]), body], // tail fin
    [polygon([[70, 58], [96, 58], [62, 28], [52, 28]]), [185, 190, 198]], // near wing
    [ellipse(128, 56, 9, 4), [40, 60, 90]], // cockpit window
  ])];
}

// A ship on the sea: hull, white superstructure, funnel. 200×120 JPEG.
function ship(): Drawing {
  const [w, h] = [200, 120];
  const seaAndSky = (x: number, y: number): Rgba => (y < 70 ? sky(70)(x, y) : [20, 70 + (y - 70) * 0.6, 120 + (y - 70) * 0.8, 1]);
  return [w, h, render(w, h, seaAndSky, [
    [polygon([[20, 62], [182, 62], [166, 86], [36, 86]]), [40, 40, 48]],
    [polygon([[20, 62], [182, 62], [180, 66], [22, 66]]), [170, 30, 30]],
    [rect(60, 44, 140, 62), [238, 238, 232]],
    [rect(78, 32, 120, 44), [238, 238, 232]],
    [rect(124, 20, 136, 44), [200, 60, 40]],
  ])];
}

// A red lorry on a transparent background: cargo box, cab, window, wheels. 128×96 RGBA PNG.
function truck(): Drawing {
  const [w, h] = [128, 96];
  const clear = (): Rgba => [0, 0, 0, 0];
  return [w, h, render(w, h, clear, [
    [rect(8, 22, 84, 70), [200, 40, 36]],
    [polygon([[86, 36], [108, 36], [120, 52], [120, 70], [86, 70]]), [220, 60, 50]],
    [polygon([[92, 40], [106, 40], [114, 52], [92, 52]]), [170, 210, 235]],
    [ellipse(28, 72, 10, 10), [25, 25, 25]],
    [ellipse(60, 72, 10, 10), [25, 25, 25]],
    [ellipse(102, 72, 10, 10), [25, 25, 25]],
  ])];
}

// A car, in grey (a 16-bit grey PNG): body, roof, windows, wheels on a road. 144×96.
function car(): Drawing {
  const [w, h] = [144, 96];
  const ground = (x: number, y: number): Rgba => (y < 66 ? [200, 205, 210, 1] : [90, 90, 90, 1]);
  return [w, h, render(w, h, ground, [
    [polygon([[12, 48], [30, 46], [46, 30], [96, 30], [114, 46], [132, 50], [132, 68], [12, 68]]), [40, 80, 160]],
    [polygon([[50, 34], [70, 34], [70, 46], [38, 46]]), [200, 225, 240]],
    [polygon([[74, 34], [94, 34], [106, 46], [74, 46]]), [200, 225, 240]],
    [ellipse(38, 68, 11, 11), [20, 20, 20]],
    [ellipse(108, 68, 11, 11), [20, 20, 20]],
  ])];
}


/** One sample image of {@link SAMPLE_IMAGES}. */
export interface SampleImage {
  /** The file name, e.g. 'ship.jpg'. */
  file: string;
  /** How it is stored, and its size in pixels. */
  kind: string;
}

/** The sample files {@link writeSampleImages} writes, in order, with how each is stored. */
export const SAMPLE_IMAGES: readonly SampleImage[] = Object.freeze([
  { file: 'airplane.png', kind: 'RGB PNG, 160×120' },
  { file: 'car-grey16.png', kind: '16-bit grey PNG, 144×96' },
  { file: 'ship.jpg', kind: 'colour JPEG, 200×120' },
  { file: 'truck-transparent.png', kind: 'RGBA PNG with a transparent background, 128×96' },
]);

/**
 * Draws the chapter's four sample images and writes them into `dir`
 * (created if needed; existing files of the same names are replaced, each
 * written to a temporary name and renamed). The same bytes every time.
 * @returns the paths written (`dir` joined with each name of {@link SAMPLE_IMAGES}), sorted.
 * @throws {ArgumentError} when dir is not a non-empty string.
 * @example
 * ```ts
 * const files = writeSampleImages('samples');
 * files.map((f) => path.basename(f)); // ['airplane.png', 'car-grey16.png', 'ship.jpg', 'truck-transparent.png']
 * const car = readImageFile(files[1]);
 * [car.format, car.width, car.height, car.grey]; // ['png', 144, 96, true]
 * ```
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 */
export function writeSampleImages(dir: string): string[] {
  if (typeof dir !== 'string' || dir === '') throw new ArgumentError(`writeSampleImages: dir must be a non-empty folder path, got ${describe(dir)}`);
  fs.mkdirSync(dir, { recursive: true });
  const bytes: Record<string, () => Buffer> = {
    'airplane.png': () => pngRgb(...airplane(), false),
    'car-grey16.png': () => pngGrey16(...car()),
    'ship.jpg': () => jpegRgb(...ship()),
    'truck-transparent.png': () => pngRgb(...truck(), true),
  };
  return SAMPLE_IMAGES.map(({ file }) => {
    const target = path.join(dir, file);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, bytes[file]());
    fs.renameSync(tmp, target);
    return target;
  });
}
