// Backtests, shadow comparisons and point-in-time training sets: replays on fresh state, compared decision by decision.
export { Comparison, subjectFields, type ComparisonOptions, type ComparisonReport, type RuleChange, type RuleReport, type SideReport, type TransitionSample } from './compare.ts';
export { Backtest, canShareState, sameDecision, type BacktestOptions, type BacktestReport, type StrategyUnderTest } from './run.ts';
export { readGroundTruth, entityKey, type GroundTruth } from './truth.ts';
export { compileFiles, DataDir, feedRecord, isDir, parseRecord, parseTime, resolveStoredVersion, SourceError, type CompileExtra, type LogRecordBody, type TimeRange } from './source.ts';
export { summaryLine } from './summary.ts';
export { TrainingSet, csvSink, parquetSink, sinkFor, type Cell, type Column, type ColumnType, type RowSink, type TrainingSetOptions } from './export.ts';
