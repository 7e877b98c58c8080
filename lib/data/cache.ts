/**
 * The download cache folder shared by every data set loader (CIFAR-10,
 * Fashion-MNIST): one place that decides where downloads are kept.
 */
import * as os from 'os';
import * as path from 'path';

/**
 * The cache folder: env `DL_COURSE_CACHE_DIR` if set, else
 * `$XDG_CACHE_HOME/dl-course` (when XDG_CACHE_HOME is an absolute path), else
 * `~/.cache/dl-course`.
 *
 * @example
 * ```ts
 * process.env.DL_COURSE_CACHE_DIR = '/data/dl-cache';
 * defaultCacheDir(); // '/data/dl-cache'
 * delete process.env.DL_COURSE_CACHE_DIR;
 * // Unset, with XDG_CACHE_HOME unset too: ~/.cache/dl-course, e.g. '/home/ada/.cache/dl-course'.
 * ```
 */
export function defaultCacheDir(): string {
  const own = process.env.DL_COURSE_CACHE_DIR;
  if (own) return path.resolve(own);
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'dl-course');
  return path.join(os.homedir(), '.cache', 'dl-course');
}
