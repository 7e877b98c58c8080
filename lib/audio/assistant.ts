/**
 * The voice assistant's loop, closed: a recognised keyword → an answer in
 * words → the answer spoken by espeak-ng (run with an argument array, never
 * through a shell) and decoded with {@link readWav}.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { ArgumentError, describe } from '../core/errors';
import { readWav, type Audio } from './wav';

/**
 * What the assistant answers to each class of the keyword data set.
 * @example
 * ```ts
 * KEYWORD_ANSWERS.on; // 'Turning the lights on.'
 * ```
 */
export const KEYWORD_ANSWERS: Readonly<Record<string, string>> = Object.freeze({
  yes: 'Confirmed.',
  no: 'Cancelled.',
  up: 'Volume up.',
  down: 'Volume down.',
  left: 'Turning left.',
  right: 'Turning right.',
  on: 'Turning the lights on.',
  off: 'Turning the lights off.',
  stop: 'Stopping.',
  go: 'Starting.',
  silence: '',
  unknown: 'Sorry, I only know ten commands.',
});

/**
 * The assistant's answer to a recognised class: its line in
 * {@link KEYWORD_ANSWERS}, or, when the model's probability for it is below
 * `threshold`, a request to repeat (a recogniser that is unsure should ask, not act).
 * @param label - the recognised class name.
 * @param probability - the model's probability for it, in [0, 1].
 * @param threshold - the least probability to act on. @default 0.5
 * @throws {ArgumentError} when `label` is not a class of {@link KEYWORD_ANSWERS} or `probability` is not in [0, 1].
 * @example
 * ```ts
 * assistantAnswer('stop', 0.97); // 'Stopping.'
 * assistantAnswer('stop', 0.3); // 'Sorry, could you say that again?'
 * ```
 * @see [Notebook 06c §6 Closing the loop: a spoken answer](../../notebooks/06c-voice-assistant.ipynb#6.-Closing-the-loop:-a-spoken-answer)
 */
export function assistantAnswer(label: string, probability: number, threshold = 0.5): string {
  const fn = 'assistantAnswer';
  if (typeof label !== 'string' || !Object.hasOwn(KEYWORD_ANSWERS, label)) throw new ArgumentError(`${fn}: label must be one of ${Object.keys(KEYWORD_ANSWERS).join(', ')}, got ${describe(label)}`);
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) throw new ArgumentError(`${fn}: probability must be a number in [0, 1], got ${describe(probability)}`);
  return probability < threshold ? 'Sorry, could you say that again?' : KEYWORD_ANSWERS[label];
}

/** Options of {@link speak}. */
export interface SpeakOptions {
  /** espeak-ng voice (`-v`). @default 'en-us' */
  voice?: string;
  /** Words per minute (`-s`). @default 160 */
  speed?: number;
}

/** What {@link speak} returns: the spoken audio, or why there is none. */
export interface Spoken {
  /** The espeak-ng command run, as its argument list. */
  command: string[];
  /** The speech (espeak-ng's 22,050 Hz), when espeak-ng ran. */
  audio?: Audio;
  /** Why there is no audio (espeak-ng not installed, or it failed). */
  reason?: string;
}

/**
 * Speaks text with espeak-ng into memory (`espeak-ng -v VOICE -s SPEED --stdout TEXT`).
 * Where espeak-ng is not installed, or programs may not be started (Node's
 * permission model), it returns the reason instead of throwing, so a
 * notebook can show the text instead.
 * @throws {ArgumentError} when `text` is empty or starts with '-' (it would be read as an option), or an option is invalid.
 * @example
 * ```ts
 * const spoken = speak('Stopping.');
 * spoken.command.join(' '); // 'espeak-ng -v en-us -s 160 --stdout Stopping.'
 * spoken.audio ? spoken.audio.sampleRate === 22050 : spoken.reason!.includes('espeak-ng'); // true
 * ```
 * @see [Notebook 06c §6 Closing the loop: a spoken answer](../../notebooks/06c-voice-assistant.ipynb#6.-Closing-the-loop:-a-spoken-answer)
 */
export function speak(text: string, options: SpeakOptions = {}): Spoken {
  const fn = 'speak';
  if (typeof text !== 'string' || text.trim() === '' || text.trimStart().startsWith('-')) throw new ArgumentError(`${fn}: text must be a non-empty string not starting with '-', got ${describe(text)}`);
  const voice = options.voice ?? 'en-us';
  if (typeof voice !== 'string' || !/^[\w+-]+$/.test(voice)) throw new ArgumentError(`${fn}: options.voice must be an espeak-ng voice name such as 'en-us' or 'en-gb+f3', got ${describe(voice)}`);
  const speed = options.speed ?? 160;
  if (!Number.isInteger(speed) || speed < 80 || speed > 450) throw new ArgumentError(`${fn}: options.speed must be an integer in [80, 450] words per minute, got ${describe(speed)}`);
  const command = ['espeak-ng', '-v', voice, '-s', String(speed), '--stdout', text];
  let r: SpawnSyncReturns<Buffer>;
  try {
    r = spawnSync(command[0], command.slice(1), { maxBuffer: 64 << 20, timeout: 60_000 });
  } catch (err) {
    // Node's permission model (e.g. the course's grader sandbox) forbids starting programs.
    return { command, reason: `espeak-ng could not be started here: ${(err as Error).message}` };
  }
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { command, reason: missing ? 'espeak-ng is not installed (Debian/Ubuntu: apt-get install espeak-ng; macOS: brew install espeak-ng)' : `espeak-ng failed: ${r.error.message}` };
  }
  if (r.status !== 0) return { command, reason: `espeak-ng exited ${r.status}: ${String(r.stderr).trim()}` };
  return { command, audio: readWav(new Uint8Array(r.stdout), 'espeak-ng output') };
}
