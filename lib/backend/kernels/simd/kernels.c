/*
 * Memory-bound training kernels of the course CNN in WebAssembly SIMD (128-bit),
 * run on the wasm backend's own heap: our module imports the backend's
 * WebAssembly.Memory, so the pointers are the tensors' heap offsets and nothing
 * is copied. Freestanding C: no libc, no stack, no data (the linker's stack and
 * data would land in the backend's heap; build.sh checks that there are none).
 *
 * Build: lib/backend/kernels/simd/build.sh (clang 14 + wasm-ld) → lib/backend/kernels/simd_module.ts.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/*
 * MaxPoolGrad for 2×2 windows with stride 2, NHWC: the gradient of each window
 * goes to its FIRST maximum in row-major order (top-left, top-right,
 * bottom-left, bottom-right), as TensorFlow and the tfjs cpu backend do; the
 * other three get 0. Every window lies inside the image (2·oh ≤ h, 2·ow ≤ w);
 * rows and columns outside every window are not written (the caller zeroes them).
 * x [b, h, w, c], dy [b, oh, ow, c], dx [b, h, w, c] float32.
 */
EXPORT(max_pool_grad_2x2)
void max_pool_grad_2x2(const float *x, const float *dy, float *dx, int b, int h, int w, int c, int oh, int ow) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int n = 0; n < b; n++) {
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        const int p00 = ((n * h + 2 * i) * w + 2 * j) * c; /* top-left pixel of the window */
        const int p01 = p00 + c;
        const int p10 = p00 + w * c;
        const int p11 = p10 + c;
        const float *g = dy + ((n * oh + i) * ow + j) * c;
        int k = 0;
        for (; k + 4 <= c; k += 4) {
          const v128_t a0 = wasm_v128_load(x + p00 + k), a1 = wasm_v128_load(x + p01 + k);
          const v128_t a2 = wasm_v128_load(x + p10 + k), a3 = wasm_v128_load(x + p11 + k);
          const v128_t gv = wasm_v128_load(g + k);
          const v128_t topRight = wasm_f32x4_gt(a1, a0); /* strict: a tie keeps the earlier element */
          const v128_t topMax = wasm_v128_bitselect(a1, a0, topRight);
          const v128_t bottomRight = wasm_f32x4_gt(a3, a2);
          const v128_t bottomMax = wasm_v128_bitselect(a3, a2, bottomRight);
          const v128_t bottom = wasm_f32x4_gt(bottomMax, topMax);
          const v128_t top = wasm_v128_not(bottom);
          wasm_v128_store(dx + p00 + k, wasm_v128_bitselect(gv, zero, wasm_v128_andnot(top, topRight)));
          wasm_v128_store(dx + p01 + k, wasm_v128_bitselect(gv, zero, wasm_v128_and(top, topRight)));
          wasm_v128_store(dx + p10 + k, wasm_v128_bitselect(gv, zero, wasm_v128_andnot(bottom, bottomRight)));
          wasm_v128_store(dx + p11 + k, wasm_v128_bitselect(gv, zero, wasm_v128_and(bottom, bottomRight)));
        }
        for (; k < c; k++) {
          const float a0 = x[p00 + k], a1 = x[p01 + k], a2 = x[p10 + k], a3 = x[p11 + k], gk = g[k];
          const int tr = a1 > a0, br = a3 > a2;
          const float tm = tr ? a1 : a0, bm = br ? a3 : a2;
          const int bot = bm > tm;
          dx[p00 + k] = (!bot && !tr) ? gk : 0.0f;
          dx[p01 + k] = (!bot && tr) ? gk : 0.0f;
          dx[p10 + k] = (bot && !br) ? gk : 0.0f;
          dx[p11 + k] = (bot && br) ? gk : 0.0f;
        }
      }
    }
  }
}

/*
 * Transposed im2col of a channel-major input, the left operand of the filter
 * gradient as one matrix product, dW = P^T · dy:
 *   pt[(fy·fw + fx)·c + ci][(n·oh + i)·ow + j] = xc[ci][n][i·sh + fy − top][j·sw + fx − left]
 * (0 outside the image). xc [c, b, h, w] (the input transposed channel-first),
 * pt [fh·fw·c, b·oh·ow] float32. With sw = 1 each destination run of ow values
 * is a contiguous source run (copied with SIMD); else it is gathered.
 */
EXPORT(im2col_t)
void im2col_t(const float *xc, float *pt, int c, int b, int h, int w, int fh, int fw, int sh, int sw, int top, int left, int oh, int ow) {
  const int cols = b * oh * ow;
  for (int fy = 0; fy < fh; fy++) {
    for (int fx = 0; fx < fw; fx++) {
      /* Output columns j whose source column j·sw + fx − left lies in [0, w). */
      int j0 = 0;
      while (j0 < ow && j0 * sw + fx - left < 0) j0++;
      int j1 = ow;
      while (j1 > j0 && (j1 - 1) * sw + fx - left >= w) j1--;
      for (int ci = 0; ci < c; ci++) {
        float *row = pt + ((fy * fw + fx) * c + ci) * cols;
        for (int n = 0; n < b; n++) {
          for (int i = 0; i < oh; i++) {
            float *d = row + (n * oh + i) * ow;
            const int y = i * sh + fy - top;
            if (y < 0 || y >= h) {
              for (int j = 0; j < ow; j++) d[j] = 0.0f;
              continue;
            }
            const float *s = xc + ((ci * b + n) * h + y) * w + fx - left; /* source of column j is s[j·sw] */
            for (int j = 0; j < j0; j++) d[j] = 0.0f;
            if (sw == 1) {
              int j = j0;
              for (; j + 4 <= j1; j += 4) wasm_v128_store(d + j, wasm_v128_load(s + j));
              for (; j < j1; j++) d[j] = s[j];
            } else {
              for (int j = j0; j < j1; j++) d[j] = s[j * sw];
            }
            for (int j = j1; j < ow; j++) d[j] = 0.0f;
          }
        }
      }
    }
  }
}

/*
 * col2im: the input gradient of a convolution from the product
 * cols = dy · W^T ([b·oh·ow, fh·fw·c]): every output pixel adds its row back
 * onto the input pixels its window covered,
 *   dx[n][i·sh + fy − top][j·sw + fx − left][:] += cols[(n·oh + i)·ow + j][(fy·fw + fx)·c + :]
 * (window parts outside the image are dropped). Overwrites dx [b, h, w, c] float32.
 */
EXPORT(col2im)
void col2im(const float *cols, float *dx, int b, int h, int w, int c, int fh, int fw, int sh, int sw, int top, int left, int oh, int ow) {
  const int total = b * h * w * c;
  int z = 0;
  for (; z + 4 <= total; z += 4) wasm_v128_store(dx + z, wasm_f32x4_splat(0.0f));
  for (; z < total; z++) dx[z] = 0.0f;
  const int rowLen = fh * fw * c;
  for (int n = 0; n < b; n++) {
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        const float *src = cols + ((n * oh + i) * ow + j) * rowLen;
        for (int fy = 0; fy < fh; fy++) {
          const int y = i * sh + fy - top;
          if (y < 0 || y >= h) continue;
          for (int fx = 0; fx < fw; fx++) {
            const int x = j * sw + fx - left;
            if (x < 0 || x >= w) continue;
            float *d = dx + ((n * h + y) * w + x) * c;
            const float *s = src + (fy * fw + fx) * c;
            int k = 0;
            for (; k + 4 <= c; k += 4) wasm_v128_store(d + k, wasm_f32x4_add(wasm_v128_load(d + k), wasm_v128_load(s + k)));
            for (; k < c; k++) d[k] += s[k];
          }
        }
      }
    }
  }
}

/*
 * Column sums of a row-major matrix x [n, c] (a bias gradient: the sum over
 * every leading axis), out[k] = Σ_r x[r][k]. Blocks of 16 rows are summed in
 * float32 and the blocks in float64 (acc: c doubles of scratch), so the result
 * matches a float64 running sum (the cpu backend's) to float32 rounding.
 */
EXPORT(sum_rows)
void sum_rows(const float *x, float *out, double *acc, int n, int c) {
  for (int k = 0; k < c; k++) acc[k] = 0.0;
  for (int r0 = 0; r0 < n; r0 += 16) {
    const int r1 = r0 + 16 < n ? r0 + 16 : n;
    int k = 0;
    for (; k + 4 <= c; k += 4) {
      v128_t s = wasm_f32x4_splat(0.0f);
      for (int r = r0; r < r1; r++) s = wasm_f32x4_add(s, wasm_v128_load(x + r * c + k));
      const v128_t lo = wasm_f64x2_promote_low_f32x4(s);
      const v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
      wasm_v128_store(acc + k, wasm_f64x2_add(wasm_v128_load(acc + k), lo));
      wasm_v128_store(acc + k + 2, wasm_f64x2_add(wasm_v128_load(acc + k + 2), hi));
    }
    for (; k < c; k++) {
      float s = 0.0f;
      for (int r = r0; r < r1; r++) s += x[r * c + k];
      acc[k] += s;
    }
  }
  for (int k = 0; k < c; k++) out[k] = (float)acc[k];
}
