import { describe, expect, it } from 'vitest';
import { MARKET_EXPANSION_FLOW, RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, TRAINING_FLOW, flowchartMermaid, flowchartSvg, isFeedbackLoop, processFlowchart } from '../../lib';
import type { ProcessFlow } from '../../lib';

/** The steps along the forward links, from the first step, as the source's Mermaid graphs draw them (section 2). */
function forwardOrder(flow: ProcessFlow): string[] {
  const label = new Map(flow.steps.map((s) => [s.id, s.label]));
  return flow.links.filter((l) => !l.back).map((l) => `${label.get(l.from)} -> ${label.get(l.to)}${l.label ? ` [${l.label}]` : ''}`);
}

describe("the source's three processes (source document §2)", () => {
  it('recruiting: identify needs → choose channels → evaluate candidates → hire, or feedback and improve', () => {
    expect(forwardOrder(RECRUITING_FLOW)).toEqual([
      'identify needs -> choose recruiting channels',
      'choose recruiting channels -> evaluate candidates',
      'evaluate candidates -> hire [qualified]',
      'evaluate candidates -> feedback and improve [not qualified]',
    ]);
  });
  it('technology cooperation: goal → partner → agreement → share and integrate → evaluate → long-term cooperation or stop', () => {
    expect(forwardOrder(TECHNOLOGY_COOPERATION_FLOW)).toEqual([
      'set the cooperation goal -> choose a partner',
      'choose a partner -> sign an agreement',
      'sign an agreement -> share and integrate resources',
      'share and integrate resources -> evaluate the technology, feedback',
      'evaluate the technology, feedback -> long-term cooperation [success]',
      'evaluate the technology, feedback -> stop the cooperation [failure]',
    ]);
  });
  it('market expansion: research → needs analysis → positioning → promotion → customer feedback → continuous improvement', () => {
    expect(MARKET_EXPANSION_FLOW.steps.map((s) => s.label)).toEqual(['market research', 'needs analysis', 'product positioning', 'promotion', 'customer feedback', 'continuous improvement']);
    expect(forwardOrder(MARKET_EXPANSION_FLOW)).toHaveLength(5);
  });
  it('every loop the source does not draw is marked as added by the course', () => {
    for (const flow of [RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, MARKET_EXPANSION_FLOW]) {
      for (const l of flow.links.filter((x) => x.back)) expect(l.addedByCourse).toBe(true);
    }
    expect(TRAINING_FLOW.links.some((l) => l.addedByCourse)).toBe(false);
  });
});

describe('isFeedbackLoop', () => {
  it('is true for the three processes and for training', () => {
    for (const flow of [RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, MARKET_EXPANSION_FLOW, TRAINING_FLOW]) expect(isFeedbackLoop(flow)).toBe(true);
  });
  it('is false without an arrow back', () => {
    expect(isFeedbackLoop({ ...MARKET_EXPANSION_FLOW, links: MARKET_EXPANSION_FLOW.links.filter((l) => !l.back) })).toBe(false);
  });
});

describe('processFlowchart', () => {
  it('draws one box per step and one arrow per link, as Mermaid and as SVG', () => {
    for (const flow of [RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, MARKET_EXPANSION_FLOW, TRAINING_FLOW]) {
      const chart = processFlowchart(flow);
      expect(chart.nodes).toHaveLength(flow.steps.length);
      expect(chart.edges).toHaveLength(flow.links.length);
      const mermaid = flowchartMermaid(chart);
      for (const s of flow.steps) expect(mermaid).toContain(`${s.id}["${s.label}<br/>(`);
      expect(flowchartSvg(chart)).toMatch(/^<svg /);
    }
  });
  it('labels the loop the course added', () => {
    expect(flowchartMermaid(processFlowchart(RECRUITING_FLOW))).toContain('feedback -.->|"loop added by the course"| channels');
  });
  it('rejects a link to an unknown step and an unknown role, naming them', () => {
    expect(() => processFlowchart({ ...RECRUITING_FLOW, links: [{ from: 'needs', to: 'nowhere' }] })).toThrow(/processFlowchart: link needs -> nowhere names an unknown step "nowhere"/);
    expect(() => processFlowchart({ ...RECRUITING_FLOW, steps: [{ id: 'a', label: 'a', role: 'think' as never }], links: [] })).toThrow(/role string "think"; expected one of goal, act, measure, decide, end/);
  });
});
