/**
 * The diagrams of chapter 02 (notebooks/02-core-concepts.ipynb): the source
 * document's three processes and the training loop, drawn from their typed
 * definitions in lib/plot/process_flows.ts. The notebook's Markdown cells
 * hold `flowchartMarkdown(chart)` of each (Mermaid + static image);
 * `node scripts/regen-diagrams.cjs 02` rewrites them, and
 * test/plot/diagram.test.ts checks that they match.
 */
import { MARKET_EXPANSION_FLOW, RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, TRAINING_FLOW, processFlowchart } from '../../lib/plot/process_flows';
import type { Flowchart } from '../../lib/plot/diagram';

/** Talent: recruiting (source §2.1). */
export const recruitingChart: Flowchart = processFlowchart(RECRUITING_FLOW);
/** Technology: cooperation (source §2.2). */
export const technologyChart: Flowchart = processFlowchart(TECHNOLOGY_COOPERATION_FLOW);
/** Market: expansion (source §2.3). */
export const marketChart: Flowchart = processFlowchart(MARKET_EXPANSION_FLOW);
/** Training, in the same form (chapter 03). */
export const trainingLoopChart: Flowchart = processFlowchart(TRAINING_FLOW);
