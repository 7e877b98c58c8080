/**
 * The diagrams of chapter 03 (notebooks/03-training-pipeline.ipynb): the
 * training pipeline and one training step's computation graph. Chapter
 * content, so it lives beside the notebook, not in lib: the notebook's
 * Markdown cells hold `flowchartMarkdown(chart)` of each (Mermaid + static
 * image), and test/plot/diagram.test.ts checks that they match.
 */
import type { Flowchart } from '../../lib/plot/diagram';

/** Data → minibatches → forward pass → loss → backward pass → optimizer step, with the minibatch and epoch loops. */
export const trainingPipelineChart: Flowchart = {
  direction: 'TB',
  nodes: [
    { id: 'data', label: 'training data\nX [n, 2], y [n]' },
    { id: 'batches', label: 'shuffle, split into minibatches\nXb [batchSize, 2], yb [batchSize]' },
    { id: 'forward', label: 'forward pass\nyHat = model(Xb)  [batchSize, 2]' },
    { id: 'loss', label: 'loss\nL = cross-entropy(yb, yHat)' },
    { id: 'backward', label: 'backward pass\n∂L/∂θ for every parameter θ' },
    { id: 'step', label: 'optimizer step\nθ ← θ − η · ∂L/∂θ (η: learning rate)' },
    { id: 'metrics', label: 'metrics\nloss and accuracy, train and validation' },
  ],
  edges: [
    { from: 'data', to: 'batches' },
    { from: 'batches', to: 'forward', label: 'one minibatch' },
    { from: 'forward', to: 'loss' },
    { from: 'loss', to: 'backward' },
    { from: 'backward', to: 'step' },
    { from: 'step', to: 'forward', label: 'next minibatch', back: true },
    { from: 'step', to: 'metrics', label: 'end of epoch' },
    { from: 'metrics', to: 'batches', label: 'next epoch', back: true },
  ],
};

/** One training step of a one-hidden-layer network as a computation graph: forward arrows; gradients flow back along them. */
export const trainingStepGraphChart: Flowchart = {
  direction: 'LR',
  nodes: [
    { id: 'X', label: 'Xb\n[batch, 2]' },
    { id: 'W1', label: 'W1, b1\n[2, 16], [16]', rank: 0 },
    { id: 'H', label: 'H = relu(Xb·W1 + b1)\n[batch, 16]' },
    { id: 'W2', label: 'W2, b2\n[16, 2], [2]', rank: 1 },
    { id: 'Z', label: 'logits Z = H·W2 + b2\n[batch, 2]' },
    { id: 'Y', label: 'yb\n[batch]', rank: 2 },
    { id: 'L', label: 'loss L\nscalar' },
  ],
  edges: [
    { from: 'X', to: 'H' },
    { from: 'W1', to: 'H' },
    { from: 'H', to: 'Z' },
    { from: 'W2', to: 'Z' },
    { from: 'Z', to: 'L' },
    { from: 'Y', to: 'L' },
    { from: 'L', to: 'W1', label: 'gradients ∂L/∂θ (backward pass)', back: true },
  ],
};
