// Detection-quality evaluation: replays labelled traffic through a strategy and reports recall, precision and benign impact.
export { DetectionEval, eventShapes, type EvalReport, type KindReport } from './measure.ts';
export { parseTruth, TruthBuilder, normaliseType, type Campaign, type EvalTruth } from './truth.ts';
export { runEvaluation, type EvalResult, type EvalRun } from './run.ts';
export { formatReport } from './table.ts';
