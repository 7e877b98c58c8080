import * as fs from 'node:fs';
import * as path from 'node:path';
import { WaveFile } from 'wavefile';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DataFormatError, audioPlayer, encodeWav, readWav } from '../../lib';

/** A WAV file written by hand (RIFF header, fmt chunk, data chunk), independent of wavefile's writer. */
function handWav(format: number, bits: number, channels: number, rate: number, data: Buffer): Uint8Array {
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(format, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 8);
  fmt.writeUInt16LE((channels * bits) / 8, 12);
  fmt.writeUInt16LE(bits, 14);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0);
  head.writeUInt32LE(4 + 8 + 16 + 8 + data.length, 4);
  head.write('WAVE', 8);
  const chunk = (id: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0);
    h.writeUInt32LE(body.length, 4);
    return Buffer.concat([h, body]);
  };
  return new Uint8Array(Buffer.concat([head, chunk('fmt ', fmt), chunk('data', data)]));
}

describe('readWav', () => {
  it('reads a hand-written 16-bit PCM file: samples / 32768', () => {
    const data = Buffer.alloc(8);
    [0, 16384, -32768, 32767].forEach((v, i) => data.writeInt16LE(v, 2 * i));
    const audio = readWav(handWav(1, 16, 1, 8000, data));
    expect(audio.sampleRate).toBe(8000);
    expect(Array.from(audio.samples)).toEqual([0, 0.5, -1, 32767 / 32768]);
  });
  it('averages the channels of a stereo file', () => {
    const data = Buffer.alloc(8);
    [16384, 0, -16384, -16384].forEach((v, i) => data.writeInt16LE(v, 2 * i)); // frames (0.5, 0) and (-0.5, -0.5)
    expect(Array.from(readWav(handWav(1, 16, 2, 16000, data)).samples)).toEqual([0.25, -0.5]);
  });
  it('reads unsigned 8-bit PCM (silence is 128)', () => {
    expect(Array.from(readWav(handWav(1, 8, 1, 8000, Buffer.from([128, 192, 0]))).samples)).toEqual([0, 0.5, -1]);
  });
  it('expands 8-bit mu-law as G.711 does: 0xFF is 0, 0x80 and 0x00 the extremes', () => {
    const s = readWav(handWav(7, 8, 1, 8000, Buffer.from([0xff, 0x7f, 0x80, 0x00]))).samples;
    expect(s[0]).toBe(0);
    expect(s[1]).toBe(0); // 0x7F is "negative zero"
    // G.711's largest magnitude is 8031 in 14-bit units (32124 in 16-bit), positive for 0x80.
    expect(s[2]).toBeCloseTo(32124 / 32768, 3);
    expect(s[3]).toBeCloseTo(-32124 / 32768, 3);
  });
  it('reads the shipped keyword clips and espeak-ng-made 16 kHz mu-law WAVs', () => {
    const dir = path.join(__dirname, '..', '..', 'data', 'keywords', 'clips');
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.wav'))!;
    const audio = readWav(new Uint8Array(fs.readFileSync(path.join(dir, file))), file);
    expect(audio.sampleRate).toBe(16000);
    expect(Math.max(...audio.samples.map(Math.abs))).toBeGreaterThan(0.1);
  });
  it('round-trips through encodeWav to 16-bit precision, clipping outside [-1, 1]', () => {
    const x = new Float32Array([0, 0.25, -0.75, 1.5, -2]);
    const back = readWav(encodeWav(x, 22050));
    expect(back.sampleRate).toBe(22050);
    const expected = [0, 0.25, -0.75, 1, -1];
    back.samples.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1 / 32768 + 1e-7));
  });
  it('encodeWav writes what wavefile reads back as the same integers', () => {
    const wav = new WaveFile(encodeWav(new Float32Array([0.25, -0.25, 1]), 16000));
    expect(wav.bitDepth).toBe('16');
    expect(Array.from(wav.getSamples(false, Int16Array) as unknown as Int16Array)).toEqual([8192, -8192, 32767]); // round(x · 32767)
  });
  it('encodes 8-bit unsigned PCM that reads back to within one step (1/127)', () => {
    const x = new Float32Array([0, 0.5, -0.5, 1, -1, 0.123]);
    const bytes = encodeWav(x, 8000, 8);
    expect(new WaveFile(bytes).bitDepth).toBe('8');
    expect(Array.from(bytes.subarray(44))).toEqual([128, 192, 65, 255, 1, 144]); // round(x · 127) + 128; Math.round(−63.5) is −63
    readWav(bytes).samples.forEach((v, i) => expect(Math.abs(v - x[i])).toBeLessThanOrEqual(1 / 127));
    expect(() => encodeWav(x, 8000, 24 as 16)).toThrow(/encodeWav: bitDepth must be 8 or 16/);
  });
  it('rejects what is not a WAV file, naming the file', () => {
    expect(() => readWav(new Uint8Array([1, 2, 3, 4]), 'notes.txt')).toThrow(DataFormatError);
    expect(() => readWav(new Uint8Array([1, 2, 3, 4]), 'notes.txt')).toThrow(/readWav: notes.txt is not a WAV file/);
    expect(() => readWav('x' as unknown as Uint8Array)).toThrow(ArgumentError);
  });
  it('encodeWav checks its arguments', () => {
    expect(() => encodeWav(new Float32Array(2), 0)).toThrow(/encodeWav: sampleRate must be an integer >= 1, got number 0/);
    expect(() => encodeWav(null as unknown as Float32Array, 16000)).toThrow(ArgumentError);
  });
});

describe('audioPlayer', () => {
  it('embeds the sound as a WAV data URL that decodes to the same samples', () => {
    const samples = Float32Array.from({ length: 800 }, (_, i) => Math.sin(i / 5) / 2);
    const { html, text } = audioPlayer({ sampleRate: 8000, samples }, 'a <tone>');
    expect(text).toBe('a <tone> (0.10 s at 8000 Hz)');
    expect(html).toContain('a &lt;tone&gt;');
    const b64 = /src="data:audio\/wav;base64,([^"]+)"/.exec(html)![1];
    const back = readWav(new Uint8Array(Buffer.from(b64, 'base64')));
    expect(back.samples.length).toBe(800);
    expect(Math.max(...back.samples.map((v, i) => Math.abs(v - samples[i])))).toBeLessThan(1e-4);
  });
  it('embeds 8-bit audio at half the size', () => {
    const audio = { sampleRate: 8000, samples: new Float32Array(8000) };
    expect(audioPlayer(audio, '', 8).html.length).toBeLessThan(0.55 * audioPlayer(audio).html.length);
  });
  it('names its argument when it is not audio', () => {
    expect(() => audioPlayer({} as never)).toThrow(/audioPlayer: audio must be/);
  });
});
