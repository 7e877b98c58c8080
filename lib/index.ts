/**
 * dl-course: the teaching library of a deep-learning course in TypeScript on
 * TensorFlow.js. Importing it has no side effects: the backend is chosen by
 * {@link initBackend}, when you call it.
 *
 * The exports are grouped by the chapter (notebook) that introduces them.
 * Layers and what may import what: docs/architecture.md. Names of dimensions
 * and variables: docs/glossary.md.
 *
 * @packageDocumentation
 */

// ---- Errors every function throws (README: "Errors and what they mean") ----
export { ArgumentError, DataFormatError, DownloadError, NonFiniteLossError, StorageError } from './core/errors';

// ---- Chapter 00, getting started: backend, notebook display, quick mode ----
export { BACKEND_CHOICES, BACKEND_ENV_VAR, WASM_THREADS_ENV_VAR, backendReport, formatBackendReport, initBackend } from './backend/backend';
export { MAX_WASM_THREADS, defaultWasmThreads } from './backend/threads/wasm_threads';
export type { BackendChoice, BackendReport, InitBackendOptions, NativeTensorFlow, SkippedCandidate } from './backend/backend';
export { inNotebook, liveBundle, show, showBundle } from './core/notebook';
export type { LiveBundle, MimeBundle, Showable } from './core/notebook';
export { quick, quickMode } from './core/quick';
export { tableHtml } from './plot/charts';
export { linspace, curvesFigure, curvesGridFigure } from './plot/functions';
export type { Curve, CurvePanel } from './plot/functions';
export { PLOTLY_MIME_TYPE, figureBundle, figureHtml, loadPlotly, showFigure, writeFigureHtml, writeHtmlReport } from './plot/plotly';
export type { FigureBundleOptions, FigureHtmlOptions, ReportSection } from './plot/plotly';
export type { Figure } from './plot/figure';
export { PLOTLY_COLORWAY, figureSvg } from './plot/svg';
export type { SvgOptions } from './plot/svg';

// ---- Chapter 01, what a large model is, by the numbers: parameters, compute, memory, sizes over time ----
export { BYTES_PER_VALUE, PUBLISHED_MODEL_SIZES, PUBLISHED_TRANSFORMERS, adamTrainingBytes, devicesToHold, inferenceFlopsPerToken, trainingFlops, transformerParameterCount, weightBytes } from './nn/scale';
export type { Precision, PublishedModelSize, PublishedTransformer, PublishedTransformerName, TrainingMemory, TransformerConfig, TransformerParameterCount } from './nn/scale';
export { forwardFlops, layerCosts } from './models/flops';
export type { LayerCost } from './models/flops';
export { matMulSpeed } from './backend/speed';
export type { MatMulSpeed } from './backend/speed';
export { labelledScatterFigure } from './plot/scatter';
export type { LabelledPoint, LabelledScatterOptions } from './plot/scatter';

// ---- Chapter 02, core concepts: the source's processes as feedback loops; decision thresholds ----
export { MARKET_EXPANSION_FLOW, RECRUITING_FLOW, STEP_ROLES, TECHNOLOGY_COOPERATION_FLOW, TRAINING_FLOW, isFeedbackLoop, processFlowchart } from './plot/process_flows';
export type { ProcessFlow, ProcessLink, ProcessStep, StepRole } from './plot/process_flows';
export { applyThreshold, precision, precisionRecallCurve, recall } from './nn/metrics';
export type { PrecisionRecallCurve } from './nn/metrics';

// ---- Chapter 03, the training pipeline: seeded randomness, the loop's charts ----
export { seededNormal, seededRandom, shuffledIndices } from './core/random';
export type { EpochRecord } from './core/history';
export { barFigure, confusionMatrixFigure, confusionMatrixTable, historyFigure } from './plot/charts';
export { liveFigure } from './plot/live';
export type { LiveFigure, LiveFigureOptions } from './plot/live';
export { decisionBoundaryFigure } from './plot/decision';
export type { DecisionBoundaryOptions } from './plot/decision';
export { downsample, downsampleFigure } from './plot/downsample';
export type { DownsampleMethod, DownsampleOptions, Downsampled } from './plot/downsample';
export { flowchartMarkdown, flowchartMermaid, flowchartSvg } from './plot/diagram';
export type { FlowEdge, FlowNode, Flowchart } from './plot/diagram';
export { accuracy, accuracyFromOutputs, confusionMatrix, labelFormat, mostConfusedPairs, perClassAccuracy } from './nn/metrics';
export type { ConfusedPair, IntArray, LabelFormat } from './nn/metrics';
export { randomSubset, withLabelNoise } from './data/label_noise';
export type { NoisyLabels } from './data/label_noise';
export { runSweep, trainMlpRun } from './train/sweep';
export type { MlpRun, MlpRunOptions, SweepOptions, SweepRun } from './train/sweep';

// ---- Chapter 04, the maths of an MLP: layers, activations, losses, gradients, optimizers, Fashion-MNIST ----
export {
  ACTIVATION_NAMES,
  LEAKY_RELU_ALPHA,
  gelu,
  geluDerivative,
  getActivation,
  leakyRelu,
  leakyReluDerivative,
  logSoftmax,
  relu,
  reluDerivative,
  sigmoid,
  sigmoidDerivative,
  softmax,
  softmaxBackward,
  tanh,
  tanhDerivative,
} from './nn/activations';
export type { Activation, ActivationName } from './nn/activations';
export { dense, denseBackward, initDense } from './nn/dense';
export type { DenseGradients, DenseInit, DenseInitialValues } from './nn/dense';
export { checkNhwc, flattenImages } from './nn/flatten';
export {
  PROBABILITY_EPSILON,
  binaryCrossentropy,
  binaryCrossentropyBackward,
  categoricalCrossentropy,
  categoricalCrossentropyBackward,
  looksLikeProbabilities,
  meanSquaredError,
  meanSquaredErrorBackward,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyBackward,
} from './nn/losses';
export type { BinaryCrossEntropyOptions, CrossEntropyOptions } from './nn/losses';
export { gradientCheck, gradientCheckTensors, numericalGradient, relativeError } from './nn/gradcheck';
export type { EntryLocation, GradientCheckOptions, GradientCheckResult, TensorGradientCheckOptions, TensorGradientCheckResult } from './nn/gradcheck';
export { AdamOptimizer, MomentumOptimizer, OPTIMIZER_NAMES, SgdOptimizer, createOptimizer } from './nn/optimizers';
export type { AdamOptions, Gradients, Optimizer, OptimizerName, Parameters } from './nn/optimizers';
export { createMlp, disposeMlp, mlpBackward, mlpForward, mlpLossAndGradients, mlpParameterCount, mlpPredict } from './nn/mlp';
export type { LayerCache, LossAndGradients, Mlp, MlpForward, MlpLayer, MlpOptions } from './nn/mlp';
export { epochMean, gatherMinibatch, minibatchRanges, shuffleSplit, splitExamples } from './data/minibatch';
export type { ExamplesSplit, IndexSplit, Minibatch } from './data/minibatch';
export { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_BASE_URL, FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, loadFashionMnist, parseIdxImages, parseIdxLabels } from './data/fashion_mnist';
export type { FashionMnistData, FashionMnistFile, FashionMnistFileKey, IdxImages, LoadFashionMnistOptions } from './data/fashion_mnist';
export { evaluateMlp, trainMlp } from './train/train_mlp';
export type { MlpEvaluation, TrainMlpOptions, TrainMlpResult } from './train/train_mlp';
export { CHAPTER02_CONFIG, CHAPTER03_CONFIG, CHAPTER04_CONFIG, CHAPTER05_CONFIG, currentConfig } from './train/config';
export type { Chapter02Config, Chapter03Config, Chapter04Config, Chapter05Config, ChapterConfig, MlpTrainConfig } from './train/config';
export { formatEpochLine } from './train/progress';
export type { ProgressMode } from './train/progress';

// ---- Chapter 04b, the case study: cats against dogs with a small ResNet, batch normalisation, augmentation, ROC ----
export { batchNorm } from './nn/batch_norm';
export type { BatchNormOptions, BatchNormResult, BatchNormState } from './nn/batch_norm';
export { f1Score, rocAuc, rocCurve } from './nn/metrics';
export type { RocCurve } from './nn/metrics';
export { channelMeanStd, cropFlipAugmenter, randomCropFlip, selectClasses } from './data/augment';
export type { Augmenter, CropFlipOptions } from './data/augment';
export { buildResNet, resNetParameterCount } from './models/resnet';
export type { ResNetConfig } from './models/resnet';
export type { ChannelNormalization } from './core/examples';
export { minibatchSeed } from './train/classifier';
export { bestEpochKeeper } from './train/best_epoch';
export type { BestEpochKeeper } from './train/best_epoch';
export { CHAPTER04B_CONFIG } from './train/config';
export type { Chapter04bConfig } from './train/config';
export { cosineDecay } from './nn/schedules';
export type { CosineDecayOptions, LearningRateSchedule } from './nn/schedules';

// ---- Chapter 05, a CNN for CIFAR-10: labelled images, the model, training, evaluation, saving ----
export { imagesToTensor, labelsToTensor, pixelsToFloat32, sliceExamples, takeExamples } from './core/examples';
export type { LabeledExamples } from './core/examples';
export { CIFAR10_ARCHIVE_BYTES, CIFAR10_CLASSES, CIFAR10_MD5, CIFAR10_URL, loadCifar10, parseCifar10Records } from './data/cifar10';
export { defaultCacheDir } from './data/cache';
export type { Cifar10Data, LoadCifar10Options } from './data/cifar10';
export { buildCifar10Cnn, categoricalCrossentropyFromLogits, compileClassifier, layerSummary, modelLabelFormat, outputActivation } from './models/cnn';
export type { CnnConfig, CompileOptions, LayerRow } from './models/cnn';
export { evaluateClassifier, evaluateProbabilities, inputImageShape, makeBatch, nonFiniteWeight, trainClassifier } from './train/classifier';
export type { Evaluation, ImageMinibatch, TrainOptions, TrainResult } from './train/classifier';
export { loadModel, saveModel } from './models/io';
export { guardImageInput } from './models/input_guard';
export { imageGrid, sampleIndices } from './plot/images';
export type { ImageGridOptions } from './plot/images';

// ---- Chapter 06, applications (a): a customer-service intent classifier: tokens, vocabulary, TF-IDF, word embeddings, "I'm not sure" ----
export { INTENT_NAMES, INTENT_SPLITS, defaultIntentsFile, loadIntents, parseIntents } from './data/intents';
export type { IntentData, IntentName, LabeledTexts } from './data/intents';
export { PAD_ID, UNK_ID, Vocabulary, tokenize } from './data/tokenizer';
export type { VocabularyOptions } from './data/tokenizer';
export { bagOfWords, inverseDocumentFrequency, tfIdf } from './data/text_features';
export { chooseConfidenceThreshold, coverageAccuracyCurve, perClassPrecisionRecall } from './nn/metrics';
export type { ConfidenceThreshold, CoverageAccuracyCurve, PerClassPrecisionRecall } from './nn/metrics';
export { buildEmbeddingClassifier, buildSoftmaxRegression } from './models/text';
export type { EmbeddingClassifierConfig, SoftmaxRegressionConfig } from './models/text';
export { evaluateFeatureClassifier, trainFeatureClassifier } from './train/features';
export type { FeatureExamples, FeatureTrainOptions } from './train/features';

export { CHAPTER06_CONFIG } from './train/config';
export type { Chapter06Config } from './train/config';
// ---- Chapter 06b, your own images: decoding PNG and JPEG, antialiased resizing, top-k predictions ----
export { IMAGE_EXTENSIONS, IMAGE_LIMITS, centerCrop, compositeOver, decodeImage, listImageFiles, readImageFile, resizeArea } from './data/image_files';
export type { DecodeOptions, DecodedImage, ImageFile, ImageLimits, ReadImageOptions, RgbImage, RgbaImage } from './data/image_files';
export { createCountProgress } from './data/progress';
export type { ByteProgress, CountProgressOptions, ProgressStream } from './data/progress';
export { classifyImageFiles, predictProbabilities, topK } from './train/predict';
export type { ClassScore, ClassifyFilesOptions, FileClassification } from './train/predict';
export { CHAPTER06B_CONFIG } from './train/config';
export { predictionCard } from './plot/predictions';
export type { CardImage, CardScore } from './plot/predictions';
export { SAMPLE_IMAGES, writeSampleImages } from './data/sample_images';
export type { SampleImage } from './data/sample_images';
// ---- Chapter 06c, a spoken-keyword voice assistant: WAV, STFT, log-mel spectrograms, a CNN on them, spoken answers ----
export { audioPlayer, encodeWav, readWav } from './audio/wav';
export type { Audio } from './audio/wav';
export { frameCount, hannWindow, powerSpectrogram } from './audio/stft';
export type { Spectrogram, StftConfig } from './audio/stft';
export { POWER_FLOOR, decibelsToUint8, hzToMel, logMelSpectrogram, melFilterbank, melToHz } from './audio/mel';
export type { LogMelConfig, LogMelSpectrogram } from './audio/mel';
export { keywordClip, keywordImages, keywordsDir, loadKeywords } from './audio/keywords';
export type { KeywordClips, KeywordData, KeywordImageConfig, KeywordIndex, KeywordItem, KeywordSplit, LoadKeywordsOptions } from './audio/keywords';
export { KEYWORD_ANSWERS, assistantAnswer, speak } from './audio/assistant';
export type { SpeakOptions, Spoken } from './audio/assistant';
export { buildKeywordCnn } from './models/keyword_cnn';
export type { KeywordCnnConfig } from './models/keyword_cnn';
export { spectrogramsFigure } from './plot/spectrogram';
export type { SpectrogramPanel, SpectrogramsFigureOptions } from './plot/spectrogram';
export { CHAPTER06C_CONFIG } from './train/config';
export type { Chapter06cConfig } from './train/config';
export { specAugment, specAugmenter } from './audio/spec_augment';
export type { SpecAugmentOptions } from './audio/spec_augment';
// ---- Chapter 09, summary and challenges: privacy (membership inference, DP-SGD) and compute ----
export { exampleLosses, membershipAttack } from './nn/membership';
export type { MembershipAttack } from './nn/membership';
export { buildMlpClassifier } from './models/mlp_classifier';
export type { MlpClassifierConfig } from './models/mlp_classifier';
export { CHAPTER09_CONFIG } from './train/config';
export type { Chapter09Config } from './train/config';
export { clipGradients, denseDpSgdGradient, dpSgdGradient, trainDpSgd } from './train/dp_sgd';
export type { ClippedGradients, DpSgdGradient, DpSgdOptions, TrainDpSgdOptions, TrainDpSgdResult } from './train/dp_sgd';

// ---- Chapter 10, questions and training efficiency: data-parallel workers, prefetching ----
export { createDataParallel } from './train/data_parallel';
export type { AllReducedGradients, DataParallel, DataParallelOptions, WorkerBackend } from './train/data_parallel';
export { prefetch } from './data/prefetch';
export { CHAPTER10_CONFIG } from './train/config';
export type { Chapter10Config } from './train/config';
// ---- Chapter 07, outlook: why models grow (scaling laws measured on the CNN) ----
export { CHINCHILLA_OPTIMAL_SIZES, SCALING_LAWS, chinchillaLoss, chinchillaOptimal, fitPowerLaw, fitPowerLawWithOffset, predictPowerLaw } from './nn/scaling_laws';
export type { ChinchillaTableRow, ComputeOptimalSize, PowerLawFit } from './nn/scaling_laws';
export { runScalingGrid, trainScalingRun } from './train/scaling';
export type { ScalingGrid, ScalingRun, ScalingRunOptions } from './train/scaling';
export { CHAPTER07_CONFIG } from './train/config';
export type { Chapter07Config } from './train/config';

// ---- Chapter 08, tools and resources: the course's stack against the source's, measured; the references ----
export { BENCH_RESULTS_DIR, benchThroughput, readBenchResults } from './backend/bench_results';
export type { BenchRecord, ThroughputRow } from './backend/bench_results';
export { REFERENCES, formatReference } from './core/references';
export type { Reference } from './core/references';
