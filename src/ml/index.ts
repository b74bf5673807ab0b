// Public face of the machine-learning core: data, learners, predictors, explanations, metrics, splits, drift.

export type { Dataset, FeatureColumn, DatasetError } from './dataset.ts';
export { validateDataset, datasetFromRows, selectRows, rowOf } from './dataset.ts';
export { SeededRandom } from './random.ts';
export type { FeatureCuts, QuantizedRows } from './quantize.ts';
export { sketchCuts, quantize, binOf, MISSING_BIN } from './quantize.ts';
export type { GbdtParams, GbdtTraining, RoundInfo } from './gbdt.ts';
export { trainGbdt, defaultGbdtParams } from './gbdt.ts';
export type { TreeSpec, GbdtModelJson, ShapExplanation } from './tree-model.ts';
export { GbdtModel } from './tree-model.ts';
export type { LogisticParams, LogisticModelJson } from './logistic.ts';
export { LogisticModel, trainLogistic, defaultLogisticParams } from './logistic.ts';
export type { Reason } from './explain.ts';
export { topReasons } from './explain.ts';
export type { RocPoint, PrPoint, OperatingPoint, CalibrationBin } from './metrics.ts';
export {
  rocAuc, rocCurve, prCurve, averagePrecision, recallAtK, precisionAtFpr, ksStatistic, calibrationTable, logLoss, rankByScore,
} from './metrics.ts';
export type { RowSplit } from './split.ts';
export { splitByTime, splitByEntity, entityHash } from './split.ts';
export type { ImportResult } from './xgboost-import.ts';
export { importXgboostJson } from './xgboost-import.ts';
export type { PsiResult } from './drift.ts';
export { populationStabilityIndex } from './drift.ts';
export { CompactForest } from './forest.ts';
export type { ScoringModel, ModelReason } from './scoring.ts';
export { scoringModelFrom, monitorFor, TreeScoringModel, LinearScoringModel } from './scoring.ts';
export type { MonitorReference, MonitorReport, BinnedDistribution } from './monitor.ts';
export { ModelMonitor, monitorReference, psiOf, SCORE_BUCKETS } from './monitor.ts';
export type { ModelKind, ModelInput, NewModelVersion, StoredModelVersion, ModelVersionSummary } from './registry.ts';
export { ModelRegistry, modelMigrations, parseModelRef, MODEL_NAME } from './registry.ts';
