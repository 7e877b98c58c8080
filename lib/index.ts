/**
 * dl-course: the teaching library of a deep-learning course in TypeScript on
 * TensorFlow.js. Importing it has no side effects: the backend is chosen by
 * {@link initBackend}, when you call it.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './backend';
export * from './kernels/conv2d_grad';
export * from './data/cifar10';
export * from './data/download';
export * from './models/cnn';
export * from './models/io';
export * from './train/train';
export * from './metrics';
export * from './losses';
export * from './random';
export * from './quick';
export * from './notebook';
export * from './plot/plotly';
export * from './plot/charts';
export * from './plot/svg';
export * from './plot/downsample';
export * from './plot/live';
export * from './plot/images';
export * from './plot/decision';
export * from './plot/diagram';
export * from './plot/pipeline_diagram';
export * from './mlp/activations';
export * from './mlp/dense';
export * from './mlp/flatten';
export * from './mlp/gradcheck';
export * from './mlp/optimizers';
export * from './mlp/minibatch';
export * from './mlp/mlp';
export * from './mlp/train_mlp';
export * from './data/fashion_mnist';
export * from './plot/functions';
export * from './threads/wasm_threads';
