/**
 * The three processes of the course's source document, section 2 (talent:
 * recruiting; technology: cooperation; market: expansion), as typed flow
 * definitions, and the training loop in the same form. Each step has a role
 * (set a goal, act, measure, decide, end), so a chapter can show that every
 * flow is a feedback loop of the shape of training: act, measure, compare
 * with a goal, adjust. {@link processFlowchart} turns a flow into a
 * {@link Flowchart} for Mermaid and the static SVG of diagram.ts.
 *
 * The source draws recruiting and technology cooperation without an arrow
 * back; where the course closes a loop, the link says so (`addedByCourse`),
 * and the diagram labels it.
 */
import { ArgumentError, describe } from '../core/errors';
import type { FlowEdge, Flowchart } from './diagram';

/** What a step does in the loop. */
export type StepRole = 'goal' | 'act' | 'measure' | 'decide' | 'end';

/** The roles, in loop order. */
export const STEP_ROLES: readonly StepRole[] = ['goal', 'act', 'measure', 'decide', 'end'];

/** One step of a process. */
export interface ProcessStep {
  /** Identifier used by the links: a letter, then letters, digits or `_`. */
  id: string;
  /** The step, in the course's English wording of the source. */
  label: string;
  /** What the step does in the feedback loop. */
  role: StepRole;
}

/** An arrow between two steps. */
export interface ProcessLink {
  /** Id of the step the arrow starts at. */
  from: string;
  /** Id of the step it points to. */
  to: string;
  /** The branch's condition, for arrows out of a `decide` step. */
  label?: string;
  /** An arrow back to an earlier step: the feedback. @default false */
  back?: boolean;
  /** The source has no such arrow; the course adds it to close the loop. @default false */
  addedByCourse?: boolean;
}

/** A process: its steps in order and the arrows between them. */
export interface ProcessFlow {
  /** Short name, e.g. 'recruiting'. */
  name: string;
  /** Where it comes from, e.g. 'source document §2.1'. */
  source: string;
  /** The steps, in reading order. */
  steps: ProcessStep[];
  /** The arrows. */
  links: ProcessLink[];
}

/**
 * Talent (source §2.1): identify needs → choose channels → evaluate
 * candidates → hire if qualified, else feedback and improve (the course
 * closes the loop from there back to choosing channels).
 * @see [Notebook 02 §1 Three processes, as the source draws them](../../notebooks/02-core-concepts.ipynb#1.-Three-processes,-as-the-source-draws-them)
 */
export const RECRUITING_FLOW: ProcessFlow = {
  name: 'recruiting',
  source: 'source document §2.1 (talent)',
  steps: [
    { id: 'needs', label: 'identify needs', role: 'goal' },
    { id: 'channels', label: 'choose recruiting channels', role: 'act' },
    { id: 'evaluate', label: 'evaluate candidates', role: 'decide' },
    { id: 'hire', label: 'hire', role: 'end' },
    { id: 'feedback', label: 'feedback and improve', role: 'measure' },
  ],
  links: [
    { from: 'needs', to: 'channels' },
    { from: 'channels', to: 'evaluate' },
    { from: 'evaluate', to: 'hire', label: 'qualified' },
    { from: 'evaluate', to: 'feedback', label: 'not qualified' },
    { from: 'feedback', to: 'channels', back: true, addedByCourse: true },
  ],
};

/**
 * Technology (source §2.2): set the goal → choose a partner → sign an
 * agreement → share and integrate resources → evaluate and give feedback →
 * long-term cooperation if it succeeds, else stop (the course closes the
 * loop from long-term cooperation back to sharing and integrating).
 * @see [Notebook 02 §1 Three processes, as the source draws them](../../notebooks/02-core-concepts.ipynb#1.-Three-processes,-as-the-source-draws-them)
 */
export const TECHNOLOGY_COOPERATION_FLOW: ProcessFlow = {
  name: 'technology cooperation',
  source: 'source document §2.2 (technology)',
  steps: [
    { id: 'goal', label: 'set the cooperation goal', role: 'goal' },
    { id: 'partner', label: 'choose a partner', role: 'act' },
    { id: 'agreement', label: 'sign an agreement', role: 'act' },
    { id: 'share', label: 'share and integrate resources', role: 'act' },
    { id: 'evaluate', label: 'evaluate the technology, feedback', role: 'decide' },
    { id: 'longTerm', label: 'long-term cooperation', role: 'end' },
    { id: 'stop', label: 'stop the cooperation', role: 'end' },
  ],
  links: [
    { from: 'goal', to: 'partner' },
    { from: 'partner', to: 'agreement' },
    { from: 'agreement', to: 'share' },
    { from: 'share', to: 'evaluate' },
    { from: 'evaluate', to: 'longTerm', label: 'success' },
    { from: 'evaluate', to: 'stop', label: 'failure' },
    { from: 'longTerm', to: 'share', back: true, addedByCourse: true },
  ],
};

/**
 * Market (source §2.3): market research → needs analysis → product
 * positioning → promotion → customer feedback → continuous improvement,
 * which loops back to the needs analysis (the source ends in a decision
 * "continuous improvement"; the course draws where it leads).
 * @see [Notebook 02 §1 Three processes, as the source draws them](../../notebooks/02-core-concepts.ipynb#1.-Three-processes,-as-the-source-draws-them)
 */
export const MARKET_EXPANSION_FLOW: ProcessFlow = {
  name: 'market expansion',
  source: 'source document §2.3 (market)',
  steps: [
    { id: 'research', label: 'market research', role: 'goal' },
    { id: 'needs', label: 'needs analysis', role: 'act' },
    { id: 'positioning', label: 'product positioning', role: 'act' },
    { id: 'promotion', label: 'promotion', role: 'act' },
    { id: 'feedback', label: 'customer feedback', role: 'measure' },
    { id: 'improve', label: 'continuous improvement', role: 'decide' },
  ],
  links: [
    { from: 'research', to: 'needs' },
    { from: 'needs', to: 'positioning' },
    { from: 'positioning', to: 'promotion' },
    { from: 'promotion', to: 'feedback' },
    { from: 'feedback', to: 'improve' },
    { from: 'improve', to: 'needs', back: true, addedByCourse: true },
  ],
};

/**
 * Training a classifier (chapter 03) in the same form: the labels are the
 * goal, the forward pass acts, the loss measures, the optimizer step adjusts
 * and the loop repeats until the validation metrics say stop.
 */
export const TRAINING_FLOW: ProcessFlow = {
  name: 'training',
  source: 'chapter 03, the training pipeline',
  steps: [
    { id: 'labels', label: 'labelled training data', role: 'goal' },
    { id: 'forward', label: 'forward pass: predict', role: 'act' },
    { id: 'loss', label: 'loss: compare with the labels', role: 'measure' },
    { id: 'validate', label: 'validation metrics good enough?', role: 'decide' },
    { id: 'done', label: 'stop, keep the model', role: 'end' },
    { id: 'step', label: 'backward pass, optimizer step', role: 'act' },
  ],
  links: [
    { from: 'labels', to: 'forward' },
    { from: 'forward', to: 'loss' },
    { from: 'loss', to: 'validate' },
    { from: 'validate', to: 'done', label: 'yes' },
    { from: 'validate', to: 'step', label: 'no' },
    { from: 'step', to: 'forward', back: true },
  ],
};

const ROLE_TEXT: Record<StepRole, string> = {
  goal: 'goal',
  act: 'act',
  measure: 'measure',
  decide: 'compare, decide',
  end: 'end',
};

/** Checks a flow: ids unique and well formed, roles known, links between known steps. */
function checkFlow(fn: string, flow: ProcessFlow): void {
  if (flow == null || !Array.isArray(flow.steps) || !Array.isArray(flow.links)) {
    throw new ArgumentError(`${fn}: flow must be { name, source, steps: [...], links: [...] }, got ${describe(flow)}`);
  }
  const ids = new Set<string>();
  for (const s of flow.steps) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(s.id)) throw new ArgumentError(`${fn}: step id must be a letter then letters, digits or _, got ${describe(s.id)}`);
    if (ids.has(s.id)) throw new ArgumentError(`${fn}: step id ${JSON.stringify(s.id)} is used twice`);
    if (!STEP_ROLES.includes(s.role)) throw new ArgumentError(`${fn}: step ${s.id} has role ${describe(s.role)}; expected one of ${STEP_ROLES.join(', ')}`);
    ids.add(s.id);
  }
  for (const l of flow.links) {
    for (const end of [l.from, l.to]) if (!ids.has(end)) throw new ArgumentError(`${fn}: link ${l.from} -> ${l.to} names an unknown step ${JSON.stringify(end)}`);
  }
}

/**
 * The flow as a {@link Flowchart}: one box per step (its label, then its
 * role in brackets), one arrow per link; links the course added say
 * "added by the course".
 * @param flow - the process.
 * @throws {ArgumentError} when a step id is malformed or repeated, a role is unknown, or a link names an unknown step.
 * @example
 * ```ts
 * const chart = processFlowchart(RECRUITING_FLOW);
 * chart.nodes[2].label; // 'evaluate candidates\n(compare, decide)'
 * chart.edges.length; // 5
 * chart.edges[4].label; // 'loop added by the course'
 * ```
 */
export function processFlowchart(flow: ProcessFlow): Flowchart {
  checkFlow('processFlowchart', flow);
  return {
    direction: 'TB',
    nodes: flow.steps.map((s) => ({ id: s.id, label: `${s.label}\n(${ROLE_TEXT[s.role]})` })),
    edges: flow.links.map((l) => {
      const edge: FlowEdge = { from: l.from, to: l.to };
      const label = [l.label, l.addedByCourse ? 'loop added by the course' : undefined].filter((x) => x !== undefined).join(', ');
      if (label) edge.label = label;
      if (l.back) edge.back = true;
      return edge;
    }),
  };
}

/**
 * Whether the flow is a feedback loop of the shape of training: it has a
 * goal, a step that measures or decides, and an arrow back to an earlier
 * step.
 * @param flow - the process.
 * @returns true when all three are there.
 * @throws {ArgumentError} when the flow is malformed (see {@link processFlowchart}).
 * @example
 * ```ts
 * isFeedbackLoop(MARKET_EXPANSION_FLOW); // true
 * isFeedbackLoop({ name: 'line', source: '-', steps: [{ id: 'a', label: 'a', role: 'goal' }, { id: 'b', label: 'b', role: 'act' }], links: [{ from: 'a', to: 'b' }] }); // false
 * ```
 * @see [Notebook 02 §1 Three processes, as the source draws them](../../notebooks/02-core-concepts.ipynb#1.-Three-processes,-as-the-source-draws-them)
 */
export function isFeedbackLoop(flow: ProcessFlow): boolean {
  checkFlow('isFeedbackLoop', flow);
  const roles = new Set(flow.steps.map((s) => s.role));
  return roles.has('goal') && (roles.has('measure') || roles.has('decide')) && flow.links.some((l) => l.back === true);
}
