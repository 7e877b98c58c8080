#!/usr/bin/env node
// Draws the sample images of notebook 06b (notebooks/images/) with code, so
// the course owns them outright (no photos, no licences to track): simple
// shapes, each pixel the average of 4×4 sub-samples (antialiased edges).
// One of each kind the chapter handles: an RGB PNG, an RGBA PNG with a
// transparent background, a 16-bit grey PNG, and a colour JPEG.
//
//   node scripts/make-sample-images.cjs [OUT_DIR]   (default notebooks/images)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const OUT = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'notebooks', 'images'));

// ---- shapes: each is a test (x, y) -> boolean in pixel coordinates
const ellipse = (cx, cy, rx, ry) => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1;
/** Even-odd rule point-in-polygon. */
const polygon = (points) => (x, y) => {
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
function render(width, height, background, layers) {
  const out = new Float64Array(width * height * 4);
  const S = 4; // sub-samples per side
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const px = x + (sx + 0.5) / S;
          const py = y + (sy + 0.5) / S;
          let c = background(px, py);
          for (const [shape, colour] of layers) if (shape(px, py)) c = [...colour, 1];
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

const to8 = (v) => Math.max(0, Math.min(255, Math.round(v)));

function writePngRgb(file, width, height, img, { alpha = false } = {}) {
  const png = new PNG({ width, height, colorType: alpha ? 6 : 2, inputHasAlpha: true });
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) png.data[4 * i + k] = to8(img[4 * i + k]);
    png.data[4 * i + 3] = to8(img[4 * i + 3] * 255);
  }
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: alpha ? 6 : 2, inputHasAlpha: true }));
}

function writePngGrey16(file, width, height, img) {
  const samples = new Uint16Array(width * height); // native byte order; pngjs writes big-endian
  for (let i = 0; i < width * height; i++) {
    const grey = 0.299 * img[4 * i] + 0.587 * img[4 * i + 1] + 0.114 * img[4 * i + 2]; // ITU-R BT.601 luma
    samples[i] = Math.round((Math.max(0, Math.min(255, grey)) / 255) * 65535);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false });
  png.data = Buffer.from(samples.buffer);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 16, inputHasAlpha: false }));
}

function writeJpeg(file, width, height, img, quality = 85) {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) data[4 * i + k] = to8(img[4 * i + k]);
    data[4 * i + 3] = 255;
  }
  fs.writeFileSync(file, jpeg.encode({ data, width, height }, quality).data);
}

const sky = (height) => (x, y) => [110 + (60 * y) / height, 160 + (50 * y) / height, 235, 1];

// An airplane from the side on a blue sky: fuselage, wing, tail fin, cockpit windows. 160×120 RGB PNG.
function airplane() {
  const [w, h] = [160, 120];
  const body = [210, 214, 220];
  const dark = [90, 96, 110];
  return [w, h, render(w, h, sky(h), [
    [polygon([[62, 62], [100, 62], [70, 96], [56, 96]]), dark], // far wing, below the body
    [ellipse(80, 60, 62, 11), body],
    [polygon([[22, 58], [14, 26], [28, 26], [46, 56]]), body], // tail fin
    [polygon([[70, 58], [96, 58], [62, 28], [52, 28]]), [185, 190, 198]], // near wing
    [ellipse(128, 56, 9, 4), [40, 60, 90]], // cockpit window
  ])];
}

// A ship on the sea: hull, white superstructure, funnel. 200×120 JPEG.
function ship() {
  const [w, h] = [200, 120];
  const seaAndSky = (x, y) => (y < 70 ? sky(70)(x, y) : [20, 70 + (y - 70) * 0.6, 120 + (y - 70) * 0.8, 1]);
  return [w, h, render(w, h, seaAndSky, [
    [polygon([[20, 62], [182, 62], [166, 86], [36, 86]]), [40, 40, 48]],
    [polygon([[20, 62], [182, 62], [180, 66], [22, 66]]), [170, 30, 30]],
    [rect(60, 44, 140, 62), [238, 238, 232]],
    [rect(78, 32, 120, 44), [238, 238, 232]],
    [rect(124, 20, 136, 44), [200, 60, 40]],
  ])];
}

// A red lorry on a transparent background: cargo box, cab, window, wheels. 128×96 RGBA PNG.
function truck() {
  const [w, h] = [128, 96];
  const clear = () => [0, 0, 0, 0];
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
function car() {
  const [w, h] = [144, 96];
  const ground = (x, y) => (y < 66 ? [200, 205, 210, 1] : [90, 90, 90, 1]);
  return [w, h, render(w, h, ground, [
    [polygon([[12, 48], [30, 46], [46, 30], [96, 30], [114, 46], [132, 50], [132, 68], [12, 68]]), [40, 80, 160]],
    [polygon([[50, 34], [70, 34], [70, 46], [38, 46]]), [200, 225, 240]],
    [polygon([[74, 34], [94, 34], [106, 46], [74, 46]]), [200, 225, 240]],
    [ellipse(38, 68, 11, 11), [20, 20, 20]],
    [ellipse(108, 68, 11, 11), [20, 20, 20]],
  ])];
}

fs.mkdirSync(OUT, { recursive: true });
const written = [];
const put = (name, write, [w, h, img]) => {
  const file = path.join(OUT, name);
  write(file, w, h, img);
  written.push(`${name} (${fs.statSync(file).size} bytes)`);
};
put('airplane.png', (f, w, h, i) => writePngRgb(f, w, h, i), airplane());
put('ship.jpg', writeJpeg, ship());
put('truck-transparent.png', (f, w, h, i) => writePngRgb(f, w, h, i, { alpha: true }), truck());
put('car-grey16.png', writePngGrey16, car());
console.log(`wrote ${OUT}: ${written.join(', ')}`);
