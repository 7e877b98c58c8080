/**
 * Typed errors used across the library, so callers and tests can check the
 * kind of failure, not only its text. Every message names the function and
 * the argument, then what was expected and what came.
 */

/**
 * Drops the stack frames a learner cannot act on: those inside the notebook
 * kernel (tslab) and inside Node itself. A cell that throws then shows the
 * message and the frames of the library and of the learner's own code.
 */
function trimStack(err: Error): void {
  if (typeof err.stack !== 'string') return;
  err.stack = err.stack
    .split('\n')
    .filter((line) => !/^\s+at .*(node_modules[\\/]tslab[\\/]|node:internal|\(node:)/.test(line))
    .join('\n');
}

/** An argument has the wrong type, shape or value. 
 * @example
 * ```ts
 * new ArgumentError('f: x must be > 0').name; // 'ArgumentError'
 * ```
 */
export class ArgumentError extends TypeError {
  /** Always `'ArgumentError'`, so `err.name` tells the kind after serialisation too. */
  override name = 'ArgumentError';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    trimStack(this);
  }
}

/** A file or archive does not have the structure its format requires. 
 * @example
 * ```ts
 * new DataFormatError('bad file') instanceof Error; // true
 * ```
 */
export class DataFormatError extends Error {
  /** Always `'DataFormatError'`, so `err.name` tells the kind after serialisation too. */
  override name = 'DataFormatError';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    trimStack(this);
  }
}

/** A download failed: HTTP status, size or checksum mismatch, interrupted transfer. 
 * @example
 * ```ts
 * new DownloadError('HTTP 404').name; // 'DownloadError'
 * ```
 */
export class DownloadError extends Error {
  /** Always `'DownloadError'`, so `err.name` tells the kind after serialisation too. */
  override name = 'DownloadError';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    trimStack(this);
  }
}

/**
 * A folder or file the library needs on this machine cannot be used: the cache
 * folder is read-only, not a folder, not permitted, or the disk is full. The
 * message names the path, why it cannot be used, and the fixes.
 * @example
 * ```ts
 * new StorageError('cache folder /x is read-only').name; // 'StorageError'
 * ```
 */
export class StorageError extends Error {
  /** Always `'StorageError'`, so `err.name` tells the kind after serialisation too. */
  override name = 'StorageError';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    trimStack(this);
  }
}

/** Training stopped: the loss became NaN or infinite. 
 * @example
 * ```ts
 * new NonFiniteLossError('loss NaN').name; // 'NonFiniteLossError'
 * ```
 */
export class NonFiniteLossError extends Error {
  /** Always `'NonFiniteLossError'`, so `err.name` tells the kind after serialisation too. */
  override name = 'NonFiniteLossError';

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    trimStack(this);
  }
}

/**
 * Describes a value for an error message: its type and a short rendering.
 * @example
 * ```ts
 * describe('10'); // 'string "10"'
 * describe(10.5); // 'number 10.5'
 * describe(null); // 'null'
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)}`;
  if (typeof value === 'number') return `number ${value}`;
  if (Array.isArray(value)) return `array [${value.slice(0, 8).join(', ')}${value.length > 8 ? ', ...' : ''}]`;
  return typeof value;
}

/**
 * Checks that `value` is an integer in [min, max]; throws {@link ArgumentError}
 * naming `fn` and `arg` otherwise.
 * @example
 * ```ts
 * checkInteger('f', 'epochs', 3, 1); // 3
 * checkInteger('f', 'epochs', 0, 1); // throws ArgumentError: f: epochs must be an integer >= 1, got number 0
 * ```
 */
export function checkInteger(fn: string, arg: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${fn}: ${arg} must be an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a finite number > 0; throws {@link ArgumentError} otherwise.
 * @example
 * ```ts
 * checkPositive('f', 'learningRate', 0.001); // 0.001
 * checkPositive('f', 'learningRate', NaN); // throws ArgumentError: learningRate must be a finite number > 0
 * ```
 */
export function checkPositive(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ArgumentError(`${fn}: ${arg} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}
