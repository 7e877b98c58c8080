/**
 * Checks shared by the chapter tests of notebooks with graded exercises: the
 * exercise cells' metadata, and a student build (no solutions, no hidden
 * tests) that type-checks strictly.
 */
import * as fs from 'node:fs';
import { checkedStudentVersion } from '../helpers/grading';

interface Cell {
  cell_type: string;
  source: string[];
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
}

/** The notebook's cells. */
export function notebookCells(notebook: string): Cell[] {
  return (JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: Cell[] }).cells;
}

/** Builds the student version (scripts/course.cjs) and returns its TypeScript after checking it has no solution and type-checks strictly. */
export const checkStudentVersion = checkedStudentVersion;
