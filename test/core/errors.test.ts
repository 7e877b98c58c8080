import { describe, expect, it } from 'vitest';
import { ArgumentError, DataFormatError, DownloadError, NonFiniteLossError, StorageError } from '../../lib';

describe('library errors', () => {
  it.each([ArgumentError, DataFormatError, DownloadError, StorageError, NonFiniteLossError])('%o keeps its name, message and cause, and drops Node-internal stack frames', (Kind) => {
    const cause = new Error('root');
    const err = new Kind('f: x must be > 0', { cause });
    expect(err.name).toBe(Kind.name);
    expect(err.message).toBe('f: x must be > 0');
    expect(err.cause).toBe(cause);
    expect(err.stack).toMatch(new RegExp(`^${Kind.name}: f: x must be > 0\\n`));
    expect(err.stack).toContain('errors.test.ts'); // the caller's frame stays
    expect(err.stack).not.toMatch(/node:internal|tslab[\\/]/);
  });
});
