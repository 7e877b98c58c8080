/**
 * Test helper for `npm run course -- grade`: the shape of its --json result and
 * a runner that returns the process result with the parsed last stdout line.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './notebook';

export interface ExerciseResult {
  id: string;
  points: number;
  maxPoints: number;
  passed: boolean;
  status: string;
  message: string;
  output?: string;
}
export interface SubmissionResult {
  student: string;
  file: string;
  relFile: string;
  chapter: string | null;
  score: number;
  maxScore: number;
  status: string;
  exercises: ExerciseResult[];
  notes: string[];
  feedback?: string;
}
/** One notebook: a SubmissionResult; a folder: totals, per-exercise counts and `submissions`. */
export interface GradeResult extends SubmissionResult {
  submissions?: SubmissionResult[];
  out?: string;
  gradebook?: string;
  sandbox: { unshare: boolean; prlimit: boolean };
}

export const COURSE_SCRIPT = path.join(ROOT, 'scripts', 'course.cjs');

/** Runs `node scripts/course.cjs ARGS` in `cwd` (also INIT_CWD); `json` is the last stdout line parsed, if it is JSON. */
export function runCourse(args: string[], cwd: string, env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> & { json?: GradeResult } {
  const r = spawnSync(process.execPath, [COURSE_SCRIPT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd, ...env }, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  let json: GradeResult | undefined;
  try {
    json = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as GradeResult;
  } catch {
    json = undefined;
  }
  return { ...r, json };
}
